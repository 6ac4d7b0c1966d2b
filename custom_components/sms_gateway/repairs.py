"""Repair flows: the push address (shown when the repair is opened, never stored), a swapped SIM.

The address holds the webhook id, the only guard of the webhook. An issue's placeholders are kept
in the repairs store and copied into diagnostics downloads, so the issue names the gateway only
and this flow shows the address.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import BooleanSelector
import voluptuous as vol

from .const import CONF_BALANCE
from .gateway.inbox import DinstarInbox
from .gateway.issues import ISSUE_ENTRY_ID, ISSUE_PORT
from .gateway.push_receiver import push_url
from .gateway.runtime import GatewayConfigEntry

if TYPE_CHECKING:
    # Newer Home Assistant types a fix flow's steps as RepairsFlowResult; those releases are the
    # ones that need Python 3.14, which is how the type checker tells them apart.
    if sys.version_info >= (3, 14):
        from homeassistant.components.repairs import RepairsFlowResult as FixFlowResult
    else:
        from homeassistant.data_entry_flow import FlowResult as FixFlowResult

RESET_BALANCE = "reset_balance"
PUSH_WAIT = 300
"""Seconds the push repair waits for the gateway's first push once the user saved its settings."""


class _GatewayRepairFlow(RepairsFlow):
    """A fix flow about one gateway entry; it starts by asking for a confirmation."""

    def __init__(self, entry_id: str) -> None:
        """Remember the entry; it is looked up at each step (it may be gone meanwhile)."""
        self._entry_id = entry_id

    def _entry(self) -> GatewayConfigEntry | None:
        return self.hass.config_entries.async_get_entry(self._entry_id)

    async def async_step_init(self, _issue: dict[str, str] | None = None) -> FixFlowResult:
        """Start here: what the repairs manager passes in is the issue id, not an answer."""
        return await self.async_step_confirm()

    async def async_step_confirm(self, user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """Ask the flow's question."""
        raise NotImplementedError


class PushUrlFlow(_GatewayRepairFlow):
    """Show the address the gateway must push to, then wait for a push to prove it works."""

    def __init__(self, entry_id: str) -> None:
        """Wait for no push yet; the webhook id is read when the address is shown."""
        super().__init__(entry_id)
        self._waiting: asyncio.Task[bool] | None = None

    async def async_step_confirm(self, user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """Show the address and the gateway settings it goes into; then wait for a push."""
        entry = self._entry()
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            if entry.state is not ConfigEntryState.LOADED:
                return self.async_create_entry(data={})  # nothing listens for a push now
            return await self.async_step_wait_push()
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={
                "gateway": entry.title,
                "webhook_url": push_url(self.hass, entry.data[CONF_WEBHOOK_ID]),
            },
        )

    async def async_step_wait_push(
        self, _user_input: dict[str, Any] | None = None
    ) -> FixFlowResult:
        """Wait, with a spinner, until the gateway pushes or the wait runs out."""
        entry = self._entry()
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_removed")
        if self._waiting is None:
            self._waiting = self.hass.async_create_task(
                _pushed_within(entry.runtime_data.inbox, PUSH_WAIT)
            )
        if not self._waiting.done():
            return self.async_show_progress(
                step_id="wait_push",
                progress_action="wait_push",
                progress_task=self._waiting,
                description_placeholders={"gateway": entry.title},
            )
        pushed = self._waiting.result()
        self._waiting = None
        return self.async_show_progress_done(next_step_id="pushed" if pushed else "no_push")

    async def async_step_pushed(self, _user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """Finish: the gateway pushed."""
        return self.async_create_entry(data={})

    async def async_step_no_push(self, user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """No push came: say what to check, then show the address again."""
        entry = self._entry()
        if user_input is not None or entry is None:
            return await self.async_step_confirm()
        return self.async_show_form(
            step_id="no_push",
            data_schema=vol.Schema({}),
            description_placeholders={"gateway": entry.title},
        )


async def _pushed_within(inbox: DinstarInbox, seconds: float) -> bool:
    """Tell whether the gateway pushed anything within the time given."""
    try:
        async with asyncio.timeout(seconds):
            await inbox.async_wait_for_push()
    except TimeoutError:
        return False
    return True


class SimSwappedFlow(_GatewayRepairFlow):
    """A port's SIM changed: keep its balance settings for the new SIM, or drop them."""

    def __init__(self, entry_id: str, port: int) -> None:
        """Remember the port too."""
        super().__init__(entry_id)
        self._port = port

    async def async_step_confirm(self, user_input: dict[str, Any] | None = None) -> FixFlowResult:
        """Ask about the balance settings only when the port has some."""
        entry = self._entry()
        if entry is None:
            return self.async_abort(reason="entry_removed")
        balances: dict[str, Any] = dict(entry.options.get(CONF_BALANCE, {}))
        has_balance = str(self._port) in balances
        if user_input is not None:
            if has_balance and user_input.get(RESET_BALANCE):
                del balances[str(self._port)]
                self.hass.config_entries.async_update_entry(
                    entry, options={**entry.options, CONF_BALANCE: balances}
                )
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return self.async_create_entry(data={})
        schema = (
            vol.Schema({vol.Required(RESET_BALANCE, default=False): BooleanSelector()})
            if has_balance
            else vol.Schema({})
        )
        return self.async_show_form(
            step_id="confirm" if has_balance else "confirm_no_balance",
            data_schema=schema,
            description_placeholders={"gateway": entry.title, "port": str(self._port)},
        )

    async def async_step_confirm_no_balance(
        self, user_input: dict[str, Any] | None = None
    ) -> FixFlowResult:
        """Acknowledge a new SIM in a port without balance settings."""
        return await self.async_step_confirm(user_input)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Show the push address, ask about a swapped SIM; other issues only ask for a confirmation."""
    if data is not None and ISSUE_PORT in data:
        return SimSwappedFlow(str(data[ISSUE_ENTRY_ID]), int(data[ISSUE_PORT]))
    if data is not None and ISSUE_ENTRY_ID in data:
        return PushUrlFlow(str(data[ISSUE_ENTRY_ID]))
    return ConfirmRepairFlow()
