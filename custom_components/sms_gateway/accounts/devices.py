"""An account's device: a service named after the entry, known by the entry's id.

Its id is looked up here only, for the events the account fires (`account_origin`).
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from ..bus_events import Origin
from ..const import CONF_PROVIDER, DOMAIN
from ..entity import async_device_id


@dataclass(frozen=True, slots=True)
class DeviceModel:
    """How the account's device presents its service (each catalog entry has one)."""

    manufacturer: str
    model: str
    url: str


def account_device_info(entry: ConfigEntry, model: DeviceModel) -> DeviceInfo:
    """Describe a cloud account: a service, named after the entry, known by the entry's id.

    The entry id, not the unique id: a Plasgate account's unique id follows its key.
    """
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=model.manufacturer,
        model=model.model,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=model.url,
    )


def account_origin(hass: HomeAssistant, entry: ConfigEntry) -> Origin:
    """Name the account and its device on an event, for automations to filter on."""
    return Origin(
        entry.entry_id,
        entry.data[CONF_PROVIDER],
        async_device_id(hass, entry, (DOMAIN, entry.entry_id)),
    )
