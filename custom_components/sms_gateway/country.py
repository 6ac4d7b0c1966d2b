"""What phone numbers tell: the calling code of a country (RO -> 40), the operator of a number.

National numbers take the calling code of the entry's country.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import phonenumbers
from phonenumbers import carrier


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


def number_operator(number: str | None) -> str | None:
    """Name the operator an international number was given to (from its number plan).

    A number ported to another operator still names the first one; a national number, which
    names no country, gives None, as does a number the plan does not know.
    """
    if not number or not number.startswith("+"):
        return None
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return None
    return carrier.name_for_number(parsed, "en") or None
