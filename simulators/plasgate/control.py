"""The Plasgate simulator's control API under /_sim/ (no auth, JSON): DESIGN.md and spec §3.8.

PlasgateSimulator passes itself as a SteeredAccount, so there is no import back to it.
"""

from typing import Any, Protocol

from aiohttp import web

from simulators.control import ControlApi, Steerable, control_route, ok
from simulators.control_fields import (
    ControlError,
    json_object,
    non_empty_text_field,
    text_field,
    text_list_field,
)
from simulators.plasgate.api import PlasgateApi
from simulators.plasgate.callbacks import CallbackSender
from simulators.plasgate.clock import SimClock
from simulators.plasgate.delivery import OUTCOMES, Delivery
from simulators.plasgate.faults import FAULTS
from simulators.plasgate.limits import RateLimiter
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.smpp.server import SmppServer


class SteeredAccount(Steerable, Protocol):
    """The parts of a simulated account that the control API reads and changes."""

    settings: PlasgateSettings
    clock: SimClock
    limiter: RateLimiter
    callbacks: CallbackSender
    delivery: Delivery
    api: PlasgateApi
    smpp: SmppServer


class PlasgateControl(ControlApi[SteeredAccount]):
    """Routes /_sim/* to the simulator."""

    table = FAULTS

    def apply_faults(self, body: dict[str, Any]) -> None:
        """Set the switches; the SMPP server acts on its own (drop_binds, malformed, half_open)."""
        for name, value in body.items():
            self._sim.faults[name] = value
            self._sim.smpp.switched(name, value)

    @control_route("POST", "/_sim/incoming")
    async def _incoming(self, request: web.Request) -> web.StreamResponse:
        """Store an MO for the SMPP side and write it to a bound receiver if there is one."""
        body = await json_object(request)
        source, destination = non_empty_text_field(body, "from"), non_empty_text_field(body, "to")
        mo, written = self._sim.smpp.receive(source, destination, text_field(body, "text"))
        return ok({"id": mo.id, "delivered_to": written})

    @control_route("POST", "/_sim/credentials")
    async def _credentials(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        settings = self._sim.settings
        for name in ("private_key", "secret", "username", "password"):
            if name in body:
                setattr(settings, name, non_empty_text_field(body, name))
        return ok({"updated": sorted(body)})

    @control_route("POST", "/_sim/senders")
    async def _senders(self, request: web.Request) -> web.StreamResponse:
        senders = text_list_field(await json_object(request), "senders")
        self._sim.settings.senders = list(senders)
        return ok({"senders": senders})

    @control_route("POST", "/_sim/outcomes")
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
        return ok({"outcome": outcome})

    @control_route("POST", "/_sim/clock")
    async def _clock(self, request: web.Request) -> web.StreamResponse:
        seconds = (await json_object(request)).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ControlError("advance_s must be a number of seconds >= 0")
        self._sim.clock.advance(float(seconds))
        return ok({"offset_s": self._sim.clock.offset})

    @control_route("POST", "/_sim/reset")
    async def _reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.limiter.reset()
        self._sim.api.messages.clear()
        self._sim.callbacks.history.clear()
        self._sim.smpp.reset()
        return ok({})
