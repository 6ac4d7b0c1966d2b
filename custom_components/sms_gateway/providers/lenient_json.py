"""JSON as Dinstar firmware writes it: a leading BOM and trailing commas (`},]`) are tolerated.

Replies and pushes share this one reader so both repair the firmware's output the same way and
neither ever edits what is inside a string (an SMS text may well contain ",]").
"""

import json
from typing import Any, Final

_UTF8_BOM: Final = "\ufeff"
_JSON_WHITESPACE: Final = frozenset(" \t\r\n")


class NotJsonError(ValueError):
    """The text is not JSON, even with the firmware's trailing commas taken out."""


def loads_lenient(text: str) -> Any:
    """Parse strictly first, then once more without trailing commas; refuse NaN and Infinity."""
    text = text.removeprefix(_UTF8_BOM)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(without_trailing_commas(text), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise NotJsonError from None


def without_trailing_commas(text: str) -> str:
    """Drop commas that directly precede `]` or `}`, leaving string contents alone."""
    kept: list[str] = []
    in_string = False
    escaped = False
    end = len(text)
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ",":
            after = index + 1
            while after < end and text[after] in _JSON_WHITESPACE:
                after += 1
            if after < end and text[after] in "]}":
                continue
        kept.append(char)
    return "".join(kept)


def _refuse_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which Python's json accepts but JSON does not have."""
    raise ValueError(name)
