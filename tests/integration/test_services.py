"""The sms_gateway.* actions: targets, validation, USSD and balance through the real managers."""

from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.sms_gateway.const import CONF_BALANCE, DOMAIN
from custom_components.sms_gateway.errors import translated_error
from custom_components.sms_gateway.providers.errors import (
    AuthError,
    InvalidInputError,
    InvalidResponseError,
    ProviderConnectionError,
)
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, port_device_id, registered_device, set_up
from tests.integration.setups import entry_with, send_sms
from tests.integration.test_send import requests_to, sim_control

NUMBER = "+40712345678"


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for USSD replies every 20 ms instead of the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


def gateway_device_id(hass: HomeAssistant) -> str:
    return registered_device(hass, (DOMAIN, SERIAL)).id


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=service != "refresh_balance"
    )


async def test_actions_are_registered_without_entries(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})

    assert set(hass.services.async_services_for_domain(DOMAIN)) == {
        "send_sms",
        "send_ussd",
        "refresh_balance",
    }


# --- which entry or device ------------------------------------------------------------------------


async def test_unknown_entry_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass, "send_sms", {"config_entry_id": "nope", "recipients": [NUMBER], "message": "Hi"}
        )
    assert caught.value.translation_key == "entry_not_found"


async def test_entry_of_another_integration_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    other = MockConfigEntry(domain="other_domain", title="Other")
    other.add_to_hass(hass)

    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, other, [NUMBER], "Hi")
    assert caught.value.translation_key == "entry_not_found"


async def test_entry_not_loaded_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)

    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, init_integration, [NUMBER], "x")
    assert caught.value.translation_key == "entry_not_loaded"
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "send_ussd", {"device_id": port_device_id(hass, 0), "code": "*100#"})
    assert caught.value.translation_key == "entry_not_loaded"
    assert await requests_to(dinstar_simulator, "/api/send_sms") == 0


@pytest.mark.parametrize(
    ("device", "key"),
    [("missing", "device_not_found"), ("gateway", "not_a_port"), ("foreign", "not_a_port")],
)
async def test_device_target_must_be_a_port(
    hass: HomeAssistant, init_integration: MockConfigEntry, device: str, key: str
) -> None:
    if device == "gateway":
        device_id = gateway_device_id(hass)
    elif device == "foreign":
        other = MockConfigEntry(domain="other_domain", title="Other")
        other.add_to_hass(hass)
        device_id = (
            dr.async_get(hass)
            .async_get_or_create(config_entry_id=other.entry_id, identifiers={("other", "x")})
            .id
        )
    else:
        device_id = "0123456789abcdef"

    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "send_ussd", {"device_id": device_id, "code": "*100#"})
    assert caught.value.translation_key == key


async def test_refresh_balance_needs_exactly_one_target(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(vol.Invalid):
        await call(hass, "refresh_balance", {})
    with pytest.raises(vol.Invalid):
        await call(
            hass,
            "refresh_balance",
            {"device_id": port_device_id(hass, 0), "config_entry_id": init_integration.entry_id},
        )


# --- USSD -----------------------------------------------------------------------------------------


async def test_send_ussd_returns_the_reply(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ussd-replies", {"port": 3, "text": "Credit 4.20 EUR"})

    response = await call(
        hass, "send_ussd", {"device_id": port_device_id(hass, 3), "code": "*133#"}
    )

    assert response == {"port": 3, "code": "*133#", "reply": "Credit 4.20 EUR"}
    sent = [
        entry["body"]
        for entry in dinstar_simulator.sim.snapshot()["requests"]["log"]
        if entry["path"] == "/api/send_ussd" and entry["body"]["command"] == "send"
    ]
    assert sent == [{"port": [3], "command": "send", "text": "*133#"}]


async def test_send_ussd_without_response(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = {"device_id": port_device_id(hass, 1), "code": "*100#"}
    await hass.services.async_call(DOMAIN, "send_ussd", ussd, blocking=True)  # no response

    assert await requests_to(dinstar_simulator, "/api/send_ussd") >= 1


async def test_send_ussd_error_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ports/2", {"reg": "UNREGISTER"})

    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_ussd", {"device_id": port_device_id(hass, 2), "code": "*100#"})

    assert caught.value.translation_key == "ussd_port_not_registered"


# --- balance --------------------------------------------------------------------------------------


BALANCE_OPTIONS: dict[str, Any] = {
    CONF_BALANCE: {
        "0": {"code": "*100#", "pattern": r"(\d+[.,]\d+)", "unit": "EUR", "interval": 600},
        "4": {"code": "*104#", "pattern": r"(\d+[.,]\d+)", "unit": "EUR", "interval": 600},
    }
}


@pytest.fixture
def operator_replies() -> dict[int, str]:
    """What the operator answers the balance code on each port; a test parametrizes it."""
    return {}


@pytest.fixture
async def with_balance(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    operator_replies: dict[int, str],
) -> AsyncIterator[MockConfigEntry]:
    """The gateway set up with balance codes on ports 0 and 4, unloaded after the test."""
    for port, text in operator_replies.items():
        await sim_control(dinstar_simulator, "ussd-replies", {"port": port, "text": text})
    entry = entry_with(dinstar_entry, options=BALANCE_OPTIONS)
    await set_up(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    yield entry
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("operator_replies", [{0: "Sold 12,50 EUR", 4: "Sold 3.75 EUR"}])
async def test_refresh_balance_of_every_configured_port(
    hass: HomeAssistant, with_balance: MockConfigEntry
) -> None:
    await call(hass, "refresh_balance", {"config_entry_id": with_balance.entry_id})

    readings = with_balance.runtime_data.balance.readings
    assert {port: reading.value for port, reading in readings.items()} == {0: 12.5, 4: 3.75}


@pytest.mark.parametrize("operator_replies", [{4: "Sold 9.99 EUR"}])
async def test_refresh_balance_of_one_port(
    hass: HomeAssistant, with_balance: MockConfigEntry
) -> None:
    await call(hass, "refresh_balance", {"device_id": port_device_id(hass, 4)})

    assert with_balance.runtime_data.balance.readings[4].value == 9.99
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "refresh_balance", {"device_id": port_device_id(hass, 5)})
    assert caught.value.translation_key == "balance_not_configured"


@pytest.mark.parametrize("operator_replies", [{0: "Sold 1.00 EUR"}])
async def test_refresh_balance_reports_a_failing_port_after_the_others(
    hass: HomeAssistant, with_balance: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ports/4", {"reg": "UNREGISTER"})

    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "refresh_balance", {"config_entry_id": with_balance.entry_id})

    assert caught.value.translation_key == "ussd_port_not_registered"
    assert with_balance.runtime_data.balance.readings[0].value == 1.0


async def test_refresh_balance_without_any_code_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "refresh_balance", {"config_entry_id": init_integration.entry_id})

    assert caught.value.translation_key == "no_balance_code"


# --- the error mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind", "key"),
    [
        (InvalidInputError("bad"), ServiceValidationError, "invalid_input"),
        (AuthError("no"), HomeAssistantError, "invalid_auth"),
        (ProviderConnectionError("gone"), HomeAssistantError, "cannot_connect"),
        (InvalidResponseError("odd"), HomeAssistantError, "provider_error"),
    ],
)
def test_client_errors_map_to_translated_errors(
    error: Exception, kind: type[HomeAssistantError], key: str
) -> None:
    translated = translated_error(error)  # type: ignore[arg-type]

    assert type(translated) is kind
    assert translated.translation_domain == DOMAIN
    assert translated.translation_key == key


async def test_auth_failure_during_a_send_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    dinstar_simulator.sim.verifier.password = "changed"
    await sim_control(dinstar_simulator, "expire-nonces", {})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, [NUMBER], "x")

    assert caught.value.translation_key == "invalid_auth"
