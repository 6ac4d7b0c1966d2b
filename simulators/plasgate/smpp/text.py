"""short_message text: data_coding, the UDH concatenation IEs, and splitting a long MO text."""

from dataclasses import dataclass
from typing import Final

from simulators.plasgate.smpp import gsm7

GSM7: Final = 0
IA5: Final = 1
LATIN1: Final = 3
UCS2: Final = 8
DATA_CODINGS: Final = (GSM7, IA5, LATIN1, UCS2)
UDHI: Final = 0x40
_CONCAT_8BIT: Final = 0x00
_CONCAT_16BIT: Final = 0x08
# One part of a concatenated SMS: 153 septets or 67 UCS-2 units after a 6-octet UDH.
_SINGLE: Final = {GSM7: 160, UCS2: 140}
_PART: Final = {GSM7: 153, UCS2: 134}


class BadUdh(ValueError):  # noqa: N818 (what the peer sent, not our error)
    """A UDH that runs past its data or carries a broken concatenation IE."""


@dataclass(frozen=True)
class Concatenation:
    """Where one part sits in a concatenated message."""

    reference: int
    total: int
    number: int


def split_udh(data: bytes) -> tuple[Concatenation | None, bytes]:
    """Take the UDH off data (esm_class UDHI set): its concatenation IE, if any, and the rest."""
    if not data or data[0] + 1 > len(data):
        raise BadUdh("UDH longer than the message")
    header, rest = data[1 : data[0] + 1], data[data[0] + 1 :]
    found: Concatenation | None = None
    at = 0
    while at < len(header):
        if at + 2 > len(header) or at + 2 + header[at + 1] > len(header):
            raise BadUdh("information element runs past the UDH")
        iei, value = header[at], header[at + 2 : at + 2 + header[at + 1]]
        if iei == _CONCAT_8BIT and len(value) == 3:  # noqa: PLR2004 (ref, total, number)
            found = Concatenation(value[0], value[1], value[2])
        elif iei == _CONCAT_16BIT and len(value) == 4:  # noqa: PLR2004 (ref16, total, number)
            found = Concatenation(int.from_bytes(value[:2]), value[2], value[3])
        elif iei in (_CONCAT_8BIT, _CONCAT_16BIT):
            raise BadUdh("concatenation IE of the wrong length")
        at += 2 + header[at + 1]
    if found is not None and not 1 <= found.number <= found.total:
        raise BadUdh("part number outside the total")
    return found, rest


def decode(data: bytes, data_coding: int) -> str:
    """Text of a (reassembled) message; ValueError for a data_coding the simulator lacks."""
    if data_coding == GSM7:
        return gsm7.decode(data)
    if data_coding == UCS2:
        return data.decode("utf-16-be", errors="replace")
    if data_coding in (IA5, LATIN1):
        return data.decode("latin-1")
    raise ValueError(f"data_coding {data_coding}")


def mo_parts(text: str, reference: int) -> tuple[int, int, list[bytes]]:
    """(data_coding, esm_class, short_messages) for an MO: GSM-7 when it fits, else UCS-2."""
    coding = GSM7 if gsm7.is_gsm7(text) else UCS2
    encoded = gsm7.encode(text) if coding == GSM7 else text.encode("utf-16-be")
    if len(encoded) <= _SINGLE[coding]:
        return coding, 0, [encoded]
    chunks = _chunks(encoded, coding)
    udh = bytes([5, _CONCAT_8BIT, 3, reference & 0xFF, len(chunks)])
    return coding, UDHI, [udh + bytes([number]) + chunk for number, chunk in enumerate(chunks, 1)]


def _chunks(encoded: bytes, coding: int) -> list[bytes]:
    """Cut at part size, never between an escape and its character or inside a surrogate pair."""
    size = _PART[coding]
    chunks: list[bytes] = []
    while encoded:
        cut = min(size, len(encoded))
        if cut < len(encoded):
            if coding == GSM7 and encoded[cut - 1] == gsm7.ESCAPE:
                cut -= 1
            elif coding == UCS2 and 0xD8 <= encoded[cut - 2] <= 0xDB:  # noqa: PLR2004
                cut -= 2
        chunks.append(encoded[:cut])
        encoded = encoded[cut:]
    return chunks
