"""SMSLink's text answers, `MESSAGE;code;text;vars` or `ERROR;code;text`, read or refused.

The server's human text may quote the receiver's number, so it is redacted before it goes into an
exception message.
"""

from dataclasses import dataclass
import re
from typing import Final

from ..errors import AuthError, InvalidResponseError, RejectedError, ServiceError
from ..text import mask_number

_LONG_DIGIT_RUN: Final = re.compile(r"\+?\d{6,}")
_MIN_FIELDS: Final = 3
_MIN_SECRET_TO_REDACT: Final = 3  # a shorter one would mangle ordinary words
_AUTH_WORDS: Final = ("password", "connection_id", "connection id", "authenticat")


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """A successful answer: its code, its text and the `;`-separated fields after the text."""

    code: int
    text: str
    fields: tuple[str, ...]


def redact(text: str, secret: str = "") -> str:
    """Mask every long digit run (a phone number, perhaps) and the secret, if it appears."""
    if len(secret) >= _MIN_SECRET_TO_REDACT:
        text = text.replace(secret, "***")
    return _LONG_DIGIT_RUN.sub(lambda match: mask_number(match.group()), text)


def read_reply(
    path: str, status: int, body: str, *, password: str, auth_on_error: bool = False
) -> ReplyLine:
    """Return a MESSAGE line, or raise the error the answer means.

    auth_on_error: the request carried nothing but the credentials, so an ERROR can only be about
    them (the balance query).
    """
    parts = body.strip().split(";")
    kind = parts[0]
    if kind not in {"MESSAGE", "ERROR"} or len(parts) < _MIN_FIELDS:
        if not 200 <= status < 300:  # noqa: PLR2004
            raise ServiceError(status, f"SMSLink {path} answered HTTP {status}")
        raise InvalidResponseError(f"SMSLink {path} answered {len(body)} characters we cannot read")
    try:
        code = int(parts[1])
    except ValueError:
        raise InvalidResponseError(f"SMSLink {path} answered a code that is not a number") from None
    text = redact(parts[2], password)
    if kind == "ERROR":
        message = f"SMSLink {path} refused the request: {text} (code {code})"
        about_auth = any(word in text.lower() for word in _AUTH_WORDS)
        if auth_on_error or about_auth:
            raise AuthError(message)
        raise RejectedError(code, message)
    if not 200 <= status < 300:  # noqa: PLR2004
        raise ServiceError(status, f"SMSLink {path} answered HTTP {status}")
    return ReplyLine(code=code, text=text, fields=tuple(parts[3:]))
