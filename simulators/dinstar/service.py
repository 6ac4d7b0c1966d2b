"""What every service of one simulated gateway shares: state, switches, randomness, pushes, tasks.

The services (SMS, ports, USSD, ...) each serve some API paths; they all read and change the same
state and switches, draw from one seeded generator, push through one Pusher and run their
background work in one task set, so shutdown stops it all.
"""

from collections.abc import Mapping
from dataclasses import dataclass
import random
from typing import Any

from simulators.background import BackgroundTasks
from simulators.dinstar.push import Pusher
from simulators.dinstar.state import GatewayState


@dataclass(frozen=True)
class GatewayParts:
    """The pieces of one gateway its services share."""

    state: GatewayState
    faults: Mapping[str, Any]
    rng: random.Random
    pusher: Pusher
    tasks: BackgroundTasks


class GatewayService:
    """A service of the gateway, with the shared parts at hand."""

    def __init__(self, parts: GatewayParts) -> None:
        """Keep the shared parts (the switches are read at each use, never copied)."""
        self._state = parts.state
        self._faults = parts.faults
        self._rng = parts.rng
        self._pusher = parts.pusher
        self._tasks = parts.tasks
