"""A text as the short_message fields of its submit_sm: GSM-7 or UCS-2, split with a UDH.

The alphabet and the cut points follow providers/text.py (the count every send is checked and
billed by), so a text costs over SMPP exactly the segments the integration announced: no escape
sequence or surrogate pair is cut in two. aiosmpplib's codecs encode each piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from aiosmpplib.codec import GSM7BitCodec, UCS2Codec

from ...text import (
    GSM7_MULTI,
    GSM7_SINGLE,
    UCS2_MULTI,
    UCS2_SINGLE,
    Encoding,
    plan_text,
    unit_sizes,
)

DATA_CODING: Final = {Encoding.GSM7: 0x00, Encoding.UCS2: 0x08}
"""data_coding 0 is the SMSC's default alphabet, GSM 03.38 for Jasmin; 8 is UCS-2."""
UDHI: Final = 0x40
"""esm_class bit: the short_message starts with a user data header."""
_CONCATENATED: Final = 0x00  # UDH element: concatenated SMS, 8-bit reference


@dataclass(frozen=True, slots=True)
class Segment:
    """One submit_sm's share of a text: its data_coding, esm_class and short_message."""

    data_coding: int
    esm_class: int
    short_message: bytes


def _pieces(text: str, encoding: Encoding, limit: int) -> list[str]:
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for char, size in zip(text, unit_sizes(text, encoding), strict=True):
        if used + size > limit:
            pieces.append("".join(piece))
            piece, used = [], 0
        piece.append(char)
        used += size
    pieces.append("".join(piece))
    return pieces


def _encode(text: str, encoding: Encoding) -> bytes:
    codec = GSM7BitCodec if encoding is Encoding.GSM7 else UCS2Codec
    encoded: bytes = codec.get_codec_info().encode(text)[0]
    return encoded


def split_text(text: str, reference: int) -> list[Segment]:
    """Encode the text; more than one SMS becomes parts under the 8-bit reference given.

    Raises InvalidInputError for a text no SMS can carry (providers/text.py's checks).
    """
    plan = plan_text(text)
    coding = DATA_CODING[plan.encoding]
    single, multi = (
        (GSM7_SINGLE, GSM7_MULTI) if plan.encoding is Encoding.GSM7 else (UCS2_SINGLE, UCS2_MULTI)
    )
    if plan.segments == 1 and plan.units <= single:
        return [Segment(coding, 0, _encode(text, plan.encoding))]
    pieces = _pieces(text, plan.encoding, multi)
    return [
        Segment(
            coding,
            UDHI,
            bytes((5, _CONCATENATED, 3, reference & 0xFF, len(pieces), index))
            + _encode(piece, plan.encoding),
        )
        for index, piece in enumerate(pieces, start=1)
    ]
