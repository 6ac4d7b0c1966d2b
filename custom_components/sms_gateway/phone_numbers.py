"""What phone numbers tell: the calling code of a country (RO -> 40), the operator of a number.

National numbers take the calling code of the entry's country.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import HomeAssistant
import phonenumbers
from phonenumbers import carrier

from .providers.errors import InvalidInputError
from .providers.text import mask_number, normalise_number


def sort_numbers[T](
    numbers: Iterable[str], normalise: Callable[[str], T]
) -> tuple[list[T], list[tuple[int, str]]]:
    """Normalise each number: the good ones in order, the bad ones by position (from 1).

    The one recipient check of every form and send; the caller names a bad number by its
    position (a form never echoes one; a send masks it).
    """
    good: list[T] = []
    bad: list[tuple[int, str]] = []
    for position, number in enumerate(numbers, start=1):
        try:
            good.append(normalise(number))
        except InvalidInputError:
            bad.append((position, number))
    return good, bad


def positions(bad: list[tuple[int, str]]) -> str:
    """Name bad numbers by position only (`#2, #5`), as the forms show them."""
    return ", ".join(f"#{position}" for position, _number in bad)


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
