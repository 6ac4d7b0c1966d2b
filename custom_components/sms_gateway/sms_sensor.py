"""Per port what a user reads first: the last SMS received (text and sender), the last one sent.

They show on the port's device page and dashboards, so reading an SMS needs no developer tools;
automations use the events, which carry the same facts whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
)
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import callback

from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .entity import DinstarPortEntity
from .last_sent import SENT_STATUSES

STATE_LENGTH_LIMIT = 255
"""Characters a state can hold; the whole text stays in an attribute."""


@dataclass(frozen=True, kw_only=True)
class LastSmsDescription(SensorEntityDescription):
    """Which key of the received-SMS event the state shows; the others become attributes."""

    field: str
    attributes: tuple[str, ...]


LAST_SMS_SENSORS: tuple[LastSmsDescription, ...] = (
    LastSmsDescription(
        key="last_sms",
        translation_key="last_sms",
        field="text",
        attributes=("sender", "received_at", "text"),
    ),
    LastSmsDescription(
        key="last_sms_sender",
        translation_key="last_sms_sender",
        field="sender",
        attributes=("received_at",),
    ),
)
LAST_SENT_SMS = SensorEntityDescription(
    key="last_sent_sms",
    translation_key="last_sent_sms",
    device_class=SensorDeviceClass.ENUM,
    options=list(SENT_STATUSES),
)
_LAST_SENT_ATTRIBUTES = ("recipient", "message_id", "reported_at")


def sms_sensors(entry: DinstarConfigEntry) -> Iterator[DinstarPortEntity[DinstarPortsCoordinator]]:
    """Every port's last-SMS sensors."""
    ports = entry.runtime_data.ports
    for port in ports.data:
        for description in LAST_SMS_SENSORS:
            yield DinstarLastSmsSensor(entry, ports, description, port)
        yield DinstarLastSentSmsSensor(entry, ports, LAST_SENT_SMS, port)


def one_line(text: str) -> str:
    """Put a text on one line, cut to what a state can hold."""
    return " ".join(text.split())[:STATE_LENGTH_LIMIT]


class _RestoredPortSensor(DinstarPortEntity[DinstarPortsCoordinator], RestoreSensor):
    """Shows what it showed before a restart until something new comes."""

    _restored_attributes: tuple[str, ...] = ()

    async def async_added_to_hass(self) -> None:
        """Take back the last state and its attributes."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is None or last.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            return
        self._attr_native_value = last.state
        self._attr_extra_state_attributes = {
            key: last.attributes[key] for key in self._restored_attributes if key in last.attributes
        }


class DinstarLastSmsSensor(_RestoredPortSensor):
    """One fact of the last SMS the port received: its text, or who sent it."""

    entity_description: LastSmsDescription

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortsCoordinator,
        description: LastSmsDescription,
        port: int,
    ) -> None:
        """Listen to the port's SMS from the inbox."""
        super().__init__(entry, coordinator, description, port)
        self._inbox = entry.runtime_data.inbox
        self._restored_attributes = description.attributes

    async def async_added_to_hass(self) -> None:
        """Follow the port's SMS."""
        await super().async_added_to_hass()
        self.async_on_remove(self._inbox.async_listen_port(self.port, self._handle_sms))

    @callback
    def _handle_sms(self, data: dict[str, Any]) -> None:
        value = data.get(self.entity_description.field)
        self._attr_native_value = one_line(value) if isinstance(value, str) else None
        self._attr_extra_state_attributes = {
            key: data.get(key) for key in self.entity_description.attributes
        }
        self.async_write_ha_state()


class DinstarLastSentSmsSensor(_RestoredPortSensor):
    """How far the newest SMS sent from the port got: sent, delivered or failed."""

    _restored_attributes = _LAST_SENT_ATTRIBUTES

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortsCoordinator,
        description: SensorEntityDescription,
        port: int,
    ) -> None:
        """Read the port's reports from the send tracker."""
        super().__init__(entry, coordinator, description, port)
        self._last_sent = entry.runtime_data.sends.last_sent

    async def async_added_to_hass(self) -> None:
        """Follow the port's reports."""
        await super().async_added_to_hass()
        self.async_on_remove(self._last_sent.listeners.async_add(self.port, self._handle_report))

    @callback
    def _handle_report(self) -> None:
        sms = self._last_sent.sms[self.port]
        self._attr_native_value = sms.status
        self._attr_extra_state_attributes = {
            "recipient": sms.recipient,
            "message_id": sms.message_id,
            "reported_at": sms.reported_at.isoformat(),
        }
        self.async_write_ha_state()
