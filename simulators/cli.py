"""`python -m simulators <service> ...`: run one simulator until SIGINT or SIGTERM.

Each service is a row of COMMANDS: its own options, named after the fields of its settings, and
the simulator those settings build.
"""

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
from dataclasses import dataclass
import signal
import ssl
import sys
from typing import Any, Protocol

from aiohttp import web

from simulators.dinstar.settings import PORT_COUNTS, DinstarSettings
from simulators.dinstar.simulator import DinstarSimulator
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.simulator import PlasgateSimulator
from simulators.server import serve
from simulators.smslink.settings import SmsLinkSettings
from simulators.smslink.simulator import SmsLinkSimulator
from simulators.tls import self_signed_server_context


class Simulator(Protocol):
    """What a sub-command builds: something that makes its aiohttp app."""

    def create_app(self) -> web.Application:
        """Build the app that serves the simulated service."""
        ...


# Options that are not settings fields: every sub-command's, and plasgate's SMPP listener.
_SHARED_OPTIONS = frozenset({"service", "listen", "https", "smpp"})


@dataclass(frozen=True)
class SimulatorCommand:
    """A sub-command: what it is, its own options, and the simulator its options build."""

    description: str
    default_listen: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    simulator: Callable[[dict[str, Any]], Simulator]

    def build(self, args: argparse.Namespace) -> Simulator:
        """Build the simulator from the parsed options."""
        options = {name: value for name, value in vars(args).items() if name not in _SHARED_OPTIONS}
        return self.simulator(options)

    def build_app(self, args: argparse.Namespace) -> web.Application:
        """Build the simulator from the parsed options and return its app."""
        return self.build(args).create_app()


def _dinstar_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ports", type=int, choices=PORT_COUNTS, default=8)
    parser.add_argument("--push-url", help="where the gateway POSTs its push events")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--sn", default=DinstarSettings.sn, help="gateway serial number")


def _plasgate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--private-key", default="demo")
    parser.add_argument("--secret", default="demo")
    parser.add_argument("--username", default="demo", help="HTTP API (/api/send) login")
    parser.add_argument("--password", default="demo")
    parser.add_argument(
        "--smpp",
        type=listen_address,
        help="HOST:PORT of an SMPP v3.4 listener too (TLS with --https); none by default",
    )
    parser.add_argument("--smpp-system-id", default="demo")
    parser.add_argument("--smpp-password", default="demo")


def _smslink_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--callback-url", help="where delivery reports and incoming SMS go")
    parser.add_argument("--connection-id", default="demo")
    parser.add_argument("--password", default="demo")


COMMANDS: dict[str, SimulatorCommand] = {
    "dinstar": SimulatorCommand(
        description="Dinstar GSM gateway (HTTP API, Digest auth, pushes)",
        default_listen="127.0.0.1:8080",
        add_arguments=_dinstar_arguments,
        simulator=lambda options: DinstarSimulator(DinstarSettings(**options)),
    ),
    "plasgate": SimulatorCommand(
        description="Plasgate SMS cloud (REST, batch and HTTP APIs, DLR callbacks)",
        default_listen="127.0.0.1:8082",
        add_arguments=_plasgate_arguments,
        simulator=lambda options: PlasgateSimulator(PlasgateSettings(**options)),
    ),
    "smslink": SimulatorCommand(
        description="SMSLink SMS Gateway (HTTP, JSON and BULK v3 APIs, callbacks)",
        default_listen="127.0.0.1:8081",
        add_arguments=_smslink_arguments,
        simulator=lambda options: SmsLinkSimulator(SmsLinkSettings(**options)),
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
        sub.add_argument("--seed", type=int, default=0, help="seed of the simulated randomness")
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
        sim = COMMANDS[name].build(args)
        server = await serve(sim.create_app(), host, port, ssl_context)
        print(f"{name} simulator listening on {server.url}", flush=True)
        try:
            smpp = getattr(args, "smpp", None)
            if isinstance(sim, PlasgateSimulator) and smpp is not None:
                await _serve_smpp(sim, smpp, ssl_context, stop)
            else:
                await stop.wait()
        finally:
            await server.stop()
    finally:
        for stop_signal in stop_signals:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(stop_signal)


async def _serve_smpp(
    sim: PlasgateSimulator,
    address: tuple[str, int],
    ssl_context: ssl.SSLContext | None,
    stop: asyncio.Event,
) -> None:
    """Run the Plasgate SMPP listener beside the HTTP one until stop is set."""
    smpp_host, smpp_port = await sim.smpp.start(*address, ssl_context)
    host = f"[{smpp_host}]" if ":" in smpp_host else smpp_host
    print(f"plasgate SMPP listening on {host}:{smpp_port}", flush=True)
    try:
        await stop.wait()
    finally:
        await sim.smpp.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse argv, run the chosen simulator, return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(run_until_stopped(args.service, args))
    except OSError as err:
        print(f"cannot listen on {args.listen[0]}:{args.listen[1]}: {err}", file=sys.stderr)
        return 1
    return 0
