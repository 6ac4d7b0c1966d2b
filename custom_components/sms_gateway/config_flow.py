"""Config flow for SMS Gateway (placeholder until the flow lands)."""

from homeassistant.config_entries import ConfigFlow

from .const import DOMAIN


class SmsGatewayConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a gateway or an account."""

    VERSION = 1
