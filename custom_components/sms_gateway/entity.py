"""Devices and base entities: a gateway with a device per SIM port (via_device), or an account."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .const import CONF_PROVIDER, DOMAIN, PROVIDER_PLASGATE, PROVIDER_SMSLINK
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


_ACCOUNT_MODELS: Final = {
    PROVIDER_SMSLINK: ("SMSLink", "SMS Gateway connection", "https://www.smslink.ro"),
    PROVIDER_PLASGATE: ("Plasgate", "REST API key", "https://cloud.plasgate.com"),
}


def account_device_info(entry: ConfigEntry[Any]) -> DeviceInfo:
    """Describe a cloud account: a service, named after the entry, known by the entry's id.

    The entry id, not the unique id: a Plasgate account's unique id follows its key.
    """
    manufacturer, model, url = _ACCOUNT_MODELS[entry.data[CONF_PROVIDER]]
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=manufacturer,
        model=model,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=url,
    )


def account_device_id(hass: HomeAssistant, entry: ConfigEntry[Any]) -> str | None:
    """Return the account device's id, for events an automation filters on."""
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, entry.entry_id)})
    return None if device is None else device.id
