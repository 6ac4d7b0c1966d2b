"""Home Assistant finds and loads the integration from custom_components."""

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component

from custom_components.sms_gateway.const import DOMAIN


async def test_integration_loads(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.name == "SMS Gateway"
    assert integration.is_built_in is False
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components
