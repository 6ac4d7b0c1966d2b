"""Callbacks from the cloud simulators: incoming SMS, batch failures, and sends that go wrong."""

import asyncio
from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED
from tests.conftest import RunningPlasgate, RunningSmsLink

from .cloud_setups import account_device, wait_until
from .conftest import PLASGATE_WEBHOOK_ID, WebClient, set_up
from .setups import send_sms


async def test_smslink_incoming_sms_fires_once_with_the_provider(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    sim = smslink_simulator.sim

    fields = {
        "sender": "0712345678",
        "receiver": "1847",
        "message": "Salut; ce faci?",
        "timestamp": "1764460800",
        "network_id": "2",
        "network_name": "Orange RO",
    }
    assert sim.callbacks.incoming(fields)
    await wait_until(lambda: len(sim.callbacks.history) >= 1)
    # SMSLink calls again when it believes the first call failed: one event all the same.
    assert sim.callbacks.incoming(fields)
    await wait_until(lambda: len(sim.callbacks.history) >= 2)

    assert [event.data for event in events] == [
        {
            "entry_id": smslink_account.entry_id,
            "provider": "smslink",
            "sender": "0712345678",
            "text": "Salut; ce faci?",
            "received_at": "2025-11-30T00:00:00+00:00",
            "receiver": "1847",
            "network": "Orange RO",
            "device_id": account_device(hass, smslink_account).id,
        }
    ]


async def test_smslink_undelivered_report_is_a_failure(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    smslink_simulator.sim.faults["dlr_undelivered_rate"] = 1.0

    result = await send_sms(hass, smslink_account, ["0712345678"], wait=True, timeout=5)

    assert result[0]["status"] == "failed"
    assert events[0].data["status"] == "failed"
    assert events[0].data["raw_status"] == "0"


async def test_plasgate_batch_failure_names_its_batch(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    plasgate_simulator.sim.delivery.outcomes_by_number["85512000002"] = "rejected"

    result = await send_sms(hass, plasgate_account, ["85512000001", "85512000002"])

    batch_id = result[0]["batch_id"]
    await wait_until(lambda: any(event.data.get("batch_id") for event in events))
    failure = next(event for event in events if event.data.get("batch_id"))
    assert failure.data["batch_id"] == batch_id
    assert failure.data["status"] == "failed"
    assert failure.data["recipient"] is None


async def test_plasgate_callback_for_another_batch_is_refused(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, web_client: WebClient
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await web_client.get(
        f"/api/webhook/{PLASGATE_WEBHOOK_ID}",
        params={"batchId": "not-ours", "status": "0", "statusText": 'Error "x"'},
    )

    assert response.status == 400
    assert await response.text() == ""
    assert not events


async def test_plasgate_without_an_external_url_sends_without_reports(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    await set_up(hass, plasgate_entry)

    await send_sms(hass, plasgate_entry, ["85512345678"])

    assert plasgate_simulator.sim.api.messages[-1].dlr is None


async def test_plasgate_no_report_asked_when_the_caller_does_not_want_one(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    await send_sms(hass, plasgate_account, ["85512345678"], delivery_report=False)

    assert plasgate_simulator.sim.api.messages[-1].dlr is None


async def test_a_send_that_may_have_gone_is_not_repeated(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["down"] = True

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, smslink_account, ["0712345678", "0712345679"])

    assert caught.value.translation_key == "send_uncertain"


def after_the_first_batch(sim: RunningPlasgate, breakage: Callable[[], None]) -> None:
    """Let one batch through, then change the simulated service (it breaks, or refuses)."""
    api = sim.sim.api
    batch_send = api.routes[("POST", "/rest/batch-send")]

    async def then_break(request: Any) -> Any:
        response = await batch_send(request)
        breakage()
        return response

    api.routes[("POST", "/rest/batch-send")] = then_break


async def part_way_counts(
    hass: HomeAssistant, entry: MockConfigEntry, recipients: int
) -> tuple[str, str, str]:
    numbers = [f"8551200{index:04d}" for index in range(recipients)]
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, entry, numbers)
    placeholders = caught.value.translation_placeholders or {}
    assert caught.value.translation_key == "send_partial"
    return placeholders["queued"], placeholders["uncertain"], placeholders["not_sent"]


async def test_a_batch_failing_part_way_says_what_went(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    after_the_first_batch(
        plasgate_simulator, lambda: plasgate_simulator.sim.switches.update(http_5xx_rate=1.0)
    )

    # A 500 may come after the service took the batch: uncertain, never repeated; the rest unsent.
    assert await part_way_counts(hass, plasgate_account, 250) == ("100", "100", "50")
    assert len(plasgate_simulator.sim.api.messages) == 100


async def test_a_refused_batch_after_an_accepted_one_is_not_sent(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    # The account's sender is withdrawn after one batch: the service answers 400 from then on.
    after_the_first_batch(plasgate_simulator, plasgate_simulator.sim.settings.senders.clear)

    assert await part_way_counts(hass, plasgate_account, 150) == ("100", "0", "50")


async def test_a_report_heard_twice_fires_once(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, web_client: WebClient
) -> None:
    [sent] = await send_sms(hass, plasgate_account, ["85512345678"], delivery_report=False)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    report = {"id": sent["message_id"], "message_status": "DELIVRD", "level": "2"}

    for _ in range(2):
        response = await web_client.post(f"/api/webhook/{PLASGATE_WEBHOOK_ID}", data=report)
        assert response.status == 200
        assert await response.text() == "ACK/Jasmin"
    pending = {"id": sent["message_id"], "message_status": "SOMETHING_NEW", "level": "2"}
    response = await web_client.get(f"/api/webhook/{PLASGATE_WEBHOOK_ID}", params=pending)
    assert response.status == 200

    assert [(event.data["message_id"], event.data["status"]) for event in events] == [
        (sent["message_id"], "delivered")
    ]
    assert events[0].data["recipient"] == sent["number"]


async def test_wait_ends_at_the_timeout_without_a_report(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["dlr_delay_s"] = 3600

    result = await send_sms(hass, smslink_account, ["0712345678"], wait=True, timeout=1)

    assert result[0]["status"] == "queued"


async def test_unloading_releases_a_waiting_call(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["dlr_delay_s"] = 3600
    waiting = hass.async_create_task(
        send_sms(hass, smslink_account, ["0712345678"], wait=True, timeout=60)
    )
    await wait_until(lambda: bool(smslink_simulator.sim.account.messages))
    await asyncio.sleep(0.05)

    await hass.config_entries.async_unload(smslink_account.entry_id)

    async with asyncio.timeout(5):
        result = await waiting
    assert result[0]["status"] == "queued"


async def test_a_refused_first_batch_is_a_clean_error(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, plasgate_account, ["85512000001", "85512000002"], sender="Unknown")

    assert caught.value.translation_key == "gateway_rejected"
    assert not plasgate_simulator.sim.api.messages
