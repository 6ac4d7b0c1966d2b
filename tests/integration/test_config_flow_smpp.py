"""The SMPP page of a Plasgate account's options: checked by a real bind before it is saved."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_ENABLED, CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import (
    CONF_SMPP,
    CONF_SYSTEM_ID,
    CONF_THROUGHPUT,
    CONF_WINDOW,
)
from tests.conftest import RunningPlasgate

from .cloud_setups import smpp_options


def form(sim: RunningPlasgate, **changes: Any) -> dict[str, Any]:
    """The page filled in for the simulator's SMPP server."""
    return smpp_options(sim, **{CONF_THROUGHPUT: 20, CONF_WINDOW: 5, **changes})


async def open_smpp_page(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigFlowResult:
    """Open the options menu and go to the SMPP page."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "smpp"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smpp"
    return result


@pytest.fixture
def added(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> MockConfigEntry:
    """The Plasgate entry, known to Home Assistant (set-up itself is mocked: only the flow runs)."""
    plasgate_entry.add_to_hass(hass)
    return plasgate_entry


async def test_smpp_is_saved_after_a_bind(
    hass: HomeAssistant, added: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    flow_id = (await open_smpp_page(hass, added))["flow_id"]
    result = await hass.config_entries.options.async_configure(
        flow_id, form(plasgate_smpp_simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    saved = added.options[CONF_SMPP]
    assert saved[CONF_ENABLED] is True
    assert (saved[CONF_SYSTEM_ID], saved[CONF_PASSWORD]) == ("demo", "demo")
    assert (saved[CONF_THROUGHPUT], saved[CONF_WINDOW]) == (20.0, 5)
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert (counts["bind_transceiver"], counts["unbind"]) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_PASSWORD: "wrong"}, {"base": "smpp_invalid_auth"}),
        ({CONF_PASSWORD: "far too long"}, {"base": "smpp_invalid_login"}),
        ({CONF_SYSTEM_ID: "a-system-id-of-20ch"}, {"base": "smpp_invalid_login"}),
        ({CONF_HOST: "  "}, {CONF_HOST: "smpp_host_required"}),
        ({CONF_PORT: 1}, {"base": "smpp_cannot_connect"}),
    ],
)
async def test_what_cannot_bind_is_said_on_the_page(
    hass: HomeAssistant,
    added: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    flow_id = (await open_smpp_page(hass, added))["flow_id"]
    result = await hass.config_entries.options.async_configure(
        flow_id, form(plasgate_smpp_simulator, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert CONF_SMPP not in added.options
    # Corrected, it saves.
    result = await hass.config_entries.options.async_configure(
        flow_id, form(plasgate_smpp_simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_blank_password_keeps_the_saved_one_and_is_never_shown(
    hass: HomeAssistant, added: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    hass.config_entries.async_update_entry(
        added, options={**added.options, CONF_SMPP: form(plasgate_smpp_simulator)}
    )
    shown = await open_smpp_page(hass, added)
    flow_id = shown["flow_id"]
    schema = shown["data_schema"]
    assert schema is not None
    suggested = {
        str(key): key.description.get("suggested_value") for key in schema.schema if key.description
    }
    assert suggested[CONF_SYSTEM_ID] == "demo"
    assert CONF_PASSWORD not in suggested or suggested[CONF_PASSWORD] is None
    result = await hass.config_entries.options.async_configure(
        flow_id, {**form(plasgate_smpp_simulator), CONF_PASSWORD: ""}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert added.options[CONF_SMPP][CONF_PASSWORD] == "demo"


async def test_switching_smpp_off_keeps_the_settings_and_binds_nothing(
    hass: HomeAssistant, added: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    flow_id = (await open_smpp_page(hass, added))["flow_id"]
    result = await hass.config_entries.options.async_configure(
        flow_id, form(plasgate_smpp_simulator, **{CONF_ENABLED: False, CONF_PASSWORD: "wrong"})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert added.options[CONF_SMPP][CONF_ENABLED] is False
    assert added.options[CONF_SMPP][CONF_SYSTEM_ID] == "demo"
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["counts"] == {}


async def test_smslink_has_no_smpp_page(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    smslink_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(smslink_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"
