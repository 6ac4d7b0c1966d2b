"""Pushes from the gateway: one local-only webhook per entry, answered at once, routed by type.

The body comes from the LAN and is parsed leniently by the client library; anything it refuses,
or a push signed with another gateway's serial, is answered 400 and logged at debug level
without its content, once per burst. A body over DINSTAR_BODY_LIMIT is answered 413 unread.
Work that needs the gateway (a refresh) runs after the answer.

read_body serves the cloud callbacks too: it takes both aiohttp's requests and the MockRequest
that Home Assistant Cloud relays a cloudhook call with, which has neither read() nor content_type.
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
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from ..const import DOMAIN, LOGGER
from ..providers.dinstar import (
    DeliveryStatus,
    DeviceStatus,
    DinstarPush,
    ExceptionInfo,
    IncomingSms,
    PushKind,
    RegisterChange,
    SmsResult,
    UssdReply,
    parse_push,
)
from ..providers.errors import InvalidPushError
from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .inbox import DinstarInbox
from .sender import SendTracker
from .ussd import UssdManager

type WebhookHandler = Callable[[HomeAssistant, str, web.Request], Awaitable[web.Response]]

DINSTAR_BODY_LIMIT: Final = 256 * 1024
"""The largest push read, in bytes. The biggest a gateway sends is an `sms_result` for a whole send
(128 recipients, about 150 bytes each) or an `sms` push of a few long texts whose every character
may be escaped six bytes wide: tens of kilobytes. 256 kB leaves room for that several times over,
and bounds the lenient parse of the worst junk that size to a few tens of milliseconds on the event
loop (an unbounded 8-15 MB body held it for over a second)."""

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


def push_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Give the URL to paste into the gateway: its LAN address first, the gateway is local."""
    try:
        return webhook.async_generate_url(hass, webhook_id, allow_ip=True, prefer_external=False)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


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


class PushReceiver:
    """Turns one gateway's pushes into events and entity updates, through its managers."""

    def __init__(
        self,
        *,
        ports: DinstarPortsCoordinator,
        status: DinstarStatusCoordinator,
        inbox: DinstarInbox,
        sends: SendTracker,
        ussd: UssdManager,
    ) -> None:
        """Pushes are checked against the gateway's serial (the ports coordinator's)."""
        self._entry = ports.config_entry
        self._ports = ports
        self._status = status
        self._inbox = inbox
        self._sends = sends
        self._ussd = ussd
        self._refusals = RefusalLog("a push that is not a Dinstar push")
        self._strangers = RefusalLog("a push from another gateway")
        self._faults = BurstLog(logging.WARNING)
        self._routes: dict[PushKind, Callable[[HomeAssistant, tuple[object, ...]], None]] = {
            PushKind.SMS: self._on_sms,
            PushKind.REGISTER: self._on_register,
            PushKind.SMS_RESULT: self._on_sms_result,
            PushKind.SMS_DELIVER_STATUS: self._on_delivery,
            PushKind.USSD: self._on_ussd,
            PushKind.CDR: self._on_cdr,
            PushKind.DEVICE: self._on_device,
            PushKind.EXCEPTION_INFO: self._on_exception,
        }

    @callback
    def async_register(self, hass: HomeAssistant) -> None:
        """Listen for the gateway's pushes until the entry unloads."""
        webhook_id: str | None = self._entry.data.get(CONF_WEBHOOK_ID)
        if not webhook_id:
            LOGGER.debug("No webhook for %s: SMS arrive by polling only", self._entry.title)
            return
        register_entry_webhook(
            hass, self._entry, webhook_id, self.handle, local_only=True, methods=["POST"]
        )

    async def handle(
        self, hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse, check the serial, dispatch; never raise for what the network sent."""
        push = await async_read_or_refuse(_read_push(request), self._refusals)
        if isinstance(push, web.Response):
            return push
        serial = self._ports.serial
        if push.sn.strip() != serial:
            self._strangers.refused(f"{push.sn[:40]!r}, not {serial}")
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        self._inbox.note_push()
        self._dispatch(hass, push)
        return web.Response(status=HTTPStatus.OK)

    def _dispatch(self, hass: HomeAssistant, push: DinstarPush) -> None:
        self._routes[push.kind](hass, push.events)

    def _on_sms(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        self._inbox.handle_push(_only(IncomingSms, events))

    def _on_register(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for change in _only(RegisterChange, events):
            self._ports.apply_register(change)

    def _on_sms_result(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for result in _only(SmsResult, events):
            self._sends.handle_result(result)

    def _on_delivery(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for status in _only(DeliveryStatus, events):
            self._sends.handle_delivery(status)

    def _on_ussd(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for reply in _only(UssdReply, events):
            self._ussd.handle_push_reply(reply.port, reply.text)

    def _on_cdr(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        LOGGER.debug("The gateway pushed %s call records", len(events))

    def _on_device(self, hass: HomeAssistant, events: tuple[object, ...]) -> None:
        """Log each chassis state once per burst: a flapping gateway may push it on and on."""
        for device in _only(DeviceStatus, events):
            self._faults.note(
                f"device {device.status}", "The gateway reports its chassis %s", device.status
            )
        self._refresh(hass)

    def _on_exception(self, hass: HomeAssistant, events: tuple[object, ...]) -> None:
        """Log each fault once per burst; the refreshes they ask for share one debounced read."""
        for fault in _only(ExceptionInfo, events):
            self._faults.note(
                f"fault {fault.type} {fault.port} {fault.action}",
                "The gateway reports %s on port %s and did %s",
                fault.type,
                fault.port,
                fault.action,
            )
        self._refresh(hass)

    def _refresh(self, hass: HomeAssistant) -> None:
        """Re-read the gateway after the answer has gone out (debounced: a storm is one read)."""
        self._entry.async_create_background_task(
            hass,
            _refresh_all(self._ports.async_request_refresh, self._status.async_request_refresh),
            name=f"{DOMAIN} refresh after a device push",
        )


async def _read_push(request: web.Request) -> DinstarPush:
    return parse_push(await read_body(request, DINSTAR_BODY_LIMIT))


async def _refresh_all(*refreshes: Callable[[], Awaitable[None]]) -> None:
    for refresh in refreshes:
        await refresh()


def _only[T](kind: type[T], events: tuple[object, ...]) -> list[T]:
    """Keep the events of one type (a push has one type; this narrows it for the checker)."""
    return [event for event in events if isinstance(event, kind)]
