"""Diagnostics: what a bug report needs, with every secret and personal identifier redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .const import (
    CONF_CLOUDHOOK_URL,
    CONF_CONNECTION_ID,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PRIVATE_KEY,
    CONF_SECRET,
)
from .runtime import CloudRuntimeData, RouteRuntimeData, SmsGatewayConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    CONF_DEFAULT_RECIPIENTS,
    CONF_CONNECTION_ID,
    CONF_PRIVATE_KEY,
    CONF_SECRET,
    CONF_CLOUDHOOK_URL,
    "number",
    "numbers",  # SMS to Assist's allowed numbers
    "imsi",
    "iccid",
    "imei",
    "call_forwarding",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> dict[str, Any]:
    """Entry settings and what the gateway or account last said, redacted."""
    runtime = entry.runtime_data
    settings = {"data": dict(entry.data), "options": dict(entry.options)}
    if isinstance(runtime, RouteRuntimeData):
        # The services' own diagnostics hold their state; the route only its order.
        return async_redact_data({"entry": settings}, TO_REDACT)
    if isinstance(runtime, CloudRuntimeData):
        balance = runtime.balance
        return async_redact_data(
            {
                "entry": settings,
                "provider": runtime.provider,
                "balance": None if balance is None else asdict(balance.data),
                "balance_last_update_success": None
                if balance is None
                else balance.last_update_success,
            },
            TO_REDACT,
        )
    return async_redact_data(
        {
            "entry": settings,
            "ports": [asdict(info) for info in runtime.ports.data.values()],
            "status": asdict(runtime.status.data),
        },
        TO_REDACT,
    )
