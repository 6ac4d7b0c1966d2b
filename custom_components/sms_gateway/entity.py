"""Base entities: the gateway device and one device per SIM port, linked by via_device."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_HOST
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .const import DOMAIN
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .providers.dinstar_models import PortInfo


def gateway_device_info(entry: DinstarConfigEntry) -> DeviceInfo:
    """Describe the gateway itself; ports hang under it."""
    runtime = entry.runtime_data
    port_count = len(runtime.ports.data)
    return DeviceInfo(
        identifiers={(DOMAIN, runtime.serial)},
        name=entry.title,
        manufacturer="Dinstar",
        model=f"GSM gateway, {port_count} ports",
        serial_number=runtime.serial,
        configuration_url=entry.data[CONF_HOST],
    )


def port_identifier(serial: str, port: int) -> tuple[str, str]:
    """Device registry identifier of one port; the port number is the wire's 0-based one."""
    return (DOMAIN, f"{serial}_port_{port}")


class DinstarEntity[CoordinatorT: DataUpdateCoordinator[Any]](CoordinatorEntity[CoordinatorT]):
    """An entity of the gateway device."""

    _attr_has_entity_name = True

    def __init__(
        self, entry: DinstarConfigEntry, coordinator: CoordinatorT, description: EntityDescription
    ) -> None:
        """Tie the entity to the gateway by its serial."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{entry.runtime_data.serial}_{description.key}"
        self._attr_device_info = gateway_device_info(entry)


class DinstarPortEntity[CoordinatorT: DinstarPortsCoordinator](CoordinatorEntity[CoordinatorT]):
    """An entity of one SIM port's device."""

    _attr_has_entity_name = True
    _last_seen: tuple[bool, PortInfo | None] | None = None

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: CoordinatorT,
        description: EntityDescription,
        port: int,
    ) -> None:
        """Tie the entity to its port device, itself under the gateway."""
        super().__init__(coordinator)
        serial = entry.runtime_data.serial
        self.entity_description = description
        self.port = port
        self._attr_unique_id = f"{serial}_port_{port}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={port_identifier(serial, port)},
            name=f"Port {port}",
            manufacturer="Dinstar",
            model="SIM port",
            via_device=(DOMAIN, serial),
        )

    async def async_added_to_hass(self) -> None:
        """Remember what the first state was written from."""
        await super().async_added_to_hass()
        self._last_seen = self._seen()

    def _seen(self) -> tuple[bool, PortInfo | None]:
        return (self.coordinator.last_update_success, self.coordinator.data.get(self.port))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only when this port or the gateway's reachability changed.

        The coordinator tells every listener when any port changes; without this a signal change
        on one port would rewrite the state of every entity of every port.
        """
        seen = self._seen()
        if seen == self._last_seen:
            return
        self._last_seen = seen
        super()._handle_coordinator_update()
