"""The GSM 03.38 default alphabet, one septet per octet as SMPP carries it (data_coding 0)."""

from typing import Final

ESCAPE: Final = 0x1B
# The basic table, septet by septet; 0x1B is the escape to the extension table (never a char).
_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION: Final = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}
_ENCODE: Final = {char: bytes([code]) for code, char in enumerate(_BASIC) if code != ESCAPE} | {
    char: bytes([ESCAPE, code]) for code, char in _EXTENSION.items()
}


def is_gsm7(text: str) -> bool:
    """Whether every character is in the basic or extension table."""
    return all(char in _ENCODE for char in text)


def encode(text: str) -> bytes:
    """Septets (one per octet), extension characters as escape + code; KeyError outside."""
    return b"".join(_ENCODE[char] for char in text)


def decode(data: bytes) -> str:
    """Septets back to text; an unknown escape shows the basic character (GSM 03.38 §6.2.1.1)."""
    chars: list[str] = []
    escaped = False
    for octet in data:
        code = octet & 0x7F
        if escaped:
            chars.append(_EXTENSION.get(code, _BASIC[code]))
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            chars.append(_BASIC[code])
    return "".join(chars)
