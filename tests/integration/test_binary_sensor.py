"""The GPRS binary sensor of every port, against the simulated gateway."""

import aiohttp
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import RunningDinstar
from tests.integration.setups import entities_test

GPRS = "binary_sensor.dinstar_2817_port_0_gprs"


@pytest.fixture
def platforms() -> list[Platform]:
    return [Platform.BINARY_SENSOR]


test_entities = entities_test()


@pytest.mark.parametrize(
    ("attached", "spelling", "state"),
    [
        (False, ["attached", "detached"], STATE_OFF),
        (True, ["attached", "detached"], STATE_ON),
        (True, ["Attached ", "Detached"], STATE_ON),
        (True, ["yes", "no"], STATE_UNKNOWN),
    ],
)
async def test_gprs_follows_the_port(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    attached: bool,
    spelling: list[str],
    state: str,
) -> None:
    async with aiohttp.ClientSession() as session:
        for path, body in (("faults", {"gprs_values": spelling}), ("ports/0", {"gprs": attached})):
            response = await session.post(f"{dinstar_simulator.url}/_sim/{path}", json=body)
            assert response.status == 200, await response.text()
    await init_integration.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(GPRS).state == state
