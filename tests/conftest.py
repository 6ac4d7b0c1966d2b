"""Shared fixtures: simulators served in-process on 127.0.0.1."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
import pytest

from simulators.dinstar import DinstarSettings, DinstarSimulator
from simulators.plasgate import PlasgateSettings, PlasgateSimulator
from simulators.server import RunningServer, serve
from simulators.smslink import SmsLinkSettings, SmsLinkSimulator

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


@dataclass
class RunningPlasgate:
    """A served Plasgate simulator: its base URL and the simulator (for state and switches)."""

    url: str
    sim: PlasgateSimulator
    server: RunningServer


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    """Default credentials (demo/demo); override this fixture to change the account."""
    return PlasgateSettings()


@pytest.fixture
async def plasgate_simulator(
    socket_enabled: None, plasgate_settings: PlasgateSettings
) -> AsyncIterator[RunningPlasgate]:
    """A Plasgate simulator listening on 127.0.0.1, stopped (tasks and all) after the test."""
    sim = PlasgateSimulator(plasgate_settings)
    server = await serve(sim.create_app())
    try:
        yield RunningPlasgate(url=server.url, sim=sim, server=server)
    finally:
        await server.stop()


@dataclass
class RunningSmsLink:
    """A served SMSLink simulator: its base URL and the simulator (for state and switches)."""

    url: str
    sim: SmsLinkSimulator
    server: RunningServer


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    """Default credentials (demo/demo); override this fixture to change the account."""
    return SmsLinkSettings()


@pytest.fixture
async def smslink_simulator(
    socket_enabled: None, smslink_settings: SmsLinkSettings
) -> AsyncIterator[RunningSmsLink]:
    """An SMSLink simulator listening on 127.0.0.1, stopped (tasks and all) after the test."""
    sim = SmsLinkSimulator(smslink_settings)
    server = await serve(sim.create_app())
    try:
        yield RunningSmsLink(url=server.url, sim=sim, server=server)
    finally:
        await server.stop()
