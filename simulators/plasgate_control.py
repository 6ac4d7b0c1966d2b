"""The Plasgate simulator's control API under /_sim/ (no auth, JSON): DESIGN.md and spec §3.8."""

from typing import TYPE_CHECKING

from aiohttp import web

from simulators.control import ControlError, Route, add_routes, json_object, non_empty_text_field
from simulators.plasgate_settings import OUTCOMES, validate_switch

if TYPE_CHECKING:
    from simulators.plasgate import PlasgateSimulator


class PlasgateControl:
    """Routes /_sim/* to the simulator."""

    def __init__(self, sim: "PlasgateSimulator") -> None:
        """Steer this simulator."""
        self._sim = sim

    def add_routes(self, app: web.Application) -> None:
        """Register the control routes (before the API catch-all)."""
        routes: list[Route] = [
            ("GET", "/_sim/state", self._state),
            ("POST", "/_sim/faults", self._faults),
            ("POST", "/_sim/credentials", self._credentials),
            ("POST", "/_sim/senders", self._senders),
            ("POST", "/_sim/outcomes", self._outcomes),
            ("POST", "/_sim/clock", self._clock),
            ("POST", "/_sim/reset", self._reset),
        ]
        add_routes(app, routes, "unknown switch")

    async def _state(self, _request: web.Request) -> web.StreamResponse:
        return web.json_response(self._sim.snapshot())

    async def _faults(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        for name, value in body.items():
            validate_switch(name, value)
        self._sim.switches.update(body)
        return web.json_response(self._sim.switches)

    async def _credentials(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        settings = self._sim.settings
        for name in ("private_key", "secret", "username", "password"):
            if name in body:
                setattr(settings, name, non_empty_text_field(body, name))
        return web.json_response({"updated": sorted(body)})

    async def _senders(self, request: web.Request) -> web.StreamResponse:
        senders = (await json_object(request)).get("senders")
        if not isinstance(senders, list) or not all(isinstance(s, str) for s in senders):
            raise ControlError("senders must be a list of strings")
        self._sim.settings.senders = list(senders)
        return web.json_response({"senders": senders})

    async def _outcomes(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        outcome = non_empty_text_field(body, "outcome")
        if outcome not in OUTCOMES:
            raise ControlError(f"outcome must be one of {', '.join(OUTCOMES)}")
        delivery = self._sim.delivery
        if "id" in body:
            delivery.outcomes_by_id[non_empty_text_field(body, "id")] = outcome
        elif "to" in body:
            delivery.outcomes_by_number[non_empty_text_field(body, "to")] = outcome
        else:
            raise ControlError("give an id or a to")
        return web.json_response({"outcome": outcome})

    async def _clock(self, request: web.Request) -> web.StreamResponse:
        seconds = (await json_object(request)).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ControlError("advance_s must be a number of seconds >= 0")
        self._sim.clock.advance(float(seconds))
        return web.json_response({"offset_s": self._sim.clock.offset})

    async def _reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.limiter.reset()
        self._sim.api.messages.clear()
        self._sim.callbacks.history.clear()
        return web.json_response({})
