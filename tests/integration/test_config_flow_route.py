"""The failover route's config and options flows: name, services in order, recipients."""

from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import (
    CONF_DEFAULT_RECIPIENTS,
    CONF_PROVIDER,
    CONF_ROUTE_SERVICES,
    DOMAIN,
    PROVIDER_DINSTAR,
    PROVIDER_ROUTE,
    PROVIDER_SMSLINK,
)

from .test_config_flow import suggested_values

SETUP = "custom_components.sms_gateway.async_setup_entry"


def add_services(hass: HomeAssistant) -> tuple[MockConfigEntry, MockConfigEntry]:
    """A gateway and an account, as entries (a route only needs their ids and titles)."""
    gateway = MockConfigEntry(
        domain=DOMAIN, title="Dinstar 2817", data={CONF_PROVIDER: PROVIDER_DINSTAR}
    )
    account = MockConfigEntry(
        domain=DOMAIN, title="SMSLink", data={CONF_PROVIDER: PROVIDER_SMSLINK}
    )
    gateway.add_to_hass(hass)
    account.add_to_hass(hass)
    return gateway, account


async def open_route_step(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert PROVIDER_ROUTE in (result["menu_options"] or [])
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": PROVIDER_ROUTE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "route"
    return result["flow_id"]


async def test_a_route_keeps_the_order_its_services_were_picked_in(hass: HomeAssistant) -> None:
    gateway, account = add_services(hass)
    flow_id = await open_route_step(hass)

    with patch(SETUP, AsyncMock(return_value=True)):
        result = await hass.config_entries.flow.async_configure(
            flow_id,
            {
                CONF_NAME: " SMS alerts ",
                CONF_ROUTE_SERVICES: [account.entry_id, gateway.entry_id],
                CONF_DEFAULT_RECIPIENTS: ["+40 712 345 678", "+40712345678"],
            },
        )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SMS alerts"
    assert result["data"] == {CONF_PROVIDER: PROVIDER_ROUTE}
    assert result["options"] == {
        CONF_ROUTE_SERVICES: [account.entry_id, gateway.entry_id],
        CONF_DEFAULT_RECIPIENTS: ["+40712345678"],
    }


async def test_route_form_errors_then_recovers(hass: HomeAssistant) -> None:
    gateway, _ = add_services(hass)
    flow_id = await open_route_step(hass)

    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            CONF_NAME: "smslink",  # the account's title, in other letters
            CONF_ROUTE_SERVICES: [],
            CONF_DEFAULT_RECIPIENTS: ["+40712345678", "call me"],
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_NAME: "name_in_use",
        CONF_ROUTE_SERVICES: "no_route_services",
        CONF_DEFAULT_RECIPIENTS: "invalid_number",
    }
    assert result["description_placeholders"] == {"invalid": "#2"}
    assert suggested_values(result)[CONF_NAME] == "smslink"

    with patch(SETUP, AsyncMock(return_value=True)):
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_NAME: "Alerts", CONF_ROUTE_SERVICES: [gateway.entry_id]}
        )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {
        CONF_ROUTE_SERVICES: [gateway.entry_id],
        CONF_DEFAULT_RECIPIENTS: [],
    }


async def test_routes_are_not_offered_as_services(hass: HomeAssistant) -> None:
    route = MockConfigEntry(domain=DOMAIN, title="Old", data={CONF_PROVIDER: PROVIDER_ROUTE})
    route.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": PROVIDER_ROUTE}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_route_services"


async def test_options_change_the_order_and_drop_a_removed_service(hass: HomeAssistant) -> None:
    gateway, account = add_services(hass)
    route = MockConfigEntry(
        domain=DOMAIN,
        title="SMS alerts",
        data={CONF_PROVIDER: PROVIDER_ROUTE},
        options={
            CONF_ROUTE_SERVICES: [gateway.entry_id, "removed", account.entry_id],
            CONF_DEFAULT_RECIPIENTS: ["+40712345678"],
        },
    )
    route.add_to_hass(hass)

    result = await hass.config_entries.options.async_init(route.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "route"
    assert suggested_values(result) == {
        CONF_ROUTE_SERVICES: [gateway.entry_id, account.entry_id],
        CONF_DEFAULT_RECIPIENTS: ["+40712345678"],
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ROUTE_SERVICES: [], CONF_DEFAULT_RECIPIENTS: ["x"]}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_ROUTE_SERVICES: "no_route_services",
        CONF_DEFAULT_RECIPIENTS: "invalid_number",
    }

    with patch(SETUP, AsyncMock(return_value=True)):
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_ROUTE_SERVICES: [account.entry_id, gateway.entry_id]}
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert route.options == {
        CONF_ROUTE_SERVICES: [account.entry_id, gateway.entry_id],
        CONF_DEFAULT_RECIPIENTS: [],
    }


async def test_a_route_has_nothing_to_reconfigure(hass: HomeAssistant) -> None:
    route = MockConfigEntry(domain=DOMAIN, title="SMS alerts", data={CONF_PROVIDER: PROVIDER_ROUTE})
    route.add_to_hass(hass)

    result = await route.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "route_reconfigure"
