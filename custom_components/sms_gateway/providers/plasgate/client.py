"""Async client for Plasgate's REST API (`/rest/send`, `/rest/batch-send`), spec §2.3, §2.4, §2.10.

Every input is checked against the official client's limits before a request is made; numbers
are normalised to `855...` digits; requests are throttled to the per-minute limits. How requests
travel and how answers are read is transport.py's concern; callbacks are read by
callbacks.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final

from ..errors import InvalidInputError
from ..text import check_message_text, check_sender_text
from .limiter import BATCH_PER_MINUTE, SEND_PER_MINUTE, SlidingWindowLimiter
from .numbers import CAMBODIA, plasgate_calling_code, plasgate_number
from .transport import (
    DEFAULT_BASE_URL,
    PlasgateTransport,
    SendReceipt,
    receipt_from,
)

if TYPE_CHECKING:
    import ssl

    import aiohttp

DEFAULT_SENDER: Final = "SMS Info"
"""The sender the docs use; an account sends with the sender IDs Plasgate approved for it."""
MAX_SENDER: Final = 11
MAX_CONTENT: Final = 1500
MAX_RECIPIENTS_PER_BATCH: Final = 100
"""No limit is documented; 100 numbers per request keeps each request small."""
PLASGATE_TIME: Final = timezone(timedelta(hours=7))
"""`schedule_at` is most likely Cambodia local time (spec §2.4, an inference)."""
_SCHEDULE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
_DLR_LEVELS: Final = (1, 2, 3)
_DLR_METHODS: Final = ("GET", "POST")


@dataclass(frozen=True, slots=True)
class DlrOptions:
    """Ask for delivery reports at `url` (level 1 SMSC, 2 terminal, 3 both)."""

    url: str
    level: int = 2
    method: str = "POST"

    def fields(self) -> dict[str, Any]:
        """Return the checked `dlr*` fields."""
        if not self.url.startswith(("http://", "https://")):
            raise InvalidInputError("The delivery report URL must be an http(s) URL")
        if self.level not in _DLR_LEVELS:
            raise InvalidInputError("The delivery report level must be 1, 2 or 3")
        if self.method not in _DLR_METHODS:
            raise InvalidInputError("The delivery report method must be GET or POST")
        return {
            "dlr": "yes",
            "dlr_url": self.url,
            "dlr_level": self.level,
            "dlr_method": self.method,
        }


def check_sender(sender: str) -> str:
    """Refuse a sender Plasgate cannot take (blank, controls, over 11 characters)."""
    check_sender_text(sender)
    if len(sender) > MAX_SENDER:
        raise InvalidInputError(f"The sender is longer than {MAX_SENDER} characters")
    return sender


def _check_content(text: str) -> str:
    check_message_text(text)
    if len(text) > MAX_CONTENT:
        raise InvalidInputError(f"The message text is longer than {MAX_CONTENT} characters")
    return text


def _check_url(url: str | None, what: str) -> str | None:
    if url is not None and not url.startswith(("http://", "https://")):
        raise InvalidInputError(f"The {what} must be an http(s) URL")
    return url


def _schedule(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise InvalidInputError("The schedule time needs a time zone")
    return moment.astimezone(PLASGATE_TIME).strftime(_SCHEDULE_FORMAT)


def _unique(numbers: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(numbers))


class PlasgateClient:
    """One Plasgate account: single sends and chunked batch sends within the rate limits."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        private_key: str,
        secret: str,
        *,
        sender: str = DEFAULT_SENDER,
        calling_code: str = CAMBODIA,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | bool = True,
        send_limiter: SlidingWindowLimiter | None = None,
        batch_limiter: SlidingWindowLimiter | None = None,
        rate_limit_retries: int = 3,
        batch_size: int = MAX_RECIPIENTS_PER_BATCH,
    ) -> None:
        """Limiters may be shared between clients of one account, as the limits are per account."""
        if not 1 <= batch_size <= MAX_RECIPIENTS_PER_BATCH:
            raise InvalidInputError(f"The batch size must be 1 to {MAX_RECIPIENTS_PER_BATCH}")
        self._transport = PlasgateTransport(
            session,
            private_key,
            secret,
            base_url=base_url,
            timeout=timeout,
            ssl_context=ssl_context,
            rate_limit_retries=rate_limit_retries,
        )
        self.sender = check_sender(sender)
        self.calling_code = plasgate_calling_code(calling_code)
        self.send_limiter = send_limiter or SlidingWindowLimiter(SEND_PER_MINUTE)
        self.batch_limiter = batch_limiter or SlidingWindowLimiter(BATCH_PER_MINUTE)
        self._batch_size = batch_size

    def normalise_number(self, number: str) -> str:
        """Normalise one number as it will be sent (national numbers take the calling code)."""
        return plasgate_number(number, self.calling_code)

    async def send(
        self, to: str, text: str, *, sender: str | None = None, dlr: DlrOptions | None = None
    ) -> SendReceipt:
        """Send one SMS through `/rest/send`; `#ma#...#ma#` regions are masked in reports."""
        body: dict[str, Any] = {
            "sender": check_sender(sender or self.sender),
            "to": self.normalise_number(to),
            "content": _check_content(text),
        }
        if dlr is not None:
            body.update(dlr.fields())
        reply = await self._transport.request("POST", "/rest/send", self.send_limiter, body)
        return receipt_from(reply)

    async def send_batch(
        self,
        recipients: Sequence[str],
        text: str,
        *,
        sender: str | None = None,
        dlr: DlrOptions | None = None,
        callback_url: str | None = None,
        errback_url: str | None = None,
        schedule_at: datetime | None = None,
    ) -> list[SendReceipt]:
        """Send one text to many numbers via `/rest/batch-send`, in chunks within the limits.

        Every number is checked before the first request. Numbers are deduplicated, since a
        duplicate SMS costs money. A chunk that fails raises; chunks already sent stay sent.
        """
        numbers = _unique(self.normalise_number(number) for number in recipients)
        if not numbers:
            raise InvalidInputError("There are no recipients")
        globals_: dict[str, Any] = {"sender": check_sender(sender or self.sender)}
        if dlr is not None:
            globals_.update(dlr.fields())
        config = {
            key: value
            for key, value in (
                ("callback_url", _check_url(callback_url, "callback URL")),
                ("errback_url", _check_url(errback_url, "errback URL")),
                ("schedule_at", _schedule(schedule_at)),
            )
            if value is not None
        }
        content = _check_content(text)
        receipts = []
        for start in range(0, len(numbers), self._batch_size):
            body: dict[str, Any] = {
                "messages": [{"to": numbers[start : start + self._batch_size], "content": content}],
                "globals": globals_,
            }
            if config:
                body["batch_config"] = config
            reply = await self._transport.request(
                "POST", "/rest/batch-send", self.batch_limiter, body
            )
            receipts.append(receipt_from(reply))
        return receipts

    async def certificates(self) -> str:
        """Fetch Plasgate's CA bundle (PEM), for use with ca_bundle_context()."""
        reply = await self._transport.request("GET", "/sms/public/certificates", None)
        return reply.decode("utf-8", errors="replace")
