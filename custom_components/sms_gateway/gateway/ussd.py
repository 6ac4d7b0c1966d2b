"""USSD per port: run an exchange, keep each port's last reply, tell the bus and the sensors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from ..bus_events import Origin, async_fire_ussd_reply
from ..const import DOMAIN, LOGGER, PROVIDER_DINSTAR
from ..errors import USSD_ERRORS, port_error
from ..providers.errors import ProviderError
from .coordinator import DinstarPortsCoordinator
from .manager import GatewayManager
from .port_listeners import PortListeners

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


class UssdManager(GatewayManager):
    """USSD for one gateway; the client holds one session per port, ports run in parallel."""

    def __init__(self, hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
        """Nothing is asked until someone calls exchange."""
        super().__init__(hass, ports)
        self.replies: dict[int, UssdReply] = {}
        self.listeners = PortListeners()
        self._running: Counter[int] = Counter()

    async def exchange(self, port: int, code: str) -> str:
        """Send code on port and return the operator's reply."""
        if port not in self.ports.data:
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
            raise port_error(err, port, USSD_ERRORS) from err
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
        origin = Origin(
            self.ports.config_entry.entry_id, PROVIDER_DINSTAR, self.device_ids.port(port)
        )
        async_fire_ussd_reply(self.hass, origin, port=port, code=code, text=text)
        self.listeners.notify(port)
