"""Pushes from the gateway: one local-only webhook per entry, answered at once, routed by type.

The body comes from the LAN and is parsed leniently by the client library; anything it refuses,
or a push signed with another gateway's serial, is answered 400 and logged at debug level
without its content, once per burst. A body over DINSTAR_BODY_LIMIT is answered 413 unread.
Work that needs the gateway (a refresh) runs after the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
import logging
from typing import Final

from aiohttp import web
from homeassistant.components import webhook
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
from ..webhooks import (
    BurstLog,
    RefusalLog,
    async_read_or_refuse,
    read_body,
    register_entry_webhook,
)
from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .inbox import DinstarInbox
from .sender import SendTracker
from .ussd import UssdManager

DINSTAR_BODY_LIMIT: Final = 256 * 1024
"""The largest push read, in bytes. The biggest a gateway sends is an `sms_result` for a whole send
(128 recipients, about 150 bytes each) or an `sms` push of a few long texts whose every character
may be escaped six bytes wide: tens of kilobytes. 256 kB leaves room for that several times over,
and bounds the lenient parse of the worst junk that size to a few tens of milliseconds on the event
loop (an unbounded 8-15 MB body held it for over a second)."""


def push_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Give the URL to paste into the gateway: its LAN address first, the gateway is local."""
    try:
        return webhook.async_generate_url(hass, webhook_id, allow_ip=True, prefer_external=False)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


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
