"""Diagnostics: what a bug report needs, with every secret and personal identifier redacted."""

from __future__ import annotations

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
    CONF_SYSTEM_ID,
)
from .runtime import SmsGatewayEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    CONF_DEFAULT_RECIPIENTS,
    CONF_CONNECTION_ID,
    CONF_PRIVATE_KEY,
    CONF_SECRET,
    CONF_CLOUDHOOK_URL,
    CONF_SYSTEM_ID,  # the SMPP login
    "number",
    "numbers",  # SMS to Assist's allowed numbers
    "imsi",
    "iccid",
    "imei",
    "call_forwarding",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmsGatewayEntry
) -> dict[str, Any]:
    """Entry settings and what the gateway or account last said, redacted."""
    settings = {"data": dict(entry.data), "options": dict(entry.options)}
    return async_redact_data({"entry": settings, **entry.runtime_data.diagnostics()}, TO_REDACT)
