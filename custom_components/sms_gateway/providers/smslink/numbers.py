"""Phone numbers as SMSLink takes them: `07xyzzzzzz` in Romania, `00` + country code abroad.

Input may be international (`+CC…`, `00CC…`, or bare `CC…` digits) or national (`0…`); a national
number belongs to the entry's country, given as its calling code.
"""

import re
from typing import Final

from ..errors import InvalidInputError
from ..text import check_calling_code, international_digits, mask_number, normalise_number

ROMANIA: Final = "40"
_ROMANIAN_MOBILE: Final = re.compile(r"7\d{8}")
_MIN_INTERNATIONAL_DIGITS: Final = 7
_MAX_INTERNATIONAL_DIGITS: Final = 15  # E.164


def smslink_number(number: str, calling_code: str = ROMANIA) -> str:
    """Return the number in SMSLink's form, or raise InvalidInputError."""
    check_calling_code(calling_code)
    cleaned = normalise_number(number)
    shown = mask_number(cleaned)
    national = cleaned.startswith("0") and not cleaned.startswith("00")
    if national and calling_code == ROMANIA and not _ROMANIAN_MOBILE.fullmatch(cleaned[1:]):
        raise InvalidInputError(f"The phone number {shown} is not a Romanian mobile number")
    digits = international_digits(cleaned, calling_code)
    if not _MIN_INTERNATIONAL_DIGITS <= len(digits) <= _MAX_INTERNATIONAL_DIGITS:
        raise InvalidInputError(f"The phone number {shown} is not a valid international number")
    if digits.startswith(ROMANIA) and _ROMANIAN_MOBILE.fullmatch(digits[len(ROMANIA) :]):
        return "0" + digits[len(ROMANIA) :]
    if digits.startswith("0"):
        raise InvalidInputError(f"The phone number {shown} has no country code")
    return "00" + digits
