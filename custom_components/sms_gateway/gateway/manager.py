"""What every manager of one gateway works from: its ports coordinator, its client and its entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .coordinator import DinstarPortsCoordinator
from .devices import DeviceIds


class GatewayManager:
    """Holds Home Assistant, the ports (whose serial names the devices) and the entry's lifecycle.

    The entry is there for its id, title, options and unload hooks; never for its runtime data,
    which is built from the managers.
    """

    def __init__(self, hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
        """Nothing runs until the manager is asked."""
        self.hass = hass
        self.ports = ports
        self.entry: ConfigEntry = ports.config_entry
        self.client = ports.client
        self.device_ids = DeviceIds(hass, ports)
