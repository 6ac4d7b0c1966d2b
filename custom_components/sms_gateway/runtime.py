"""What every running entry offers the rest of the integration, whatever its wing.

Each wing keeps its own runtime data (gateway/runtime.py, accounts/runtime.py, routes/runtime.py)
and entry type; the actions, notify services, routes and diagnostics speak to any of them through
`SmsService` alone, so none of them needs to know which wing an entry belongs to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry, DeviceInfo


@dataclass(frozen=True, kw_only=True)
class SendOptions:
    """How to send, as an action or a notify service asks; a service refuses what it cannot do."""

    ports: list[int] | None = None
    encoding: str = "auto"
    sender: str | None = None
    delivery_report: bool = True


class SentSms(Protocol):
    """One recipient of a send, as far as its service has told us."""

    @property
    def message_id(self) -> str | None:
        """The id the service's delivery reports will carry."""

    @property
    def final(self) -> bool:
        """Whether the service has said its last word."""

    def as_response(self) -> dict[str, Any]:
        """Give the per-recipient result an action answers with."""


class SmsService[SmsT: SentSms](Protocol):
    """A running gateway, account or route, as the rest of the integration sees it."""

    refused_options: Mapping[str, str]
    """Send options this service cannot honour, with the translation key that says so."""

    @property
    def device_info(self) -> DeviceInfo:
        """The device the entry's own entities (its notify entity) belong to."""

    @property
    def country(self) -> str | None:
        """The country a national number given to this service belongs to, if known."""

    async def async_send(
        self, recipients: Sequence[str], message: str, options: SendOptions
    ) -> list[SmsT]:
        """Check, then send once to every recipient; never resend what may have gone out."""

    async def async_wait(self, sent: Sequence[SmsT], timeout: float) -> list[SmsT]:  # noqa: ASYNC109
        """Wait (bounded) until the service said what became of each SMS."""

    async def async_refresh_balance(self, title: str) -> None:
        """Read the balance now, or say why there is none to read."""

    def diagnostics(self) -> dict[str, Any]:
        """Tell what a bug report needs of the service's state (the caller redacts it)."""


type SmsGatewayEntry = ConfigEntry[SmsService[Any]]
"""Any running entry of the integration, seen through what it offers."""


def _keeps_every_device(entry: ConfigEntry[Any], device: DeviceEntry) -> bool:
    return False


@dataclass(frozen=True, kw_only=True)
class Wing:
    """How one kind of entry is set up and forgotten; the package root picks it by provider."""

    platforms: Callable[[ConfigEntry[Any]], Sequence[Platform]]
    async_setup: Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[None]]
    async_remove: Callable[[HomeAssistant, ConfigEntry[Any]], Awaitable[None]]
    """Forget what the entry stored, once the user deleted it."""
    removable_device: Callable[[ConfigEntry[Any], DeviceEntry], bool] = _keeps_every_device
    """Whether the user may delete this device of the entry (one the service no longer has)."""
