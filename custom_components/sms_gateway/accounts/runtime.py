"""What a set-up cloud account holds while it runs (entry.runtime_data), and the entry's type.

The actions, notify services, routes and diagnostics see it as an `SmsService` (runtime.py);
the account's own platforms read its balance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.device_registry import DeviceInfo

from ..const import DOMAIN
from ..runtime import SendOptions
from .balance import SmsLinkBalanceCoordinator
from .sender import CloudSendTracker, CloudSms
from .service import CloudService
from .smpp_link import SmppAccount

_REFUSED: Final = {"ports": "ports_not_supported", "encoding": "encoding_not_supported"}
"""A service picks its own route and alphabet: neither ports nor an encoding can be chosen."""


@dataclass(kw_only=True)
class AccountData:
    """One account: its service's catalog entry, its sends, the balance where the API has one."""

    service: CloudService[Any]
    sends: CloudSendTracker
    country: str
    """The country of the national numbers given to this account (its options, set-up time)."""
    device_info: DeviceInfo
    """The account's device, where its entities are."""
    balance: SmsLinkBalanceCoordinator | None = None
    smpp: SmppAccount | None = None
    """The SMPP link of a Plasgate account that sends over SMPP."""
    refused_options: Mapping[str, str] = field(default_factory=lambda: dict(_REFUSED))

    @property
    def provider(self) -> str:
        """The service's key, as in the entry data and on every event."""
        return self.service.provider

    async def async_send(
        self, recipients: Sequence[str], message: str, options: SendOptions
    ) -> list[CloudSms]:
        """Send from the sender asked for, else the account's own."""
        return await self.sends.async_send(
            recipients, message, sender=options.sender, delivery_report=options.delivery_report
        )

    async def async_wait(self, sent: Sequence[CloudSms], timeout: float) -> list[CloudSms]:  # noqa: ASYNC109
        """Wait (bounded) until each SMS is delivered or failed."""
        return await self.sends.wait_for(sent, timeout)

    async def async_refresh_balance(self, title: str) -> None:
        """Read the balance now; a service without a balance call says so."""
        balance = self.balance
        if balance is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_balance_api",
                translation_placeholders={"title": title},
            )
        await balance.async_refresh()
        if not balance.last_update_success:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="balance_failed",
                translation_placeholders={"title": title},
            ) from balance.last_exception

    def diagnostics(self) -> dict[str, Any]:
        """Give the service and its balance as last read (the caller redacts them)."""
        balance = self.balance
        return {
            "provider": self.provider,
            "balance": None if balance is None else asdict(balance.data),
            "balance_last_update_success": None if balance is None else balance.last_update_success,
            "smpp": None if self.smpp is None else self.smpp.diagnostics(),
        }


type AccountConfigEntry = ConfigEntry[AccountData]
