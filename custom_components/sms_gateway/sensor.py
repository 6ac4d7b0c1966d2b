"""Sensors: per port signal, registration, network and SIM identity; gateway load figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfInformation,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import (
    DinstarConfigEntry,
    DinstarPortsCoordinator,
    DinstarStatusCoordinator,
    GatewayStatus,
)
from .entity import DinstarEntity, DinstarPortEntity
from .providers.dinstar_models import CallState, NetworkType, PortInfo, RegState

PARALLEL_UPDATES = 0

CSQ_UNKNOWN = 99


def signal_dbm(info: PortInfo) -> int | None:
    """Convert the CSQ scale (0-31) to dBm; 99 or nothing means the modem does not know."""
    if info.signal is None or not 0 <= info.signal <= 31:  # noqa: PLR2004
        return None
    return -113 + 2 * info.signal


def _option(value: RegState | NetworkType | CallState | None) -> str | None:
    return None if value is None else value.name.lower()


def _text(value: str | None) -> str | None:
    """Gateways report an unknown SIM number as an empty string."""
    return value.strip() or None if value is not None else None


@dataclass(frozen=True, kw_only=True)
class PortSensorDescription(SensorEntityDescription):
    """A port sensor reads one field of the port's info."""

    value_fn: Callable[[PortInfo], str | int | None]


@dataclass(frozen=True, kw_only=True)
class GatewaySensorDescription(SensorEntityDescription):
    """A gateway sensor reads the gateway's status."""

    value_fn: Callable[[GatewayStatus], int | float | None]


def _ratio(used: int | None, total: int | None) -> float | None:
    if used is None or not total:
        return None
    return round(100 * used / total, 1)


PORT_SENSORS: tuple[PortSensorDescription, ...] = (
    PortSensorDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=signal_dbm,
    ),
    PortSensorDescription(
        key="registration",
        translation_key="registration",
        device_class=SensorDeviceClass.ENUM,
        options=[state.name.lower() for state in RegState],
        value_fn=lambda info: _option(info.reg),
    ),
    PortSensorDescription(
        key="network_type",
        translation_key="network_type",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.name.lower() for kind in NetworkType],
        value_fn=lambda info: _option(info.type),
    ),
    PortSensorDescription(
        key="sim_number",
        translation_key="sim_number",
        value_fn=lambda info: _text(info.number),
    ),
    PortSensorDescription(
        key="call_state",
        translation_key="call_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.name.lower() for state in CallState],
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: _option(info.callstate),
    ),
    PortSensorDescription(
        key="imsi",
        translation_key="imsi",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: _text(info.imsi),
    ),
    PortSensorDescription(
        key="iccid",
        translation_key="iccid",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: _text(info.iccid),
    ),
    PortSensorDescription(
        key="imei",
        translation_key="imei",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: _text(info.imei),
    ),
    PortSensorDescription(
        key="slot",
        translation_key="slot",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: info.slot,
    ),
)

GATEWAY_SENSORS: tuple[GatewaySensorDescription, ...] = (
    GatewaySensorDescription(
        key="cpu_used",
        translation_key="cpu_used",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: status.stats.cpu_used,
    ),
    GatewaySensorDescription(
        key="memory_used",
        translation_key="memory_used",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: _ratio(status.stats.memory_used, status.stats.memory_total),
    ),
    GatewaySensorDescription(
        key="flash_used",
        translation_key="flash_used",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.KILOBYTES,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: status.stats.flash_used,
    ),
    GatewaySensorDescription(
        key="sms_in_queue",
        translation_key="sms_in_queue",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: status.sms_in_queue,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the gateway's sensors and every port's sensors."""
    runtime = entry.runtime_data
    async_add_entities(
        DinstarGatewaySensor(entry, runtime.status, description) for description in GATEWAY_SENSORS
    )
    async_add_entities(
        DinstarPortSensor(entry, runtime.ports, description, port)
        for port in runtime.ports.data
        for description in PORT_SENSORS
    )


class DinstarGatewaySensor(DinstarEntity[DinstarStatusCoordinator], SensorEntity):
    """A figure of the gateway itself."""

    entity_description: GatewaySensorDescription

    @property
    def native_value(self) -> int | float | None:
        """Read the figure from the last status."""
        return self.entity_description.value_fn(self.coordinator.data)


class DinstarPortSensor(DinstarPortEntity[DinstarPortsCoordinator], SensorEntity):
    """A field of one SIM port."""

    entity_description: PortSensorDescription

    @property
    def native_value(self) -> str | int | None:
        """Read the field from the last poll or push."""
        info = self.coordinator.data.get(self.port)
        return None if info is None else self.entity_description.value_fn(info)
