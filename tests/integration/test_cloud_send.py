"""Sending through SMSLink and Plasgate accounts, and their delivery reports coming back."""

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    CONF_TEST_MODE,
    EVENT_DELIVERY_REPORT,
)
from tests.conftest import RunningPlasgate, RunningSmsLink

from .cloud_setups import account_device, wait_until
from .conftest import (
    PLASGATE_DEFAULT_RECIPIENT,
    SMSLINK_DEFAULT_RECIPIENT,
    set_up,
)
from .setups import send_sms

# --- SMSLink -------------------------------------------------------------------------------------


async def test_smslink_one_recipient_then_its_delivery_report(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    result = await send_sms(hass, smslink_account, ["0712 345 678"])

    message_id = result[0]["message_id"]
    assert result == [
        {
            "number": "0712345678",
            "message_id": message_id,
            "batch_id": None,
            "status": "queued",
            "error": None,
            "segments": 1,
        }
    ]
    assert smslink_simulator.sim.request_counts["/sms/gateway/communicate/index.php"] >= 1
    await wait_until(lambda: bool(events))
    assert events[0].data == {
        "entry_id": smslink_account.entry_id,
        "provider": "smslink",
        "message_id": message_id,
        "recipient": "0712345678",
        "status": "delivered",
        "raw_status": "1",
        "device_id": account_device(hass, smslink_account).id,
    }


async def test_smslink_many_recipients_go_in_one_package(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    numbers = [f"+4072000{index:04d}" for index in range(250)]

    result = await send_sms(hass, smslink_account, numbers)

    assert len(result) == 250
    assert {sms["status"] for sms in result} == {"queued"}
    assert len({sms["message_id"] for sms in result}) == 250
    assert smslink_simulator.sim.request_counts["/sms/gateway/communicate/bulk-v3.php"] == 1


async def test_smslink_wait_returns_the_delivery(
    hass: HomeAssistant, smslink_account: MockConfigEntry
) -> None:
    result = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT], wait=True)

    assert result[0]["status"] == "delivered"


async def test_smslink_refused_recipients_fail_the_send_and_say_how_many(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.account.blacklist = {"0720000002"}

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, smslink_account, ["0720000001", "0720000002", "0720000003"])

    assert caught.value.translation_key == "send_partial"
    assert caught.value.translation_placeholders == {
        "queued": "2",
        "uncertain": "0",
        "not_sent": "1",
        "error": "blacklisted or internal error",
    }


async def test_smslink_test_mode_sends_nothing_billable(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        smslink_entry, options={**smslink_entry.options, CONF_TEST_MODE: True}
    )
    await set_up(hass, smslink_entry)
    credit = smslink_simulator.sim.account.national_credit

    result = await send_sms(hass, smslink_entry, [SMSLINK_DEFAULT_RECIPIENT])

    assert result[0]["message_id"] is None
    assert smslink_simulator.sim.account.national_credit == credit


# --- Plasgate ------------------------------------------------------------------------------------


async def test_plasgate_one_recipient_asks_for_a_report_at_the_webhook(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    result = await send_sms(hass, plasgate_account, [PLASGATE_DEFAULT_RECIPIENT])

    message = plasgate_simulator.sim.api.messages[-1]
    assert message.to == "85512345678"
    assert message.dlr is not None
    assert result[0]["message_id"] == message.id
    await wait_until(lambda: any(event.data["status"] == "delivered" for event in events))
    delivered = next(event for event in events if event.data["status"] == "delivered")
    assert delivered.data["recipient"] == "85512345678"
    assert delivered.data["provider"] == "plasgate"
    assert delivered.data["device_id"] == account_device(hass, plasgate_account).id


async def test_plasgate_many_recipients_go_in_batches_of_100(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    numbers = [f"8551200{index:04d}" for index in range(250)]

    result = await send_sms(hass, plasgate_account, numbers)

    assert plasgate_simulator.sim.api.request_counts["/rest/batch-send"] == 3
    assert len({sms["batch_id"] for sms in result}) == 3
    assert {sms["status"] for sms in result} == {"queued"}
    assert len(plasgate_simulator.sim.api.messages) == 250


async def test_notify_services_exist_beside_the_webhook(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    """With the callback server up, the legacy service and the entity are there and send."""
    await hass.async_block_till_done()
    await hass.services.async_call(
        "notify", "smslink", {"message": "hi", "target": ["0712000001"]}, blocking=True
    )
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.smslink_sms_to_default_recipients", "message": "hi"},
        blocking=True,
    )

    sent = sorted(message.to for message in smslink_simulator.sim.account.messages.values())
    assert sent == ["0712000001", "0712345678"]
