"""The balance options of a gateway's ports: how the manager reads them and the form that sets them.

Kept under options["balance"][port] as the form gives them; the one module that knows their keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
import re
from typing import Any, Final

from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)
import voluptuous as vol

from ..const import (
    CONF_BALANCE,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_BALANCE_THRESHOLD,
    CONF_BALANCE_UNIT,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    LOGGER,
)
from ..form_fields import whole_number_field
from ..providers.dinstar import MAX_USSD_BYTES

BALANCE_INTERVAL_RANGE: Final = (15, 10080)  # minutes: a quarter of an hour to a week
USSD_CODE: Final = re.compile(r"[*#0-9]+#")


@dataclass(frozen=True, slots=True)
class BalanceSettings:
    """How one port's balance is read (options[balance][port])."""

    code: str
    pattern: re.Pattern[str]
    unit: str | None
    interval: timedelta
    threshold: float | None = None
    """Below this amount a repair says the SIM needs topping up; None: no warning."""


def _pattern(port: int, raw: Any) -> re.Pattern[str]:
    if isinstance(raw, str) and raw:
        try:
            return re.compile(raw)
        except re.error:
            LOGGER.warning(
                "Port %s: the balance pattern is not a valid regex, using the default", port
            )
    return re.compile(DEFAULT_BALANCE_PATTERN)


def _interval(raw: Any) -> timedelta:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0:
        return timedelta(minutes=raw)
    return timedelta(minutes=DEFAULT_BALANCE_INTERVAL)


def _threshold(raw: Any) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    return None


def balance_settings(options: Mapping[str, Any]) -> dict[int, BalanceSettings]:
    """Read the ports that have a balance code; a port without one is off."""
    settings: dict[int, BalanceSettings] = {}
    configured = options.get(CONF_BALANCE)
    if not isinstance(configured, Mapping):
        return settings
    for key, raw in configured.items():
        if not str(key).isdigit() or not isinstance(raw, Mapping):
            continue
        code = raw.get(CONF_BALANCE_CODE)
        if not isinstance(code, str) or not code.strip():
            continue
        port = int(key)
        unit = raw.get(CONF_BALANCE_UNIT)
        settings[port] = BalanceSettings(
            code=code.strip(),
            pattern=_pattern(port, raw.get(CONF_BALANCE_PATTERN)),
            unit=unit.strip() or None if isinstance(unit, str) else None,
            interval=_interval(raw.get(CONF_BALANCE_INTERVAL)),
            threshold=_threshold(raw.get(CONF_BALANCE_THRESHOLD)),
        )
    return settings


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


def balance_schema() -> vol.Schema:
    """Ask for the USSD code, the pattern of the amount in the reply, its unit and cadence."""
    return vol.Schema(
        {
            vol.Optional(CONF_BALANCE_CODE): TextSelector(),
            vol.Required(CONF_BALANCE_PATTERN): TextSelector(),
            vol.Optional(CONF_BALANCE_UNIT): TextSelector(),
            vol.Required(CONF_BALANCE_INTERVAL): whole_number_field(BALANCE_INTERVAL_RANGE, "min"),
            vol.Optional(CONF_BALANCE_THRESHOLD): NumberSelector(
                NumberSelectorConfig(mode=NumberSelectorMode.BOX, step="any")
            ),
        }
    )


def port_balance_shown(options: Mapping[str, Any], port: int) -> dict[str, Any]:
    """Return a port's stored balance options as the form shows them, the defaults filled in."""
    return {
        CONF_BALANCE_PATTERN: DEFAULT_BALANCE_PATTERN,
        CONF_BALANCE_INTERVAL: DEFAULT_BALANCE_INTERVAL,
        **options.get(CONF_BALANCE, {}).get(str(port), {}),
    }


def with_port_balance(
    options: Mapping[str, Any], port: int, user_input: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the options with the port's balance from the form, or the form's errors.

    The errors are keyed by field, as the form shows them; with errors the options are unchanged.
    """
    code = str(user_input.get(CONF_BALANCE_CODE, "")).strip()
    pattern = str(user_input.get(CONF_BALANCE_PATTERN, ""))
    errors: dict[str, str] = {}
    if not _ussd_code_is_valid(code):
        errors[CONF_BALANCE_CODE] = "invalid_ussd_code"
    if not _pattern_is_valid(pattern):
        errors[CONF_BALANCE_PATTERN] = "invalid_pattern"
    if errors:
        return dict(options), errors
    stored: dict[str, Any] = {
        CONF_BALANCE_CODE: code,
        CONF_BALANCE_PATTERN: pattern,
        CONF_BALANCE_UNIT: str(user_input.get(CONF_BALANCE_UNIT, "")).strip(),
        CONF_BALANCE_INTERVAL: int(user_input[CONF_BALANCE_INTERVAL]),
    }
    if (threshold := user_input.get(CONF_BALANCE_THRESHOLD)) is not None:
        stored[CONF_BALANCE_THRESHOLD] = float(threshold)
    balances: dict[str, Any] = {**options.get(CONF_BALANCE, {}), str(port): stored}
    return {**options, CONF_BALANCE: balances}, errors
