"""The coordinators' common ground: one entry's data, named after it, polled on a schedule."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN, LOGGER


class EntryCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Polls for one entry; data equal to the last notifies nobody."""

    config_entry: ConfigEntry
    """The entry, for its lifecycle (never its runtime data)."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, *, name: str, interval: timedelta
    ) -> None:
        """Poll every interval; the name goes into the logs after the domain."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {name}",
            update_interval=interval,
            always_update=False,
        )
