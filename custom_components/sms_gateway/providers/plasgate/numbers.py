"""Phone numbers as Plasgate wants them: country code and national number, digits only (§2.7).

National input (a leading 0) takes the configured country's calling code, Cambodia (855) unless
the entry says otherwise; `+` and `00` international prefixes are dropped.
"""

import re
from typing import Final

from ..errors import InvalidInputError
from ..text import check_calling_code, international_digits, mask_number, normalise_number

CAMBODIA: Final = "855"
_PLASGATE_NUMBER: Final = re.compile(r"^[0-9]\d{5,14}$")


def plasgate_calling_code(code: str) -> str:
    """Read a calling code as Plasgate's entries have always taken it: "+855" and " 855" too."""
    return check_calling_code(code.strip().removeprefix("+"))


def plasgate_number(number: str, calling_code: str = CAMBODIA) -> str:
    """Turn international or national input into `855...`-style digits."""
    code = plasgate_calling_code(calling_code)
    cleaned = normalise_number(number)
    digits = international_digits(cleaned, code)
    if not _PLASGATE_NUMBER.fullmatch(digits):
        raise InvalidInputError(
            f"The phone number {mask_number(cleaned)} is not 6 to 15 digits with its country code"
        )
    return digits
