"""An account's sensors: the SMS left (SMSLink), the SMPP bind state (Plasgate over SMPP)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory

from ..const import SMS_UNIT
from ..entity import ChangedStateWriter, DeviceEntity
from ..providers.plasgate.smpp import LinkState
from ..providers.smslink import Balance
from .balance import SmsLinkBalanceCoordinator
from .devices import account_device_info
from .runtime import AccountConfigEntry
from .smpp_link import SmppAccount


@dataclass(frozen=True, kw_only=True)
class AccountSensorDescription(SensorEntityDescription):
    """How to read one figure of the account's balance."""

    value_fn: Callable[[Balance], int]


ACCOUNT_SENSORS: tuple[AccountSensorDescription, ...] = tuple(
    AccountSensorDescription(
        key=f"{scope}_sms",
        translation_key=f"{scope}_sms",
        native_unit_of_measurement=SMS_UNIT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=attrgetter(scope),
    )
    for scope in ("national", "international")
)


class AccountBalanceSensor(DeviceEntity[SmsLinkBalanceCoordinator], SensorEntity):
    """One figure of an SMSLink account's balance."""

    entity_description: AccountSensorDescription

    def __init__(
        self,
        entry: AccountConfigEntry,
        coordinator: SmsLinkBalanceCoordinator,
        description: AccountSensorDescription,
    ) -> None:
        """Tie the sensor to the account device."""
        super().__init__(
            coordinator,
            description,
            f"{entry.entry_id}_{description.key}",
            account_device_info(entry, entry.runtime_data.service.device),
        )

    @property
    def native_value(self) -> int:
        """SMS left, as SMSLink last said."""
        return self.entity_description.value_fn(self.coordinator.data)


SMPP_LINK = SensorEntityDescription(
    key="smpp_link",
    translation_key="smpp_link",
    device_class=SensorDeviceClass.ENUM,
    options=[state.value for state in LinkState],
    entity_category=EntityCategory.DIAGNOSTIC,
)


class SmppLinkSensor(ChangedStateWriter, SensorEntity):
    """Whether the account's SMPP link is bound, and if not, what it is doing about it."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: AccountConfigEntry, smpp: SmppAccount) -> None:
        """Tie the sensor to the account device."""
        self.entity_description = SMPP_LINK
        self._smpp = smpp
        self._attr_unique_id = f"{entry.entry_id}_{SMPP_LINK.key}"
        self._attr_device_info = entry.runtime_data.device_info

    async def async_added_to_hass(self) -> None:
        """Follow the link from now on."""
        await super().async_added_to_hass()
        self.async_on_remove(self._smpp.async_listen(self.async_write_ha_state_if_changed))

    @property
    def native_value(self) -> str:
        """The bind state now."""
        return self._smpp.state.value


def account_sensors(entry: AccountConfigEntry) -> list[SensorEntity]:
    """Build the account's sensors: its balance where the service has one, its SMPP link."""
    runtime = entry.runtime_data
    sensors: list[SensorEntity] = []
    if runtime.balance is not None:
        sensors += [
            AccountBalanceSensor(entry, runtime.balance, description)
            for description in ACCOUNT_SENSORS
        ]
    if runtime.smpp is not None:
        sensors.append(SmppLinkSensor(entry, runtime.smpp))
    return sensors
