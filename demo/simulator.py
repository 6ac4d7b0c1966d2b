"""The demo's gateway: a Dinstar simulator with a port layout worth looking at."""

import os
import time

from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.server import RunningServer, serve

from .settings import (
    HOST,
    NO_SIM_PORT,
    PORT_COUNT,
    REGISTERED_SIGNALS,
    SEARCHING_PORT,
    TIME_ZONE,
    WELCOME_SMS,
)


def set_gateway_clock() -> None:
    """Run this process (the gateway's clock) in the demo's time zone, as Home Assistant is."""
    os.environ["TZ"] = TIME_ZONE
    time.tzset()


def build_simulator() -> DinstarSimulator:
    """Make 8 ports: six registered with signals from strong to weak, one searching, one empty.

    The simulator's own timings (seconds to send, deliver, answer USSD, re-register) are kept:
    they are what a real gateway takes.
    """
    sim = DinstarSimulator(DinstarSettings(ports=PORT_COUNT))
    for port, signal in REGISTERED_SIGNALS.items():
        sim.port_service.update(port, {"reg": "REGISTER_OK", "signal": signal})
    sim.port_service.update(SEARCHING_PORT, {"reg": "SEARCHING_NETWORK", "gprs": False})
    # A modem without a SIM reports CSQ 99: "not known".
    sim.port_service.update(
        NO_SIM_PORT, {"reg": "NO_SIM", "sim_inserted": False, "signal": 99, "gprs": False}
    )
    return sim


async def start_simulator(sim: DinstarSimulator) -> RunningServer:
    """Serve the simulator on a free port of 127.0.0.1."""
    return await serve(sim.create_app(), HOST, 0)


def send_welcome_sms(sim: DinstarSimulator) -> int:
    """Let an SMS arrive on port 0 (pushed to Home Assistant); return its incoming_sms_id."""
    sender, text = WELCOME_SMS
    return sim.inbox.receive(0, sender, text).incoming_sms_id


def point_pushes_at(sim: DinstarSimulator, push_url: str) -> None:
    """Set the gateway's Push Event URL, as a user does in its web pages."""
    sim.pusher.url = push_url
