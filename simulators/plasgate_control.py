"""The Plasgate simulator's control API under /_sim/ (no auth, JSON): DESIGN.md and spec §3.8."""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulators.plasgate_settings import OUTCOMES, validate_switch

if TYPE_CHECKING:
    from simulators.plasgate import PlasgateSimulator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ControlError(Exception):
    """A control request that cannot be done (answered 400)."""


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json() if await request.read() else {}
    except ValueError as err:
        raise ControlError("body is not JSON") from err
    if not isinstance(body, dict):
        raise ControlError("body is not a JSON object")
    return body


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise ControlError(f"{key} must be a non-empty string")
    return value


class PlasgateControl:
    """Routes /_sim/* to the simulator."""

    def __init__(self, sim: "PlasgateSimulator") -> None:
        """Steer this simulator."""
        self._sim = sim

    def add_routes(self, app: web.Application) -> None:
        """Register the control routes (before the API catch-all)."""
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/_sim/state", self._state),
            ("POST", "/_sim/faults", self._faults),
            ("POST", "/_sim/credentials", self._credentials),
            ("POST", "/_sim/senders", self._senders),
            ("POST", "/_sim/outcomes", self._outcomes),
            ("POST", "/_sim/clock", self._clock),
            ("POST", "/_sim/reset", self._reset),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, self._guarded(handler))

    @staticmethod
    def _guarded(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except (ControlError, ValueError, KeyError) as err:
                message = f"unknown switch {err}" if isinstance(err, KeyError) else str(err)
                return web.json_response({"error": message}, status=400)

        return guarded

    async def _state(self, _request: web.Request) -> web.StreamResponse:
        return web.json_response(self._sim.snapshot())

    async def _faults(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request)
        for name, value in body.items():
            validate_switch(name, value)
        self._sim.switches.update(body)
        return web.json_response(self._sim.switches)

    async def _credentials(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request)
        settings = self._sim.settings
        for name in ("private_key", "secret", "username", "password"):
            if name in body:
                setattr(settings, name, _text(body, name))
        return web.json_response({"updated": sorted(body)})

    async def _senders(self, request: web.Request) -> web.StreamResponse:
        senders = (await _json_object(request)).get("senders")
        if not isinstance(senders, list) or not all(isinstance(s, str) for s in senders):
            raise ControlError("senders must be a list of strings")
        self._sim.settings.senders = list(senders)
        return web.json_response({"senders": senders})

    async def _outcomes(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request)
        outcome = _text(body, "outcome")
        if outcome not in OUTCOMES:
            raise ControlError(f"outcome must be one of {', '.join(OUTCOMES)}")
        delivery = self._sim.delivery
        if "id" in body:
            delivery.outcomes_by_id[_text(body, "id")] = outcome
        elif "to" in body:
            delivery.outcomes_by_number[_text(body, "to")] = outcome
        else:
            raise ControlError("give an id or a to")
        return web.json_response({"outcome": outcome})

    async def _clock(self, request: web.Request) -> web.StreamResponse:
        seconds = (await _json_object(request)).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ControlError("advance_s must be a number of seconds >= 0")
        self._sim.clock.advance(float(seconds))
        return web.json_response({"offset_s": self._sim.clock.offset})

    async def _reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.limiter.reset()
        self._sim.api.messages.clear()
        self._sim.callbacks.history.clear()
        return web.json_response({})
