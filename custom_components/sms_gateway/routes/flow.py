"""Config and options flow of a failover route: its name, its services in order, its recipients.

The services are picked in a multi-select whose value keeps the order they were picked in, which
is the order they are tried; the options flow takes a new pick to change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import SelectOptionDict, TextSelector
import voluptuous as vol

from ..const import (
    CONF_DEFAULT_RECIPIENTS,
    CONF_PROVIDER,
    CONF_ROUTE_SERVICES,
    DOMAIN,
    PROVIDER_ROUTE,
)
from ..form_fields import choice_field, phone_numbers_field
from ..options_reload import ReloadingOptionsFlow
from ..phone_numbers import positions, sort_numbers
from ..providers.text import normalise_number

DEFAULT_ROUTE_NAME: Final = "SMS alerts"


def route_services(hass: HomeAssistant) -> list[ConfigEntry[Any]]:
    """List the gateways and accounts a route can try: every entry of ours but the routes."""
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.data.get(CONF_PROVIDER) != PROVIDER_ROUTE
    ]


def _schema(hass: HomeAssistant, *, with_name: bool) -> vol.Schema:
    choices = [
        SelectOptionDict(value=entry.entry_id, label=entry.title) for entry in route_services(hass)
    ]
    fields: dict[vol.Marker, Any] = {}
    if with_name:
        fields[vol.Required(CONF_NAME, default=DEFAULT_ROUTE_NAME)] = TextSelector()
    fields[vol.Required(CONF_ROUTE_SERVICES)] = choice_field(choices, multiple=True)
    fields[vol.Optional(CONF_DEFAULT_RECIPIENTS)] = phone_numbers_field()
    return vol.Schema(fields)


def _route_options(
    user_input: Mapping[str, Any], errors: dict[str, str], placeholders: dict[str, str]
) -> dict[str, Any]:
    """Read the services and the recipients (normalised); note what is wrong in errors."""
    services = list(dict.fromkeys(user_input[CONF_ROUTE_SERVICES]))
    if not services:
        errors[CONF_ROUTE_SERVICES] = "no_route_services"
    recipients, bad = sort_numbers(user_input.get(CONF_DEFAULT_RECIPIENTS, []), normalise_number)
    if bad:
        errors[CONF_DEFAULT_RECIPIENTS] = "invalid_number"
        placeholders["invalid"] = positions(bad)
    return {
        CONF_ROUTE_SERVICES: services,
        CONF_DEFAULT_RECIPIENTS: list(dict.fromkeys(recipients)),
    }


class RouteFlow(ConfigFlow):
    """The "Failover route" step; SmsGatewayConfigFlow offers it in its menu."""

    async def async_step_route(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name the route, pick its services in the order to try them, and its recipients."""
        if not route_services(self.hass):
            return self.async_abort(reason="no_route_services")
        errors: dict[str, str] = {}
        placeholders = {"invalid": ""}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            if not name or any(
                entry.title.casefold() == name.casefold()
                for entry in self.hass.config_entries.async_entries(DOMAIN)
            ):
                # The title names the notify service: two entries must not share one.
                errors[CONF_NAME] = "name_in_use"
            options = _route_options(user_input, errors, placeholders)
            if not errors:
                return self.async_create_entry(
                    title=name, data={CONF_PROVIDER: PROVIDER_ROUTE}, options=options
                )
        return self.async_show_form(
            step_id="route",
            data_schema=self.add_suggested_values_to_schema(
                _schema(self.hass, with_name=True), user_input or {}
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


class RouteOptionsFlow(ReloadingOptionsFlow):
    """One form: the services in their new order, and the default recipients."""

    async def async_step_init(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - opening the flow has no input
    ) -> ConfigFlowResult:
        """Open the route's one page."""
        return await self.async_step_route()

    async def async_step_route(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take the services, picked again in the order to try them, and the recipients."""
        errors: dict[str, str] = {}
        placeholders = {"invalid": ""}
        if user_input is not None:
            options = _route_options(user_input, errors, placeholders)
            if not errors:
                return self.async_save_options(options)
        known = {entry.entry_id for entry in route_services(self.hass)}
        saved = self.config_entry.options
        shown = user_input or {
            # A service removed since is no longer offered, so it is not shown as picked.
            CONF_ROUTE_SERVICES: [
                entry_id for entry_id in saved.get(CONF_ROUTE_SERVICES, []) if entry_id in known
            ],
            CONF_DEFAULT_RECIPIENTS: list(saved.get(CONF_DEFAULT_RECIPIENTS, [])),
        }
        return self.async_show_form(
            step_id="route",
            data_schema=self.add_suggested_values_to_schema(
                _schema(self.hass, with_name=False), shown
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
