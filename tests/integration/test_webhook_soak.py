"""The Dinstar webhook soaked in 10,000 hostile pushes mixed with real ones, repeated in any order.

The gateway (the simulator) holds 600 SMS; their pushes arrive one to four times each, scattered
among junk, pushes with bad fields, pushes from other gateways, altered copies of real pushes and
storms of device and fault pushes. The inbox's limits are lowered so that the soak runs into them.
"""

from collections.abc import Iterator
import json
import logging
import random
from typing import Any

from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_USSD_REPLY,
)
from custom_components.sms_gateway.gateway import inbox_store as store
from custom_components.sms_gateway.gateway.push_receiver import DINSTAR_BODY_LIMIT
from simulators.dinstar.state import IncomingSms
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID
from tests.integration.setups import client_fixture

from .hostile import HostileRequest, WebClient, assert_loaded
from .soak import (
    SOAK_REQUESTS,
    HostileMix,
    LoopStallMeter,
    SoakRequest,
    accepted,
    assert_no_errors,
    bursts,
    lines,
    refused,
    soak,
)

pytestmark = pytest.mark.usefixtures("event_platform_only")

WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"
MESSAGES = 600
PENDING_LIMIT = 100
RECENT_LIMIT = 40
DEVICE_STATES = ("power_on", "power_off", "reboot")
FAULTS = (
    {"port": 1, "type": "call_fail", "action": "reset"},
    {"port": 2, "type": "sms_fail", "action": "none"},
    {"port": 3, "type": "no_signal", "action": "reboot"},
)
OTHER_KINDS = ("sms_result", "sms_deliver_status", "ussd", "register", "cdr")
KINDS = ("real", "altered", "bad field", "foreign", "device", "fault", "other kind")
BAD_PORTS: tuple[Any, ...] = (32, 99, -1, 1_000_000, 10**30, "٣", "1.5", True, [1], None)


def _push(serial: str, kind: str, value: Any) -> bytes:
    return json.dumps({"sn": serial, kind: value}).encode()


class DinstarMix(HostileMix):
    """The soak's requests: real pushes of the inbox's messages among everything hostile."""

    def __init__(
        self, rng: random.Random, messages: list[IncomingSms], fired: list[Event[Any]]
    ) -> None:
        """Each message is pushed one to four times, at random places."""
        super().__init__(rng, DINSTAR_BODY_LIMIT, ["POST", "POST", "POST", "PUT"])
        self.wires = [message.as_wire(include_imsi=True) for message in messages]
        self.first_id = messages[0].incoming_sms_id
        self.sent: list[int] = []
        self.fired = fired

    def requests(self) -> Iterator[SoakRequest]:
        """SOAK_REQUESTS requests in a seeded order."""
        plan: list[str] = []
        for index in range(len(self.wires)):
            plan += [f"real {index}"] * self.rng.randint(1, 4)
        plan += ["altered"] * 300 + ["bad field"] * 1000 + ["foreign"] * 300
        plan += ["device"] * 150 + ["fault"] * 150 + ["other kind"] * 400
        plan += ["junk"] * (SOAK_REQUESTS - len(plan))
        self.rng.shuffle(plan)
        for step in plan:
            yield self._request(step)

    def _request(self, step: str) -> SoakRequest:
        if step.startswith("real "):
            return self._real(int(step.removeprefix("real ")))
        if step == "altered" and self.fired:
            return accepted("altered", self.post(_push(SERIAL, "sms", [self._altered()])))
        makers = {
            "bad field": self._bad_field,
            "foreign": self._foreign,
            "device": self._device,
            "fault": self._fault,
            "other kind": self._other_kind,
        }
        return makers.get(step, self.junk)()

    def _real(self, index: int) -> SoakRequest:
        self.sent.append(index)
        together = [self.wires[index]]
        if self.rng.random() < 0.1:  # the gateway may push several at once
            together += [self.wires[sent] for sent in self.rng.sample(self.sent, k=1)]
        return accepted("real", self.post(_push(SERIAL, "sms", together)))

    def _foreign(self) -> SoakRequest:
        serial = self.rng.choice(["ffff-0000-1111-2222", self.text(12), "٣٣", SERIAL[:-1]])
        return refused("foreign", self.raw(_push(serial, "sms", [self.rng.choice(self.wires)])))

    def _device(self) -> SoakRequest:
        state = {"status": self.rng.choice(DEVICE_STATES)}
        return accepted("device", self.post(_push(SERIAL, "device", state)))

    def _fault(self) -> SoakRequest:
        fault = self.rng.choice(FAULTS)
        return accepted("fault", self.post(_push(SERIAL, "exception_info", fault)))

    def _other_kind(self) -> SoakRequest:
        item = {"port": self.rng.choice(BAD_PORTS), "text": self.text(10), "status": "up"}
        kind = self.rng.choice(OTHER_KINDS)
        return refused("other kind", self.raw(_push(SERIAL, kind, [item])))

    def post(self, body: bytes) -> HostileRequest:
        """A push the gateway could have sent: POSTed, with any content type (it is not read)."""
        return self.raw(body, method="POST")

    def _altered(self) -> dict[str, Any]:
        """A message already announced, with another port, time or text: a catch-up tells.

        Only an announced one: a push of an id never seen above the cursor is news, whatever it
        holds (a push cannot be checked before the message is in the inbox's memory).
        """
        announced = self.rng.choice(self.fired).data["message_id"]
        wire = dict(self.wires[announced - self.first_id])
        match self.rng.choice(["port", "timestamp", "text", "number"]):
            case "port":
                wire["port"] = (wire["port"] + self.rng.randint(1, 7)) % 8
            case "timestamp":
                wire["timestamp"] = self.rng.choice(["2001-01-01 00:00:00", "", "²", 7])
            case "text":
                wire["text"] = self.text(20)
            case _:
                wire["number"] = "+40799999999"
        return wire

    def _bad_field(self) -> SoakRequest:
        """A push from our gateway that looks right but for one field no reader may take."""
        rng = self.rng
        wire = dict(rng.choice(self.wires))
        wire["incoming_sms_id"] = 100_000 + rng.randrange(10**6)  # never a real one
        may_pass = False
        match rng.choice(["id", "port", "text", "number", "shape"]):
            case "id":
                value = rng.choice([self.bad_number(), 10**30, 2**53 + 1, "١٢٣", "-"])
                wire["incoming_sms_id"] = value
                # A negative id is a number: it is taken, and placed below the cursor (no event).
                may_pass = isinstance(value, int) and not isinstance(value, bool) and value < 0
            case "port":
                wire["port"] = rng.choice([*BAD_PORTS, self.bad_number()])
                may_pass = wire["port"] in range(32)
            case "text" | "number" as key:
                wire[key] = rng.choice([[1], {"a": 1}, True, False])
            case _:
                body = rng.choice([wire, "x", 5, [[wire]], [None]])
                return refused("bad field", self.raw(_push(SERIAL, "sms", body)))
        request = self.raw(_push(SERIAL, "sms", [wire]))
        if may_pass and request.method == "POST":
            return SoakRequest("bad field", request, frozenset({200, 400}))
        return refused("bad field", request)


client = client_fixture()


async def test_10000_hostile_and_repeated_pushes(
    hass: HomeAssistant,
    client: WebClient,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No 5xx, no error, every SMS fired exactly once, no stall, a bounded memory, few lines.

    A stall is one callback holding the loop over 50 ms of its thread's CPU time: wall-clock
    lateness on a loaded 2-core machine measures the machine, not us (see LoopStallMeter).
    """
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    monkeypatch.setattr(store, "PENDING_LIMIT", PENDING_LIMIT)
    monkeypatch.setattr(store, "RECENT_LIMIT", RECENT_LIMIT)
    inbox = dinstar_simulator.sim.inbox
    messages = [
        inbox.receive(index % 8, f"+4071{index:07d}", f"Soak {index}") for index in range(MESSAGES)
    ]
    fired = async_capture_events(hass, EVENT_SMS_RECEIVED)
    others = [
        async_capture_events(hass, kind) for kind in (EVENT_USSD_REPLY, EVENT_DELIVERY_REPORT)
    ]
    stored_key = f"{DOMAIN}.{init_integration.entry_id}.inbox"
    stored: list[dict[str, Any]] = []

    def keep_stored(_item: SoakRequest, _status: int, _text: str) -> None:
        if (saved := hass_storage.get(stored_key)) and (not stored or stored[-1] is not saved):
            stored.append(saved)

    mix = DinstarMix(random.Random(20261205), messages, fired)  # noqa: S311 - a seed, not a secret
    with LoopStallMeter().watching() as meter:
        result = await soak(client, WEBHOOK_PATH, mix.requests(), answer=keep_stored)
        await hass.async_block_till_done(wait_background_tasks=True)

    meter.assert_no_stall(SOAK_REQUESTS)
    assert_no_errors(caplog)
    assert_loaded(init_integration)
    assert sorted(
        (event.data["message_id"], event.data["port"], event.data["sender"], event.data["text"])
        for event in fired
    ) == [
        (message.incoming_sms_id, message.port, message.number, message.text)
        for message in messages
    ]
    assert [len(events) for events in others] == [0, 0]
    # Every kind of request was posted; replays and altered copies were left to catch-ups.
    assert dinstar_simulator.sim.request_counts["/api/query_incoming_sms"] > 10
    assert set(result.statuses) >= {*KINDS, "bytes", "nested", "huge number", "oversize"}
    assert set(result.statuses["oversize"]) == {413}
    assert stored, "the memory was never written during the soak"
    for saved in stored:
        data = saved["data"]
        pending = [key for key in data["recent"] if int(key) > data["cursor"]]
        assert len(pending) <= PENDING_LIMIT
        assert len(data["recent"]) - len(pending) <= RECENT_LIMIT
        assert len(data.get("retired", [])) <= RECENT_LIMIT
    # Junk and storms are logged once per burst, not once each.
    most = bursts(result)
    assert 1 <= lines(caplog, "Refused a push that is not a Dinstar push") <= most
    assert 1 <= lines(caplog, "Refused a push from another gateway") <= most
    for state in DEVICE_STATES:
        assert 1 <= lines(caplog, f"The gateway reports its chassis {state}") <= most
    for fault in FAULTS:
        logged = f"The gateway reports {fault['type']} on port {fault['port']}"
        assert 1 <= lines(caplog, logged) <= most
