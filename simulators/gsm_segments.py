"""How many SMS segments a text needs, as a GSM modem counts them (GSM 03.38 / UCS-2)."""

import math

_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "gsm-7bit"
UNICODE = "unicode"
ENCODINGS = (GSM7, UNICODE)

_GSM7_SINGLE, _GSM7_PART = 160, 153
_UCS2_SINGLE, _UCS2_PART = 70, 67


def gsm7_septets(text: str) -> int:
    """Septets of text in GSM 7-bit; extension characters take an escape plus the character.

    A character outside the alphabet is sent as "?" (one septet), which is what the gateway does.
    """
    return sum(2 if char in _GSM_EXTENSION else 1 for char in text)


def ucs2_units(text: str) -> int:
    """UTF-16 code units: characters outside the BMP take two."""
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str, encoding: str) -> int:
    """Segments of a (possibly concatenated) SMS; an empty text still costs one."""
    if encoding == GSM7:
        length, single, part = gsm7_septets(text), _GSM7_SINGLE, _GSM7_PART
    else:
        length, single, part = ucs2_units(text), _UCS2_SINGLE, _UCS2_PART
    if length <= single:
        return 1
    return math.ceil(length / part)
