"""National numbers take the calling code of the entry's country (RO -> 40, KH -> 855)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import phonenumbers


def calling_code(country: str) -> str:
    """Return the calling code of an ISO 3166 country, or raise ValueError for an unknown one."""
    code = phonenumbers.country_code_for_region(country.upper())
    if not code:
        raise ValueError(country)
    return str(code)


def default_country(hass: HomeAssistant, provider_country: str) -> str:
    """Home Assistant's country when it has one we know, else the provider's own country."""
    country = hass.config.country
    if country and phonenumbers.country_code_for_region(country.upper()):
        return country.upper()
    return provider_country
