"""Options: polling, whom and from which ports to send by default, balance per port, SMS to Assist.

Home Assistant 2025.4 has no OptionsFlowWithReload: the entry's update listener reloads it.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_PORT
import voluptuous as vol

from ..assist.options import assist_from_form, assist_schema, assist_shown
from ..const import (
    CONF_ASSIST,
    CONF_DEFAULT_PORTS,
    CONF_DEFAULT_RECIPIENTS,
    CONF_NUMBERS,
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
)
from ..entity import async_device_id
from ..form_fields import phone_numbers_field, port_field, whole_number_field
from ..options_reload import ReloadingOptionsFlow
from ..phone_numbers import positions, sort_numbers
from ..providers.dinstar import MAX_PORT
from ..providers.text import normalise_number
from .balance_options import balance_schema, port_balance_shown, with_port_balance
from .devices import port_identifier
from .runtime import GatewayConfigEntry

POLL_INTERVAL_RANGE: Final = (10, 3600)  # seconds


class SmsGatewayOptionsFlow(ReloadingOptionsFlow):
    """A menu: general settings, or the balance of one port."""

    def __init__(self) -> None:
        """Ports are read once when the flow opens."""
        self._ports: list[int] = []
        self._port: int = 0

    def _gateway_ports(self) -> list[int]:
        """Read the running gateway's ports, else the port devices it left in the registry."""
        entry: GatewayConfigEntry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            return sorted(entry.runtime_data.ports.data)
        serial = str(entry.unique_id)
        return [
            port
            for port in range(MAX_PORT + 1)
            if async_device_id(self.hass, entry, port_identifier(serial, port))
        ]

    async def async_step_init(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - a menu has no input
    ) -> ConfigFlowResult:
        """Offer the two option pages, once the gateway's ports are known."""
        self._ports = self._gateway_ports()
        if not self._ports:
            return self.async_abort(reason="no_ports")
        return self.async_show_menu(step_id="init", menu_options=["settings", "balance", "assist"])

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Poll interval, default ports and default recipients."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        placeholders = {"invalid": ""}
        if user_input is not None:
            recipients, bad = sort_numbers(
                user_input.get(CONF_DEFAULT_RECIPIENTS, []), normalise_number
            )
            if bad:
                errors[CONF_DEFAULT_RECIPIENTS] = "invalid_number"
                placeholders["invalid"] = positions(bad)
            else:
                return self.async_save_options(
                    {
                        **options,
                        CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL]),
                        CONF_DEFAULT_PORTS: sorted(
                            int(port) for port in user_input.get(CONF_DEFAULT_PORTS, [])
                        ),
                        CONF_DEFAULT_RECIPIENTS: list(dict.fromkeys(recipients)),
                    }
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_POLL_INTERVAL): whole_number_field(POLL_INTERVAL_RANGE, "s"),
                vol.Optional(CONF_DEFAULT_PORTS): port_field(self._ports, multiple=True),
                vol.Optional(CONF_DEFAULT_RECIPIENTS): phone_numbers_field(),
            }
        )
        shown = user_input or {
            CONF_POLL_INTERVAL: options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL),
            CONF_DEFAULT_PORTS: [str(port) for port in options.get(CONF_DEFAULT_PORTS, [])],
            CONF_DEFAULT_RECIPIENTS: list(options.get(CONF_DEFAULT_RECIPIENTS, [])),
        }
        return self.async_show_form(
            step_id="settings",
            data_schema=self.add_suggested_values_to_schema(schema, shown),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_balance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the port whose balance check to set."""
        if user_input is not None:
            self._port = int(user_input[CONF_PORT])
            return await self.async_step_balance_port()
        schema = vol.Schema({vol.Required(CONF_PORT): port_field(self._ports, multiple=False)})
        return self.async_show_form(step_id="balance", data_schema=schema)

    async def async_step_balance_port(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the USSD code, the pattern of the amount in the reply, its unit and cadence."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        if user_input is not None:
            saved, errors = with_port_balance(options, self._port, user_input)
            if not errors:
                return self.async_save_options(saved)
        shown = user_input or port_balance_shown(options, self._port)
        return self.async_show_form(
            step_id="balance_port",
            data_schema=self.add_suggested_values_to_schema(balance_schema(), shown),
            errors=errors,
            description_placeholders={"port": str(self._port)},
        )

    async def async_step_assist(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """SMS to Assist: who may talk to which agent, and how often.

        A national number is taken as Home Assistant's country's: the SIMs are where it is.
        """
        options = self.config_entry.options
        errors: dict[str, str] = {}
        placeholders = {"invalid": ""}
        if user_input is not None:
            assist, bad = assist_from_form(user_input, self.hass.config.country)
            if not bad:
                return self.async_save_options({**options, CONF_ASSIST: assist})
            errors[CONF_NUMBERS] = "assist_invalid_number"
            placeholders["invalid"] = positions(bad)
        return self.async_show_form(
            step_id="assist",
            data_schema=self.add_suggested_values_to_schema(
                assist_schema(), user_input or assist_shown(options)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
