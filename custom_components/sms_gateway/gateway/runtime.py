"""What a gateway's entry holds while it runs (entry.runtime_data), and the entry's type.

The actions, notify services, routes and diagnostics see it as an `SmsService` (runtime.py);
the gateway's own platforms and repairs read its managers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import DeviceInfo

from ..const import DOMAIN
from ..providers.dinstar import DinstarClient
from ..runtime import SendOptions
from ..sending import ENCODING_CHOICES
from .balance import BalanceManager
from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .devices import gateway_device_info
from .inbox import DinstarInbox
from .sender import SendTracker, TrackedSms, default_ports
from .ussd import UssdManager


@dataclass(kw_only=True)
class GatewayData:
    """The client and everything built on it for one gateway."""

    client: DinstarClient
    serial: str
    ports: DinstarPortsCoordinator
    status: DinstarStatusCoordinator
    sends: SendTracker
    inbox: DinstarInbox
    ussd: UssdManager
    balance: BalanceManager
    refused_options: Mapping[str, str] = field(
        default_factory=lambda: {"sender": "sender_not_supported"}
    )
    """A gateway sends from its SIMs' own numbers: a sender cannot be chosen."""

    @property
    def device_info(self) -> DeviceInfo:
        """The gateway's own device, where its notify entity is."""
        return gateway_device_info(self.ports)

    @property
    def country(self) -> str | None:
        """Home Assistant's country: the SIMs are where the gateway is."""
        return self.ports.hass.config.country

    async def async_send(
        self, recipients: Sequence[str], message: str, options: SendOptions
    ) -> list[TrackedSms]:
        """Send through the ports asked for, else the entry's default ports."""
        return await self.sends.async_send(
            recipients,
            message,
            ports=options.ports or default_ports(self.ports.config_entry.options),
            encoding=ENCODING_CHOICES[options.encoding],
            delivery_report=options.delivery_report,
        )

    async def async_wait(self, sent: Sequence[TrackedSms], timeout: float) -> list[TrackedSms]:  # noqa: ASYNC109
        """Wait (bounded) until each SMS is sent or failed."""
        return await self.sends.wait_for(sent, timeout)

    async def async_refresh_balance(self, title: str) -> None:
        """Read every port that has a balance code; the first failure is the one raised."""
        settings = self.balance.settings
        if not settings:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_balance_code",
                translation_placeholders={"title": title},
            )
        outcomes = await asyncio.gather(
            *(self.balance.async_refresh(port) for port in settings), return_exceptions=True
        )
        # Every port had its turn before a failure is reported.
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    def diagnostics(self) -> dict[str, Any]:
        """Give the ports and the gateway's figures as last read (the caller redacts them)."""
        return {
            "ports": [asdict(info) for info in self.ports.data.values()],
            "status": asdict(self.status.data),
        }


type GatewayConfigEntry = ConfigEntry[GatewayData]
