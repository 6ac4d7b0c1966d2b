"""Setting up a failover route: its sender, a service device and its notify entity.

A route holds no client of its own: its services are the other entries, looked up at each send.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .const import CONF_ROUTE_SERVICES, DOMAIN
from .failover import FailoverSender
from .runtime import RouteConfigEntry, RouteRuntimeData

ROUTE_PLATFORMS: list[Platform] = [Platform.NOTIFY]


def route_device_info(entry: RouteConfigEntry) -> DeviceInfo:
    """Describe a route as a service named after the entry, which its notify entity is on."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer="SMS Gateway",
        model="Failover route",
        entry_type=DeviceEntryType.SERVICE,
    )


async def async_setup_route(hass: HomeAssistant, entry: RouteConfigEntry) -> None:
    """Hold the services in their order; the options flow reloads the entry to change it."""
    services: list[str] = entry.options.get(CONF_ROUTE_SERVICES, [])
    entry.runtime_data = RouteRuntimeData(sends=FailoverSender(hass, entry, services))
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **route_device_info(entry)
    )
    await hass.config_entries.async_forward_entry_setups(entry, ROUTE_PLATFORMS)
