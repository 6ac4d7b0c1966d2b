"""Shared fixtures: simulators served in-process on 127.0.0.1."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
import pytest

from simulators.dinstar import DinstarSettings, DinstarSimulator
from simulators.server import RunningServer, serve

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on time.
settings.register_profile(
    "sms_gateway", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("sms_gateway")


@dataclass
class RunningDinstar:
    """A served Dinstar simulator: its base URL and the simulator (for state and faults)."""

    url: str
    sim: DinstarSimulator
    server: RunningServer


@pytest.fixture
def dinstar_settings() -> DinstarSettings:
    """Fast timings for tests; override this fixture to change the gateway."""
    return DinstarSettings(
        send_delay=0.05, deliver_delay=0.05, ussd_delay=0.05, register_delay=0.05
    )


@pytest.fixture
async def dinstar_simulator(
    socket_enabled: None, dinstar_settings: DinstarSettings
) -> AsyncIterator[RunningDinstar]:
    """A Dinstar simulator listening on 127.0.0.1, stopped (tasks and all) after the test."""
    sim = DinstarSimulator(dinstar_settings)
    server = await serve(sim.create_app())
    try:
        yield RunningDinstar(url=server.url, sim=sim, server=server)
    finally:
        await server.stop()
