"""Repair flows: the push address is shown when the user opens the repair, never stored.

The address holds the webhook id, the only guard of the webhook. An issue's placeholders are kept
in the repairs store and copied into diagnostics downloads, so the issue names the gateway only
and this flow shows the address.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
import voluptuous as vol

from .webhook import push_url

if TYPE_CHECKING:
    # Newer Home Assistant types a fix flow's steps as RepairsFlowResult; those releases are the
    # ones that need Python 3.14, which is how the type checker tells them apart.
    if sys.version_info >= (3, 14):
        from homeassistant.components.repairs import RepairsFlowResult as FixFlowResult
    else:
        from homeassistant.data_entry_flow import FlowResult as FixFlowResult

ISSUE_ENTRY_ID = "entry_id"
"""Key of the issue data that names the entry the issue is about."""


class PushUrlFlow(RepairsFlow):
    """Show the address the gateway must push to; done once the user has read it."""

    def __init__(self, entry_id: str) -> None:
        """Remember the entry; its webhook id is read when the address is shown."""
        self._entry_id = entry_id

    async def async_step_init(self, _issue: dict[str, str] | None = None) -> FixFlowResult:
        """Start here: what the repairs manager passes in is the issue id, not an answer."""
        return await self.async_step_confirm()

    async def async_step_confirm(self, user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """Show the address and the gateway settings it goes into; done once submitted."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={
                "gateway": entry.title,
                "webhook_url": push_url(self.hass, entry.data[CONF_WEBHOOK_ID]),
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Show the push address for the push issue; the other issues only ask for a confirmation."""
    if data is not None and ISSUE_ENTRY_ID in data:
        return PushUrlFlow(str(data[ISSUE_ENTRY_ID]))
    return ConfirmRepairFlow()
