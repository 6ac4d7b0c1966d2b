"""`sms_gateway_sms_sent`: once per send taken for every recipient, whatever the provider."""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import DOMAIN, EVENT_SMS_SENT
from tests.conftest import RunningDinstar, RunningPlasgate
from tests.integration.conftest import SERIAL, registered_device

from .cloud_setups import account_device
from .setups import send_sms as cloud_send
from .test_send import NUMBER, send_sms, sim_control


async def test_a_gateway_send_is_announced_once_with_what_the_action_answered(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    events = async_capture_events(hass, EVENT_SMS_SENT)

    response = await send_sms(
        hass, init_integration, recipients=[NUMBER, "+40712345679"], message="Hi\nthere"
    )

    assert response is not None
    [event] = events
    gateway: dr.DeviceEntry = registered_device(hass, (DOMAIN, SERIAL))
    assert event.data == {
        "entry_id": init_integration.entry_id,
        "provider": "dinstar",
        "device_id": gateway.id,
        "text": "Hi\nthere",
        "recipients": response["recipients"],
    }


async def test_a_gateway_send_that_may_not_have_gone_is_not_announced(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    events = async_capture_events(hass, EVENT_SMS_SENT)
    await sim_control(dinstar_simulator, "faults", {"fail_500_paths": ["/api/send_sms"]})

    with pytest.raises(HomeAssistantError):
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert events == []


async def test_an_account_send_is_announced_from_its_device(
    hass: HomeAssistant, smslink_account: MockConfigEntry
) -> None:
    entry = smslink_account
    events = async_capture_events(hass, EVENT_SMS_SENT)

    recipients: list[dict[str, Any]] = await cloud_send(hass, entry, ["0712345678"])

    [event] = events
    assert event.data == {
        "entry_id": entry.entry_id,
        "provider": "smslink",
        "device_id": account_device(hass, entry).id,
        "text": "Hello from the tests",
        "recipients": recipients,
    }


async def test_a_plasgate_send_is_announced(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    events = async_capture_events(hass, EVENT_SMS_SENT)

    recipients = await cloud_send(hass, plasgate_account, ["+85512345678", "+85512345679"])

    [event] = events
    assert event.data["provider"] == "plasgate"
    assert event.data["recipients"] == recipients
    assert [recipient["status"] for recipient in recipients] == ["queued", "queued"]
