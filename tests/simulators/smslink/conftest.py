"""Fixtures for the SMSLink simulator: a bare client (the API logs in by parameters) and the sim."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.conftest import RunningSmsLink


@pytest.fixture
async def api(smslink_simulator: RunningSmsLink) -> AsyncIterator[httpx.AsyncClient]:
    """httpx pointed at the simulator."""
    async with httpx.AsyncClient(base_url=smslink_simulator.url, timeout=5) as client:
        yield client


@pytest.fixture
def sim(smslink_simulator: RunningSmsLink) -> Any:
    """The simulator object behind the fixture server."""
    return smslink_simulator.sim
