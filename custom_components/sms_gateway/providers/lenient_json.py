"""JSON as Dinstar firmware writes it: a leading BOM and trailing commas (`},]`) are tolerated.

Replies and pushes share this one reader so both repair the firmware's output the same way and
neither ever edits what is inside a string (an SMS text may well contain ",]").
"""

import json
import re
from typing import Any, Final

_UTF8_BOM: Final = "\ufeff"
_TRAILING_COMMA: Final = re.compile(r",[ \t\r\n]*[\]}]")
_STRING_OR_TRAILING_COMMA: Final = re.compile(
    r'("[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z))'  # group 1, a string: put back as it was
    r"|,(?=[ \t\r\n]*[\]}])",  # a comma before a closing bracket: dropped
    re.DOTALL,
)
"""A string match always succeeds, ending at its closing quote or the end of the text: one pass."""


class NotJsonError(ValueError):
    """The text is not JSON, even with the firmware's trailing commas taken out."""


def loads_lenient(text: str) -> Any:
    """Parse strictly first, then once more without trailing commas; refuse NaN and Infinity."""
    text = text.removeprefix(_UTF8_BOM)
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError):
        pass
    try:
        return _DECODER.decode(without_trailing_commas(text))
    except (ValueError, RecursionError):
        raise NotJsonError from None


def without_trailing_commas(text: str) -> str:
    """Drop commas that directly precede `]` or `}`, leaving string contents alone.

    One regular-expression pass, linear in the text: a string (escapes and all, an unterminated
    one running to the end) is kept whole, a comma before a closing bracket goes.
    """
    if not _TRAILING_COMMA.search(text):
        return text  # nothing to drop: the usual case, and most junk's
    return _STRING_OR_TRAILING_COMMA.sub(r"\1", text)


def _refuse_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which Python's json accepts but JSON does not have."""
    raise ValueError(name)


_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant)
"""Made once: json.loads with an option makes a new decoder on every call."""
