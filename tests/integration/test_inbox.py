"""Incoming SMS: exactly once whether pushed, polled, both, repeated, or missed while stopped."""

from datetime import datetime, timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import DOMAIN, EVENT_SMS_RECEIVED, SLOW_POLL_INTERVAL
from custom_components.sms_gateway.gateway.inbox import push_issue_id
from custom_components.sms_gateway.gateway.inbox_store import (
    PENDING_LIMIT,
    RECENT_LIMIT,
    InboxMemory,
    PushVerdict,
    fingerprint,
)
from custom_components.sms_gateway.providers.dinstar import IncomingSms
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID, wait_until
from tests.integration.setups import sim_control_via as sim_control

SENDER = "+40712345678"


pytestmark = pytest.mark.usefixtures("event_platform_only")


@pytest.fixture(autouse=True)
def frozen_before_set_up(freezer: FrozenDateTimeFactory) -> None:
    """Freeze the clock before Home Assistant starts, so that it only moves when a test says."""


async def receive(hass: HomeAssistant, sim: RunningDinstar, text: str, port: int = 0) -> int:
    """An SMS reaches the gateway; returns its incoming_sms_id."""
    answer = await sim_control(
        hass, sim, "incoming", {"port": port, "sender": SENDER, "text": text}
    )
    return int(answer["incoming_sms_id"])


async def slow_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(SLOW_POLL_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def texts(events: list[Event]) -> list[str]:
    return [event.data["text"] for event in events]


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    if entry.entry_id not in {e.entry_id for e in hass.config_entries.async_entries(DOMAIN)}:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def stop(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def pushing_to_home_assistant(
    hass: HomeAssistant, sim: RunningDinstar, hass_client_no_auth: ClientSessionGenerator
) -> Any:
    """Point the simulator's pushes at the entry's webhook; return a client for crafted pushes."""
    client = await hass_client_no_auth()
    url = str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    await sim_control(hass, sim, "push-url", {"url": url})
    return client


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    data: dict[str, Any] = hass_storage[f"{DOMAIN}.{entry.entry_id}.inbox"]["data"]
    return data


async def test_first_start_leaves_earlier_sms_unannounced(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await receive(hass, dinstar_simulator, "old one")
    last = await receive(hass, dinstar_simulator, "old two")

    await set_up(hass, dinstar_entry)
    await stop(hass, dinstar_entry)

    assert not events
    assert stored(hass_storage, dinstar_entry)["cursor"] == last
    assert stored(hass_storage, dinstar_entry)["serial"] == SERIAL


async def test_sms_received_while_stopped_fire_once_after_start(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await set_up(hass, dinstar_entry)
    await stop(hass, dinstar_entry)
    ids = [await receive(hass, dinstar_simulator, f"while away {n}", port=n) for n in range(3)]

    await set_up(hass, dinstar_entry)
    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)

    assert texts(events) == ["while away 0", "while away 1", "while away 2"]
    assert [event.data["message_id"] for event in events] == ids
    assert [event.data["port"] for event in events] == [0, 1, 2]
    # The inbox is read without marking anything read on the gateway (flag=all).
    assert not any(message.read for message in dinstar_simulator.sim.state.inbox)
    flags = {line["query"].get("flag") for line in _inbox_requests(dinstar_simulator)}
    assert flags == {"all"}
    await stop(hass, dinstar_entry)


def _inbox_requests(sim: RunningDinstar) -> list[dict[str, Any]]:
    return [line for line in sim.sim.gate.log if line["path"] == "/api/query_incoming_sms"]


async def test_polling_alone_delivers_every_sms(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)

    await receive(hass, dinstar_simulator, "first", port=1)
    await slow_poll(hass, freezer)
    assert texts(events) == ["first"]

    await receive(hass, dinstar_simulator, "second", port=2)
    await receive(hass, dinstar_simulator, "third", port=3)
    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)

    assert texts(events) == ["first", "second", "third"]


async def test_push_and_poll_of_one_sms_fire_once(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)

    await receive(hass, dinstar_simulator, "pushed and polled")
    await wait_until(lambda: len(events) == 1)
    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)

    assert texts(events) == ["pushed and polled"]


async def test_restart_does_not_fire_old_sms_again(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await set_up(hass, dinstar_entry)
    message_id = await receive(hass, dinstar_simulator, "only once")
    await slow_poll(hass, freezer)
    await stop(hass, dinstar_entry)

    memory = stored(hass_storage, dinstar_entry)
    assert memory["cursor"] == message_id
    assert str(message_id) in memory["recent"]

    await set_up(hass, dinstar_entry)
    await slow_poll(hass, freezer)
    await stop(hass, dinstar_entry)

    assert texts(events) == ["only once"]


async def test_removing_the_entry_forgets_its_memory(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await set_up(hass, dinstar_entry)
    await stop(hass, dinstar_entry)
    assert f"{DOMAIN}.{dinstar_entry.entry_id}.inbox" in hass_storage

    await hass.config_entries.async_remove(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    assert f"{DOMAIN}.{dinstar_entry.entry_id}.inbox" not in hass_storage


async def test_a_lost_push_is_announced_by_the_next_catch_up(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A's push is lost, B's arrives: B does not hide A from the catch-up."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)
    await sim_control(hass, dinstar_simulator, "faults", {"push_sms": False})
    await receive(hass, dinstar_simulator, "A, push lost")
    await sim_control(hass, dinstar_simulator, "faults", {"push_sms": True})
    await receive(hass, dinstar_simulator, "B, pushed")
    await wait_until(lambda: len(events) == 1)

    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)

    assert texts(events) == ["B, pushed", "A, push lost"]


async def test_replayed_and_odd_pushes_announce_nothing_again(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An old push replayed, or a known id pushed with another port or time, is not news."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    client = await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)
    for n in range(4):
        await receive(hass, dinstar_simulator, f"sms {n}")
    await wait_until(lambda: len(events) == 4)
    await slow_poll(hass, freezer)
    first = dinstar_simulator.sim.state.inbox[0]

    for port, moment in ((first.port, "2020-01-01 00:00:00"), (5, None)):
        oddity = {
            "incoming_sms_id": first.incoming_sms_id,
            "port": port,
            "number": SENDER,
            "text": "sms 0",
            "timestamp": moment or first.timestamp,
        }
        response = await client.post(
            f"/api/webhook/{WEBHOOK_ID}", json={"sn": SERIAL, "sms": [oddity]}
        )
        assert response.status == 200
    await hass.async_block_till_done(wait_background_tasks=True)
    await slow_poll(hass, freezer)
    await receive(hass, dinstar_simulator, "after the oddities")
    await wait_until(lambda: len(events) == 5)
    await slow_poll(hass, freezer)

    assert texts(events) == ["sms 0", "sms 1", "sms 2", "sms 3", "after the oddities"]


async def test_factory_reset_seen_by_a_push(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The gateway numbers from 1 again: a reused id with another message is news."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)
    await receive(hass, dinstar_simulator, "before reset 1")
    await receive(hass, dinstar_simulator, "before reset 2")
    await wait_until(lambda: len(events) == 2)

    freezer.tick(timedelta(minutes=1))
    await sim_control(hass, dinstar_simulator, "incoming-id-reset", {})
    assert await receive(hass, dinstar_simulator, "after reset") == 1
    await wait_until(lambda: len(events) == 3)
    await slow_poll(hass, freezer)

    assert texts(events) == ["before reset 1", "before reset 2", "after reset"]


async def test_factory_reset_seen_by_polling(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    for n in range(3):
        await receive(hass, dinstar_simulator, f"before reset {n}")
    await slow_poll(hass, freezer)

    await sim_control(hass, dinstar_simulator, "incoming-id-reset", {})
    await receive(hass, dinstar_simulator, "after reset 0")
    await receive(hass, dinstar_simulator, "after reset 1")
    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)

    assert texts(events) == [
        "before reset 0",
        "before reset 1",
        "before reset 2",
        "after reset 0",
        "after reset 1",
    ]


async def test_messages_deleted_on_the_gateway_are_not_news(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    for n in range(3):
        await receive(hass, dinstar_simulator, f"kept {n}")
    await slow_poll(hass, freezer)

    del dinstar_simulator.sim.state.inbox[-1]  # the user deletes the newest on the gateway
    await slow_poll(hass, freezer)
    await receive(hass, dinstar_simulator, "new")
    await slow_poll(hass, freezer)

    assert texts(events) == ["kept 0", "kept 1", "kept 2", "new"]


async def test_an_emptied_inbox_keeps_working(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await receive(hass, dinstar_simulator, "one")
    await slow_poll(hass, freezer)

    dinstar_simulator.sim.state.inbox.clear()
    await slow_poll(hass, freezer)
    await receive(hass, dinstar_simulator, "two")
    await slow_poll(hass, freezer)

    assert texts(events) == ["one", "two"]


async def test_unreachable_inbox_is_logged_once_and_caught_up(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await sim_control(
        hass, dinstar_simulator, "faults", {"fail_500_paths": ["/api/query_incoming_sms"]}
    )
    await receive(hass, dinstar_simulator, "delayed")
    await slow_poll(hass, freezer)
    await slow_poll(hass, freezer)
    assert not events
    assert caplog.text.count("Could not read the gateway's inbox") == 1

    await sim_control(hass, dinstar_simulator, "faults", {"fail_500_paths": []})
    await slow_poll(hass, freezer)

    assert texts(events) == ["delayed"]
    assert caplog.text.count("Reading the gateway's inbox works again") == 1


async def test_repair_when_sms_arrive_only_by_polling(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await set_up(hass, dinstar_entry)
    await stop(hass, dinstar_entry)
    await receive(hass, dinstar_simulator, "missed while stopped")
    await set_up(hass, dinstar_entry)
    issue_id = push_issue_id(dinstar_entry.entry_id)
    # Messages found at start-up were missed while stopped: no sign that pushes are off.
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    await receive(hass, dinstar_simulator, "polled")
    await slow_poll(hass, freezer)

    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "push_not_configured"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable  # its fix flow shows the address (test_repairs.py)

    await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)
    await sim_control(hass, dinstar_simulator, "push/register", {"port": 0, "status": "up"})
    await wait_until(lambda: issue_registry.async_get_issue(DOMAIN, issue_id) is None)
    await stop(hass, dinstar_entry)


async def test_no_repair_once_a_push_came(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await pushing_to_home_assistant(hass, dinstar_simulator, hass_client_no_auth)
    await receive(hass, dinstar_simulator, "pushed")
    await wait_until(lambda: len(events) == 1)
    await sim_control(hass, dinstar_simulator, "faults", {"push_sms": False})
    await receive(hass, dinstar_simulator, "push lost")
    await slow_poll(hass, freezer)

    assert texts(events) == ["pushed", "push lost"]
    assert issue_registry.async_get_issue(DOMAIN, push_issue_id(init_integration.entry_id)) is None


async def test_issue_is_cleared_on_unload(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await receive(hass, dinstar_simulator, "polled")
    await slow_poll(hass, freezer)
    issue_id = push_issue_id(init_integration.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    await stop(hass, init_integration)

    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


# --- the memory on its own: the cases a simulator run cannot reach cheaply -------------------


def sms(message_id: int, port: int = 0, minute: int = 0) -> IncomingSms:
    return IncomingSms(
        incoming_sms_id=message_id,
        port=port,
        sender=SENDER,
        smsc=None,
        timestamp=datetime(2025, 5, 1, 10, minute),  # noqa: DTZ001 - the gateway's clock is zoneless
        text=f"message {message_id}",
    )


def test_memory_keeps_the_newest_handled_ids_and_everything_above_the_cursor() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.take_new([sms(message_id) for message_id in range(1, RECENT_LIMIT + 11)])
    for message_id in range(RECENT_LIMIT + 11, RECENT_LIMIT + 21):
        assert memory.on_push(sms(message_id)) is PushVerdict.NEW

    assert memory.cursor == RECENT_LIMIT + 10
    assert min(memory.recent) == 11
    assert len(memory.recent) == RECENT_LIMIT + 10
    assert memory.pending == 10


def test_memory_a_push_never_moves_the_cursor() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=9)

    assert memory.on_push(sms(12)) is PushVerdict.NEW
    assert memory.on_push(sms(12)) is PushVerdict.SEEN
    assert memory.cursor == 9


def test_memory_a_lost_push_is_news_for_the_catch_up() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=9, recent={9: fingerprint(sms(9))})
    memory.on_push(sms(11))  # the push of 10 was lost

    read = [sms(9), sms(10), sms(11)]
    assert memory.agrees_with(read)
    assert memory.take_new(read) == [sms(10)]
    assert memory.cursor == 11


@pytest.mark.parametrize("replayed", [sms(3), sms(9, port=1)])
def test_memory_an_unplaceable_push_asks_for_a_check(replayed: IncomingSms) -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.take_new([sms(message_id) for message_id in range(1, 2 * RECENT_LIMIT)])

    assert memory.on_push(replayed) is PushVerdict.CHECK
    assert memory.recent.get(9) in (None, fingerprint(sms(9)))


def test_memory_a_flood_of_pushes_waits_for_the_catch_up() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    for message_id in range(1, PENDING_LIMIT + 1):
        memory.on_push(sms(message_id))

    assert memory.on_push(sms(PENDING_LIMIT + 1)) is PushVerdict.CHECK
    assert memory.pending == PENDING_LIMIT


def test_memory_ids_used_again_disagree_with_the_memory() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.on_push(sms(1))
    memory.on_push(sms(2))

    after_reset = [sms(1, minute=30)]
    assert not memory.agrees_with(after_reset)
    assert memory.reconcile(after_reset) == after_reset
    assert memory.cursor == 1


def test_memory_reconcile_keeps_old_messages_silent_when_some_are_known() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.take_new([sms(message_id) for message_id in range(1000, 1000 + RECENT_LIMIT + 1)])
    older = sms(5)  # below the memory: it was announced long ago
    known = sms(1100)
    late = sms(1600)

    assert memory.reconcile([late, older, known]) == [late]
    assert memory.cursor == 1600


def test_memory_an_emptied_inbox_starts_over_quietly(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    memory = InboxMemory(serial=SERIAL, cursor=7, recent={7: fingerprint(sms(7))})

    assert memory.reconcile([]) == []
    assert memory.cursor == 0
    assert memory.recent == {}
    assert "numbering started again" not in caplog.text


def test_memory_a_push_replayed_after_the_ids_restarted_is_not_news() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.on_push(sms(1))
    memory.reconcile([])  # a factory reset emptied the inbox: the memory starts over

    assert memory.on_push(sms(1)) is PushVerdict.SEEN
    assert memory.on_push(sms(1, minute=30)) is PushVerdict.NEW
    assert InboxMemory.from_stored(SERIAL, memory.as_stored()) == memory


def test_memory_restart_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    memory = InboxMemory(serial=SERIAL, cursor=7, recent={7: fingerprint(sms(7))})

    assert memory.reconcile([sms(2)]) == [sms(2)]
    assert memory.cursor == 2
    assert "numbering started again" in caplog.text


@pytest.mark.parametrize(
    "stored_data",
    [
        None,
        [],
        {"serial": "another-gateway", "cursor": 9, "recent": {}},
        {"serial": SERIAL, "cursor": "9", "recent": {}},
        {"serial": SERIAL, "cursor": True, "recent": {}},
        {"serial": SERIAL, "cursor": 9, "recent": []},
        {"serial": SERIAL, "cursor": 9, "recent": {"nine": "0|"}},
    ],
)
def test_memory_from_something_else_starts_afresh(stored_data: Any) -> None:
    memory = InboxMemory.from_stored(SERIAL, stored_data)

    assert memory == InboxMemory(serial=SERIAL)
    assert not memory.started


def test_memory_round_trips() -> None:
    memory = InboxMemory(serial=SERIAL, cursor=0)
    memory.on_push(sms(4, port=2))

    assert InboxMemory.from_stored(SERIAL, memory.as_stored()) == memory


async def test_a_catch_up_reads_a_bounded_number_of_pages(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await receive(hass, dinstar_simulator, "bounded")
    dinstar_simulator.sim.gate.log.clear()

    with patch("custom_components.sms_gateway.gateway.inbox.MAX_PAGES", 1):
        await slow_poll(hass, freezer)

    assert texts(events) == ["bounded"]
    assert len(_inbox_requests(dinstar_simulator)) == 1


async def test_no_repair_without_a_webhook(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    data = {key: value for key, value in dinstar_entry.data.items() if key != CONF_WEBHOOK_ID}
    entry = MockConfigEntry(domain=DOMAIN, title="No hook", unique_id=SERIAL, data=data)
    await set_up(hass, entry)

    await receive(hass, dinstar_simulator, "polled")
    await slow_poll(hass, freezer)

    assert texts(events) == ["polled"]
    assert issue_registry.async_get_issue(DOMAIN, push_issue_id(entry.entry_id)) is None
    await stop(hass, entry)


async def test_first_start_with_an_unreadable_inbox_adopts_it_later(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await receive(hass, dinstar_simulator, "already there")
    await sim_control(
        hass, dinstar_simulator, "faults", {"fail_500_paths": ["/api/query_incoming_sms"]}
    )
    await set_up(hass, dinstar_entry)
    await stop(hass, dinstar_entry)
    assert f"{DOMAIN}.{dinstar_entry.entry_id}.inbox" not in hass_storage

    await sim_control(hass, dinstar_simulator, "faults", {"fail_500_paths": []})
    await set_up(hass, dinstar_entry)
    await receive(hass, dinstar_simulator, "new")
    await slow_poll(hass, freezer)
    await stop(hass, dinstar_entry)

    assert texts(events) == ["new"]


async def test_an_idle_catch_up_costs_one_request(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await receive(hass, dinstar_simulator, "known")
    await slow_poll(hass, freezer)
    dinstar_simulator.sim.gate.log.clear()

    await slow_poll(hass, freezer)
    assert len(_inbox_requests(dinstar_simulator)) == 1

    await receive(hass, dinstar_simulator, "news")
    await slow_poll(hass, freezer)
    # The page with news is followed by one that confirms there is no more.
    assert len(_inbox_requests(dinstar_simulator)) == 3
