"""What phone numbers tell: the calling code of a country (RO -> 40), the operator of a number.

National numbers take the calling code of the entry's country.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import phonenumbers
from phonenumbers import carrier

from .providers.errors import InvalidInputError
from .providers.text import mask_number, normalise_number


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


def international_number(number: str, country: str | None) -> str:
    """Return a number in E.164 (+40712345678), a national one taken as the country's.

    So that one person's number compares equal however a gateway, a service or a user writes it
    (`0712 345 678`, `0040712345678`, `+40712345678`). Raises InvalidInputError for what is no
    possible number, or a national number without a country.
    """
    cleaned = normalise_number(number)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        parsed = phonenumbers.parse(cleaned, country.upper() if country else None)
    except phonenumbers.NumberParseException:
        raise InvalidInputError(
            f"The phone number {mask_number(cleaned)} is not international"
        ) from None
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInputError(f"The phone number {mask_number(cleaned)} is not a possible one")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
