"""Port buttons: refresh the balance, restart the module, against the simulated gateway."""

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

from homeassistant.components.button.const import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import CONF_BALANCE
from simulators.dinstar.settings import DinstarSettings
from tests.conftest import RunningDinstar
from tests.integration.setups import entities_test, sim_control, with_balance

WITH_SENSORS = pytest.mark.parametrize(
    "platforms", [[Platform.BUTTON, Platform.SENSOR]], indirect=True
)


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for replies every 20 ms so tests do not wait the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


@pytest.fixture
def platforms(request: pytest.FixtureRequest) -> Iterator[list[Platform]]:
    """Set up only these, and keep it so until the entry is unloaded (unload needs the list)."""
    chosen: list[Platform] = getattr(request, "param", [Platform.BUTTON])
    with patch("custom_components.sms_gateway.gateway.setup.GATEWAY_PLATFORMS", chosen):
        yield chosen


@pytest.fixture
def dinstar_settings() -> DinstarSettings:
    """A restarted module stays off the network long enough to be seen."""
    return DinstarSettings(send_delay=0.05, deliver_delay=0.05, ussd_delay=0.05, register_delay=30)


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    """The simulated gateway with a balance code on port 0 only."""
    return with_balance(dinstar_entry, {"0": {"code": "*100#", "unit": "DH", "interval": 60}})


async def press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


test_entities = entities_test()


@WITH_SENSORS
async def test_refresh_balance_reads_it_now(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert hass.states.get("sensor.dinstar_2817_port_0_balance").state == "unknown"  # type: ignore[union-attr]

    await press(hass, "button.dinstar_2817_port_0_refresh_balance")
    await hass.async_block_till_done()

    assert hass.states.get("sensor.dinstar_2817_port_0_balance").state == "12.5"  # type: ignore[union-attr]
    assert hass.states.get("button.dinstar_2817_port_0_refresh_balance").state != "unknown"  # type: ignore[union-attr]


async def test_refresh_balance_exists_only_where_a_code_is_set(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """A button that cannot work is not offered; clearing the code takes it away for good."""
    assert hass.states.get("button.dinstar_2817_port_0_refresh_balance") is not None
    assert hass.states.get("button.dinstar_2817_port_1_refresh_balance") is None
    assert hass.states.get("button.dinstar_2817_port_1_restart_module") is not None

    hass.config_entries.async_update_entry(init_integration, options={CONF_BALANCE: {}})
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get("button.dinstar_2817_port_0_refresh_balance") is None
    assert entity_registry.async_get("button.dinstar_2817_port_0_refresh_balance") is None


async def test_refresh_balance_on_a_busy_port_says_so(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ports/0", {"busy": True})
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, "button.dinstar_2817_port_0_refresh_balance")
    assert caught.value.translation_key == "ussd_port_busy"


@WITH_SENSORS
async def test_restart_module_resets_the_port_and_shows_it(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    registration = "sensor.dinstar_2817_port_2_registration"
    assert hass.states.get(registration).state == "register_ok"  # type: ignore[union-attr]

    await press(hass, "button.dinstar_2817_port_2_restart_module")
    await hass.async_block_till_done()

    resets = [
        entry["query"]
        for entry in dinstar_simulator.sim.gate.log
        if entry["path"] == "/api/set_port_info"
    ]
    assert resets == [{"port": "2", "action": "reset"}]
    # The module is searching again, and Home Assistant shows it without waiting for a poll.
    assert dinstar_simulator.sim.ports[2].reg == "SEARCHING_NETWORK"
    assert hass.states.get(registration).state == "searching_network"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("break_gateway", "translation_key"),
    [
        ({"fail_500_paths": ["/api/set_port_info"]}, "restart_failed"),
        ({"drop_connection_paths": ["/api/set_port_info"]}, "restart_failed"),
        (None, "invalid_auth"),
    ],
)
async def test_restart_module_failures_are_translated(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    break_gateway: dict[str, Any] | None,
    translation_key: str,
) -> None:
    if break_gateway is None:
        dinstar_simulator.sim.verifier.password = "changed"
    else:
        await sim_control(dinstar_simulator, "faults", break_gateway)
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, "button.dinstar_2817_port_3_restart_module")
    assert caught.value.translation_key == translation_key
    assert (caught.value.translation_placeholders or {})["port"] == "3"
    assert dinstar_simulator.sim.ports[3].reg == "REGISTER_OK"
