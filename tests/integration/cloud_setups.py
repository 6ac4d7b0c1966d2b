"""Steps the cloud-account test files share, so that each file states only its own.

Waiting for a simulator's callback, the account's device, the delivery reports a test collects.
"""

import asyncio
from collections.abc import Callable
import logging
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_ENABLED, CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import httpx
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    CONF_PROVIDER,
    CONF_SMPP,
    CONF_SYSTEM_ID,
    CONF_THROUGHPUT,
    CONF_TLS,
    CONF_WINDOW,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    PROVIDER_PLASGATE,
)
from tests.conftest import RunningPlasgate

from .conftest import registered_device


async def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Callbacks come from the simulator's own tasks, on real time: let them arrive, within a
    bound (generous: the bound only matters when the test fails)."""
    try:
        async with asyncio.timeout(seconds):
            while not condition():  # noqa: ASYNC110 - no event to wait on: state to poll
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError("the callback never arrived") from None


def account_device(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    """The device a cloud account's entry registers for itself."""
    return registered_device(hass, (DOMAIN, entry.entry_id))


def debug_reports(hass: HomeAssistant, caplog: pytest.LogCaptureFixture) -> list[Event[Any]]:
    """Collect the delivery reports, and the integration's DEBUG lines that explain the refused."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    return async_capture_events(hass, EVENT_DELIVERY_REPORT)


async def open_options(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigFlowResult:
    """Open the cloud options form: one page, or for Plasgate the first page of its menu."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    if entry.data[CONF_PROVIDER] == PROVIDER_PLASGATE:
        assert result["type"] is FlowResultType.MENU
        assert result["menu_options"] == ["account", "smpp"]
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": "account"}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"
    return result


def smpp_options(sim: RunningPlasgate, **changes: Any) -> dict[str, Any]:
    """The SMPP settings the options page saves (and takes) for the simulator's server."""
    host, port = sim.sim.smpp.address
    return {
        CONF_ENABLED: True,
        CONF_HOST: host,
        CONF_PORT: port,
        CONF_SYSTEM_ID: "demo",
        CONF_PASSWORD: "demo",
        CONF_TLS: False,
        CONF_THROUGHPUT: 50.0,
        CONF_WINDOW: 10,
        **changes,
    }


async def set_faults(sim: RunningPlasgate, **switches: object) -> None:
    """Set the Plasgate simulator's switches through its control API."""
    async with httpx.AsyncClient(base_url=sim.url) as client:
        (await client.post("/_sim/faults", json=switches)).raise_for_status()


def link_state(hass: HomeAssistant, entry: MockConfigEntry) -> str | None:
    """The state of the account's SMPP link sensor."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", "sms_gateway", f"{entry.entry_id}_smpp_link"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    return None if state is None else state.state


async def set_up_over_smpp(
    hass: HomeAssistant, entry: MockConfigEntry, sim: RunningPlasgate, **changes: Any
) -> None:
    """Add the Plasgate entry with SMPP options for the simulator, and set it up."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_SMPP: smpp_options(sim, **changes)}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
