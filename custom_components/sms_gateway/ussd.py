"""USSD per port: run an exchange, keep each port's last reply, tell the bus and the sensors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_USSD_REPLY, LOGGER
from .coordinator import DinstarConfigEntry
from .entity import async_device_id, port_identifier
from .providers.dinstar import DinstarClient
from .providers.errors import (
    AuthError,
    InvalidInputError,
    PortBusyError,
    PortNotRegisteredError,
    ProviderError,
    ProviderTimeoutError,
)

USSD_TIMEOUT = 30.0
"""Seconds an exchange waits for the operator's reply (operators take 1 to 15 s)."""
USSD_POLL_INTERVAL = 2.0
"""Seconds between reply polls while no push has come (the push usually comes first)."""
PUSH_ECHO_WINDOW = timedelta(seconds=60)
"""A push repeating the reply an exchange just read by polling is that reply, not a new one."""


@dataclass(frozen=True, slots=True)
class UssdReply:
    """The last reply a port received; code is None when nobody here asked (network message)."""

    code: str | None
    text: str
    received_at: datetime


class PortListeners:
    """Callbacks per port, so a change on one port wakes only that port's entities."""

    def __init__(self) -> None:
        """Start with nobody listening."""
        self._listeners: dict[int, list[Callable[[], None]]] = {}

    @callback
    def async_add(self, port: int, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call listener when the port changes, until the returned callback is called."""
        self._listeners.setdefault(port, []).append(listener)

        @callback
        def remove() -> None:
            self._listeners[port].remove(listener)

        return remove

    @callback
    def notify(self, port: int) -> None:
        """Tell the port's listeners that something changed."""
        for listener in list(self._listeners.get(port, ())):
            listener()


def _translated_error(port: int, err: ProviderError) -> HomeAssistantError:
    placeholders = {"port": str(port), "error": str(err)}
    if isinstance(err, InvalidInputError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="ussd_invalid_code",
            translation_placeholders=placeholders,
        )
    key = "ussd_failed"
    if isinstance(err, PortBusyError):
        key = "ussd_port_busy"
    elif isinstance(err, PortNotRegisteredError):
        key = "ussd_port_not_registered"
    elif isinstance(err, ProviderTimeoutError):
        key = "ussd_timeout"
    elif isinstance(err, AuthError):
        key = "invalid_auth"
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


class UssdManager:
    """USSD for one gateway; the client holds one session per port, ports run in parallel."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Nothing is asked until someone calls exchange."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self.replies: dict[int, UssdReply] = {}
        self.listeners = PortListeners()
        self._running: Counter[int] = Counter()

    async def exchange(self, port: int, code: str) -> str:
        """Send code on port and return the operator's reply."""
        if port not in self.entry.runtime_data.ports.data:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_port",
                translation_placeholders={"port": str(port)},
            )
        self._running[port] += 1
        try:
            text = await self.client.ussd_exchange(
                port, code, timeout=USSD_TIMEOUT, poll_interval=USSD_POLL_INTERVAL
            )
        except ProviderError as err:
            raise _translated_error(port, err) from err
        finally:
            self._running[port] -= 1
        self._record(port, code, text)
        return text

    @callback
    def handle_push_reply(self, port: int, text: str | None) -> None:
        """Take a pushed reply: hand it to the waiting exchange, else it is news of its own."""
        if self.client.deliver_ussd_reply(port, text):
            return
        if text is None or not text.strip():
            LOGGER.debug("Port %s: ignoring an empty USSD push", port)
            return
        if self._running[port]:
            # The running exchange reads its reply itself (by polling); this push is that reply
            # or a stale one from before its session.
            LOGGER.debug("Port %s: USSD push during an exchange, left to the exchange", port)
            return
        last = self.replies.get(port)
        if (
            last is not None
            and last.text == text
            and dt_util.utcnow() - last.received_at < PUSH_ECHO_WINDOW
        ):
            LOGGER.debug("Port %s: late USSD push of the reply already read", port)
            return
        self._record(port, None, text)

    def _record(self, port: int, code: str | None, text: str) -> None:
        self.replies[port] = UssdReply(code=code, text=text, received_at=dt_util.utcnow())
        self.hass.bus.async_fire(
            EVENT_USSD_REPLY,
            {
                "entry_id": self.entry.entry_id,
                "port": port,
                "device_id": self._device_id(port),
                "code": code,
                "text": text,
            },
        )
        self.listeners.notify(port)

    def _device_id(self, port: int) -> str | None:
        identifier = port_identifier(self.entry.runtime_data.serial, port)
        return async_device_id(self.hass, self.entry, identifier)
