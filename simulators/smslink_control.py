"""The SMSLink simulator's control API under /_sim/ (no auth, JSON): DESIGN.md and spec §3.7."""

from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulators.control import (
    ControlError,
    Route,
    add_routes,
    json_object,
    ok,
    optional_text_field,
    text_field,
)
from simulators.smslink_account import SENDER_STATES
from simulators.smslink_faults import validate_fault

if TYPE_CHECKING:
    from simulators.smslink import SmsLinkSimulator

# §2.9: network_id of an incoming SMS and its name.
NETWORKS = {1: "Vodafone RO", 2: "Orange RO", 3: "Telekom RO", 5: "Digimobil"}


def _count(body: dict[str, Any], key: str) -> int:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ControlError(f"{key} must be a non-negative integer")
    return int(value)


class SmsLinkControl:
    """Routes /_sim/* to the simulator."""

    def __init__(self, sim: "SmsLinkSimulator") -> None:
        """Steer this simulator."""
        self._sim = sim

    def add_routes(self, app: web.Application) -> None:
        """Register the control routes."""
        routes: list[Route] = [
            ("GET", "/_sim/state", self._state),
            ("POST", "/_sim/incoming", self._incoming),
            ("POST", "/_sim/faults", self._faults),
            ("POST", "/_sim/callback-url", self._callback_url),
            ("POST", "/_sim/credit", self._credit),
            ("POST", "/_sim/blacklist", self._blacklist),
            ("POST", "/_sim/senders", self._senders),
            ("POST", "/_sim/dlr-outcome", self._dlr_outcome),
            ("POST", "/_sim/clock", self._clock),
        ]
        add_routes(app, routes, "unknown or missing")

    async def _state(self, _request: web.Request) -> web.StreamResponse:
        return ok(self._sim.snapshot())

    async def _incoming(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        network_id = body.get("network_id", 2)
        if network_id not in NETWORKS or isinstance(network_id, bool):
            raise ControlError(f"network_id must be one of {sorted(NETWORKS)}")
        fields = {
            "sender": text_field(body, "sender"),
            "receiver": text_field(body, "receiver", self._sim.settings.shortcode),
            "message": text_field(body, "text"),
            "timestamp": str(self._sim.account.now()),
            "network_id": str(network_id),
            "network_name": NETWORKS[network_id],
        }
        called = self._sim.callbacks.incoming(fields)
        return ok({"called": called, "fields": fields})

    async def _faults(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        for name, value in body.items():
            validate_fault(name, value)
        self._sim.faults.update(body)
        return ok(self._sim.faults)

    async def _callback_url(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        url = optional_text_field(body, "url")
        self._sim.callbacks.url = url
        return ok({"url": url})

    async def _credit(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        account = self._sim.account
        if "national" in body:
            account.national_credit = _count(body, "national")
        if "international" in body:
            account.international_credit = _count(body, "international")
        return ok(
            {"national": account.national_credit, "international": account.international_credit}
        )

    async def _blacklist(self, request: web.Request) -> web.StreamResponse:
        numbers = (await json_object(request)).get("numbers")
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise ControlError("numbers must be a list of strings")
        self._sim.account.blacklist = set(numbers)
        return ok({"numbers": sorted(numbers)})

    async def _senders(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        for name, state in body.items():
            if state not in SENDER_STATES:
                raise ControlError(f"sender state must be one of {SENDER_STATES}")
            if not name or ";" in name:
                raise ControlError("bad sender name")
        self._sim.account.senders.update(body)
        return ok(self._sim.account.senders)

    async def _dlr_outcome(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        message_id = body.get("message_id")
        messages = self._sim.account.messages
        message = messages.get(message_id) if isinstance(message_id, int) else None
        if message is None:
            raise ControlError("no such message_id")
        status = body.get("status")
        if status not in (0, 1) or isinstance(status, bool):
            raise ControlError("status must be 0 or 1")
        message.forced_status = status
        return ok({"message_id": message.message_id, "status": status})

    async def _clock(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        advance = body.get("advance_s")
        if isinstance(advance, bool) or not isinstance(advance, int | float) or advance < 0:
            raise ControlError("advance_s must be a non-negative number")
        self._sim.account.clock_offset += advance
        released = self._sim.sending.release_due()
        return ok({"now": self._sim.account.now(), "released": released})
