"""`python -m demo [run] [--port N]`; `python -m demo sms [--provider P] --from NUMBER --text TEXT`.

The first runs the demo until Ctrl-C, the second sends its gateway (SIM `--port N`), its SMSLink
account or its Plasgate account an SMS. The Plasgate account receives over SMPP: the command
POSTs the Plasgate simulator's /_sim/incoming {"from", "to", "text"}, which writes it to the
account's bound SMPP session (the simulators' addresses are in the demo's banner).
"""

import argparse
import asyncio
from collections.abc import Sequence
import logging

from .console import say
from .home_assistant import DemoError
from .settings import PLASGATE_SENDER, PORT_COUNT, SMSLINK_SENDER

_PROVIDERS = ("dinstar", "smslink", "plasgate")
# Each service writes a sender its own way: the gateway as received, SMSLink as a national number,
# Plasgate's SMPP as international digits without "+".
_DEFAULT_SENDERS = {
    "dinstar": "+40712345678",
    "smslink": SMSLINK_SENDER,
    "plasgate": PLASGATE_SENDER,
}


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of the demo's commands: run (the default) and sms."""
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="start the simulator and Home Assistant (default)")
    run.add_argument(
        "--port", type=int, help="Home Assistant's HTTP port (default 8123 or a free one)"
    )
    sms = commands.add_parser(
        "sms",
        help="an incoming SMS at the running demo's gateway, SMSLink or Plasgate account",
        description="plasgate: over SMPP, through the Plasgate simulator's POST /_sim/incoming",
    )
    sms.add_argument(
        "--provider",
        choices=_PROVIDERS,
        default="dinstar",
        help="who receives it (dinstar; plasgate: over SMPP)",
    )
    sms.add_argument(
        "--from",
        dest="sender",
        help=f"the sender's number ({', '.join(_DEFAULT_SENDERS.values())} by provider)",
    )
    sms.add_argument("--text", default="Hello from the SMS Gateway demo", help="the message")
    sms.add_argument(
        "--port", type=int, default=0, choices=range(PORT_COUNT), help="Dinstar SIM port (0-7)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen command; its exit status."""
    args = build_parser().parse_args(argv)
    try:
        # Imported here: `run` loads Home Assistant (seconds), which `sms` does not need.
        if args.command == "sms":
            from .inject import inject_cloud_sms, inject_sms

            sender = args.sender or _DEFAULT_SENDERS[args.provider]
            if args.provider in ("smslink", "plasgate"):
                return asyncio.run(inject_cloud_sms(args.provider, sender, args.text))
            return asyncio.run(inject_sms(args.port, sender, args.text))
        # The integration's package loads Home Assistant's camera helpers, which log a traceback
        # where the system has no libturbojpeg (a camera speed-up; Home Assistant's log hides it).
        logging.getLogger("homeassistant.components.camera.img_util").setLevel(logging.CRITICAL)
        from .run import run_demo

        return asyncio.run(run_demo(getattr(args, "port", None)))
    except DemoError as err:
        say(f"demo: {err}", error=True)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
