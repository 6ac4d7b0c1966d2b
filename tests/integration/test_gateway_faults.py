"""Gateway faults seen from Home Assistant: unavailable while they last, back after, logged once.

Each fault is played by the simulator over a real socket: a 500, a timeout, a reset connection,
JSON cut in half, a reboot. A reboot in the middle of a send leaves that send uncertain: the
caller is told, and the simulator shows the request was made once.
"""

from typing import Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import RunningDinstar
from tests.integration.test_send import NUMBER, SEND_PATH, requests_to, send_sms, sim_control

PORT_INFO = "/api/get_port_info"
SIGNAL = "sensor.dinstar_2817_port_0_signal_strength"
ENTITIES = (SIGNAL, "binary_sensor.dinstar_2817_port_0_gprs")


async def _refresh(hass: HomeAssistant, entry: MockConfigEntry, times: int) -> None:
    for _ in range(times):
        await entry.runtime_data.ports.async_refresh()
        await hass.async_block_till_done()


def _available(hass: HomeAssistant) -> list[bool]:
    return [hass.states.get(entity_id).state != STATE_UNAVAILABLE for entity_id in ENTITIES]


def _lines(caplog: pytest.LogCaptureFixture, words: str) -> int:
    return sum(words in record.getMessage() for record in caplog.records)


async def _reboot(sim: RunningDinstar) -> None:
    await sim_control(sim, "reboot", {})


async def _boot(sim: RunningDinstar) -> None:
    await sim_control(sim, "boot", {})


FAULTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "http-500": ({"fail_500_paths": [PORT_INFO]}, {"fail_500_paths": []}),
    "timeout": ({"timeout_paths": [PORT_INFO]}, {"timeout_paths": []}),
    "connection-reset": ({"drop_connection_paths": [PORT_INFO]}, {"drop_connection_paths": []}),
    "json-cut-in-half": ({"malformed_paths": [PORT_INFO]}, {"malformed_paths": []}),
}


@pytest.mark.parametrize("fault", [*FAULTS, "reboot"])
async def test_a_fault_makes_entities_unavailable_once_and_they_come_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    init_integration.runtime_data.client._transport._timeout = 0.3  # the timeout case, quickly
    assert _available(hass) == [True, True]
    if fault == "reboot":
        await _reboot(dinstar_simulator)
    else:
        await sim_control(dinstar_simulator, "faults", FAULTS[fault][0])

    await _refresh(hass, init_integration, 3)

    assert _available(hass) == [False, False]
    assert _lines(caplog, "Error fetching") == 1
    if fault == "reboot":
        await _boot(dinstar_simulator)
    else:
        await sim_control(dinstar_simulator, "faults", FAULTS[fault][1])
    await _refresh(hass, init_integration, 2)
    assert _available(hass) == [True, True]
    assert _lines(caplog, "recovered") == 1


async def test_trailing_commas_are_read_not_a_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await sim_control(dinstar_simulator, "faults", {"trailing_commas": True})
    await sim_control(dinstar_simulator, "ports/0", {"signal": 11})

    await _refresh(hass, init_integration, 2)

    assert _available(hass) == [True, True]
    assert hass.states.get(SIGNAL).state == str(-113 + 2 * 11)  # the new reading, in dBm
    assert _lines(caplog, "Error fetching") == 0


async def test_a_reboot_mid_send_is_uncertain_never_resent_and_the_gateway_comes_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
) -> None:
    await sim_control(dinstar_simulator, "faults", {"reboot_during_send": True})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "send_uncertain"
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1
    await _refresh(hass, init_integration, 2)
    assert _available(hass) == [False, False]

    await _boot(dinstar_simulator)  # the nonces issued before the reboot are gone
    await _refresh(hass, init_integration, 1)
    assert _available(hass) == [True, True]
    answer = await send_sms(hass, init_integration, recipients=[NUMBER], message="Again")
    assert answer is not None
    assert await requests_to(dinstar_simulator, SEND_PATH) >= 2
