"""Failover: each recipient of a route goes through its services in order, and never twice.

A recipient moves to the next service only when the one before certainly did not send: it
refused the number or the request with an answer of its own (a refused login, no SIM able to
send, no credit), its own checks refused the number, or no connection to it could be made. After
anything that may have reached a service (a lost answer, a server error, an answer we cannot
read: MAY_HAVE_SENT) the recipient is reported as uncertain and tried nowhere else: a duplicate
SMS costs money and reaches its reader twice.

Each recipient is its own request, so that each one's outcome is known exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from ..const import CONF_PROVIDER, DOMAIN, LOGGER, PROVIDER_ROUTE
from ..providers.errors import MAY_HAVE_SENT, ProviderError, ProviderUnreachableError
from ..providers.text import mask_number
from ..runtime import SendOptions, SentSms, SmsGatewayEntry
from ..sending import STATUS_NOT_SENT, STATUS_UNCERTAIN, check_message
from .reports import remember_route

ATTR_CARRIED_BY: Final = "carried_by"
ATTR_CARRIED_BY_TITLE: Final = "carried_by_title"
REFUSED_OPTIONS: Final = dict.fromkeys(
    ("ports", "sender", "encoding"), "route_option_not_supported"
)
"""Each service of a route uses its own ports, sender and encoding."""


def certainly_not_sent(error: HomeAssistantError | ProviderError) -> bool:
    """Whether a failed send certainly put nothing on its way, so the next service may try.

    A service's own checks (ServiceValidationError: the number, the ports) run before any request.
    A client error is certain unless it may have reached the service; the senders turn those into
    a translated error chained to the client's, where only an unreachable service is certain.
    """
    if isinstance(error, ServiceValidationError):
        return True
    cause = error if isinstance(error, ProviderError) else error.__cause__
    if isinstance(cause, ProviderUnreachableError):
        return True
    return isinstance(cause, ProviderError) and not isinstance(cause, MAY_HAVE_SENT)


def _reason(error: HomeAssistantError | ProviderError) -> str:
    """Say why, without the number: the client's words, else the translation key."""
    cause = error if isinstance(error, ProviderError) else error.__cause__
    if isinstance(cause, ProviderError):
        return str(cause)
    return getattr(error, "translation_key", None) or type(error).__name__


@dataclass(slots=True)
class RoutedSms:
    """One recipient of a route: the service that took it and its answer, or why none did."""

    number: str
    status: str
    entry: SmsGatewayEntry | None = None
    sms: SentSms | None = None
    error: str | None = None

    @property
    def message_id(self) -> str | None:
        """The id the carrying service's reports will carry."""
        return None if self.sms is None else self.sms.message_id

    @property
    def final(self) -> bool:
        """Whether the carrying service said its last word (or none will ever speak)."""
        return self.sms is None or self.sms.final

    def as_response(self) -> dict[str, Any]:
        """Answer as the carrying service does, plus which one carried it."""
        carried_by = {
            ATTR_CARRIED_BY: None if self.entry is None else self.entry.entry_id,
            ATTR_CARRIED_BY_TITLE: None if self.entry is None else self.entry.title,
        }
        if self.sms is not None:
            return {**self.sms.as_response(), **carried_by}
        return {"number": self.number, "status": self.status, "error": self.error, **carried_by}


class FailoverSender:
    """Sends for one route: the entries it tries, by id, in order."""

    refused_options: Mapping[str, str] = REFUSED_OPTIONS

    def __init__(
        self, hass: HomeAssistant, route_id: str, title: str, services: Sequence[str]
    ) -> None:
        """Entries are looked up at each send: one reloaded meanwhile is the one used."""
        self._hass = hass
        self._route_id = route_id
        self._title = title
        self.services = tuple(services)

    @property
    def device_info(self) -> DeviceInfo:
        """A route is a service named after its entry; its notify entity is on it."""
        return DeviceInfo(
            identifiers={(DOMAIN, self._route_id)},
            name=self._title,
            manufacturer="SMS Gateway",
            model="Failover route",
            entry_type=DeviceEntryType.SERVICE,
        )

    @property
    def country(self) -> str | None:
        """A route's services each read national numbers their own way."""
        return None

    def _services(self) -> list[SmsGatewayEntry]:
        """Return the route's entries that can send now; one removed or not loaded is skipped."""
        found = (self._hass.config_entries.async_get_entry(entry_id) for entry_id in self.services)
        return [
            entry
            for entry in found
            if entry is not None
            and entry.domain == DOMAIN
            and entry.state is ConfigEntryState.LOADED
            and entry.data.get(CONF_PROVIDER) != PROVIDER_ROUTE
        ]

    async def async_send(
        self, recipients: Sequence[str], message: str, options: SendOptions
    ) -> list[RoutedSms]:
        """Send to each recipient through the first service that takes it; say which did."""
        check_message(message, None)
        numbers = list(dict.fromkeys(number.strip() for number in recipients if number.strip()))
        if not numbers:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_recipients",
                translation_placeholders={"title": self._title},
            )
        services = self._services()
        outcomes = [
            await self._send_one(services, number, message, options.delivery_report)
            for number in numbers
        ]
        refused = [sms for sms in outcomes if sms.status == STATUS_NOT_SENT]
        if len(refused) == len(numbers):
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="route_not_sent",
                translation_placeholders={
                    "title": self._title,
                    "count": str(len(refused)),
                    "error": str(refused[-1].error),
                },
            )
        return outcomes

    async def async_wait(self, sent: Sequence[RoutedSms], timeout: float) -> list[RoutedSms]:  # noqa: ASYNC109
        """Wait on each carrying service at once, bounded by the same timeout."""

        async def wait_one(routed: RoutedSms) -> None:
            if routed.entry is not None and routed.sms is not None:
                [routed.sms] = await routed.entry.runtime_data.async_wait([routed.sms], timeout)

        await asyncio.gather(*(wait_one(routed) for routed in sent))
        return list(sent)

    async def async_refresh_balance(self, title: str) -> None:
        """Refuse: a route has no balance of its own, its services each have theirs."""
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="route_no_balance",
            translation_placeholders={"title": title},
        )

    def diagnostics(self) -> dict[str, Any]:
        """Add nothing: the services' own diagnostics hold their state, the route its order."""
        return {}

    async def _send_one(
        self,
        services: list[SmsGatewayEntry],
        number: str,
        message: str,
        delivery_report: bool,  # noqa: FBT001 - passed straight on
    ) -> RoutedSms:
        """Try each service in turn until one takes the number or may have taken it."""
        reason: str | None = "no service of the route is loaded" if not services else None
        options = SendOptions(delivery_report=delivery_report)
        for entry in services:
            try:
                [sms] = await entry.runtime_data.async_send([number], message, options)
            except (HomeAssistantError, ProviderError) as err:
                reason = _reason(err)
                if not certainly_not_sent(err):
                    # Logged by the sender already; never tried through another service.
                    return RoutedSms(number, STATUS_UNCERTAIN, entry, error=reason)
                LOGGER.info(
                    "%s did not send to %s (%s): trying the next service of %s",
                    entry.title,
                    mask_number(number),
                    reason,
                    self._title,
                )
                continue
            if (message_id := sms.message_id) is not None:
                remember_route(self._hass, entry.entry_id, message_id, self._route_id)
            return RoutedSms(number, sms.as_response()["status"], entry, sms)
        LOGGER.warning("No service of %s sent to %s (%s)", self._title, mask_number(number), reason)
        return RoutedSms(number, STATUS_NOT_SENT, error=reason)
