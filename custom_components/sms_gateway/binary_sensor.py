"""Binary sensors: whether each port's module is attached to GPRS."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .gateway.entity import DinstarPortEntity, every_port
from .gateway.runtime import GatewayConfigEntry

PARALLEL_UPDATES = 0

GPRS = BinarySensorEntityDescription(
    key="gprs",
    translation_key="gprs",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a GPRS sensor per port."""
    ports = entry.runtime_data.ports
    async_add_entities(every_port(ports, lambda port: DinstarGprsSensor(ports, GPRS, port)))


class DinstarGprsSensor(DinstarPortEntity, BinarySensorEntity):
    """On while the port's module is attached to the packet network."""

    @property
    def is_on(self) -> bool | None:
        """The gateway reports `attached` or `detached`; anything else is unknown."""
        info = self.coordinator.data.get(self.port)
        gprs = None if info is None or info.gprs is None else info.gprs.strip().lower()
        if gprs in ("attached", "detached"):
            return gprs == "attached"
        return None
