"""Fixtures for the Plasgate simulator: a bare client (keys go in each request)."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import RunningPlasgate


@pytest.fixture
async def api(plasgate_simulator: RunningPlasgate) -> AsyncIterator[httpx.AsyncClient]:
    """httpx pointed at the simulator."""
    async with httpx.AsyncClient(base_url=plasgate_simulator.url, timeout=5) as client:
        yield client
