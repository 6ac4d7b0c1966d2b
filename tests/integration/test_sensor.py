"""Port and gateway sensors against the simulated gateway."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import RunningDinstar
from tests.integration.setups import entities_test, sim_control

NETWORK_TYPE = "sensor.dinstar_2817_port_1_network_type"


@pytest.fixture
def platforms() -> list[Platform]:
    return [Platform.SENSOR]


test_entities = entities_test(pytest.mark.usefixtures("entity_registry_enabled_by_default"))


async def test_network_type_is_unknown_without_a_registered_sim(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    """The gateway names its module's kind even with no SIM: that is no network."""
    module = dinstar_simulator.sim.ports[1].type
    assert hass.states.get(NETWORK_TYPE).state == module.lower()  # type: ignore[union-attr]
    await sim_control(dinstar_simulator, "ports/1", {"sim_inserted": False, "reg": "NO_SIM"})

    await init_integration.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()

    assert dinstar_simulator.sim.ports[1].type == module  # still reported by the gateway
    assert hass.states.get(NETWORK_TYPE).state == "unknown"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("csq", "bars"),
    [
        (0, "0"),
        (1, "0"),
        (2, "1"),
        (9, "1"),
        (10, "2"),
        (14, "2"),
        (15, "3"),
        (19, "3"),
        (20, "4"),
        (31, "4"),
        (99, "unknown"),
    ],
)
async def test_signal_bars_grade_the_signal_as_a_phone_does(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    csq: int,
    bars: str,
) -> None:
    await sim_control(dinstar_simulator, "ports/1", {"signal": csq})

    await init_integration.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()

    assert hass.states.get("sensor.dinstar_2817_port_1_signal_bars").state == bars  # type: ignore[union-attr]
