"""SMS text planning (GSM 03.38 or UCS-2, segment count) and phone-number hygiene.

Checked before anything is sent: a message the gateway would garble, split oddly or refuse with
413 is cheaper to refuse here, and the segment count is what the message will cost.
"""

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final
import unicodedata

from .errors import InvalidInputError

GSM7_SINGLE: Final = 160
GSM7_MULTI: Final = 153
UCS2_SINGLE: Final = 70
UCS2_MULTI: Final = 67
MAX_TEXT_BYTES: Final = 1500
MAX_SEGMENTS: Final = 10
MAX_NUMBER_BYTES: Final = 24
MIN_NUMBER_DIGITS: Final = 3

# GSM 03.38 default alphabet; the escape code (0x1B) is left out because it is not a character.
_GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs an escape septet plus its own, so two septets.
_GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

# Control characters an SMS can carry: GSM 03.38 has LF, CR and FF (extension table); tab goes
# as UCS-2. Any other (NUL, ESC, DEL, C1 ...) is garbage on a handset and risky on the wire.
_TEXT_CONTROLS: Final = frozenset("\t\n\r\f")
_NUMBER_SEPARATORS: Final = frozenset(" -.()/")
_ASCII_DIGITS: Final = frozenset("0123456789")
_BMP_LAST: Final = 0xFFFF  # beyond it UTF-16 needs a surrogate pair
# Masking: short numbers show nothing, short codes only their tail; stars capped for huge input.
_MASK_ALL_UP_TO: Final = 4
_MASK_HEAD_FROM: Final = 8
_MASK_MAX_STARS: Final = 16
_CALLING_CODE: Final = re.compile(r"[1-9][0-9]{0,2}")


class Encoding(StrEnum):
    """The two alphabets an SMS can travel in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True, slots=True)
class TextPlan:
    """How a text will travel: its alphabet, its size in that alphabet and the SMS it costs."""

    encoding: Encoding
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether the GSM 7-bit alphabet (basic or extension table) can carry every character."""
    return all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in text)


def unit_sizes(text: str, encoding: Encoding) -> list[int]:
    """Size of each character in the alphabet's units: septets, or UTF-16 code units."""
    if encoding is Encoding.GSM7:
        return [2 if char in _GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > _BMP_LAST else 1 for char in text]


def _count_segments(sizes: list[int], single: int, multi: int) -> int:
    """Fill segments in order so that no escape or surrogate pair is split across two."""
    if sum(sizes) <= single:
        return 1
    segments = 1
    used = 0
    for size in sizes:
        if used + size > multi:
            segments += 1
            used = 0
        used += size
    return segments


def _check_field(value: str, what: str, allowed: frozenset[str]) -> str | None:
    """Refuse a blank value or a lone surrogate; return its first control not in allowed."""
    if not value.strip():
        raise InvalidInputError(f"The {what} is empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"The {what} has an unpaired UTF-16 surrogate") from None
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            return char
    return None


def check_message_text(text: str) -> str:
    """Refuse a text no service can take whole: blank, a lone surrogate or a stray control.

    Everything else (quotes, `;`, backslashes, line breaks, any script, emoji, combining marks)
    travels as given: every provider puts it in JSON or a form, which carry it unchanged.
    """
    control = _check_field(text, "message text", _TEXT_CONTROLS)
    if control is not None:
        raise InvalidInputError(
            f"The message text has the control character U+{ord(control):04X}; only tab, line"
            " breaks and form feed can be sent"
        )
    return text


def check_sender_text(sender: str) -> str:
    """Refuse a sender that is blank, has a lone surrogate or any control character."""
    control = _check_field(sender, "sender", frozenset())
    if control is not None:
        raise InvalidInputError(f"The sender has the control character U+{ord(control):04X}")
    return sender


def plan_text(text: str, encoding: Encoding | None = None) -> TextPlan:
    """Choose the alphabet (unless forced) and count units and segments, refusing what won't go."""
    utf8 = check_message_text(text).encode("utf-8")
    if len(utf8) > MAX_TEXT_BYTES:
        raise InvalidInputError(f"The message text is over {MAX_TEXT_BYTES} bytes in UTF-8")
    carries_gsm7 = is_gsm7(text)
    if encoding is None:
        encoding = Encoding.GSM7 if carries_gsm7 else Encoding.UCS2
    elif encoding is Encoding.GSM7 and not carries_gsm7:
        raise InvalidInputError("The message text has characters the GSM 7-bit alphabet lacks")
    sizes = unit_sizes(text, encoding)
    if encoding is Encoding.GSM7:
        segments = _count_segments(sizes, GSM7_SINGLE, GSM7_MULTI)
    else:
        segments = _count_segments(sizes, UCS2_SINGLE, UCS2_MULTI)
    if segments > MAX_SEGMENTS:
        raise InvalidInputError(
            f"The message text needs {segments} SMS; the gateway joins at most {MAX_SEGMENTS}"
        )
    return TextPlan(encoding=encoding, units=sum(sizes), segments=segments)


def mask_number(number: str) -> str:
    """Star a phone number for logs, showing at most its prefix and last two digits."""
    shown = "".join(char for char in number if not char.isspace())
    length = len(shown)
    if length <= _MASK_ALL_UP_TO:
        return "*" * length
    if length < _MASK_HEAD_FROM:
        return "*" * (length - 2) + shown[-2:]
    return shown[:3] + "*" * min(length - 5, _MASK_MAX_STARS) + shown[-2:]


def normalise_number(number: str) -> str:
    """Strip the punctuation people type into numbers; keep a leading "+" or "00" as given."""
    stripped = "".join(
        char for char in number if char not in _NUMBER_SEPARATORS and not char.isspace()
    )
    digits = stripped.removeprefix("+")
    if not digits:
        raise InvalidInputError("The phone number is empty")
    if not all(char in _ASCII_DIGITS for char in digits):
        raise InvalidInputError(
            f"The phone number {mask_number(stripped)} has characters other than digits"
        )
    if len(digits) < MIN_NUMBER_DIGITS:
        raise InvalidInputError(f"The phone number has fewer than {MIN_NUMBER_DIGITS} digits")
    if len(stripped) > MAX_NUMBER_BYTES:
        raise InvalidInputError(
            f"The phone number {mask_number(stripped)} is over {MAX_NUMBER_BYTES} bytes"
        )
    return stripped


def check_calling_code(code: str) -> str:
    """Refuse a country calling code that is not 1 to 3 digits (e.g. "40", not "RO")."""
    if not _CALLING_CODE.fullmatch(code):
        raise InvalidInputError("The country calling code must be 1 to 3 digits, e.g. 40")
    return code


def international_digits(number: str, calling_code: str) -> str:
    """Digits with the country code first, from a number normalise_number has cleaned.

    A `+` or `00` prefix is dropped; a national number (one leading 0) takes calling_code; bare
    digits are taken as already international.
    """
    if number.startswith("+"):
        return number[1:]
    if number.startswith("00"):
        return number[2:]
    if number.startswith("0"):
        return calling_code + number[1:]
    return number
