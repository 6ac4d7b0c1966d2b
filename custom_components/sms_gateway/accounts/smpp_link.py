"""A Plasgate account over SMPP: its link, kept bound while the entry is loaded.

The link (providers/plasgate/smpp) does the protocol; this side gives it the entry's settings,
keeps what it must remember of incoming SMS on disk (so a redelivery after a restart is still
known), turns receipts into delivery reports through the account's sends, fires each incoming
SMS once, and tells the bind state entity when the state changes. Unloading the entry, or Home
Assistant stopping, unbinds cleanly first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_ENABLED,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.ssl import client_context

from ..bus_events import async_fire_sms_received
from ..const import CONF_SMPP, CONF_SYSTEM_ID, CONF_THROUGHPUT, CONF_TLS, CONF_WINDOW, DOMAIN
from ..providers.plasgate import DeliveryReport
from ..providers.plasgate.smpp import (
    DEFAULT_PORT,
    IncomingMemory,
    IncomingSms,
    LinkState,
    SmppLink,
    SmppSettings,
)
from .devices import account_origin
from .plasgate import report_status
from .sender import CloudSendTracker
from .smpp_login_issue import async_follow_smpp_login

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 1.0
DEFAULT_THROUGHPUT: Final = 10.0
DEFAULT_WINDOW: Final = 10
SMPP_MODEL: Final = "SMPP v3.4"
"""The account device's model while it runs over SMPP (instead of its REST API key)."""


def smpp_options(options: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Return the account's SMPP settings as saved, or None when it sends by REST."""
    smpp = options.get(CONF_SMPP)
    if isinstance(smpp, Mapping) and smpp.get(CONF_ENABLED) and smpp.get(CONF_HOST):
        return smpp
    return None


def smpp_settings(smpp: Mapping[str, Any]) -> SmppSettings:
    """Build the link's settings; raise InvalidInputError for a login SMPP cannot carry."""
    return SmppSettings(
        host=smpp[CONF_HOST],
        port=int(smpp.get(CONF_PORT, DEFAULT_PORT)),
        system_id=smpp[CONF_SYSTEM_ID],
        password=smpp.get(CONF_PASSWORD, ""),
        ssl_context=client_context() if smpp.get(CONF_TLS) else None,
        throughput=float(smpp.get(CONF_THROUGHPUT, DEFAULT_THROUGHPUT)),
        window=int(smpp.get(CONF_WINDOW, DEFAULT_WINDOW)),
    )


def memory_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an account keeps its incoming memory (removed with the entry)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.smpp")


class SmppAccount:
    """The link of one account and everything it tells Home Assistant."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, settings: SmppSettings) -> None:
        """Nothing connects until async_start()."""
        self._hass = hass
        self._entry = entry
        self._store = memory_store(hass, entry.entry_id)
        self._sends: CloudSendTracker | None = None
        self._state_listeners: list[Callable[[], None]] = []
        self.link = SmppLink(settings, self, IncomingMemory())

    async def async_start(self, sends: CloudSendTracker) -> None:
        """Read the memory, then bind in the background; stop with the entry or Home Assistant.

        A set-up that runs while Home Assistant stops (a late reload) binds nothing: the stop
        event has gone, so nothing would unbind it.
        """
        self._sends = sends
        self.link.memory = IncomingMemory.from_dict(await self._store.async_load())
        if self.link.memory.forget_old():
            self.memory_changed()
        if self._hass.is_stopping:
            return
        entry = self._entry
        entry.async_create_background_task(
            self._hass, self.link.run(), f"{DOMAIN} SMPP link {entry.entry_id}"
        )
        entry.async_on_unload(self.async_stop)
        entry.async_on_unload(
            self._hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_stop_event)
        )

    async def _async_stop_event(self, _event: Event) -> None:
        await self.async_stop()

    async def async_stop(self) -> None:
        """Unbind (bounded), then write the memory down now."""
        await self.link.stop()
        await self._store.async_save(self.link.memory.as_dict())

    @property
    def state(self) -> LinkState:
        """The bind state now."""
        return self.link.state

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call listener on each change of the bind state, until the returned callback."""
        self._state_listeners.append(listener)
        return lambda: self._state_listeners.remove(listener)

    # --- what the link tells (LinkListener) ------------------------------------------------------

    def state_changed(self, state: LinkState, /) -> None:
        """Tell the entities, and the repairs when the login is refused or binds again."""
        async_follow_smpp_login(self._hass, self._entry, state)
        for listener in list(self._state_listeners):
            listener()

    def report(self, report: DeliveryReport, /) -> None:
        """Pass a receipt on as a delivery report of this account's sends (others are dropped)."""
        if self._sends is not None:
            self._sends.handle_delivery(report.message_id, report_status(report), report.status)

    def incoming(self, sms: IncomingSms, /) -> None:
        """Fire the incoming SMS (the link tells each once)."""
        async_fire_sms_received(
            self._hass,
            account_origin(self._hass, self._entry),
            sender=sms.source,
            text=sms.text,
            received_at=dt_util.utcnow(),
            receiver=sms.destination,
        )

    def memory_changed(self) -> None:
        """Write the memory soon: a burst of deliveries is written once."""
        self._store.async_delay_save(self.link.memory.as_dict, SAVE_DELAY)

    def diagnostics(self) -> dict[str, Any]:
        """Give the link's state and counts (no address, login or number)."""
        memory = self.link.memory
        return {
            "state": self.link.state,
            "last_error": self.link.last_error,
            "in_flight": self.link.in_flight,
            "most_in_flight": self.link.most_in_flight,
            "expected_redeliveries": len(memory.expected),
            "incomplete_sms": len(memory.pending),
        }
