"""What a set-up Dinstar entry holds while it runs (entry.runtime_data)."""

from __future__ import annotations

from dataclasses import dataclass

from .balance import BalanceManager
from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .inbox import DinstarInbox
from .providers.dinstar import DinstarClient
from .sending import SendTracker
from .ussd import UssdManager


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
