"""Phone numbers as SMSLink takes them: `07xyzzzzzz` in Romania, `00` + country code abroad.

Input may be international (`+CC…`, `00CC…`, or bare `CC…` digits) or national (`0…`); a national
number belongs to the entry's country, given as its calling code.
"""

import re
from typing import Final

from .errors import InvalidInputError
from .text import mask_number, normalise_number

ROMANIA: Final = "40"
_ROMANIAN_MOBILE: Final = re.compile(r"7\d{8}")
_CALLING_CODE: Final = re.compile(r"[1-9]\d{0,2}")
_MIN_INTERNATIONAL_DIGITS: Final = 7
_MAX_INTERNATIONAL_DIGITS: Final = 15  # E.164


def check_calling_code(country_code: str) -> str:
    """Refuse a calling code that is not 1 to 3 digits (e.g. "40", not "+40" or "RO")."""
    if not _CALLING_CODE.fullmatch(country_code):
        raise InvalidInputError("The country calling code must be 1 to 3 digits, e.g. 40")
    return country_code


def _international(digits: str, shown: str) -> str:
    if not _MIN_INTERNATIONAL_DIGITS <= len(digits) <= _MAX_INTERNATIONAL_DIGITS:
        raise InvalidInputError(f"The phone number {shown} is not a valid international number")
    if digits.startswith(ROMANIA) and _ROMANIAN_MOBILE.fullmatch(digits[len(ROMANIA) :]):
        return "0" + digits[len(ROMANIA) :]
    if digits.startswith("0"):
        raise InvalidInputError(f"The phone number {shown} has no country code")
    return "00" + digits


def smslink_number(number: str, country_code: str = ROMANIA) -> str:
    """Return the number in SMSLink's form, or raise InvalidInputError."""
    check_calling_code(country_code)
    cleaned = normalise_number(number)
    shown = mask_number(cleaned)
    if cleaned.startswith("+"):
        return _international(cleaned[1:], shown)
    if cleaned.startswith("00"):
        return _international(cleaned[2:], shown)
    if cleaned.startswith("0"):
        national = cleaned[1:]
        if country_code == ROMANIA and not _ROMANIAN_MOBILE.fullmatch(national):
            raise InvalidInputError(f"The phone number {shown} is not a Romanian mobile number")
        return _international(country_code + national, shown)
    return _international(cleaned, shown)
