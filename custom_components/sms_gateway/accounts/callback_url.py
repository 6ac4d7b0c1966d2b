"""Where SMSLink and Plasgate call us back: a Home Assistant Cloud webhook, else the external URL.

Cloud services sit on the internet, so the LAN address a Dinstar uses is no good to them. A user
with a Home Assistant Cloud subscription gets a cloudhook (no port forwarding needed); anyone else
needs an external URL. Without either, sending still works and delivery reports cannot arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError

from ..const import CONF_CLOUDHOOK_URL, LOGGER


async def async_cloudhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """Return a Home Assistant Cloud webhook for this id when the user has a subscription."""
    from homeassistant.components import cloud  # loaded only when asked for

    if not cloud.async_active_subscription(hass):
        return None
    try:
        return await cloud.async_get_or_create_cloudhook(hass, webhook_id)
    except cloud.CloudNotAvailable:
        LOGGER.debug("Home Assistant Cloud is not connected; falling back to the external URL")
        return None


def external_webhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """Return the webhook on Home Assistant's external URL, or None when it has none."""
    try:
        return webhook.async_generate_url(
            hass, webhook_id, allow_internal=False, allow_ip=True, prefer_external=True
        )
    except NoURLAvailableError:
        return None


def cloud_subscribed(hass: HomeAssistant) -> bool:
    """Whether Home Assistant Cloud runs here with a subscription: only then do cloudhooks relay."""
    if "cloud" not in hass.config.components:
        return False
    from homeassistant.components import cloud  # loaded only when the cloud integration is

    return cloud.async_active_subscription(hass)


def callback_url(hass: HomeAssistant, data: Mapping[str, Any]) -> str | None:
    """Return the URL that reaches the entry now: its cloudhook while subscribed, else external."""
    cloudhook: str | None = data.get(CONF_CLOUDHOOK_URL)
    if cloudhook and cloud_subscribed(hass):
        return cloudhook
    return external_webhook_url(hass, data[CONF_WEBHOOK_ID])


async def async_remove_cloudhook(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """Give the cloudhook back when its entry is removed."""
    if not data.get(CONF_CLOUDHOOK_URL):
        return
    from homeassistant.components import cloud  # loaded only when asked for

    try:
        await cloud.async_delete_cloudhook(hass, data[CONF_WEBHOOK_ID])
    except cloud.CloudNotAvailable:
        LOGGER.debug("Home Assistant Cloud is gone; its webhook goes with it")
