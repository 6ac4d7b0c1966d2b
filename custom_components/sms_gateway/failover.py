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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .cloud_sending import STATUS_NOT_SENT, STATUS_UNCERTAIN
from .const import DOMAIN, LOGGER
from .providers.errors import MAY_HAVE_SENT, ProviderError, ProviderUnreachableError
from .providers.text import mask_number
from .route_reports import remember_route
from .runtime import (
    CloudRuntimeData,
    DinstarRuntimeData,
    RouteConfigEntry,
    SmsGatewayConfigEntry,
)
from .sending import check_message, default_ports

ATTR_CARRIED_BY: Final = "carried_by"
ATTR_CARRIED_BY_TITLE: Final = "carried_by_title"

type Wait = Callable[[float], Awaitable[dict[str, Any]]]


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
class _Carried:
    """A recipient a service took: its answer now, and how to wait for what became of it."""

    entry: SmsGatewayConfigEntry
    response: dict[str, Any]
    wait: Wait

    def as_response(self) -> dict[str, Any]:
        return {
            **self.response,
            ATTR_CARRIED_BY: self.entry.entry_id,
            ATTR_CARRIED_BY_TITLE: self.entry.title,
        }


def _not_carried(
    number: str, status: str, entry: SmsGatewayConfigEntry | None, error: str | None
) -> dict[str, Any]:
    return {
        "number": number,
        "status": status,
        "error": error,
        ATTR_CARRIED_BY: None if entry is None else entry.entry_id,
        ATTR_CARRIED_BY_TITLE: None if entry is None else entry.title,
    }


class FailoverSender:
    """Sends for one route: the entries it tries, by id, in order."""

    def __init__(
        self, hass: HomeAssistant, route: RouteConfigEntry, services: Sequence[str]
    ) -> None:
        """Entries are looked up at each send: one reloaded meanwhile is the one used."""
        self._hass = hass
        self._route = route
        self.services = tuple(services)

    def _services(self) -> list[SmsGatewayConfigEntry]:
        """Return the route's entries that can send now; one removed or not loaded is skipped."""
        found = (self._hass.config_entries.async_get_entry(entry_id) for entry_id in self.services)
        return [
            cast("SmsGatewayConfigEntry", entry)
            for entry in found
            if entry is not None
            and entry.domain == DOMAIN
            and entry.state is ConfigEntryState.LOADED
            and isinstance(entry.runtime_data, DinstarRuntimeData | CloudRuntimeData)
        ]

    async def async_send(
        self,
        recipients: Sequence[str],
        message: str,
        *,
        delivery_report: bool,
        wait: float | None,
    ) -> list[dict[str, Any]]:
        """Send to each recipient through the first service that takes it; say which did."""
        check_message(message, None)
        numbers = list(dict.fromkeys(number.strip() for number in recipients if number.strip()))
        if not numbers:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_recipients",
                translation_placeholders={"title": self._route.title},
            )
        services = self._services()
        outcomes = [
            await self._send_one(services, number, message, delivery_report) for number in numbers
        ]
        carried = [outcome for outcome in outcomes if isinstance(outcome, _Carried)]
        refused = [
            outcome
            for outcome in outcomes
            if isinstance(outcome, dict) and outcome["status"] == STATUS_NOT_SENT
        ]
        if len(refused) == len(numbers):
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="route_not_sent",
                translation_placeholders={
                    "title": self._route.title,
                    "count": str(len(refused)),
                    "error": str(refused[-1]["error"]),
                },
            )
        if wait is not None and carried:
            answers = await asyncio.gather(*(sms.wait(wait) for sms in carried))
            for sms, answer in zip(carried, answers, strict=True):
                sms.response = answer
        return [
            outcome.as_response() if isinstance(outcome, _Carried) else outcome
            for outcome in outcomes
        ]

    async def _send_one(
        self,
        services: list[SmsGatewayConfigEntry],
        number: str,
        message: str,
        delivery_report: bool,  # noqa: FBT001 - passed straight on
    ) -> _Carried | dict[str, Any]:
        """Try each service in turn until one takes the number or may have taken it."""
        reason: str | None = "no service of the route is loaded" if not services else None
        for entry in services:
            try:
                return await self._send_through(entry, number, message, delivery_report)
            except (HomeAssistantError, ProviderError) as err:
                reason = _reason(err)
                if not certainly_not_sent(err):
                    # Logged by the sender already; never tried through another service.
                    return _not_carried(number, STATUS_UNCERTAIN, entry, reason)
                LOGGER.info(
                    "%s did not send to %s (%s): trying the next service of %s",
                    entry.title,
                    mask_number(number),
                    reason,
                    self._route.title,
                )
        LOGGER.warning(
            "No service of %s sent to %s (%s)", self._route.title, mask_number(number), reason
        )
        return _not_carried(number, STATUS_NOT_SENT, None, reason)

    async def _send_through(
        self,
        entry: SmsGatewayConfigEntry,
        number: str,
        message: str,
        delivery_report: bool,  # noqa: FBT001 - passed straight on
    ) -> _Carried:
        """Send once through one service, with its own defaults (sender, ports)."""
        runtime = entry.runtime_data
        if isinstance(runtime, CloudRuntimeData):
            cloud = runtime.sends
            [sms] = await cloud.async_send([number], message, delivery_report=delivery_report)
            message_id = sms.message_id

            async def wait_cloud(timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
                [waited] = await cloud.wait_for([sms], timeout)
                return waited.as_response()

            wait, response = wait_cloud, sms.as_response()
        else:
            gateway = cast("DinstarRuntimeData", runtime).sends
            [tracked] = await gateway.async_send(
                [number],
                message,
                ports=default_ports(entry.options),
                delivery_report=delivery_report,
            )
            message_id = str(tracked.user_id)

            async def wait_gateway(timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
                [waited] = await gateway.wait_for([tracked], timeout)
                return waited.as_response()

            wait, response = wait_gateway, tracked.as_response()
        if message_id is not None:
            remember_route(self._hass, entry.entry_id, message_id, self._route.entry_id)
        return _Carried(entry, response, wait)
