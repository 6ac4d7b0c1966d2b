"""Saved options take effect at once: the options flow reloads the entry, no update listener."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.core import callback


class ReloadingOptionsFlow(OptionsFlow):
    """An options flow whose saved options reload the entry.

    Set-up reads the options (polling, sender, defaults, balance codes), so new ones need a reload.
    The flow schedules it itself: Home Assistant reports an update listener next to
    `async_update_reload_and_abort` (which reauth and reconfigure use) as breaking in 2026.12,
    and `OptionsFlowWithReload` does not exist on the floor release (2025.4).
    """

    @callback
    def async_save_options(self, options: dict[str, Any]) -> ConfigFlowResult:
        """Store the options, reload the entry if they changed, and close the flow."""
        entry = self.config_entry
        if self.hass.config_entries.async_update_entry(entry, options=options):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_create_entry(data=options)
