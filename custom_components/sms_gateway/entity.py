"""Devices and base entities: a gateway with a device per SIM port under it, or an account."""

from __future__ import annotations

from collections.abc import Container
from typing import Any, Final, NamedTuple

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .const import CONF_PROVIDER, DOMAIN, PROVIDER_PLASGATE, PROVIDER_SMSLINK
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .providers.dinstar_models import NetworkType, PortInfo


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


def gateway_identifiers(entry: DinstarConfigEntry) -> set[tuple[str, str]]:
    """Identify the devices the gateway has now: itself and each port it reports."""
    runtime = entry.runtime_data
    return {(DOMAIN, runtime.serial)} | {
        port_identifier(runtime.serial, port) for port in runtime.ports.data
    }


def port_identifier(serial: str, port: int) -> tuple[str, str]:
    """Device registry identifier of one port; the port number is the wire's 0-based one."""
    return (DOMAIN, f"{serial}_port_{port}")


def port_device_info(entry: DinstarConfigEntry, port: int) -> DeviceInfo:
    """Describe one SIM port; set-up hangs it under the gateway (async_register_devices).

    Named after the gateway, so two gateways' ports never share a name; the SIM's ICCID is the
    device's serial number, so a swapped SIM shows on the device page.
    """
    runtime = entry.runtime_data
    hardware = _port_hardware(runtime.ports.data.get(port))
    return DeviceInfo(
        identifiers={port_identifier(runtime.serial, port)},
        name=f"{entry.title} port {port}",
        manufacturer="Dinstar",
        model="SIM port",
        serial_number=hardware.serial_number,
        hw_version=hardware.hw_version,
    )


class _PortHardware(NamedTuple):
    serial_number: str | None
    hw_version: str | None


def _port_hardware(info: PortInfo | None) -> _PortHardware:
    """Read the SIM's ICCID and the module's radio (GSM, WCDMA, LTE...); None when unknown."""
    radio = info.type if info is not None else None
    return _PortHardware(
        serial_number=(info.iccid or None) if info is not None else None,
        hw_version=radio.value if radio is not None and radio is not NetworkType.UNKNOWN else None,
    )


@callback
def async_register_devices(hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
    """Register the gateway, then each port under it, before any entity names its device.

    The link goes by device id: the `via_device` identifier pair is deprecated (Home Assistant
    2026.x), and the id is what every supported release accepts. A SIM swapped while Home
    Assistant runs updates its port device at the next poll.
    """
    registry = dr.async_get(hass)
    runtime = entry.runtime_data
    gateway = registry.async_get_or_create(
        config_entry_id=entry.entry_id, **gateway_device_info(entry)
    )
    for port in runtime.ports.data:
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id, **port_device_info(entry, port)
        )
        if device.via_device_id != gateway.id:
            registry.async_update_device(device.id, via_device_id=gateway.id)
    current = gateway_identifiers(entry)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & current:
            # A port the gateway no longer has (a smaller model in its place): its entities are
            # gone, so is it.
            registry.async_remove_device(device.id)

    shown = {port: _port_hardware(info) for port, info in runtime.ports.data.items()}

    @callback
    def follow_sims() -> None:
        for port, info in runtime.ports.data.items():
            hardware = _port_hardware(info)
            if shown.get(port) == hardware:
                continue
            shown[port] = hardware
            identifier = port_identifier(runtime.serial, port)
            if device_id := async_device_id(hass, entry, identifier):
                registry.async_update_device(
                    device_id, serial_number=hardware.serial_number, hw_version=hardware.hw_version
                )

    entry.async_on_unload(runtime.ports.async_add_listener(follow_sims))


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


def port_unique_id(serial: str, port: int, key: str) -> str:
    """Name one port entity for good: the gateway's serial, the port, the description key."""
    return f"{serial}_port_{port}_{key}"


@callback
def async_remove_port_entities(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    platform: Platform,
    key: str,
    keep: Container[int],
) -> None:
    """Drop a port entity from the registry on the ports where it no longer exists.

    Some port entities exist only with an option set (a balance code): clearing the option
    must take them away, not leave them unavailable.
    """
    runtime = entry.runtime_data
    registry = er.async_get(hass)
    for port in runtime.ports.data:
        if port in keep:
            continue
        unique_id = port_unique_id(runtime.serial, port, key)
        if entity_id := registry.async_get_entity_id(platform, DOMAIN, unique_id):
            registry.async_remove(entity_id)


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


class DinstarEntity[CoordinatorT: DataUpdateCoordinator[Any]](
    CoordinatorEntity[CoordinatorT], ChangedStateWriter
):
    """An entity of the gateway device; a refresh writes it only when what it shows changed."""

    _attr_has_entity_name = True

    def __init__(
        self, entry: DinstarConfigEntry, coordinator: CoordinatorT, description: EntityDescription
    ) -> None:
        """Tie the entity to the gateway by its serial."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{entry.runtime_data.serial}_{description.key}"
        self._attr_device_info = gateway_device_info(entry)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only what changed: the status or ports may have changed for other entities."""
        self.async_write_ha_state_if_changed()


class DinstarPortEntity[CoordinatorT: DinstarPortsCoordinator](
    CoordinatorEntity[CoordinatorT], ChangedStateWriter
):
    """An entity of one SIM port's device; a refresh writes it only when what it shows changed."""

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
        self.entity_description = description
        self.port = port
        self._attr_unique_id = port_unique_id(entry.runtime_data.serial, port, description.key)
        self._attr_device_info = port_device_info(entry, port)

    async def async_added_to_hass(self) -> None:
        """Remember what the first state was written from."""
        await super().async_added_to_hass()
        self._last_seen = self._seen()

    def _seen(self) -> tuple[bool, PortInfo | None]:
        return (self.coordinator.last_update_success, self.coordinator.data.get(self.port))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only when what this entity shows changed.

        Other ports' changes are skipped at once (this port's data and the gateway's reachability
        are as they were); a change of this port is written only by the entities it shows on.
        """
        seen = self._seen()
        if seen == self._last_seen:
            return
        self._last_seen = seen
        self.async_write_ha_state_if_changed()


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
    return async_device_id(hass, entry, (DOMAIN, entry.entry_id))
