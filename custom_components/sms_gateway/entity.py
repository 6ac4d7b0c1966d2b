"""What every entity and event shares: one rule for writing state, one device lookup, one base."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator


@callback
def async_device_id(
    hass: HomeAssistant, entry: ConfigEntry[Any], identifier: tuple[str, str]
) -> str | None:
    """Return the id of the entry's device with this identifier, for events to carry.

    Looks among the entry's own devices: identifiers are unique within an entry, not across
    entries, and this lookup is the same on every supported Home Assistant.
    """
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        if identifier in device.identifiers:
            return device.id
    return None


class ChangedStateWriter(Entity):
    """Writes its state only when what it would show differs from what it shows.

    A coordinator tells every listener when any of its data changes, and Home Assistant records
    a write of an unchanged state too (`state_reported`): without this, one port's new signal
    would rewrite every entity that listens to the ports. What is compared is the whole state the
    entity would write (availability, state, attributes, unit, icon, name), so every change that
    shows is still written.
    """

    @callback
    def async_write_ha_state_if_changed(self) -> None:
        """Write the state unless the state machine already shows exactly this one."""
        shown = self.hass.states.get(self.entity_id)
        if shown is not None:
            wanted = self._async_calculate_state()
            if wanted.state == shown.state and wanted.attributes == shown.attributes:
                return
        self.async_write_ha_state()


class DeviceEntity[CoordinatorT: DataUpdateCoordinator[Any]](CoordinatorEntity[CoordinatorT]):
    """An entity of one of our devices, described by its description and following a coordinator.

    Its name comes from the description's translation; its unique id is given whole, since a
    gateway, a port and an account each name theirs in their own way.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CoordinatorT,
        description: EntityDescription,
        unique_id: str,
        device_info: DeviceInfo,
    ) -> None:
        """Tie the entity to its device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = unique_id
        self._attr_device_info = device_info
