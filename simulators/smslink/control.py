"""The SMSLink simulator's control API under /_sim/ (no auth, JSON): DESIGN.md and spec §3.7.

The account simulator hands itself in as a SteeredAccount: this module never imports it.
"""

from typing import Any, Protocol

from aiohttp import web

from simulators.control import ControlApi, Steerable, control_route, ok
from simulators.control_fields import (
    ControlError,
    json_object,
    optional_text_field,
    text_field,
    text_list_field,
)
from simulators.smslink.account import SENDER_STATES, Account
from simulators.smslink.callbacks import Callbacks
from simulators.smslink.faults import FAULTS
from simulators.smslink.sending import Sending
from simulators.smslink.settings import SmsLinkSettings

# §2.9: network_id of an incoming SMS and its name.
NETWORKS = {1: "Vodafone RO", 2: "Orange RO", 3: "Telekom RO", 5: "Digimobil"}


class SteeredAccount(Steerable, Protocol):
    """The parts of a simulated account that the control API reads and changes."""

    settings: SmsLinkSettings
    account: Account
    callbacks: Callbacks
    sending: Sending


def _count(body: dict[str, Any], key: str) -> int:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ControlError(f"{key} must be a non-negative integer")
    return int(value)


class SmsLinkControl(ControlApi[SteeredAccount]):
    """Routes /_sim/* to the simulator."""

    table = FAULTS
    key_error_prefix = "unknown or missing"

    @control_route("POST", "/_sim/incoming")
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

    @control_route("POST", "/_sim/callback-url")
    async def _callback_url(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        url = optional_text_field(body, "url")
        self._sim.callbacks.url = url
        return ok({"url": url})

    @control_route("POST", "/_sim/credit")
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

    @control_route("POST", "/_sim/blacklist")
    async def _blacklist(self, request: web.Request) -> web.StreamResponse:
        numbers = text_list_field(await json_object(request), "numbers")
        self._sim.account.blacklist = set(numbers)
        return ok({"numbers": sorted(numbers)})

    @control_route("POST", "/_sim/senders")
    async def _senders(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        for name, state in body.items():
            if state not in SENDER_STATES:
                raise ControlError(f"sender state must be one of {SENDER_STATES}")
            if not name or ";" in name:
                raise ControlError("bad sender name")
        self._sim.account.senders.update(body)
        return ok(self._sim.account.senders)

    @control_route("POST", "/_sim/dlr-outcome")
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

    @control_route("POST", "/_sim/clock")
    async def _clock(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        advance = body.get("advance_s")
        if isinstance(advance, bool) or not isinstance(advance, int | float) or advance < 0:
            raise ControlError("advance_s must be a non-negative number")
        self._sim.account.clock_offset += advance
        released = self._sim.sending.release_due()
        return ok({"now": self._sim.account.now(), "released": released})
