"""Loading, set-up failures, and what happens while the gateway is away and when it returns."""

import aiohttp
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from tests.conftest import RunningDinstar

SIGNAL = "sensor.dinstar_2817_port_0_signal_strength"
GATEWAY_CPU = "sensor.dinstar_2817_cpu_usage"


async def _faults(sim: RunningDinstar, **faults: object) -> None:
    async with aiohttp.ClientSession() as session:
        response = await session.post(f"{sim.url}/_sim/faults", json=faults)
        assert response.status == 200, await response.text()


async def test_integration_loads(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    # Add integration searches the name: each service must find it by its own name.
    assert all(word in integration.name for word in ("SMS", "Dinstar", "SMSLink", "Plasgate"))
    assert integration.is_built_in is False
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


async def test_unreachable_gateway_retries_setup(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await _faults(dinstar_simulator, drop_connection_paths=["/api/get_port_info"])
    dinstar_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    assert dinstar_entry.state is ConfigEntryState.SETUP_RETRY


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry
) -> None:
    dinstar_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        dinstar_entry, data={**dinstar_entry.data, "password": "wrong"}
    )
    await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    assert dinstar_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_entities_unavailable_while_gateway_away_and_back_after(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE
    await _faults(dinstar_simulator, drop_connection_paths=["/api/get_port_info"])

    ports = init_integration.runtime_data.ports
    for _ in range(3):  # several failed polls: unavailable, and logged once
        await ports.async_refresh()
        await hass.async_block_till_done()
    for entity_id in (SIGNAL, "binary_sensor.dinstar_2817_port_0_gprs", GATEWAY_CPU):
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    lost = [r for r in caplog.records if "Error fetching" in r.getMessage()]
    assert len(lost) == 1

    await _faults(dinstar_simulator, drop_connection_paths=[])
    for _ in range(2):
        await ports.async_refresh()
        await hass.async_block_till_done()
    for entity_id in (SIGNAL, "binary_sensor.dinstar_2817_port_0_gprs", GATEWAY_CPU):
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE
    back = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(back) == 1
    assert "admin" not in caplog.text


async def test_unload_and_reload(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE
