"""The SMSLink and Plasgate clients, built the same way by the config flow and at set-up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import (
    CONF_CONNECTION_ID,
    CONF_COUNTRY,
    CONF_PRIVATE_KEY,
    CONF_SECRET,
    CONF_SENDER,
    DEFAULT_PLASGATE_COUNTRY,
    DEFAULT_SMSLINK_COUNTRY,
)
from .country import calling_code
from .providers import plasgate, smslink
from .providers.plasgate import PlasgateClient
from .providers.smslink import SmsLinkClient

DEFAULT_SMSLINK_SENDER = smslink.DEFAULT_SENDER
DEFAULT_PLASGATE_SENDER = plasgate.DEFAULT_SENDER


def smslink_client(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> SmsLinkClient:
    """Build the client of an SMSLink connection; raises InvalidInputError on a bad sender."""
    return SmsLinkClient(
        async_get_clientsession(hass),
        data[CONF_CONNECTION_ID],
        data[CONF_PASSWORD],
        sender=options.get(CONF_SENDER) or DEFAULT_SMSLINK_SENDER,
        base_url=data.get(CONF_URL) or smslink.DEFAULT_BASE_URL,
        country_code=calling_code(options.get(CONF_COUNTRY) or DEFAULT_SMSLINK_COUNTRY),
    )


def plasgate_client(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> PlasgateClient:
    """Build the client of a Plasgate key pair; raises InvalidInputError on a bad sender."""
    return PlasgateClient(
        async_get_clientsession(hass),
        data[CONF_PRIVATE_KEY],
        data[CONF_SECRET],
        sender=options.get(CONF_SENDER) or DEFAULT_PLASGATE_SENDER,
        calling_code=calling_code(options.get(CONF_COUNTRY) or DEFAULT_PLASGATE_COUNTRY),
        base_url=data.get(CONF_URL) or plasgate.DEFAULT_BASE_URL,
    )
