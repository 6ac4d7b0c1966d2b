"""Webhook plumbing every wing shares: bounded body reads, quiet refusal logs, registration.

read_body takes both aiohttp's requests and the MockRequest that Home Assistant Cloud relays a
cloudhook call with, which has neither read() nor content_type. A refused request is logged at
debug level without its content, once per burst whatever the reason.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
import logging
import time
from typing import Any, Final

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import DOMAIN, LOGGER
from .providers.errors import InvalidPushError

type WebhookHandler = Callable[[HomeAssistant, str, web.Request], Awaitable[web.Response]]

_READ_SIZE: Final = 64 * 1024
_MAX_LENGTH_DIGITS: Final = 18
_QUIET_SECONDS: Final = 60.0
_KEEP_BURSTS: Final = 32


class UnreadableBodyError(Exception):
    """The request's body was not taken: over the limit (413) or broken on the way (400)."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        """Keep the status to answer with; the reason never quotes the body."""
        super().__init__(reason)
        self.status = status

    def response(self) -> web.Response:
        """Answer with an empty body, closing the connection after a body that may be unread."""
        response = web.Response(status=self.status)
        if self.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
            response.force_close()
        return response


async def read_body(request: web.Request, limit: int) -> bytes:
    """Read the body, refusing it as soon as it is over limit bytes: never more is held.

    A declared Content-Length over the limit is refused before a byte is read; otherwise the body
    is read in bounded pieces, so a chunked or a compressed body cannot grow past the limit
    either. A body cut off or broken in transit (a bad gzip stream) is refused, not raised.
    """
    declared = _declared_length(request.headers)
    if declared is not None and declared > limit:
        raise UnreadableBodyError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "declared over the limit")
    stream = request.content  # a MockRequest makes a new reader on every access
    body = bytearray()
    try:
        while chunk := await stream.read(min(_READ_SIZE, limit + 1 - len(body))):
            body += chunk
            if len(body) > limit:
                raise UnreadableBodyError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "over the limit")
    except (web.RequestPayloadError, ConnectionError):
        raise UnreadableBodyError(HTTPStatus.BAD_REQUEST, "broken in transit") from None
    return bytes(body)


def media_type(headers: Mapping[str, str]) -> str:
    """Give the Content-Type without its parameters, lower case; "" when there is none."""
    value = headers.get(hdrs.CONTENT_TYPE, "")
    return value.partition(";")[0].strip().lower()


def _declared_length(headers: Mapping[str, str]) -> int | None:
    """Give the Content-Length when it is a plain number; aiohttp already refuses any other."""
    value = headers.get(hdrs.CONTENT_LENGTH, "").strip()
    if value.isascii() and value.isdigit() and len(value) <= _MAX_LENGTH_DIGITS:
        return int(value)
    return None


@dataclass(slots=True)
class _Burst:
    quiet_until: float
    untold: int = 0


class BurstLog:
    """Logs what repeats once per burst: the same line arriving by the thousand is one a minute.

    Each key has its own burst: the first line after a quiet minute is logged, the rest of the
    burst only counted, and the count comes with the next line. Only the latest _KEEP_BURSTS keys
    are kept, so keys drawn from what the network sent cannot grow the memory.
    """

    def __init__(self, level: int) -> None:
        """Log at level (logging.DEBUG, logging.WARNING...)."""
        self._level = level
        self._bursts: OrderedDict[str, _Burst] = OrderedDict()

    def note(self, key: str, message: str, *args: object) -> None:
        """Note one occurrence; log it unless its burst has been logged already."""
        now = time.monotonic()
        burst = self._bursts.get(key)
        if burst is not None and now < burst.quiet_until:
            burst.untold += 1
            return
        untold = burst.untold if burst is not None else 0
        self._bursts[key] = _Burst(now + _QUIET_SECONDS)
        self._bursts.move_to_end(key)
        while len(self._bursts) > _KEEP_BURSTS:
            self._bursts.popitem(last=False)
        if untold:
            counted = message + " (and %s more since the last report)"
            LOGGER.log(self._level, counted, *args, untold)
        else:
            LOGGER.log(self._level, message, *args)

    @property
    def bursts(self) -> int:
        """How many bursts are remembered (at most _KEEP_BURSTS)."""
        return len(self._bursts)


class RefusalLog:
    """Logs refused requests at debug level, once per burst whatever the reason."""

    def __init__(self, what: str) -> None:
        """Name the refused thing in the log with what, such as "an SMSLink callback"."""
        self._what = what
        self._log = BurstLog(logging.DEBUG)

    def refused(self, reason: object) -> None:
        """Note one refusal; log it unless the burst it belongs to has been logged already."""
        self._log.note("refused", "Refused %s: %s", self._what, reason)


async def async_read_or_refuse[T](read: Awaitable[T], refusals: RefusalLog) -> T | web.Response:
    """Await the reading of a pushed body; one refused is logged and becomes the answer to give.

    `read` raises UnreadableBodyError for a body not taken, InvalidPushError for one that is not
    the sender's kind of push.
    """
    try:
        return await read
    except UnreadableBodyError as err:
        refusals.refused(f"its body is {err}")
        return err.response()
    except InvalidPushError as err:
        refusals.refused(err)
        return web.Response(status=HTTPStatus.BAD_REQUEST)


def register_entry_webhook(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    webhook_id: str,
    handler: WebhookHandler,
    *,
    local_only: bool,
    methods: list[str],
) -> None:
    """Route the entry's webhook to handler until the entry unloads."""
    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        handler,
        local_only=local_only,
        allowed_methods=methods,
    )
    entry.async_on_unload(partial(webhook.async_unregister, hass, webhook_id))


def remember[K, V](memory: OrderedDict[K, V], key: K, value: V, limit: int) -> None:
    """Keep the newest `limit` entries: what a receiver dedupes must not grow over years."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > limit:
        memory.popitem(last=False)
