"""What a set-up Dinstar entry holds while it runs (entry.runtime_data)."""

from __future__ import annotations

from dataclasses import dataclass

from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .providers.dinstar import DinstarClient


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """The client and everything built on it for one gateway."""

    client: DinstarClient
    serial: str
    ports: DinstarPortsCoordinator
    status: DinstarStatusCoordinator
