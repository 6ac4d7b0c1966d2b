"""The SMS left on an account, national and international, on the account device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)

from ..const import SMS_UNIT
from ..entity import DeviceEntity
from ..providers.smslink import Balance
from .balance import SmsLinkBalanceCoordinator
from .devices import account_device_info
from .runtime import AccountConfigEntry


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


def account_sensors(entry: AccountConfigEntry) -> list[AccountBalanceSensor]:
    """Build the balance sensors of an account whose service has a balance; none otherwise."""
    balance = entry.runtime_data.balance
    if balance is None:
        return []
    return [AccountBalanceSensor(entry, balance, description) for description in ACCOUNT_SENSORS]
