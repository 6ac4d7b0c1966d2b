"""`python -m simulators <service> ...`: run one simulator until SIGINT or SIGTERM.

Each service is a row of COMMANDS (its options and how to build its app), so the SMSLink and
Plasgate simulators join by adding a row.
"""

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
from dataclasses import dataclass
import signal
import sys

from aiohttp import web

from simulators.dinstar import DinstarSettings, DinstarSimulator
from simulators.dinstar_settings import PORT_COUNTS
from simulators.plasgate import PlasgateSettings, PlasgateSimulator
from simulators.server import serve
from simulators.smslink import SmsLinkSettings, SmsLinkSimulator
from simulators.tls import self_signed_server_context


@dataclass(frozen=True)
class SimulatorCommand:
    """A sub-command: what it is, its own options, and the app it serves."""

    description: str
    default_listen: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    build_app: Callable[[argparse.Namespace], web.Application]


def _dinstar_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ports", type=int, choices=PORT_COUNTS, default=8)
    parser.add_argument("--push-url", help="where the gateway POSTs its push events")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--sn", default=DinstarSettings.sn, help="gateway serial number")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated randomness")


def _dinstar_app(args: argparse.Namespace) -> web.Application:
    settings = DinstarSettings(
        ports=args.ports,
        username=args.username,
        password=args.password,
        sn=args.sn,
        push_url=args.push_url,
        seed=args.seed,
    )
    return DinstarSimulator(settings).create_app()


def _plasgate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--private-key", default="demo")
    parser.add_argument("--secret", default="demo")
    parser.add_argument("--username", default="demo", help="HTTP API (/api/send) login")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated randomness")


def _plasgate_app(args: argparse.Namespace) -> web.Application:
    settings = PlasgateSettings(
        private_key=args.private_key,
        secret=args.secret,
        username=args.username,
        password=args.password,
        seed=args.seed,
    )
    return PlasgateSimulator(settings).create_app()


def _smslink_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--callback-url", help="where delivery reports and incoming SMS go")
    parser.add_argument("--connection-id", default="demo")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated randomness")


def _smslink_app(args: argparse.Namespace) -> web.Application:
    settings = SmsLinkSettings(
        connection_id=args.connection_id,
        password=args.password,
        callback_url=args.callback_url,
        seed=args.seed,
    )
    return SmsLinkSimulator(settings).create_app()


COMMANDS: dict[str, SimulatorCommand] = {
    "dinstar": SimulatorCommand(
        description="Dinstar GSM gateway (HTTP API, Digest auth, pushes)",
        default_listen="127.0.0.1:8080",
        add_arguments=_dinstar_arguments,
        build_app=_dinstar_app,
    ),
    "plasgate": SimulatorCommand(
        description="Plasgate SMS cloud (REST, batch and HTTP APIs, DLR callbacks)",
        default_listen="127.0.0.1:8082",
        add_arguments=_plasgate_arguments,
        build_app=_plasgate_app,
    ),
    "smslink": SimulatorCommand(
        description="SMSLink SMS Gateway (HTTP, JSON and BULK v3 APIs, callbacks)",
        default_listen="127.0.0.1:8081",
        add_arguments=_smslink_arguments,
        build_app=_smslink_app,
    ),
}


def listen_address(text: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 hosts in brackets) as a (host, port) pair."""
    host, separator, port = text.rpartition(":")
    if not separator or not host or not port.isdigit() or int(port) > 65535:  # noqa: PLR2004
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser, with one sub-parser per COMMANDS row."""
    parser = argparse.ArgumentParser(prog="python -m simulators", description=__doc__)
    subparsers = parser.add_subparsers(dest="service", required=True)
    for name, command in COMMANDS.items():
        sub = subparsers.add_parser(name, help=command.description)
        sub.add_argument(
            "--listen",
            type=listen_address,
            default=listen_address(command.default_listen),
            help=f"HOST:PORT to listen on (default {command.default_listen}; port 0 = any)",
        )
        sub.add_argument("--https", action="store_true", help="serve TLS (self-signed)")
        command.add_arguments(sub)
    return parser


async def run_until_stopped(name: str, args: argparse.Namespace) -> None:
    """Serve the sub-command's app until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    for stop_signal in stop_signals:
        loop.add_signal_handler(stop_signal, stop.set)
    try:
        host, port = args.listen
        ssl_context = self_signed_server_context() if args.https else None
        server = await serve(COMMANDS[name].build_app(args), host, port, ssl_context)
        print(f"{name} simulator listening on {server.url}", flush=True)
        try:
            await stop.wait()
        finally:
            await server.stop()
    finally:
        for stop_signal in stop_signals:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(stop_signal)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse argv, run the chosen simulator, return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(run_until_stopped(args.service, args))
    except OSError as err:
        print(f"cannot listen on {args.listen[0]}:{args.listen[1]}: {err}", file=sys.stderr)
        return 1
    return 0
