"""Cloud delivery reports are read only for this entry's own sends, before a restart and after.

SMSLink and Plasgate name in each report the message (or batch) id a send was given; the entry
keeps those ids in its send store. A report naming any other id fires nothing and is answered as
taken, so that the service does not call again for it (Plasgate with Jasmin's `ACK/Jasmin`); the
refusal is logged once per burst, without the id. The simulators' own reports are held while the
entry reloads, then let through: they still name their recipient.
"""

from datetime import timedelta
import time
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.accounts import send_store as cloud_send_store
from custom_components.sms_gateway.accounts.send_store import KEEP_AGE, KEEP_SENDS
from custom_components.sms_gateway.const import DOMAIN, EVENT_DELIVERY_REPORT
from tests.conftest import RunningPlasgate, RunningSmsLink

from .cloud_setups import debug_reports, wait_until
from .conftest import (
    PLASGATE_DEFAULT_RECIPIENT,
    PLASGATE_WEBHOOK_ID,
    SMSLINK_DEFAULT_RECIPIENT,
    SMSLINK_WEBHOOK_ID,
    WebClient,
    set_up,
)
from .setups import send_sms

SMSLINK_PATH = f"/api/webhook/{SMSLINK_WEBHOOK_ID}"
PLASGATE_PATH = f"/api/webhook/{PLASGATE_WEBHOOK_ID}"
NEVER_SENT = "220098765"


def sends_key(entry: MockConfigEntry) -> str:
    """The entry's send store in .storage."""
    return f"{DOMAIN}.{entry.entry_id}.sends"


class HeldSmsLinkReports:
    """The simulator's delivery reports, kept back until let go."""

    def __init__(self, smslink: RunningSmsLink, monkeypatch: pytest.MonkeyPatch) -> None:
        """Hold every report the simulator makes from now on."""
        callbacks = smslink.sim.callbacks
        self._send = callbacks.delivery_report
        self.held: list[dict[str, str]] = []
        monkeypatch.setattr(callbacks, "delivery_report", self.held.append)

    async def made(self, count: int) -> None:
        """Wait until the simulator made count reports."""
        await wait_until(lambda: len(self.held) == count)

    def let_go(self, *message_ids: str) -> None:
        """Send the reports held (or those for message_ids), as the simulator would have."""
        for fields in self.held:
            if not message_ids or fields["message_id"] in message_ids:
                assert self._send(fields)


class HeldPlasgateCallbacks:
    """The simulator's callbacks (reports, batch callbacks), kept back until let go."""

    def __init__(self, plasgate: RunningPlasgate, monkeypatch: pytest.MonkeyPatch) -> None:
        """Hold every callback the simulator makes from now on."""
        callbacks = plasgate.sim.callbacks
        self._send = callbacks.send
        self.held: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

        async def hold(*args: Any, **kwargs: Any) -> bool:
            self.held.append((args, kwargs))
            return True

        monkeypatch.setattr(callbacks, "send", hold)

    async def made(self, count: int) -> None:
        """Wait until the simulator made count callbacks."""
        await wait_until(lambda: len(self.held) == count)

    async def let_go(self) -> None:
        """Make the calls held, in order, as the simulator would have."""
        for args, kwargs in self.held:
            await self._send(*args, **kwargs)


async def reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Restart the entry: everything it held in memory is gone."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


def refusal_lines(caplog: pytest.LogCaptureFixture, what: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"Refused {what}")]


def our_log(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("custom_comp"))


# --- a report for a message never sent ----------------------------------------------------------


async def test_smslink_a_report_for_a_message_never_sent_fires_nothing(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = debug_reports(hass, caplog)

    for index in range(20):
        fields = {"message_id": f"{NEVER_SENT}{index}", "status": "1", "timestamp": "1740878151"}
        response = await web_client.get(SMSLINK_PATH, params=fields)
        assert (response.status, await response.text()) == (200, "")
    response = await web_client.post(
        SMSLINK_PATH, data={"message_id": NEVER_SENT, "status": "0", "timestamp": "1"}
    )
    assert (response.status, await response.text()) == (200, "")
    await hass.async_block_till_done()

    assert events == []
    assert refusal_lines(caplog, "an SMSLink report") == [
        "Refused an SMSLink report: it names a message this account did not send"
        " (answered as taken, no event)"
    ]
    assert NEVER_SENT not in our_log(caplog)


async def test_plasgate_a_report_for_a_message_never_sent_is_acknowledged_and_fires_nothing(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = debug_reports(hass, caplog)
    never_sent = "0c9e6f2a-4b1d-4c3e-9f00-7d2b8e5a1c44"

    for level, status in (("1", "ESME_ROK"), ("2", "DELIVRD"), ("2", "UNDELIV")) * 5:
        fields = {"id": never_sent, "message_status": status, "level": level}
        response = await web_client.get(PLASGATE_PATH, params=fields)
        assert (response.status, await response.text()) == (200, "ACK/Jasmin")
    await hass.async_block_till_done()

    assert events == []
    assert len(refusal_lines(caplog, "a Plasgate report")) == 1
    assert never_sent not in our_log(caplog)


async def test_plasgate_a_report_for_a_message_never_sent_is_not_retried(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    """The simulator, asking Jasmin's acknowledgement, is content at the first attempt."""
    sim = plasgate_simulator.sim
    sim.switches["require_jasmin_ack"] = True
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    fields = {"id": "not-ours", "message_status": "DELIVRD", "level": "2"}

    url = str(web_client.make_url(PLASGATE_PATH))
    assert await sim.callbacks.send("dlr", url, "GET", fields, retries=True)

    [call] = sim.callbacks.history
    assert (call["attempt"], call["status"], call["body"]) == (1, 200, "ACK/Jasmin")
    assert events == []


# --- reports after a restart --------------------------------------------------------------------


async def test_smslink_reports_after_a_restart_name_their_recipient(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = HeldSmsLinkReports(smslink_simulator, monkeypatch)
    [single] = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT])
    bulk = await send_sms(hass, smslink_account, ["0712000001", "0712000002"])
    await reports.made(3)

    await reload(hass, smslink_account)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    reports.let_go()
    await wait_until(lambda: len(events) == 3)

    assert sorted(
        (e.data["message_id"], e.data["recipient"], e.data["status"]) for e in events
    ) == (sorted((sms["message_id"], sms["number"], "delivered") for sms in [single, *bulk]))
    # Heard again after the restart, a report already announced stays silent.
    reports.let_go()
    await wait_until(lambda: len(smslink_simulator.sim.callbacks.history) == 6)
    await hass.async_block_till_done()
    assert len(events) == 3


async def test_plasgate_reports_after_a_restart_name_their_recipient(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    callbacks = HeldPlasgateCallbacks(plasgate_simulator, monkeypatch)
    [single] = await send_sms(hass, plasgate_account, [PLASGATE_DEFAULT_RECIPIENT])
    await callbacks.made(2)  # level 3: the SMSC's report, then the handset's

    await reload(hass, plasgate_account)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    await callbacks.let_go()
    await wait_until(lambda: len(events) == 2)

    assert [(e.data["message_id"], e.data["recipient"], e.data["status"]) for e in events] == [
        (single["message_id"], single["number"], "sent"),
        (single["message_id"], single["number"], "delivered"),
    ]


async def test_plasgate_batch_callbacks_after_a_restart_are_read(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch's success callbacks name its messages, its failure callbacks the batch."""
    sim = plasgate_simulator.sim
    sim.delivery.outcomes_by_number["85512000002"] = "rejected"
    callbacks = HeldPlasgateCallbacks(plasgate_simulator, monkeypatch)
    sent = await send_sms(hass, plasgate_account, ["85512000001", "85512000002"])
    # A success callback and two reports for one, a failure callback and two reports for the other.
    await callbacks.made(6)

    await reload(hass, plasgate_account)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    await callbacks.let_go()
    await wait_until(lambda: len(events) == 3)

    delivered = next(message for message in sim.api.messages if message.to == "85512000001")
    assert {(e.data["message_id"], e.data.get("batch_id"), e.data["status"]) for e in events} == {
        (None, sent[0]["batch_id"], "failed"),
        (delivered.id, None, "sent"),
        (delivered.id, None, "delivered"),
    }
    # The callbacks name no number: a batch message's report cannot say whose it was.
    assert {event.data["recipient"] for event in events} == {None}


async def test_the_first_batch_is_known_before_the_last_is_sent(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    """The service calls back for a batch as soon as it took it, while the next goes out."""
    sim = plasgate_simulator.sim
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    await send_sms(hass, plasgate_account, [f"8551200{index:04d}" for index in range(150)])
    await wait_until(lambda: len(events) == 300, seconds=30)  # each: sent, then delivered

    batch_calls = [call for call in sim.callbacks.history if call["kind"] == "batch"]
    assert [call["status"] for call in batch_calls] == [200] * 150
    assert {event.data["message_id"] for event in events} == {m.id for m in sim.api.messages}


async def test_a_batch_names_no_more_messages_than_it_holds(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    sim = plasgate_simulator.sim
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    sent = await send_sms(hass, plasgate_account, ["85512000001", "85512000002"])
    await wait_until(lambda: len(events) == 4)  # each message: sent, then delivered

    # A third success callback for the batch of two, naming a message of its own making.
    batch = {"batchId": sent[0]["batch_id"], "status": "1", "statusText": 'Success "third"'}
    response = await web_client.get(PLASGATE_PATH, params=batch)
    assert response.status == 200
    report = {"id": "third", "message_status": "DELIVRD", "level": "2"}
    response = await web_client.get(PLASGATE_PATH, params=report)
    await hass.async_block_till_done()

    assert (response.status, await response.text()) == (200, "ACK/Jasmin")
    assert {event.data["message_id"] for event in events} == {m.id for m in sim.api.messages}


# --- bounds, and the store itself ---------------------------------------------------------------


async def test_a_send_older_than_the_memory_is_forgotten(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Thirty days cannot pass in a test: the memory's clock is moved on instead.
    later = [0.0]
    monkeypatch.setattr(cloud_send_store, "_now", lambda: time.time() + later[0])
    reports = HeldSmsLinkReports(smslink_simulator, monkeypatch)
    [old] = await send_sms(hass, smslink_account, ["0712000001"])
    await reports.made(1)
    later[0] = (KEEP_AGE - timedelta(minutes=1)).total_seconds()
    [recent] = await send_sms(hass, smslink_account, ["0712000002"])
    await reports.made(2)
    later[0] += timedelta(minutes=2).total_seconds()

    await reload(hass, smslink_account)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    reports.let_go()
    await wait_until(lambda: len(smslink_simulator.sim.callbacks.history) == 2)
    await hass.async_block_till_done()

    assert [event.data["message_id"] for event in events] == [recent["message_id"]]
    assert old["message_id"] != recent["message_id"]


async def test_only_the_newest_sends_are_kept(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smslink_simulator.sim.account.national_credit = 2 * KEEP_SENDS
    reports = HeldSmsLinkReports(smslink_simulator, monkeypatch)
    [first] = await send_sms(hass, smslink_account, ["0712000001"])
    await reports.made(1)
    numbers = [f"0722{index:06d}" for index in range(KEEP_SENDS)]
    sent = await send_sms(hass, smslink_account, numbers)
    await reports.made(1 + KEEP_SENDS)

    await reload(hass, smslink_account)
    assert len(hass_storage[sends_key(smslink_account)]["data"]["messages"]) == KEEP_SENDS
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    history = smslink_simulator.sim.callbacks.history
    reports.let_go(first["message_id"])  # forgotten, answered all the same
    await wait_until(lambda: bool(history))
    assert (history[0]["fields"]["message_id"], history[0]["status"]) == (first["message_id"], 200)
    await hass.async_block_till_done()
    assert events == []
    reports.let_go(sent[0]["message_id"], sent[-1]["message_id"])  # the oldest kept, the newest
    await wait_until(lambda: len(events) == 2)

    assert {event.data["message_id"] for event in events} == {
        sent[0]["message_id"],
        sent[-1]["message_id"],
    }


async def test_a_damaged_store_keeps_what_it_can_read(
    hass: HomeAssistant,
    smslink_entry: MockConfigEntry,
    web_client: WebClient,
    hass_storage: dict[str, Any],
) -> None:
    now = dt_util.utcnow().timestamp()
    hass_storage[sends_key(smslink_entry)] = {
        "version": 1,
        "key": sends_key(smslink_entry),
        "data": {
            "messages": {
                "1": {"at": "yesterday"},
                "2": ["not", "a", "record"],
                "3": {"at": now, "number": 712, "status": "odd", "announced": ["sent", 3, []]},
                "4": {"at": now, "number": "0712000004", "status": "sent", "announced": "all"},
            },
            "batches": {"a": {"at": now, "unnamed": True}, "b": "x", "c": {"at": True}},
        },
    }
    entry = await set_up(hass, smslink_entry)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    for message_id in ("1", "2", "3", "4"):
        fields = {"message_id": message_id, "status": "1", "timestamp": "1740878151"}
        response = await web_client.get(SMSLINK_PATH, params=fields)
        assert response.status == 200
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert [(e.data["message_id"], e.data["recipient"]) for e in events] == [
        ("3", None),
        ("4", "0712000004"),
    ]


async def test_a_store_that_is_no_record_is_ignored(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    hass_storage[sends_key(plasgate_entry)] = {
        "version": 1,
        "key": sends_key(plasgate_entry),
        "data": ["not", "a", "store"],
    }

    entry = await set_up(hass, plasgate_entry)

    assert entry.state is ConfigEntryState.LOADED
    assert not entry.runtime_data.sends.knows_batch("not")


async def test_removing_the_entry_removes_its_sends(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    hass_storage: dict[str, Any],
) -> None:
    [sent] = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT])
    await hass.config_entries.async_unload(smslink_account.entry_id)
    assert sent["message_id"] in hass_storage[sends_key(smslink_account)]["data"]["messages"]

    await hass.config_entries.async_remove(smslink_account.entry_id)
    await hass.async_block_till_done()

    assert sends_key(smslink_account) not in hass_storage
