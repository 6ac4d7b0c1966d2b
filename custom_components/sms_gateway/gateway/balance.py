"""SIM balance per port: the operator's USSD code on its own schedule, the amount pulled out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
import re

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_time_interval

from ..const import DEFAULT_BALANCE_PATTERN, DOMAIN, LOGGER
from ..providers.amounts import amount_in, find_balance
from .balance_options import BalanceSettings, balance_settings
from .coordinator import DinstarPortsCoordinator
from .manager import GatewayManager
from .port_listeners import PortListeners
from .ussd import UssdManager

ISSUE_LOW_BALANCE = "low_balance"

FIRST_REFRESH_DELAY = timedelta(seconds=15)
"""Start-up is not held up by USSD: the first reading comes this long after set-up."""


@dataclass(frozen=True, slots=True)
class BalanceReading:
    """The last reading; value is None when the reply held no amount (the reply is kept)."""

    value: float | None
    reply: str


def low_balance_issue_id(entry_id: str, port: int) -> str:
    """One low-balance repair per port of an entry."""
    return f"{ISSUE_LOW_BALANCE}_{entry_id}_{port}"


def parse_amount(reply: str, pattern: re.Pattern[str] | None = None) -> float | None:
    """Find the amount in the reply, or None when it holds none.

    The default pattern (or none) picks the balance out of the whole reply: the number by a
    balance word or a currency, never a USSD code, a date, a time or a phone number. A user's own
    pattern says where the amount is: its first group, or its whole match; the first number in
    that text is read, in any grouping and with either decimal separator.
    """
    if pattern is None or pattern.pattern == DEFAULT_BALANCE_PATTERN:
        return find_balance(reply)
    match = pattern.search(reply)
    if match is None:
        return None
    found = match.group(1) if pattern.groups else match.group(0)
    return None if found is None else amount_in(found)


class BalanceManager(GatewayManager):
    """Reads each configured port's balance on that port's schedule, ports in parallel."""

    def __init__(
        self, hass: HomeAssistant, ports: DinstarPortsCoordinator, ussd: UssdManager
    ) -> None:
        """Read the settings; nothing runs until async_start."""
        super().__init__(hass, ports)
        self.ussd = ussd
        self.settings = balance_settings(self.entry.options)
        self.readings: dict[int, BalanceReading] = {}
        self.listeners = PortListeners()
        self._failing: set[int] = set()

    @callback
    def async_start(self) -> None:
        """Schedule every configured port; the timers end when the entry unloads."""
        known = self.ports.data
        for port in [port for port in self.settings if port not in known]:
            LOGGER.warning("Port %s has a balance code but the gateway has no such port", port)
            del self.settings[port]
        if not self.settings:
            return
        for port, settings in self.settings.items():
            self.entry.async_on_unload(
                async_track_time_interval(
                    self.hass,
                    partial(self._scheduled, port),
                    settings.interval,
                    name=f"{DOMAIN} balance port {port}",
                )
            )
        self.entry.async_on_unload(
            async_call_later(self.hass, FIRST_REFRESH_DELAY, self._refresh_all)
        )

    @callback
    def _refresh_all(self, _now: datetime) -> None:
        for port in self.settings:
            self._scheduled(port, _now)

    @callback
    def _scheduled(self, port: int, _now: datetime) -> None:
        self.entry.async_create_background_task(
            self.hass, self._refresh_logged(port), name=f"{DOMAIN} balance port {port}"
        )

    async def _refresh_logged(self, port: int) -> None:
        """Log a failing scheduled reading once, and once more when it works again."""
        try:
            await self.async_refresh(port)
        except HomeAssistantError as err:
            if port in self._failing:
                LOGGER.debug("Port %s: the balance still cannot be read: %s", port, err)
            else:
                LOGGER.warning("Port %s: the balance could not be read: %s", port, err)
                self._failing.add(port)
            return
        if port in self._failing:
            LOGGER.info("Port %s: the balance can be read again", port)
            self._failing.discard(port)

    async def async_refresh(self, port: int) -> BalanceReading:
        """Ask the operator now and keep what it says, amount or not."""
        settings = self.settings.get(port)
        if settings is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="balance_not_configured",
                translation_placeholders={"port": str(port)},
            )
        reply = await self.ussd.exchange(port, settings.code)
        reading = BalanceReading(value=parse_amount(reply, settings.pattern), reply=reply)
        if reading.value is None:
            LOGGER.debug("Port %s: no amount found in the balance reply", port)
        self.readings[port] = reading
        self.listeners.notify(port)
        self._follow_threshold(port, settings, reading)
        return reading

    def _follow_threshold(
        self, port: int, settings: BalanceSettings, reading: BalanceReading
    ) -> None:
        """Warn while the amount is below the port's threshold; an unread amount changes nothing."""
        if settings.threshold is None or reading.value is None:
            return
        issue_id = low_balance_issue_id(self.entry.entry_id, port)
        if reading.value >= settings.threshold:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        unit = f" {settings.unit}" if settings.unit else ""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_LOW_BALANCE,
            translation_placeholders={
                "gateway": self.entry.title,
                "port": str(port),
                "balance": f"{reading.value:g}{unit}",
                "threshold": f"{settings.threshold:g}{unit}",
            },
        )
