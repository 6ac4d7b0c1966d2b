"""Sensors: per port signal, registration, network, SIM, balance, USSD reply; gateway load.

An SMSLink account's balance sensors live in accounts/sensor.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    Platform,
    UnitOfInformation,
)
from homeassistant.core import HomeAssistant
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .accounts.sensor import account_sensors
from .const import CONF_PROVIDER, PROVIDER_DINSTAR, SMS_UNIT
from .gateway.balance import BalanceManager
from .gateway.coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator, GatewayStatus
from .gateway.devices import async_remove_port_entities
from .gateway.entity import DinstarEntity, DinstarPortEntity, DinstarPortFollower, every_port
from .gateway.runtime import GatewayConfigEntry, GatewayData
from .gateway.sms_sensor import one_line, sms_sensors
from .gateway.ussd import UssdManager
from .phone_numbers import number_operator
from .providers.dinstar import CallState, NetworkType, PortInfo, RegState

PARALLEL_UPDATES = 0

CSQ_UNKNOWN = 99


def signal_dbm(info: PortInfo) -> int | None:
    """Convert the CSQ scale (0-31) to dBm; 99 or nothing means the modem does not know."""
    if info.signal is None or not 0 <= info.signal <= 31:  # noqa: PLR2004
        return None
    return -113 + 2 * info.signal


BAR_THRESHOLDS = (2, 10, 15, 20)
"""CSQ from which a phone shows one more bar: 0-1 none, 2-9 marginal, 10-14 fair, 15-19 good,
20-31 excellent (the usual reading of AT+CSQ)."""
SIGNAL_BARS = [str(bars) for bars in range(len(BAR_THRESHOLDS) + 1)]


def signal_bars(info: PortInfo) -> str | None:
    """Grade the signal in the 0-4 bars of a phone; unknown when the modem does not know."""
    if info.signal is None or not 0 <= info.signal <= 31:  # noqa: PLR2004
        return None
    return str(sum(info.signal >= threshold for threshold in BAR_THRESHOLDS))


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
    """A gateway sensor reads the gateway's status, while the endpoint it comes from answers."""

    value_fn: Callable[[GatewayStatus], int | float | None]
    available_fn: Callable[[GatewayStatus], bool]


def _stats_read(status: GatewayStatus) -> bool:
    return status.stats is not None


def _queue_read(status: GatewayStatus) -> bool:
    return status.sms_in_queue is not None


def _ratio(used: int | None, total: int | None) -> float | None:
    if used is None or not total:
        return None
    return round(100 * used / total, 1)


def _port_fact(
    key: str, value_fn: Callable[[PortInfo], str | int | None], *, shown: bool = False
) -> PortSensorDescription:
    """Describe a diagnostic fact of the port's SIM or module; hidden unless shown."""
    return PortSensorDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=shown,
        value_fn=value_fn,
    )


def _gateway_figure(
    key: str,
    unit: str,
    value_fn: Callable[[GatewayStatus], int | float | None],
    available_fn: Callable[[GatewayStatus], bool],
    device_class: SensorDeviceClass | None = None,
) -> GatewaySensorDescription:
    """Describe a diagnostic measurement of the gateway itself, read from its status."""
    return GatewaySensorDescription(
        key=key,
        translation_key=key,
        device_class=device_class,
        native_unit_of_measurement=unit,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=value_fn,
        available_fn=available_fn,
    )


PORT_SENSORS: tuple[PortSensorDescription, ...] = (
    PortSensorDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=signal_dbm,
    ),
    PortSensorDescription(
        key="signal_bars",
        translation_key="signal_bars",
        device_class=SensorDeviceClass.ENUM,
        options=SIGNAL_BARS,
        value_fn=signal_bars,
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
        # Without a registered SIM the gateway still names its module's kind: no network then.
        value_fn=lambda info: _option(info.type) if info.registered else None,
    ),
    PortSensorDescription(
        key="sim_number",
        translation_key="sim_number",
        value_fn=lambda info: _text(info.number),
    ),
    PortSensorDescription(
        key="operator",
        translation_key="operator",
        value_fn=lambda info: number_operator(_text(info.number)),
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
    _port_fact("imsi", lambda info: _text(info.imsi)),
    _port_fact("iccid", lambda info: _text(info.iccid), shown=True),
    _port_fact("imei", lambda info: _text(info.imei)),
    _port_fact("slot", lambda info: info.slot),
)

# Fed by the USSD and balance managers, not by the port poll.
BALANCE = SensorEntityDescription(
    key="balance",
    translation_key="balance",
    state_class=SensorStateClass.TOTAL,
    suggested_display_precision=2,
)
LAST_USSD_REPLY = SensorEntityDescription(key="last_ussd_reply", translation_key="last_ussd_reply")

GATEWAY_SENSORS: tuple[GatewaySensorDescription, ...] = (
    _gateway_figure(
        "cpu_used",
        PERCENTAGE,
        lambda status: status.stats.cpu_used if status.stats else None,
        _stats_read,
    ),
    _gateway_figure(
        "memory_used",
        PERCENTAGE,
        lambda status: (
            _ratio(status.stats.memory_used, status.stats.memory_total) if status.stats else None
        ),
        _stats_read,
    ),
    _gateway_figure(
        "flash_used",
        UnitOfInformation.KILOBYTES,
        lambda status: status.stats.flash_used if status.stats else None,
        _stats_read,
        SensorDeviceClass.DATA_SIZE,
    ),
    _gateway_figure("sms_in_queue", SMS_UNIT, lambda status: status.sms_in_queue, _queue_read),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an account's balance, or the gateway's sensors and every port's sensors."""
    if entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR) != PROVIDER_DINSTAR:
        async_add_entities(account_sensors(entry))
        return
    gateway: GatewayConfigEntry = entry
    _add_gateway_sensors(hass, gateway.runtime_data, async_add_entities)


def _add_gateway_sensors(
    hass: HomeAssistant, runtime: GatewayData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    ports = runtime.ports
    async_add_entities(
        DinstarGatewaySensor(ports, runtime.status, description) for description in GATEWAY_SENSORS
    )
    async_add_entities(
        DinstarPortSensor(ports, description, port)
        for port in ports.data
        for description in PORT_SENSORS
    )
    async_add_entities(sms_sensors(ports, runtime.inbox, runtime.sends.last_sent))
    async_add_entities(
        every_port(
            ports, lambda port: DinstarUssdReplySensor(ports, LAST_USSD_REPLY, port, runtime.ussd)
        )
    )
    settings = runtime.balance.settings
    async_add_entities(
        every_port(
            ports,
            lambda port: DinstarBalanceSensor(ports, BALANCE, port, runtime.balance),
            settings.__contains__,
        )
    )
    async_remove_port_entities(hass, ports, Platform.SENSOR, BALANCE.key, keep=settings)


class DinstarGatewaySensor(DinstarEntity[DinstarStatusCoordinator], SensorEntity):
    """A figure of the gateway itself."""

    entity_description: GatewaySensorDescription

    @property
    def available(self) -> bool:
        """Unavailable with the gateway, and while the endpoint of this figure fails."""
        return super().available and self.entity_description.available_fn(self.coordinator.data)

    @property
    def native_value(self) -> int | float | None:
        """Read the figure from the last status."""
        return self.entity_description.value_fn(self.coordinator.data)


class DinstarPortSensor(DinstarPortEntity, SensorEntity):
    """A field of one SIM port."""

    entity_description: PortSensorDescription

    @property
    def native_value(self) -> str | int | None:
        """Read the field from the last poll or push."""
        info = self.coordinator.data.get(self.port)
        return None if info is None else self.entity_description.value_fn(info)


class DinstarBalanceSensor(DinstarPortFollower[BalanceManager], SensorEntity):
    """The port's SIM balance; unknown when the reply held no amount (the reply is kept)."""

    def __init__(
        self,
        coordinator: DinstarPortsCoordinator,
        description: SensorEntityDescription,
        port: int,
        source: BalanceManager,
    ) -> None:
        """Take the unit from the options; an ISO 4217 code makes it a monetary sensor."""
        super().__init__(coordinator, description, port, source)
        unit = source.settings[port].unit
        if unit is not None and unit.upper() in ACTIVE_CURRENCIES:
            self._attr_device_class = SensorDeviceClass.MONETARY
            unit = unit.upper()
        self._attr_native_unit_of_measurement = unit

    @property
    def native_value(self) -> float | None:
        """The amount of the last reading."""
        reading = self.source.readings.get(self.port)
        return None if reading is None else reading.value

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The operator's words, so an amount the pattern missed can still be read."""
        reading = self.source.readings.get(self.port)
        return None if reading is None else {"reply": reading.reply}


class DinstarUssdReplySensor(DinstarPortFollower[UssdManager], SensorEntity):
    """The last USSD reply on the port, whoever asked; the whole text is an attribute."""

    @property
    def native_value(self) -> str | None:
        """The reply on one line, cut to what a state can hold."""
        reply = self.source.replies.get(self.port)
        return None if reply is None else one_line(reply.text)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The whole reply, the code that asked for it (None if unsolicited) and when it came."""
        reply = self.source.replies.get(self.port)
        if reply is None:
            return None
        return {
            "text": reply.text,
            "code": reply.code,
            "received_at": reply.received_at.isoformat(),
        }
