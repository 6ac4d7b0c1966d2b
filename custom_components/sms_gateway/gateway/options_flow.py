"""Options: polling, whom and from which ports to send by default, balance per port, SMS to Assist.

Home Assistant 2025.4 has no OptionsFlowWithReload: the entry's update listener reloads it.
"""

from __future__ import annotations

import re
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_PORT
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from ..assist.options import (
    CONF_ASSIST,
    CONF_NUMBERS,
    assist_from_form,
    assist_schema,
    assist_shown,
)
from ..const import (
    CONF_BALANCE,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_BALANCE_THRESHOLD,
    CONF_BALANCE_UNIT,
    CONF_DEFAULT_PORTS,
    CONF_DEFAULT_RECIPIENTS,
    CONF_POLL_INTERVAL,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_POLL_INTERVAL,
)
from ..entity import async_device_id
from ..options_reload import ReloadingOptionsFlow
from ..providers.dinstar import MAX_PORT, MAX_USSD_BYTES
from ..providers.errors import InvalidInputError
from ..providers.text import normalise_number
from .devices import port_identifier
from .runtime import GatewayConfigEntry

POLL_INTERVAL_RANGE: Final = (10, 3600)  # seconds
BALANCE_INTERVAL_RANGE: Final = (15, 10080)  # minutes: a quarter of an hour to a week
USSD_CODE: Final = re.compile(r"[*#0-9]+#")


def _whole_number(bounds: tuple[int, int], unit: str) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=bounds[0],
            max=bounds[1],
            step=1,
            mode=NumberSelectorMode.BOX,
            unit_of_measurement=unit,
        )
    )


def _port_selector(ports: list[int], *, multiple: bool) -> SelectSelector:
    """Ports by their wire number, labelled as their devices are named."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[SelectOptionDict(value=str(port), label=f"Port {port}") for port in ports],
            multiple=multiple,
            mode=SelectSelectorMode.DROPDOWN,
        )
    )


def _normalised_numbers(numbers: list[str]) -> tuple[list[str], list[str]]:
    """Normalise every number; the bad ones are named by position, never echoed."""
    good: list[str] = []
    bad: list[str] = []
    for position, number in enumerate(numbers, start=1):
        try:
            good.append(normalise_number(number))
        except InvalidInputError:
            bad.append(f"#{position}")
    return list(dict.fromkeys(good)), bad


def _ussd_code_is_valid(code: str) -> bool:
    """Empty switches balance off; otherwise a USSD string such as *100# within the API limit."""
    return not code or (
        USSD_CODE.fullmatch(code) is not None and len(code.encode()) <= MAX_USSD_BYTES
    )


def _pattern_is_valid(pattern: str) -> bool:
    """Accept a regex that compiles with one group (the amount) or none (the whole match)."""
    if not pattern:
        return False
    try:
        return re.compile(pattern).groups <= 1
    except re.error:
        return False


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
            recipients, bad = _normalised_numbers(user_input.get(CONF_DEFAULT_RECIPIENTS, []))
            if bad:
                errors[CONF_DEFAULT_RECIPIENTS] = "invalid_number"
                placeholders["invalid"] = ", ".join(bad)
            else:
                return self.async_save_options(
                    {
                        **options,
                        CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL]),
                        CONF_DEFAULT_PORTS: sorted(
                            int(port) for port in user_input.get(CONF_DEFAULT_PORTS, [])
                        ),
                        CONF_DEFAULT_RECIPIENTS: recipients,
                    }
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_POLL_INTERVAL): _whole_number(POLL_INTERVAL_RANGE, "s"),
                vol.Optional(CONF_DEFAULT_PORTS): _port_selector(self._ports, multiple=True),
                vol.Optional(CONF_DEFAULT_RECIPIENTS): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
                ),
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
        schema = vol.Schema({vol.Required(CONF_PORT): _port_selector(self._ports, multiple=False)})
        return self.async_show_form(step_id="balance", data_schema=schema)

    async def async_step_balance_port(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the USSD code, the pattern of the amount in the reply, its unit and cadence."""
        options = self.config_entry.options
        balances: dict[str, Any] = dict(options.get(CONF_BALANCE, {}))
        errors: dict[str, str] = {}
        if user_input is not None:
            code = str(user_input.get(CONF_BALANCE_CODE, "")).strip()
            pattern = str(user_input.get(CONF_BALANCE_PATTERN, ""))
            if not _ussd_code_is_valid(code):
                errors[CONF_BALANCE_CODE] = "invalid_ussd_code"
            if not _pattern_is_valid(pattern):
                errors[CONF_BALANCE_PATTERN] = "invalid_pattern"
            if not errors:
                balances[str(self._port)] = {
                    CONF_BALANCE_CODE: code,
                    CONF_BALANCE_PATTERN: pattern,
                    CONF_BALANCE_UNIT: str(user_input.get(CONF_BALANCE_UNIT, "")).strip(),
                    CONF_BALANCE_INTERVAL: int(user_input[CONF_BALANCE_INTERVAL]),
                }
                if (threshold := user_input.get(CONF_BALANCE_THRESHOLD)) is not None:
                    balances[str(self._port)][CONF_BALANCE_THRESHOLD] = float(threshold)
                return self.async_save_options({**options, CONF_BALANCE: balances})
        schema = vol.Schema(
            {
                vol.Optional(CONF_BALANCE_CODE): TextSelector(),
                vol.Required(CONF_BALANCE_PATTERN): TextSelector(),
                vol.Optional(CONF_BALANCE_UNIT): TextSelector(),
                vol.Required(CONF_BALANCE_INTERVAL): _whole_number(BALANCE_INTERVAL_RANGE, "min"),
                vol.Optional(CONF_BALANCE_THRESHOLD): NumberSelector(
                    NumberSelectorConfig(mode=NumberSelectorMode.BOX, step="any")
                ),
            }
        )
        shown = user_input or {
            CONF_BALANCE_PATTERN: DEFAULT_BALANCE_PATTERN,
            CONF_BALANCE_INTERVAL: DEFAULT_BALANCE_INTERVAL,
            **balances.get(str(self._port), {}),
        }
        return self.async_show_form(
            step_id="balance_port",
            data_schema=self.add_suggested_values_to_schema(schema, shown),
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
            placeholders["invalid"] = ", ".join(bad)
        return self.async_show_form(
            step_id="assist",
            data_schema=self.add_suggested_values_to_schema(
                assist_schema(), user_input or assist_shown(options)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
