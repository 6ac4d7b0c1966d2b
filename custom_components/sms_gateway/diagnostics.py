"""Diagnostics: what a bug report needs, with every secret and personal identifier redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .const import CONF_DEFAULT_RECIPIENTS
from .coordinator import DinstarConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    CONF_DEFAULT_RECIPIENTS,
    "number",
    "imsi",
    "iccid",
    "imei",
    "call_forwarding",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: DinstarConfigEntry
) -> dict[str, Any]:
    """Entry settings, every port's last state and the gateway's status, redacted."""
    runtime = entry.runtime_data
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "ports": [asdict(info) for info in runtime.ports.data.values()],
            "status": asdict(runtime.status.data),
        },
        TO_REDACT,
    )
