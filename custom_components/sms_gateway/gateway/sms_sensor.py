"""Per port what a user reads first: the last SMS received (text and sender), the last one sent.

They show on the port's device page and dashboards, so reading an SMS needs no developer tools;
automations use the events, which carry the same facts whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
)
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import callback

from .coordinator import DinstarPortsCoordinator
from .entity import DinstarPortEntity, DinstarPortFollower, PortNews
from .inbox import DinstarInbox
from .last_sent import SENT_STATUSES, LastSentByPort

STATE_LENGTH_LIMIT = 255
"""Characters a state can hold; the whole text stays in an attribute."""


@dataclass(frozen=True, kw_only=True)
class PortNewsDescription(SensorEntityDescription):
    """A sensor of a port's latest news; its attributes are shown again after a restart."""

    attributes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class LastSmsDescription(PortNewsDescription):
    """Which key of the received-SMS event the state shows; the attributes come from it too."""

    field: str


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
LAST_SENT_SMS = PortNewsDescription(
    key="last_sent_sms",
    translation_key="last_sent_sms",
    device_class=SensorDeviceClass.ENUM,
    options=list(SENT_STATUSES),
    attributes=("recipient", "message_id", "reported_at"),
)


def sms_sensors(
    ports: DinstarPortsCoordinator, inbox: DinstarInbox, last_sent: LastSentByPort
) -> Iterator[DinstarPortEntity]:
    """Every port's last-SMS sensors."""
    for port in ports.data:
        for description in LAST_SMS_SENSORS:
            yield DinstarLastSmsSensor(ports, description, port, inbox)
        yield DinstarLastSentSmsSensor(ports, LAST_SENT_SMS, port, last_sent)


def one_line(text: str) -> str:
    """Put a text on one line, cut to what a state can hold."""
    return " ".join(text.split())[:STATE_LENGTH_LIMIT]


class _RestoredPortSensor[SourceT: PortNews](DinstarPortFollower[SourceT], RestoreSensor):
    """Shows what it showed before a restart until something new comes."""

    entity_description: PortNewsDescription

    async def async_added_to_hass(self) -> None:
        """Take back the last state and its attributes."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is None or last.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            return
        self._attr_native_value = last.state
        self._attr_extra_state_attributes = {
            key: last.attributes[key]
            for key in self.entity_description.attributes
            if key in last.attributes
        }


class DinstarLastSmsSensor(_RestoredPortSensor[DinstarInbox]):
    """One fact of the last SMS the port received: its text, or who sent it."""

    entity_description: LastSmsDescription

    @callback
    def _handle_port_news(self) -> None:
        data = self.source.received[self.port]
        value = data.get(self.entity_description.field)
        self._attr_native_value = one_line(value) if isinstance(value, str) else None
        self._attr_extra_state_attributes = {
            key: data.get(key) for key in self.entity_description.attributes
        }
        self.async_write_ha_state()


class DinstarLastSentSmsSensor(_RestoredPortSensor[LastSentByPort]):
    """How far the newest SMS sent from the port got: sent, delivered or failed."""

    @callback
    def _handle_port_news(self) -> None:
        sms = self.source.sms[self.port]
        self._attr_native_value = sms.status
        self._attr_extra_state_attributes = {
            "recipient": sms.recipient,
            "message_id": sms.message_id,
            "reported_at": sms.reported_at.isoformat(),
        }
        self.async_write_ha_state()
