"""SMS Gateway: Dinstar GSM gateways, SMSLink and Plasgate in Home Assistant."""

from __future__ import annotations

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator, DinstarStatusCoordinator
from .providers.dinstar import DinstarClient
from .runtime import DinstarRuntimeData

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.SENSOR]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration; gateways and accounts are added as config entries."""
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Connect to the gateway, read it once, then build its devices and entities."""
    verify_ssl: bool = entry.data.get(CONF_VERIFY_SSL, False)
    client = DinstarClient(
        async_get_clientsession(hass, verify_ssl=verify_ssl),
        entry.data[CONF_HOST],
        entry.data[CONF_USERNAME],
        entry.data[CONF_PASSWORD],
        verify_ssl=verify_ssl,
    )
    ports = DinstarPortsCoordinator(hass, entry, client)
    status = DinstarStatusCoordinator(hass, entry, client)
    await ports.async_config_entry_first_refresh()
    await status.async_config_entry_first_refresh()
    entry.runtime_data = DinstarRuntimeData(
        client=client,
        serial=client.serial or entry.unique_id or entry.entry_id,
        ports=ports,
        status=status,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Tear down the entities; the client holds nothing that needs closing."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
