"""Setting up a failover route: its sender, a service device and its notify entity.

A route holds no client of its own: its services are the other entries, looked up at each send.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from ..const import CONF_ROUTE_SERVICES
from ..runtime import Wing
from .runtime import RouteConfigEntry
from .sender import FailoverSender

ROUTE_PLATFORMS: Final = [Platform.NOTIFY]


async def async_setup_route(hass: HomeAssistant, entry: RouteConfigEntry) -> None:
    """Hold the services in their order; the options flow reloads the entry to change it."""
    services: list[str] = entry.options.get(CONF_ROUTE_SERVICES, [])
    entry.runtime_data = FailoverSender(hass, entry.entry_id, entry.title, services)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **entry.runtime_data.device_info
    )
    await hass.config_entries.async_forward_entry_setups(entry, ROUTE_PLATFORMS)


async def _async_forget_nothing(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Forget nothing: a route stores nothing of its own."""


ROUTE: Final = Wing(
    platforms=lambda _entry: ROUTE_PLATFORMS,
    async_setup=async_setup_route,
    async_remove=_async_forget_nothing,
)
