"""The gateway's devices: the gateway itself, a device per SIM port under it, their identifiers."""

from __future__ import annotations

from collections.abc import Container
from typing import NamedTuple

from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo

from ..const import DOMAIN
from ..entity import async_device_id
from ..providers.dinstar import NetworkType, PortInfo
from .coordinator import DinstarPortsCoordinator


def gateway_device_info(ports: DinstarPortsCoordinator) -> DeviceInfo:
    """Describe the gateway itself; ports hang under it."""
    entry = ports.config_entry
    return DeviceInfo(
        identifiers={(DOMAIN, ports.serial)},
        name=entry.title,
        manufacturer="Dinstar",
        model=f"GSM gateway, {len(ports.data)} ports",
        serial_number=ports.serial,
        configuration_url=entry.data[CONF_HOST],
    )


def gateway_identifiers(ports: DinstarPortsCoordinator) -> set[tuple[str, str]]:
    """Identify the devices the gateway has now: itself and each port it reports."""
    return {(DOMAIN, ports.serial)} | {port_identifier(ports.serial, port) for port in ports.data}


def port_identifier(serial: str, port: int) -> tuple[str, str]:
    """Device registry identifier of one port; the port number is the wire's 0-based one."""
    return (DOMAIN, f"{serial}_port_{port}")


def port_device_info(ports: DinstarPortsCoordinator, port: int) -> DeviceInfo:
    """Describe one SIM port; set-up hangs it under the gateway (async_register_devices).

    Named after the gateway, so two gateways' ports never share a name; the SIM's ICCID is the
    device's serial number, so a swapped SIM shows on the device page.
    """
    hardware = _port_hardware(ports.data.get(port))
    return DeviceInfo(
        identifiers={port_identifier(ports.serial, port)},
        name=f"{ports.config_entry.title} port {port}",
        manufacturer="Dinstar",
        model="SIM port",
        serial_number=hardware.serial_number,
        hw_version=hardware.hw_version,
    )


class DeviceIds:
    """The device ids events carry: each looked up once, afterwards only checked to exist."""

    def __init__(self, hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
        """Nothing is looked up until asked."""
        self._hass = hass
        self._ports = ports
        self._known: dict[tuple[str, str], str] = {}

    @callback
    def gateway(self) -> str | None:
        """Give the gateway's own device."""
        return self._lookup((DOMAIN, self._ports.serial))

    @callback
    def port(self, port: int) -> str | None:
        """Give one port's device."""
        return self._lookup(port_identifier(self._ports.serial, port))

    def _lookup(self, identifier: tuple[str, str]) -> str | None:
        known = self._known.get(identifier)
        if known is not None and dr.async_get(self._hass).async_get(known) is not None:
            return known
        found = async_device_id(self._hass, self._ports.config_entry, identifier)
        if found is not None:
            self._known[identifier] = found
        return found


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
def async_register_devices(hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
    """Register the gateway, then each port under it, before any entity names its device.

    The link goes by device id: the `via_device` identifier pair is deprecated (Home Assistant
    2026.x), and the id is what every supported release accepts. A SIM swapped while Home
    Assistant runs updates its port device at the next poll.
    """
    registry = dr.async_get(hass)
    entry = ports.config_entry
    gateway = registry.async_get_or_create(
        config_entry_id=entry.entry_id, **gateway_device_info(ports)
    )
    for port in ports.data:
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id, **port_device_info(ports, port)
        )
        if device.via_device_id != gateway.id:
            registry.async_update_device(device.id, via_device_id=gateway.id)
    current = gateway_identifiers(ports)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & current:
            # A port the gateway no longer has (a smaller model in its place): its entities are
            # gone, so is it.
            registry.async_remove_device(device.id)

    shown = {port: _port_hardware(info) for port, info in ports.data.items()}
    device_ids = DeviceIds(hass, ports)

    @callback
    def follow_sims() -> None:
        for port, info in ports.data.items():
            hardware = _port_hardware(info)
            if shown.get(port) == hardware:
                continue
            shown[port] = hardware
            if device_id := device_ids.port(port):
                registry.async_update_device(
                    device_id, serial_number=hardware.serial_number, hw_version=hardware.hw_version
                )

    entry.async_on_unload(ports.async_add_listener(follow_sims))


def port_unique_id(serial: str, port: int, key: str) -> str:
    """Name one port entity for good: the gateway's serial, the port, the description key."""
    return f"{serial}_port_{port}_{key}"


@callback
def async_remove_port_entities(
    hass: HomeAssistant,
    ports: DinstarPortsCoordinator,
    platform: Platform,
    key: str,
    keep: Container[int],
) -> None:
    """Drop a port entity from the registry on the ports where it no longer exists.

    Some port entities exist only with an option set (a balance code): clearing the option
    must take them away, not leave them unavailable.
    """
    registry = er.async_get(hass)
    for port in ports.data:
        if port in keep:
            continue
        unique_id = port_unique_id(ports.serial, port, key)
        if entity_id := registry.async_get_entity_id(platform, DOMAIN, unique_id):
            registry.async_remove(entity_id)
