"""A gateway sets up when its optional endpoints fail; only their sensors go unavailable.

`get_status` is not in the official document and some firmware may lack it; `query_sms_in_queue`
only feeds a sensor too. The ports are required, these are not: their sensors turn unavailable,
the failure is logged once (not at every refresh), and they come back when the endpoint answers.
"""

from collections.abc import Awaitable, Callable
import logging
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.diagnostics import async_get_config_entry_diagnostics
from tests.conftest import RunningDinstar

SIGNAL = "sensor.dinstar_2817_port_0_signal_strength"
GATEWAY = "sensor.dinstar_2817"
STATS_SENSORS = (f"{GATEWAY}_cpu_usage", f"{GATEWAY}_memory_usage", f"{GATEWAY}_flash_used")
QUEUE_SENSOR = f"{GATEWAY}_sms_queue"
STATUS_PATH = "/api/get_status"
QUEUE_PATH = "/api/query_sms_in_queue"

Breaker = Callable[[RunningDinstar, pytest.MonkeyPatch], Awaitable[None]]


async def _faults(sim: RunningDinstar, **faults: object) -> None:
    async with aiohttp.ClientSession() as session:
        response = await session.post(f"{sim.url}/_sim/faults", json=faults)
        assert response.status == 200, await response.text()


async def _code_500(sim: RunningDinstar, _monkeypatch: pytest.MonkeyPatch) -> None:
    await _faults(sim, fail_500_paths=[STATUS_PATH])  # error code 500 in the body


async def _http_500(sim: RunningDinstar, _monkeypatch: pytest.MonkeyPatch) -> None:
    await _faults(sim, fail_500_paths=[STATUS_PATH], error_http_status="error_code")


async def _dropped(sim: RunningDinstar, _monkeypatch: pytest.MonkeyPatch) -> None:
    await _faults(sim, drop_connection_paths=[STATUS_PATH])


async def _missing(sim: RunningDinstar, monkeypatch: pytest.MonkeyPatch) -> None:
    # Firmware without the endpoint: the web server's plain 404, as for any unknown path.
    monkeypatch.delitem(sim.sim.gate.routes, STATUS_PATH)


async def _heal(sim: RunningDinstar, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    await _faults(sim, fail_500_paths=[], drop_connection_paths=[], error_http_status=200)


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _refresh_status(hass: HomeAssistant, entry: MockConfigEntry, times: int = 1) -> None:
    for _ in range(times):
        await entry.runtime_data.status.async_refresh()
        await hass.async_block_till_done()


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _lines(caplog: pytest.LogCaptureFixture, text: str, level: int | None = None) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if text in record.getMessage() and (level is None or record.levelno == level)
    ]


@pytest.fixture
async def unload(hass: HomeAssistant, dinstar_entry: MockConfigEntry) -> Any:
    """Unload the entry after the test, as init_integration does."""
    yield
    if dinstar_entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(dinstar_entry.entry_id)
        await hass.async_block_till_done()


@pytest.mark.usefixtures("unload")
@pytest.mark.parametrize(
    "break_get_status",
    [
        pytest.param(_code_500, id="error-code-in-body"),
        pytest.param(_http_500, id="http-500"),
        pytest.param(_dropped, id="connection-dropped"),
        pytest.param(_missing, id="missing-404"),
    ],
)
async def test_gateway_sets_up_without_get_status(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    break_get_status: Breaker,
) -> None:
    await break_get_status(dinstar_simulator, monkeypatch)

    await _set_up(hass, dinstar_entry)

    assert dinstar_entry.state is ConfigEntryState.LOADED
    assert _state(hass, SIGNAL) != STATE_UNAVAILABLE
    assert _state(hass, QUEUE_SENSOR) == "0"
    for entity_id in STATS_SENSORS:
        assert _state(hass, entity_id) == STATE_UNAVAILABLE

    await _refresh_status(hass, dinstar_entry, times=3)  # still failing: said once, not again
    for entity_id in STATS_SENSORS:
        assert _state(hass, entity_id) == STATE_UNAVAILABLE
    [warning] = _lines(caplog, "does not answer get_status", logging.WARNING)
    assert "CPU, memory and flash" in warning
    assert not _lines(caplog, "Error fetching")

    await _heal(dinstar_simulator, monkeypatch)
    await _refresh_status(hass, dinstar_entry, times=2)

    for entity_id in STATS_SENSORS:
        assert _state(hass, entity_id) != STATE_UNAVAILABLE
    assert len(_lines(caplog, "answers get_status again", logging.INFO)) == 1
    assert len(_lines(caplog, "does not answer get_status")) == 1


@pytest.mark.usefixtures("unload")
async def test_both_status_endpoints_failing(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _faults(dinstar_simulator, fail_500_paths=[STATUS_PATH, QUEUE_PATH])

    await _set_up(hass, dinstar_entry)

    assert dinstar_entry.state is ConfigEntryState.LOADED
    assert _state(hass, SIGNAL) != STATE_UNAVAILABLE
    for entity_id in (*STATS_SENSORS, QUEUE_SENSOR):
        assert _state(hass, entity_id) == STATE_UNAVAILABLE
    assert len(_lines(caplog, "does not answer get_status")) == 1
    assert len(_lines(caplog, "does not answer query_sms_in_queue")) == 1
    diagnostics = await async_get_config_entry_diagnostics(hass, dinstar_entry)
    assert diagnostics["status"] == {"stats": None, "sms_in_queue": None}

    await _faults(dinstar_simulator, fail_500_paths=[STATUS_PATH])
    await _refresh_status(hass, dinstar_entry)
    assert _state(hass, QUEUE_SENSOR) == "0"
    assert len(_lines(caplog, "answers query_sms_in_queue again")) == 1


@pytest.mark.usefixtures("unload")
async def test_status_endpoints_not_answering_at_all_do_not_stop_the_set_up(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Neither answers while the ports do: the status as a whole fails, logged once."""
    await _faults(dinstar_simulator, drop_connection_paths=[STATUS_PATH, QUEUE_PATH])

    await _set_up(hass, dinstar_entry)
    await _refresh_status(hass, dinstar_entry, times=2)

    assert dinstar_entry.state is ConfigEntryState.LOADED
    assert _state(hass, SIGNAL) != STATE_UNAVAILABLE
    for entity_id in (*STATS_SENSORS, QUEUE_SENSOR):
        assert _state(hass, entity_id) == STATE_UNAVAILABLE
    assert len(_lines(caplog, "Error fetching sms_gateway status data")) == 1

    # A port change does not pretend the status is back (nor log it again).
    ports = dinstar_entry.runtime_data.ports
    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _state(hass, QUEUE_SENSOR) == STATE_UNAVAILABLE

    await _faults(dinstar_simulator, drop_connection_paths=[])
    await _refresh_status(hass, dinstar_entry)
    for entity_id in (*STATS_SENSORS, QUEUE_SENSOR):
        assert _state(hass, entity_id) != STATE_UNAVAILABLE
    assert len(_lines(caplog, "Fetching sms_gateway status data recovered")) == 1
    assert len(_lines(caplog, "Error fetching sms_gateway status data")) == 1


@pytest.mark.usefixtures("unload")
async def test_a_missing_endpoint_is_not_logged_again_when_the_gateway_returns(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _missing(dinstar_simulator, monkeypatch)
    await _set_up(hass, dinstar_entry)
    ports = dinstar_entry.runtime_data.ports

    await _faults(dinstar_simulator, drop_connection_paths=["/api/get_port_info"])
    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _state(hass, QUEUE_SENSOR) == STATE_UNAVAILABLE
    await _faults(dinstar_simulator, drop_connection_paths=[])
    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert _state(hass, QUEUE_SENSOR) == "0"  # read again at once
    for entity_id in STATS_SENSORS:
        assert _state(hass, entity_id) == STATE_UNAVAILABLE
    assert len(_lines(caplog, "does not answer get_status")) == 1
    assert not _lines(caplog, "Error fetching sms_gateway status data")
