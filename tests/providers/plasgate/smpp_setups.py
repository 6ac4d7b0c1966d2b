"""A link to the simulator's SMPP server, and a listener that writes down what it is told."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field, replace
from typing import Any

from custom_components.sms_gateway.providers.plasgate import DeliveryReport
from custom_components.sms_gateway.providers.plasgate.smpp import (
    IncomingMemory,
    IncomingSms,
    LinkState,
    SmppLink,
    SmppSettings,
)
from tests.conftest import RunningPlasgate


@dataclass
class Listener:
    """Everything a link told its owner, in order."""

    states: list[LinkState] = field(default_factory=list)
    reports: list[DeliveryReport] = field(default_factory=list)
    received: list[IncomingSms] = field(default_factory=list)
    memory_changes: int = 0

    def state_changed(self, state: LinkState, /) -> None:
        self.states.append(state)

    def report(self, report: DeliveryReport, /) -> None:
        self.reports.append(report)

    def incoming(self, sms: IncomingSms, /) -> None:
        self.received.append(sms)

    def memory_changed(self) -> None:
        self.memory_changes += 1


def fast_settings(sim: RunningPlasgate, **changes: Any) -> SmppSettings:
    """Short timings, so that a lost answer or a reconnect takes a fraction of a second."""
    host, port = sim.sim.smpp.address
    settings = SmppSettings(
        host=host,
        port=port,
        system_id="demo",
        password="demo",
        response_timeout=1.0,
        enquire_link_interval=5.0,
        reconnect_delays=(0.05, 0.2),
        throttled_pause=0.05,
        bind_wait=3.0,
    )
    return replace(settings, **changes)


@contextlib.asynccontextmanager
async def running_link(
    settings: SmppSettings, memory: IncomingMemory | None = None
) -> AsyncIterator[tuple[SmppLink, Listener]]:
    """Run a link until the block ends, then stop it cleanly."""
    listener = Listener()
    link = SmppLink(settings, listener, memory or IncomingMemory())
    task = asyncio.create_task(link.run())
    try:
        yield link, listener
    finally:
        await link.stop()
        await asyncio.wait_for(task, 5)
