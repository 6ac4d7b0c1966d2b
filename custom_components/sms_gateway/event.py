"""Per port an "Incoming SMS" event entity, fed by the inbox once per message."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .entity import DinstarPortEntity

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
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One event entity per port."""
    ports = entry.runtime_data.ports
    async_add_entities(
        DinstarIncomingSmsEvent(entry, ports, INCOMING_SMS, port) for port in ports.data
    )


class DinstarIncomingSmsEvent(DinstarPortEntity[DinstarPortsCoordinator], EventEntity):
    """Fires when an SMS arrives on its port; available while the gateway is."""

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortsCoordinator,
        description: EventEntityDescription,
        port: int,
    ) -> None:
        """Listen to the inbox for the port's SMS."""
        super().__init__(entry, coordinator, description, port)
        self._inbox = entry.runtime_data.inbox
        self._was_available = coordinator.last_update_success

    async def async_added_to_hass(self) -> None:
        """Subscribe to the inbox."""
        await super().async_added_to_hass()
        self.async_on_remove(self._inbox.async_listen_port(self.port, self._handle_sms))

    @callback
    def _handle_sms(self, data: dict[str, Any]) -> None:
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
