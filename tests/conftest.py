"""Shared fixtures: simulators served in-process on 127.0.0.1."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from hypothesis import HealthCheck, settings
import pytest

from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.plasgate.simulator import PlasgateSettings, PlasgateSimulator
from simulators.server import RunningServer, serve
from simulators.smslink.simulator import SmsLinkSettings, SmsLinkSimulator

pytest_plugins = ["tests.deprecations"]

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on time.
settings.register_profile(
    "sms_gateway", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("sms_gateway")


class Servable(Protocol):
    """What every simulator offers: an aiohttp app to serve."""

    def create_app(self) -> web.Application: ...


@dataclass
class Running[SimT: Servable]:
    """A served simulator: its base URL and the simulator itself (for state and faults)."""

    url: str
    sim: SimT
    server: RunningServer


RunningDinstar = Running[DinstarSimulator]
RunningPlasgate = Running[PlasgateSimulator]
RunningSmsLink = Running[SmsLinkSimulator]


@asynccontextmanager
async def _serving[SimT: Servable](sim: SimT) -> AsyncIterator[Running[SimT]]:
    """Serve sim on 127.0.0.1 for one test, then stop it, tasks and all."""
    server = await serve(sim.create_app())
    try:
        yield Running(url=server.url, sim=sim, server=server)
    finally:
        await server.stop()


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
    """A Dinstar simulator listening on 127.0.0.1."""
    async with _serving(DinstarSimulator(dinstar_settings)) as running:
        yield running


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    """Default credentials (demo/demo); override this fixture to change the account."""
    return PlasgateSettings()


@pytest.fixture
async def plasgate_simulator(
    socket_enabled: None, plasgate_settings: PlasgateSettings
) -> AsyncIterator[RunningPlasgate]:
    """A Plasgate simulator listening on 127.0.0.1."""
    async with _serving(PlasgateSimulator(plasgate_settings)) as running:
        yield running


@pytest.fixture
async def plasgate_smpp_simulator(
    socket_enabled: None, plasgate_simulator: RunningPlasgate
) -> AsyncIterator[RunningPlasgate]:
    """The Plasgate simulator with its SMPP listener on 127.0.0.1 too (`sim.smpp.address`)."""
    await plasgate_simulator.sim.smpp.start("127.0.0.1", 0)
    try:
        yield plasgate_simulator
    finally:
        await plasgate_simulator.sim.smpp.stop()


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    """Default credentials (demo/demo); override this fixture to change the account."""
    return SmsLinkSettings()


@pytest.fixture
async def smslink_simulator(
    socket_enabled: None, smslink_settings: SmsLinkSettings
) -> AsyncIterator[RunningSmsLink]:
    """An SMSLink simulator listening on 127.0.0.1."""
    async with _serving(SmsLinkSimulator(smslink_settings)) as running:
        yield running
