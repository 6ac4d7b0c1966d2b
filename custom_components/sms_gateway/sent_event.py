"""The `sms_gateway_sms_sent` event: one per send, once every recipient was taken.

Fired by each provider's sender with the per-recipient results the action answers with, so an
automation or the logbook sees every SMS that went out, whichever way it was asked for.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .const import CONF_PROVIDER, EVENT_SMS_SENT


@callback
def async_fire_sms_sent(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    device_id: str | None,
    text: str,
    recipients: list[dict[str, Any]],
) -> None:
    """Announce a send taken for every recipient, from the gateway's or account's device."""
    hass.bus.async_fire(
        EVENT_SMS_SENT,
        {
            "entry_id": entry.entry_id,
            "provider": entry.data[CONF_PROVIDER],
            "device_id": device_id,
            "text": text,
            "recipients": recipients,
        },
    )
