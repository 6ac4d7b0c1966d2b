"""The sms_gateway.* actions: send SMS, send USSD, refresh balances (registered in async_setup)."""

from __future__ import annotations

from typing import Any, Final, cast

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_CODE, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DELIVERY_REPORT,
    ATTR_ENCODING,
    ATTR_MESSAGE,
    ATTR_PORTS,
    ATTR_RECIPIENTS,
    ATTR_SENDER,
    ATTR_TIMEOUT,
    ATTR_WAIT,
    CONF_PROVIDER,
    DOMAIN,
    PROVIDER_DINSTAR,
    SERVICE_REFRESH_BALANCE,
    SERVICE_SEND_SMS,
    SERVICE_SEND_USSD,
)
from .errors import translate_errors
from .gateway.devices import port_identifier
from .gateway.runtime import GatewayConfigEntry
from .providers.dinstar import MAX_PORT
from .runtime import SmsGatewayEntry
from .send_request import async_send
from .sending import DEFAULT_WAIT, ENCODING_CHOICES, MAX_WAIT

SEND_OPTIONS: Final[dict[vol.Marker, Any]] = {
    vol.Optional(ATTR_PORTS): vol.All(
        cv.ensure_list, [vol.All(vol.Coerce(int), vol.Range(min=0, max=MAX_PORT))]
    ),
    vol.Optional(ATTR_ENCODING, default="auto"): vol.In(list(ENCODING_CHOICES)),
    vol.Optional(ATTR_SENDER): cv.string,
    vol.Optional(ATTR_DELIVERY_REPORT, default=True): cv.boolean,
}
"""The send options shared by the action and the notify services' `data`."""

SEND_SMS_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [cv.string]),
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_WAIT, default=False): cv.boolean,
        vol.Optional(ATTR_TIMEOUT, default=DEFAULT_WAIT): vol.All(
            vol.Coerce(float), vol.Range(min=1, max=MAX_WAIT)
        ),
        **SEND_OPTIONS,
    }
)
SEND_USSD_SCHEMA: Final = vol.Schema(
    {vol.Required(ATTR_DEVICE_ID): cv.string, vol.Required(ATTR_CODE): cv.string}
)
REFRESH_BALANCE_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            vol.Exclusive(ATTR_DEVICE_ID, "target"): cv.string,
            vol.Exclusive(ATTR_CONFIG_ENTRY_ID, "target"): cv.string,
        }
    ),
    cv.has_at_least_one_key(ATTR_DEVICE_ID, ATTR_CONFIG_ENTRY_ID),
)


def loaded_entry(hass: HomeAssistant, entry_id: str) -> ConfigEntry[Any]:
    """Return the running entry an action names; a missing or stopped one is the caller's fault."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    return entry


def port_target(hass: HomeAssistant, device_id: str) -> tuple[GatewayConfigEntry, int]:
    """Return the entry and the wire port number of a port device."""
    registry = dr.async_get(hass)
    device = registry.async_get(device_id)
    if device is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="device_not_found",
            translation_placeholders={"device_id": device_id},
        )
    for entry in hass.config_entries.async_entries(DOMAIN):
        owned = dr.async_entries_for_config_entry(registry, entry.entry_id)
        if all(owned_device.id != device.id for owned_device in owned):
            continue
        if entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR) != PROVIDER_DINSTAR:
            continue
        gateway: GatewayConfigEntry = loaded_entry(hass, entry.entry_id)
        runtime = gateway.runtime_data
        for port in runtime.ports.data:
            if port_identifier(runtime.serial, port) in device.identifiers:
                return gateway, port
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="not_a_port",
        translation_placeholders={"device": device.name_by_user or device.name or device_id},
    )


@translate_errors
async def _async_send_sms(call: ServiceCall) -> ServiceResponse:
    """Send to every recipient once; with wait, report what became of each (bounded)."""
    entry: SmsGatewayEntry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    recipients = await async_send(
        entry, call.data[ATTR_RECIPIENTS], call.data[ATTR_MESSAGE], call.data
    )
    if not call.return_response:
        return None
    return {"recipients": cast("list[JsonValueType]", recipients)}


@translate_errors
async def _async_send_ussd(call: ServiceCall) -> ServiceResponse:
    """Run one USSD code on a port and answer with the network's reply."""
    entry, port = port_target(call.hass, call.data[ATTR_DEVICE_ID])
    code: str = call.data[ATTR_CODE]
    reply = await entry.runtime_data.ussd.exchange(port, code)
    if not call.return_response:
        return None
    return {"port": port, "code": code, "reply": reply}


@translate_errors
async def _async_refresh_balance(call: ServiceCall) -> None:
    """Ask for the balance of one port, of every port that has a code set, or of an account."""
    if ATTR_DEVICE_ID in call.data:
        gateway, port = port_target(call.hass, call.data[ATTR_DEVICE_ID])
        await gateway.runtime_data.balance.async_refresh(port)
        return
    entry: SmsGatewayEntry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    await entry.runtime_data.async_refresh_balance(entry.title)


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions once for the integration, whatever entries exist."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_SMS,
        _async_send_sms,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_USSD,
        _async_send_ussd,
        schema=SEND_USSD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_REFRESH_BALANCE,
        _async_refresh_balance,
        schema=REFRESH_BALANCE_SCHEMA,
    )
