"""SMS Gateway: Dinstar GSM gateways, SMSLink and Plasgate in Home Assistant.

Each kind of entry lives in its own wing (gateway/, accounts/, routes/); this file picks the wing
by the entry's provider and leaves the rest to it.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .assist.agent import async_start_assist
from .const import CONF_PROVIDER, DOMAIN, PROVIDER_DINSTAR
from .notify import HASS_CONFIG, async_setup_legacy_notify
from .runtime import Wing
from .services import async_setup_services
from .wings import WINGS

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


def _wing(entry: ConfigEntry[Any]) -> Wing:
    return WINGS[entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR)]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration; gateways and accounts are added as config entries."""
    hass.data[HASS_CONFIG] = config
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Set up a gateway, an account or a failover route, then its notify service."""
    await _wing(entry).async_setup(hass, entry)
    # After set-up: commands that came while Home Assistant was stopped are not run now.
    async_start_assist(hass, entry)
    async_setup_legacy_notify(hass, entry)
    return True


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ConfigEntry[Any], device: dr.DeviceEntry
) -> bool:
    """Let the user remove a device the service no longer has; keep the ones it does."""
    return _wing(entry).removable_device(entry, device)


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> bool:
    """Tear down the entities; the clients hold nothing that needs closing."""
    return await hass.config_entries.async_unload_platforms(entry, _wing(entry).platforms(entry))


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Forget what was stored for a removed entry and give back what it held."""
    await _wing(entry).async_remove(hass, entry)
