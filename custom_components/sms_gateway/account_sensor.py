"""The SMS left on an SMSLink account, national and international, on the account device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import SMS_UNIT
from .coordinator import SmsLinkBalanceCoordinator
from .entity import account_device_info
from .providers.smslink import Balance
from .runtime import CloudConfigEntry


@dataclass(frozen=True, kw_only=True)
class AccountSensorDescription(SensorEntityDescription):
    """How to read one figure of the account's balance."""

    value_fn: Callable[[Balance], int]


ACCOUNT_SENSORS: tuple[AccountSensorDescription, ...] = (
    AccountSensorDescription(
        key="national_sms",
        translation_key="national_sms",
        native_unit_of_measurement=SMS_UNIT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda balance: balance.national,
    ),
    AccountSensorDescription(
        key="international_sms",
        translation_key="international_sms",
        native_unit_of_measurement=SMS_UNIT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda balance: balance.international,
    ),
)


class AccountBalanceSensor(CoordinatorEntity[SmsLinkBalanceCoordinator], SensorEntity):
    """One figure of an SMSLink account's balance."""

    _attr_has_entity_name = True
    entity_description: AccountSensorDescription

    def __init__(
        self,
        entry: CloudConfigEntry,
        coordinator: SmsLinkBalanceCoordinator,
        description: AccountSensorDescription,
    ) -> None:
        """Tie the sensor to the account device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = account_device_info(entry)

    @property
    def native_value(self) -> int:
        """SMS left, as SMSLink last said."""
        return self.entity_description.value_fn(self.coordinator.data)


def account_sensors(entry: CloudConfigEntry) -> list[AccountBalanceSensor]:
    """Build the balance sensors of an account that has a balance (SMSLink); none for Plasgate."""
    balance = entry.runtime_data.balance
    if balance is None:
        return []
    return [AccountBalanceSensor(entry, balance, description) for description in ACCOUNT_SENSORS]
