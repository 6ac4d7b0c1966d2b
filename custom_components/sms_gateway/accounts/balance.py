"""The SMS left on an account whose service can tell: read every half hour and after each send."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..const import CLOUD_BALANCE_INTERVAL
from ..coordinator import EntryCoordinator
from ..errors import coordinator_update
from ..providers.smslink import Balance
from .service import BalanceRead


class SmsLinkBalanceCoordinator(EntryCoordinator[Balance]):
    """The SMS left on an account, national and international, as its service last said."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, read: BalanceRead) -> None:
        """Read every half hour; the first read also proves the credentials at set-up."""
        super().__init__(
            hass, entry, name=f"{entry.title} balance", interval=CLOUD_BALANCE_INTERVAL
        )
        self._read = read

    async def _async_update_data(self) -> Balance:
        return await coordinator_update(self._read)
