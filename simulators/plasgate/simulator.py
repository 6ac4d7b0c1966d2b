"""A Plasgate SMS cloud (REST, batch, HTTP and SMPP APIs, DLR callbacks) run in-process (spec §3).

    sim = PlasgateSimulator(PlasgateSettings(private_key="demo", secret="demo"))
    server = await serve(sim.create_app())
    await sim.smpp.start()  # SMPP listens only once started

The simulator is written from the spec alone: it must never import the client it checks.
"""

from dataclasses import asdict
import random
from typing import Any

from aiohttp import web

from simulators.background import BackgroundTasks
from simulators.plasgate.api import PlasgateApi
from simulators.plasgate.callbacks import CallbackSender
from simulators.plasgate.certificates import ca_bundle_pem
from simulators.plasgate.clock import SimClock
from simulators.plasgate.control import PlasgateControl
from simulators.plasgate.delivery import Delivery
from simulators.plasgate.faults import default_switches
from simulators.plasgate.limits import RateLimiter
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.smpp.server import SmppServer
from simulators.simulator_app import simulator_app

__all__ = ["PlasgateSettings", "PlasgateSimulator"]

_SECRET_FIELDS = frozenset({"private_key", "secret", "password", "smpp_password"})


class PlasgateSimulator:
    """One simulated Plasgate account: state, switches and the aiohttp app that serves them."""

    def __init__(self, settings: PlasgateSettings | None = None) -> None:
        """Build the services; nothing runs until create_app() is served."""
        self.settings = settings or PlasgateSettings()
        self.switches: dict[str, Any] = default_switches()
        self.clock = SimClock()
        self.tasks = BackgroundTasks()
        self.limiter = RateLimiter(self.clock)
        self.callbacks = CallbackSender(self.switches, self.settings.callback_timeout)
        self.delivery = Delivery(self.switches, self.clock, self.tasks, self.callbacks)
        self.api = PlasgateApi(
            self.settings,
            self.switches,
            self.limiter,
            self.delivery,
            random.Random(self.settings.seed),
            ca_bundle_pem(),
        )
        self.smpp = SmppServer(self.settings, self.switches)

    @property
    def faults(self) -> dict[str, Any]:
        """The switches, under the name the control API gives them (`POST /_sim/faults`)."""
        return self.switches

    def create_app(self) -> web.Application:
        """Build the app: control API, then every other path through the API."""
        app = simulator_app(
            PlasgateControl(self),
            tasks=self.tasks,
            outbound=self.callbacks,
            release=self.api.closing.set,
            start=self.api.closing.clear,
        )
        app.router.add_route("*", "/{path:.*}", self.api.handle)
        return app

    def snapshot(self) -> dict[str, Any]:
        """Everything the simulator holds, JSON-ready (keys, secret and password left out)."""
        settings = {k: v for k, v in asdict(self.settings).items() if k not in _SECRET_FIELDS}
        return {
            "settings": settings,
            "faults": self.switches,
            "clock_offset_s": self.clock.offset,
            "messages": [message.snapshot() for message in self.api.messages],
            "callbacks": list(self.callbacks.history),
            "rate_windows": self.limiter.counts(),
            "requests": dict(self.api.request_counts),
            "outcomes": {
                "by_id": dict(self.delivery.outcomes_by_id),
                "by_number": dict(self.delivery.outcomes_by_number),
            },
            "smpp": self.smpp.snapshot(),
        }
