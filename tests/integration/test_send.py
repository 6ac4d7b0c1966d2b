"""Sending SMS through the simulated gateway: checks, batching, encodings, waiting, reports."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import DOMAIN, EVENT_DELIVERY_REPORT
from custom_components.sms_gateway.gateway.sender import _first_free_user_id
from simulators.dinstar.settings import DinstarSettings
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID, port_device_id
from tests.integration.setups import sim_control

NUMBER = "+40712345678"
SEND_PATH = "/api/send_sms"
RESULT_PATH = "/api/query_sms_result"


@pytest.fixture
def dinstar_settings() -> DinstarSettings:
    """Fast timings, and a queue that holds a 300-recipient send."""
    return DinstarSettings(
        send_delay=0.05,
        deliver_delay=0.05,
        ussd_delay=0.05,
        register_delay=0.05,
        queue_capacity=400,
    )


async def sim_state(sim: RunningDinstar) -> dict[str, Any]:
    """The simulator's state through its control API, as any client would read it."""
    async with aiohttp.ClientSession() as session, session.get(f"{sim.url}/_sim/state") as reply:
        assert reply.status == 200
        return await reply.json()  # type: ignore[no-any-return]


async def requests_to(sim: RunningDinstar, path: str) -> int:
    """How many requests reached the simulator on a path (refused and dropped ones too)."""
    state = await sim_state(sim)
    return int(state["requests"]["counts"].get(path, 0))


async def send_bodies(sim: RunningDinstar) -> list[dict[str, Any]]:
    state = await sim_state(sim)
    return [entry["body"] for entry in state["requests"]["log"] if entry["path"] == SEND_PATH]


async def send_sms(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any] | None:
    return await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )


async def until(condition: Callable[[], Awaitable[Any] | bool], limit: float = 5.0) -> None:
    """Wait for something the simulator does in the background (pushes, sending)."""
    async with asyncio.timeout(limit):
        while True:
            outcome = condition()
            if outcome if isinstance(outcome, bool) else await outcome:
                return
            await asyncio.sleep(0.02)


async def push_to_home_assistant(
    sim: RunningDinstar, hass_client_no_auth: ClientSessionGenerator
) -> aiohttp.ClientSession:
    """Point the simulator's pushes at this Home Assistant's webhook."""
    client = await hass_client_no_auth()
    await sim_control(sim, "push-url", {"url": str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))})
    return client  # type: ignore[return-value]


def reports(events: list[Event]) -> list[tuple[Any, str]]:
    return sorted((event.data["message_id"], event.data["status"]) for event in events)


# --- sending ----------------------------------------------------------------------------------


async def test_send_to_one(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    response = await send_sms(hass, init_integration, recipients=["+40 712-345-678"], message="Hi")

    assert response is not None
    [recipient] = response["recipients"]
    assert recipient["number"] == NUMBER
    assert recipient["status"] == "queued"
    assert recipient["segments"] == 1
    assert recipient["encoding"] == "gsm7"
    assert recipient["port"] is None
    [body] = await send_bodies(dinstar_simulator)
    assert body["param"] == [{"number": NUMBER, "user_id": recipient["user_id"]}]
    assert body["text"] == "Hi"
    assert body["request_status_report"] is True
    assert "port" not in body


async def test_send_to_300_takes_three_requests_with_unique_ids(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    numbers = [f"+4071{index:07d}" for index in range(300)]

    response = await send_sms(hass, init_integration, recipients=numbers, message="Hello all")

    assert response is not None
    assert await requests_to(dinstar_simulator, SEND_PATH) == 3
    sizes = [len(body["param"]) for body in await send_bodies(dinstar_simulator)]
    assert sizes == [128, 128, 44]
    user_ids = [item["user_id"] for item in response["recipients"]]
    assert len(set(user_ids)) == 300
    assert [item["number"] for item in response["recipients"]] == numbers


async def test_duplicates_are_sent_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    response = await send_sms(
        hass, init_integration, recipients=[NUMBER, "+40 712 345 678"], message="Once"
    )

    assert response is not None
    assert len(response["recipients"]) == 1
    [body] = await send_bodies(dinstar_simulator)
    assert len(body["param"]) == 1


@pytest.mark.parametrize(
    ("message", "encoding", "wire", "segments"),
    [
        ("Plain text", "auto", "gsm-7bit", 1),
        ("Привет, мир", "auto", "unicode", 1),
        ("Plain but forced", "unicode", "unicode", 1),
        ("a" * 161, "auto", "gsm-7bit", 2),
        ("ă" * 71, "auto", "unicode", 2),
    ],
    ids=["gsm7", "unicode", "forced-unicode", "gsm7-2-segments", "unicode-2-segments"],
)
async def test_encoding_reaches_the_gateway(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    message: str,
    encoding: str,
    wire: str,
    segments: int,
) -> None:
    response = await send_sms(
        hass, init_integration, recipients=[NUMBER], message=message, encoding=encoding
    )

    assert response is not None
    assert response["recipients"][0]["segments"] == segments
    [body] = await send_bodies(dinstar_simulator)
    assert body["encoding"] == wire

    async def recorded() -> bool:
        return bool((await sim_state(dinstar_simulator))["results"])

    await until(recorded)
    [record] = (await sim_state(dinstar_simulator))["results"]
    assert record["encoding"] == wire
    assert record["text"] == message
    assert record["count"] == segments


async def test_ports_and_no_delivery_report_reach_the_gateway(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await send_sms(
        hass,
        init_integration,
        recipients=[NUMBER],
        message="Via port 2",
        ports=[2, "3", 2],
        delivery_report=False,
    )

    [body] = await send_bodies(dinstar_simulator)
    assert body["port"] == [2, 3]
    assert body["request_status_report"] is False


async def test_default_ports_apply_when_the_action_names_none(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    hass.config_entries.async_update_entry(init_integration, options={"default_ports": [4, 1]})
    await hass.async_block_till_done()  # the options reload the entry

    await send_sms(hass, init_integration, recipients=[NUMBER], message="Via the defaults")
    await send_sms(hass, init_integration, recipients=[NUMBER], message="Named", ports=[2])

    first, second = await send_bodies(dinstar_simulator)
    assert first["port"] == [4, 1]
    assert second["port"] == [2]


# --- refused before any request -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"recipients": [NUMBER, "call me", "12"], "message": "Hi"}, "invalid_numbers"),
        ({"recipients": [], "message": "Hi"}, "no_recipients"),
        ({"recipients": [NUMBER], "message": "   "}, "invalid_message"),
        ({"recipients": [NUMBER], "message": "x" * 1501}, "invalid_message"),
        ({"recipients": [NUMBER], "message": "é" * 751}, "invalid_message"),
        ({"recipients": [NUMBER], "message": "Привет", "encoding": "gsm7"}, "invalid_message"),
        ({"recipients": [NUMBER], "message": "Hi", "ports": [9]}, "unknown_ports"),
        ({"recipients": [NUMBER], "message": "Hi", "sender": "ACME"}, "sender_not_supported"),
    ],
)
async def test_bad_input_is_refused_before_any_request(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, init_integration, **data)

    assert caught.value.translation_key == key
    assert await requests_to(dinstar_simulator, SEND_PATH) == 0


async def test_bad_numbers_are_all_listed_masked(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(
            hass,
            init_integration,
            recipients=[NUMBER, "07123abc456", "", "1"],
            message="Hi",
        )

    placeholders = caught.value.translation_placeholders
    assert placeholders == {"numbers": "#2 (071******56), #3, #4 (*)"}
    assert "07123abc456" not in str(placeholders)


# --- refused or lost by the gateway -----------------------------------------------------------


async def test_no_registered_port_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    for port in range(8):
        await sim_control(dinstar_simulator, f"ports/{port}", {"reg": "UNREGISTER"})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "no_port_available"
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1


async def test_dropped_connection_is_reported_and_not_retried(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "faults", {"drop_connection_paths": [SEND_PATH]})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "send_uncertain"
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1
    assert NUMBER not in str(caught.value.translation_placeholders)


async def test_send_stopped_part_way_says_what_was_queued(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    # Slow sending keeps the queue full: 150 waiting + 128 fit in 400, the next 128 do not.
    # The first send takes 2 requests (128 + 22), the second 2 (128 queued, 128 refused).
    dinstar_simulator.sim.settings.send_delay = 30
    await send_sms(
        hass, init_integration, recipients=[f"+4072{i:07d}" for i in range(150)], message="A"
    )

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(
            hass, init_integration, recipients=[f"+4073{i:07d}" for i in range(300)], message="B"
        )

    # The full queue answers 500, which may come after queueing: those 128 are uncertain.
    assert caught.value.translation_key == "send_partial"
    placeholders = caught.value.translation_placeholders
    assert placeholders is not None
    assert (placeholders["queued"], placeholders["uncertain"], placeholders["not_sent"]) == (
        "128",
        "128",
        "44",
    )
    assert await requests_to(dinstar_simulator, SEND_PATH) == 4


async def test_server_error_is_uncertain_even_when_nothing_was_queued(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    """A 500 before queueing looks the same as one after it: uncertain, never resent."""
    await sim_control(dinstar_simulator, "faults", {"fail_500_paths": [SEND_PATH]})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "send_uncertain"
    assert "500" in (caught.value.translation_placeholders or {})["error"]
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1


# --- waiting ------------------------------------------------------------------------------------


async def test_wait_resolves_from_the_push(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await send_sms(
        hass, init_integration, recipients=[NUMBER], message="Hi", wait=True, timeout=10
    )

    assert response is not None
    [recipient] = response["recipients"]
    assert recipient["status"] in ("sent", "delivered")
    assert recipient["port"] in range(8)
    # Answered by the push before the first poll was due.
    assert await requests_to(dinstar_simulator, RESULT_PATH) == 0
    await until(lambda: len(events) == 2)
    assert reports(events) == [
        (recipient["user_id"], "delivered"),
        (recipient["user_id"], "sent"),
    ]
    port = recipient["port"]
    for event in events:
        assert event.data["entry_id"] == init_integration.entry_id
        assert event.data["provider"] == "dinstar"
        assert event.data["recipient"] == NUMBER
        assert event.data["port"] == port
        assert event.data["device_id"] == port_device_id(hass, port)
    raw = {event.data["status"]: event.data["raw_status"] for event in events}
    assert raw == {"sent": "SENT_OK", "delivered": "0"}


async def test_wait_resolves_by_polling_without_push(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await send_sms(
        hass,
        init_integration,
        recipients=[NUMBER, "+40722000111"],
        message="Hi",
        wait=True,
        timeout=10,
    )

    assert response is not None
    assert {item["status"] for item in response["recipients"]} <= {"sent", "delivered"}
    assert await requests_to(dinstar_simulator, RESULT_PATH) >= 1
    user_ids = {item["user_id"] for item in response["recipients"]}
    assert {event.data["message_id"] for event in events} == user_ids


async def test_wait_reports_failure(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    dinstar_simulator.sim.settings.failure_rate = 1.0
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await send_sms(
        hass, init_integration, recipients=[NUMBER], message="Hi", wait=True, timeout=10
    )

    assert response is not None
    assert response["recipients"][0]["status"] == "failed"
    assert [(e.data["status"], e.data["raw_status"]) for e in events] == [("failed", "FAILED")]


async def test_wait_is_bounded(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    dinstar_simulator.sim.settings.send_delay = 30
    loop = asyncio.get_running_loop()
    started = loop.time()

    response = await send_sms(
        hass, init_integration, recipients=[NUMBER], message="Hi", wait=True, timeout=1
    )

    assert loop.time() - started < 3
    assert response is not None
    assert response["recipients"][0]["status"] in ("queued", "sending")


async def test_unload_releases_a_waiting_call(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    dinstar_simulator.sim.settings.send_delay = 30
    call = hass.async_create_task(
        send_sms(hass, init_integration, recipients=[NUMBER], message="Hi", wait=True, timeout=60)
    )
    await until(lambda: requests_to(dinstar_simulator, SEND_PATH), limit=5)

    await hass.config_entries.async_unload(init_integration.entry_id)
    response = await asyncio.wait_for(call, 5)

    assert response is not None
    assert response["recipients"][0]["status"] in ("queued", "sending")


async def test_without_response_the_call_still_sends(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": init_integration.entry_id, "recipients": [NUMBER], "message": "Hi"},
        blocking=True,
    )

    assert await requests_to(dinstar_simulator, SEND_PATH) == 1


# --- delivery reports pushed by the gateway -----------------------------------------------------


async def post_push(client: Any, payload: dict[str, Any]) -> None:
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"sn": SERIAL, **payload})
    assert response.status == 200


async def sent_and_settled(
    hass: HomeAssistant, entry: MockConfigEntry, sim: RunningDinstar, count: int, **data: Any
) -> list[int]:
    """Send (pushes off), then wait until the simulator has a final result for each."""
    ids: list[int] = []
    for _ in range(count):
        response = await send_sms(hass, entry, **data)
        assert response is not None
        ids += [item["user_id"] for item in response["recipients"]]

    async def settled() -> bool:
        results = (await sim_state(sim))["results"]
        return len(results) == len(ids) and all(r["status"] != "SENDING" for r in results)

    await until(settled)
    return ids


async def test_results_without_user_id_are_told_apart_by_the_gateway(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Two sends to one number: a push without user_id is placed by asking the gateway."""
    ids = await sent_and_settled(
        hass,
        init_integration,
        dinstar_simulator,
        2,
        recipients=[NUMBER],
        message="Twice",
        delivery_report=False,
    )
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    client = await hass_client_no_auth()
    records = (await sim_state(dinstar_simulator))["results"]
    pushed = [{key: r[key] for key in ("port", "number", "time", "ref_id")} for r in records]

    for wire in pushed:
        await post_push(client, {"sms_result": [{**wire, "status": "SENT_OK", "count": 1}]})
    await until(lambda: len(events) == 2)
    await hass.async_block_till_done()

    assert sorted(e.data["message_id"] for e in events) == sorted(ids)
    by_ref = {(e.data["port"], e.data["message_id"]) for e in events}
    assert by_ref == {(r["port"], r["user_id"]) for r in records}

    # Delivery reports carry no user_id: they are placed by number, port and ref_id.
    delivered = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    for wire in pushed:
        await post_push(client, {"sms_deliver_status": [{**wire, "status_code": 0}]})
    await hass.async_block_till_done()
    assert sorted(e.data["message_id"] for e in delivered) == sorted(ids)
    assert {e.data["status"] for e in delivered} == {"delivered"}


async def test_delivery_before_result_is_placed_by_asking_the_gateway(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    [user_id] = await sent_and_settled(
        hass, init_integration, dinstar_simulator, 1, recipients=[NUMBER], message="Hi"
    )

    async def delivered() -> bool:
        return bool((await sim_state(dinstar_simulator))["deliveries"])

    await until(delivered)
    [delivery] = (await sim_state(dinstar_simulator))["deliveries"]
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    client = await hass_client_no_auth()

    await post_push(client, {"sms_deliver_status": [delivery]})
    await until(lambda: any(e.data["status"] == "delivered" for e in events))
    await hass.async_block_till_done()

    # The gateway was asked which send it was; it already said DELIVERED, reported once.
    assert reports(events) == [(user_id, "delivered")]
    assert await requests_to(dinstar_simulator, RESULT_PATH) == 1


async def test_repeated_and_pending_reports_fire_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await sim_control(dinstar_simulator, "faults", {"push_duplicate": True})
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")
    assert response is not None
    user_id = response["recipients"][0]["user_id"]

    async def pushed_all() -> bool:
        pushes = (await sim_state(dinstar_simulator))["pushes"]
        return pushes["sent"] == 4 and pushes["pending"] == 0

    await until(pushed_all)
    await hass.async_block_till_done()
    assert reports(events) == [(user_id, "delivered"), (user_id, "sent")]

    # A report still in progress (TP-Status 1-31) is not an outcome: no event.
    client = await hass_client_no_auth()
    [delivery] = (await sim_state(dinstar_simulator))["deliveries"]
    await post_push(client, {"sms_deliver_status": [{**delivery, "status_code": 5}]})
    await hass.async_block_till_done()
    assert len(events) == 2


async def test_reports_for_sends_of_others_keep_their_ids(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Sends from the gateway's own pages, or before a restart, still produce events."""
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    client = await hass_client_no_auth()
    other = {"port": 1, "number": "+40799000111", "time": "2025-01-01 10:00:00", "ref_id": 7}

    await post_push(client, {"sms_result": [{**other, "status": "SENT_OK", "user_id": 42}]})
    await post_push(client, {"sms_result": [{**other, "status": "SENDING"}]})
    await post_push(client, {"sms_result": [{**other, "status": "PAUSED"}]})
    await post_push(client, {"sms_deliver_status": [{**other, "status_code": 65}]})
    await post_push(client, {"sms_deliver_status": [{**other, "status_code": 65}]})
    await hass.async_block_till_done()

    assert [(e.data["message_id"], e.data["status"], e.data["raw_status"]) for e in events] == [
        (42, "sent", "SENT_OK"),
        (42, "failed", "65"),
    ]
    assert events[0].data["device_id"] == port_device_id(hass, 1)


async def test_a_failed_poll_only_delays_the_answer(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await sim_control(dinstar_simulator, "faults", {"fail_500_paths": [RESULT_PATH]})
    [user_id] = await sent_and_settled(
        hass, init_integration, dinstar_simulator, 1, recipients=[NUMBER], message="Hi"
    )

    async def delivered() -> bool:
        return bool((await sim_state(dinstar_simulator))["deliveries"])

    await until(delivered)
    [delivery] = (await sim_state(dinstar_simulator))["deliveries"]
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    client = await hass_client_no_auth()

    await post_push(client, {"sms_deliver_status": [delivery]})
    await until(lambda: requests_to(dinstar_simulator, RESULT_PATH))
    await hass.async_block_till_done()

    # The gateway could not say which send it was: the report is kept, without our id.
    assert [(e.data["message_id"], e.data["status"]) for e in events] == [(None, "delivered")]
    assert user_id > 0


async def test_memory_of_sends_is_bounded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    numbers = ["+40722000001", "+40722000002", "+40722000003"]
    with patch("custom_components.sms_gateway.gateway.sender._KEEP_TRACKED", 2):
        response = await send_sms(hass, init_integration, recipients=numbers, message="Hi")
        assert response is not None
        events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
        client = await hass_client_no_auth()
        for ref_id, number in enumerate(numbers):
            wire = {"port": 0, "number": number, "ref_id": ref_id, "status": "SENT_OK"}
            await post_push(client, {"sms_result": [wire]})
        await hass.async_block_till_done()

    # The oldest send was forgotten: its result is reported without our id.
    ids = [item["user_id"] for item in response["recipients"]]
    assert [e.data["message_id"] for e in events] == [None, ids[1], ids[2]]


# --- user ids -----------------------------------------------------------------------------------


async def test_user_ids_stay_unique_across_restarts(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_storage: dict[str, Any],
) -> None:
    first = await send_sms(hass, init_integration, recipients=[NUMBER, "+40722000111"], message="A")
    assert first is not None
    key = f"{DOMAIN}.{init_integration.entry_id}.sends"
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["next_user_id"] == first["recipients"][1]["user_id"] + 1

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    second = await send_sms(hass, init_integration, recipients=[NUMBER], message="B")

    assert second is not None
    assert second["recipients"][0]["user_id"] > first["recipients"][1]["user_id"]


async def test_stored_mark_above_the_clock_is_honoured(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_storage: dict[str, Any],
) -> None:
    mark = _first_free_user_id() + 1_000_000
    hass_storage[f"{DOMAIN}.{dinstar_entry.entry_id}.sends"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{dinstar_entry.entry_id}.sends",
        "data": {"next_user_id": mark},
    }
    dinstar_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    response = await send_sms(hass, dinstar_entry, recipients=[NUMBER], message="Hi")

    assert response is not None
    assert response["recipients"][0]["user_id"] == mark
    await hass.config_entries.async_unload(dinstar_entry.entry_id)


async def test_removing_the_entry_forgets_the_mark(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    dinstar_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    await send_sms(hass, dinstar_entry, recipients=[NUMBER], message="Hi")
    key = f"{DOMAIN}.{dinstar_entry.entry_id}.sends"
    await hass.async_block_till_done()
    assert key in hass_storage

    await hass.config_entries.async_remove(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage
