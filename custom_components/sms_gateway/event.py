"""Per port an "Incoming SMS" event entity, fed by the inbox once per message."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .gateway.entity import DinstarPortFollower, every_port
from .gateway.inbox import DinstarInbox
from .gateway.runtime import GatewayConfigEntry

PARALLEL_UPDATES = 0

EVENT_SMS_RECEIVED_TYPE = "sms_received"
EVENT_ATTRIBUTES = ("sender", "text", "received_at")

INCOMING_SMS = EventEntityDescription(
    key="incoming_sms",
    translation_key="incoming_sms",
    event_types=[EVENT_SMS_RECEIVED_TYPE],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One event entity per port."""
    ports, inbox = entry.runtime_data.ports, entry.runtime_data.inbox
    async_add_entities(
        every_port(ports, lambda port: DinstarIncomingSmsEvent(ports, INCOMING_SMS, port, inbox))
    )


class DinstarIncomingSmsEvent(DinstarPortFollower[DinstarInbox], EventEntity):
    """Fires when an SMS arrives on its port; available while the gateway is."""

    _was_available = True

    async def async_added_to_hass(self) -> None:
        """Remember the availability first shown; follow the inbox."""
        self._was_available = self.coordinator.last_update_success
        await super().async_added_to_hass()

    @callback
    def _handle_port_news(self) -> None:
        data = self.source.received[self.port]
        self._trigger_event(
            EVENT_SMS_RECEIVED_TYPE, {key: data.get(key) for key in EVENT_ATTRIBUTES}
        )
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Port data says nothing about SMS: write state only when availability changes."""
        available = self.coordinator.last_update_success
        if available != self._was_available:
            self._was_available = available
            super()._handle_coordinator_update()
