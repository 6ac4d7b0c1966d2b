"""What a set-up entry holds while it runs (entry.runtime_data), per kind of provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .balance import BalanceManager
from .cloud_sending import CloudSendTracker
from .coordinator import (
    DinstarPortsCoordinator,
    DinstarStatusCoordinator,
    SmsLinkBalanceCoordinator,
)
from .inbox import DinstarInbox
from .providers.dinstar import DinstarClient
from .sending import SendTracker
from .ussd import UssdManager

if TYPE_CHECKING:
    from .failover import FailoverSender


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """The client and everything built on it for one gateway."""

    client: DinstarClient
    serial: str
    ports: DinstarPortsCoordinator
    status: DinstarStatusCoordinator
    sends: SendTracker
    inbox: DinstarInbox
    ussd: UssdManager
    balance: BalanceManager


@dataclass(kw_only=True)
class CloudRuntimeData:
    """One SMSLink or Plasgate account: its sends, and the balance where the API has one."""

    provider: str
    sends: CloudSendTracker
    balance: SmsLinkBalanceCoordinator | None = None


@dataclass(kw_only=True)
class RouteRuntimeData:
    """A failover route: its sender holds the gateways and accounts to try, in order."""

    sends: FailoverSender


type CloudConfigEntry = ConfigEntry[CloudRuntimeData]
type RouteConfigEntry = ConfigEntry[RouteRuntimeData]
type SmsGatewayConfigEntry = ConfigEntry[DinstarRuntimeData | CloudRuntimeData | RouteRuntimeData]
