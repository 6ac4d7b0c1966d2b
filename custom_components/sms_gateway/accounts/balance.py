"""The SMS left on an account whose service can tell: read every half hour and after each send."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..const import CLOUD_BALANCE_INTERVAL, DOMAIN, LOGGER
from ..errors import coordinator_update
from ..providers.smslink import Balance
from .service import BalanceRead


class SmsLinkBalanceCoordinator(DataUpdateCoordinator[Balance]):
    """The SMS left on an account, national and international, as its service last said."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, read: BalanceRead) -> None:
        """Read every half hour; the first read also proves the credentials at set-up."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title} balance",
            update_interval=CLOUD_BALANCE_INTERVAL,
            always_update=False,
        )
        self._read = read

    async def _async_update_data(self) -> Balance:
        return await coordinator_update(self._read)
