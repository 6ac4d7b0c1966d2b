"""Phone numbers as Plasgate wants them: country code and national number, digits only (§2.7).

National input (a leading 0) takes the configured country's calling code, Cambodia (855) unless
the entry says otherwise; `+` and `00` international prefixes are dropped.
"""

import re
from typing import Final

from .errors import InvalidInputError
from .text import mask_number, normalise_number

CAMBODIA: Final = "855"
_CALLING_CODE: Final = re.compile(r"^[1-9]\d{0,2}$")
_PLASGATE_NUMBER: Final = re.compile(r"^[0-9]\d{5,14}$")


def check_calling_code(code: str) -> str:
    """Refuse anything but a 1 to 3 digit calling code (a leading + is tolerated)."""
    digits = code.strip().removeprefix("+")
    if not _CALLING_CODE.fullmatch(digits):
        raise InvalidInputError("The country calling code must be 1 to 3 digits")
    return digits


def plasgate_number(number: str, calling_code: str = CAMBODIA) -> str:
    """Turn international or national input into `855...`-style digits."""
    code = check_calling_code(calling_code)
    cleaned = normalise_number(number)
    if cleaned.startswith("+"):
        digits = cleaned[1:]
    elif cleaned.startswith("00"):
        digits = cleaned[2:]
    elif cleaned.startswith("0"):
        digits = code + cleaned[1:]
    else:
        digits = cleaned  # already in the service's format
    if not _PLASGATE_NUMBER.fullmatch(digits):
        raise InvalidInputError(
            f"The phone number {mask_number(cleaned)} is not 6 to 15 digits with its country code"
        )
    return digits
