"""The SMS to Assist options: a gateway's page, a section of an account's where SMS come in."""

from unittest.mock import AsyncMock

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.assist.options import (
    DEFAULT_AGENT,
    DEFAULT_RATE_LIMIT,
    AssistSettings,
    assist_settings,
)
from custom_components.sms_gateway.const import (
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_SENDER,
    CONF_SMPP,
    CONF_TEST_MODE,
)
from tests.conftest import RunningPlasgate

from .cloud_setups import smpp_options
from .test_config_flow import open_options, suggested_values
from .test_config_flow_cloud import fields, open_options as open_account_options

OFF = {"enabled": False, "numbers": [], "agent_id": DEFAULT_AGENT, "rate_limit": 10}


def test_off_with_nobody_allowed_unless_the_options_say_otherwise() -> None:
    assert assist_settings({}) == AssistSettings()
    assert assist_settings({"assist": None}) == AssistSettings(
        enabled=False, numbers=frozenset(), agent_id=DEFAULT_AGENT, rate_limit=DEFAULT_RATE_LIMIT
    )


async def test_gateway_page_stores_international_numbers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """National numbers are Home Assistant's country's; bad ones are named by position only."""
    hass.config.country = "RO"
    result = await open_options(hass, init_integration, "assist")
    assert result["step_id"] == "assist"
    assert suggested_values(result) == OFF

    typed = ["0712 345 678", "call me", "+40 712-345-678", "0040723456789", "+4071"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"enabled": True, "numbers": typed, "agent_id": DEFAULT_AGENT}
    )
    assert result["errors"] == {"numbers": "assist_invalid_number"}
    assert result["description_placeholders"] == {"invalid": "#2, #5"}
    assert suggested_values(result)["numbers"] == typed

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"enabled": True, "numbers": typed[::2][:2] + [typed[3]], "rate_limit": 3.0},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options["assist"] == {
        "enabled": True,
        "numbers": ["+40712345678", "+40723456789"],  # the first two are one number
        "agent_id": DEFAULT_AGENT,
        "rate_limit": 3,
    }
    result = await open_options(hass, init_integration, "assist")
    assert suggested_values(result) == init_integration.options["assist"]


async def test_gateway_page_without_a_country_takes_only_international_numbers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    hass.config.country = None
    result = await open_options(hass, init_integration, "assist")

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"enabled": True, "numbers": ["0712345678", "+40712345678"]}
    )

    assert result["description_placeholders"] == {"invalid": "#1"}


async def test_account_section_uses_the_account_country(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    smslink_entry.add_to_hass(hass)
    result = await open_account_options(hass, smslink_entry)
    assert fields(result)[-1] == "assist"
    assert suggested_values(result)["assist"] == OFF
    account = {CONF_SENDER: "numeric", CONF_COUNTRY: "MD", CONF_TEST_MODE: False}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**account, "assist": {"enabled": True, "numbers": ["069123456", "no", "1"]}},
    )
    assert result["errors"] == {"assist": "assist_invalid_number"}
    assert result["description_placeholders"]["invalid"] == "#2, #3"
    # Recipients are checked first: one error at a time.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**account, CONF_DEFAULT_RECIPIENTS: ["x"], "assist": {"numbers": ["no"]}},
    )
    assert result["errors"] == {CONF_DEFAULT_RECIPIENTS: "invalid_recipient"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**account, "assist": {"enabled": True, "numbers": ["069123456"], "agent_id": "x.y"}},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert smslink_entry.options["assist"] == {
        "enabled": True,
        "numbers": ["+37369123456"],  # Moldova, the account's country
        "agent_id": "x.y",
        "rate_limit": DEFAULT_RATE_LIMIT,
    }


async def test_account_form_without_the_section_keeps_what_was_stored(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    stored = {**OFF, "enabled": True, "numbers": ["+40712345678"]}
    smslink_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        smslink_entry, options={**smslink_entry.options, "assist": stored}
    )
    result = await open_account_options(hass, smslink_entry)
    assert suggested_values(result)["assist"] == stored

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SENDER: "numeric", CONF_COUNTRY: "RO"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert smslink_entry.options["assist"] == stored


async def test_plasgate_over_smpp_has_the_section(
    hass: HomeAssistant,
    plasgate_entry: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
    mock_setup_entry: AsyncMock,
) -> None:
    """Incoming SMS come over the link: allowed numbers can talk to Assist."""
    plasgate_entry.add_to_hass(hass)
    smpp = smpp_options(plasgate_smpp_simulator)
    hass.config_entries.async_update_entry(plasgate_entry, options={CONF_SMPP: smpp})
    result = await open_account_options(hass, plasgate_entry)
    assert fields(result)[-1] == "assist"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_COUNTRY: "KH", "assist": {"enabled": True, "numbers": ["012345678"]}},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert plasgate_entry.options["assist"]["numbers"] == ["+85512345678"]
    assert plasgate_entry.options[CONF_SMPP] == smpp


async def test_plasgate_over_rest_has_no_section(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """Plasgate's REST API brings no incoming SMS: nobody to answer."""
    plasgate_entry.add_to_hass(hass)
    result = await open_account_options(hass, plasgate_entry)

    assert "assist" not in fields(result)
