"""A login refused while the entry runs: re-authentication is asked for, polling goes on slowly.

Home Assistant stops a coordinator that raises ConfigEntryAuthFailed until the entry reloads; then
a gateway whose password is right again would stay unavailable until the user finished the
re-authentication. The gateway is polled every few minutes instead, and when it takes the stored
login again everything comes back by itself and the re-authentication is dismissed.
"""

from datetime import timedelta

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.sms_gateway.const import DEFAULT_POLL_INTERVAL, DOMAIN, SLOW_POLL_INTERVAL
from tests.conftest import RunningDinstar

SIGNAL = "sensor.dinstar_2817_port_0_signal_strength"
GATEWAY_CPU = "sensor.dinstar_2817_cpu_usage"
PORTS_PATH = "/api/get_port_info"


def _reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    return [flow["flow_id"] for flow in entry.async_get_active_flows(hass, {SOURCE_REAUTH})]


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def _after(hass: HomeAssistant, delay: timedelta) -> None:
    """Let time pass for the scheduled polls, and wait for what they started."""
    async_fire_time_changed(hass, dt_util.utcnow() + delay)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_polling_goes_on_slowly_and_recovers_by_itself(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ports = init_integration.runtime_data.ports
    requests = dinstar_simulator.sim.gate.request_counts
    dinstar_simulator.sim.verifier.password = "changed"

    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert init_integration.state is ConfigEntryState.LOADED
    assert _state(hass, SIGNAL) == STATE_UNAVAILABLE
    assert _state(hass, GATEWAY_CPU) == STATE_UNAVAILABLE
    assert len(_reauth_flows(hass, init_integration)) == 1
    issue_id = f"config_entry_reauth_{DOMAIN}_{init_integration.entry_id}"
    assert ir.async_get(hass).async_get_issue(HOMEASSISTANT_DOMAIN, issue_id) is not None
    assert ports.update_interval == SLOW_POLL_INTERVAL
    refused = [r for r in caplog.records if "Error fetching sms_gateway ports" in r.getMessage()]
    assert len(refused) == 1
    assert "refused the login" in refused[0].getMessage()

    # Not at the usual pace any more, but still polled.
    before = requests[PORTS_PATH]
    await _after(hass, timedelta(seconds=DEFAULT_POLL_INTERVAL + 1))
    assert requests[PORTS_PATH] == before
    await _after(hass, SLOW_POLL_INTERVAL)
    assert requests[PORTS_PATH] > before
    assert _state(hass, SIGNAL) == STATE_UNAVAILABLE
    assert len(_reauth_flows(hass, init_integration)) == 1  # still one, not one per poll

    # The gateway takes the stored login again: back without the user doing anything.
    dinstar_simulator.sim.verifier.password = "admin"
    await _after(hass, SLOW_POLL_INTERVAL)

    assert _state(hass, SIGNAL) != STATE_UNAVAILABLE
    assert _state(hass, GATEWAY_CPU) != STATE_UNAVAILABLE
    assert _reauth_flows(hass, init_integration) == []
    assert ir.async_get(hass).async_get_issue(HOMEASSISTANT_DOMAIN, issue_id) is None
    assert ports.update_interval == timedelta(seconds=DEFAULT_POLL_INTERVAL)
    assert len([r for r in caplog.records if "recovered" in r.getMessage()]) == 1
    assert "admin" not in caplog.text


async def test_a_refused_login_at_set_up_still_fails_the_set_up(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    dinstar_simulator.sim.verifier.password = "changed"
    dinstar_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    assert dinstar_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(_reauth_flows(hass, dinstar_entry)) == 1
