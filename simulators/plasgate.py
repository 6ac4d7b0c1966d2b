"""A Plasgate SMS cloud (REST, batch and HTTP APIs, DLR callbacks) run in-process (spec §3).

    sim = PlasgateSimulator(PlasgateSettings(private_key="demo", secret="demo"))
    server = await serve(sim.create_app())

The simulator is written from the spec alone: it must never import the client it checks.
"""

from collections.abc import AsyncIterator
from dataclasses import asdict
import random
from typing import Any

from aiohttp import web

from simulators.background import BackgroundTasks
from simulators.plasgate_api import PlasgateApi
from simulators.plasgate_callbacks import CallbackSender
from simulators.plasgate_certificates import ca_bundle_pem
from simulators.plasgate_clock import SimClock
from simulators.plasgate_control import PlasgateControl
from simulators.plasgate_delivery import Delivery
from simulators.plasgate_limits import RateLimiter
from simulators.plasgate_settings import PlasgateSettings, default_switches
from simulators.server import on_shutdown

__all__ = ["PlasgateSettings", "PlasgateSimulator"]

_SECRET_FIELDS = frozenset({"private_key", "secret", "password"})


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

    def create_app(self) -> web.Application:
        """Build the app: control API, API routes, and a cleanup that stops every task."""
        app = web.Application()
        PlasgateControl(self).add_routes(app)
        app.router.add_route("*", "/{path:.*}", self.api.handle)

        async def run_then_stop(_app: web.Application) -> AsyncIterator[None]:
            self.api.closing.clear()
            yield
            await self.tasks.aclose()
            await self.callbacks.aclose()

        async def release(_app: web.Application) -> None:
            self.api.closing.set()

        on_shutdown(app, release)
        app.cleanup_ctx.append(run_then_stop)
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
        }
