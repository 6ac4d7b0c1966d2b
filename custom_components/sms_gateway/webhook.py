"""Pushes from the gateway: one local-only webhook per entry, answered at once, routed by type.

The body comes from the LAN and is parsed leniently by the client library; anything it refuses,
or a push signed with another gateway's serial, is answered 400 and logged at debug level
without its content. Work that needs the gateway (a refresh) runs after the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError

from .const import DOMAIN, LOGGER
from .coordinator import DinstarConfigEntry
from .providers.dinstar_models import (
    DeliveryStatus,
    DeviceStatus,
    ExceptionInfo,
    IncomingSms,
    RegisterChange,
    SmsResult,
    UssdReply,
)
from .providers.dinstar_push import DinstarPush, PushKind, parse_push
from .providers.errors import InvalidPushError

type WebhookHandler = Callable[[HomeAssistant, str, web.Request], Awaitable[web.Response]]


def push_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Give the URL to paste into the gateway: its LAN address first, the gateway is local."""
    try:
        return webhook.async_generate_url(hass, webhook_id, allow_ip=True, prefer_external=False)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


def async_register_webhook(hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
    """Listen for this gateway's pushes until the entry unloads."""
    webhook_id: str | None = entry.data.get(CONF_WEBHOOK_ID)
    if not webhook_id:
        LOGGER.debug("No webhook for %s: SMS arrive by polling only", entry.title)
        return
    register_entry_webhook(
        hass, entry, webhook_id, PushReceiver(entry).handle, local_only=True, methods=["POST"]
    )


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
    """Turns one entry's pushes into events and entity updates."""

    def __init__(self, entry: DinstarConfigEntry) -> None:
        """Pushes are checked against this entry's gateway serial."""
        self._entry = entry

    async def handle(
        self, hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse, check the serial, dispatch; never raise for what the network sent."""
        body = await request.read()
        try:
            push = parse_push(body)
        except InvalidPushError as err:
            LOGGER.debug("Refused a push that is not a Dinstar push: %s", err)
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        runtime = self._entry.runtime_data
        if push.sn.strip() != runtime.serial:
            LOGGER.debug("Refused a push from gateway %s, not %s", push.sn, runtime.serial)
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        runtime.inbox.note_push()
        self._dispatch(hass, push)
        return web.Response(status=HTTPStatus.OK)

    def _dispatch(self, hass: HomeAssistant, push: DinstarPush) -> None:
        routes: dict[PushKind, Callable[[HomeAssistant, tuple[object, ...]], None]] = {
            PushKind.SMS: self._on_sms,
            PushKind.REGISTER: self._on_register,
            PushKind.SMS_RESULT: self._on_sms_result,
            PushKind.SMS_DELIVER_STATUS: self._on_delivery,
            PushKind.USSD: self._on_ussd,
            PushKind.CDR: self._on_cdr,
            PushKind.DEVICE: self._on_device,
            PushKind.EXCEPTION_INFO: self._on_exception,
        }
        routes[push.kind](hass, push.events)

    def _on_sms(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        self._entry.runtime_data.inbox.handle(_only(IncomingSms, events), "push")

    def _on_register(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for change in _only(RegisterChange, events):
            self._entry.runtime_data.ports.apply_register(change)

    def _on_sms_result(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for result in _only(SmsResult, events):
            self._entry.runtime_data.sends.handle_result(result)

    def _on_delivery(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for status in _only(DeliveryStatus, events):
            self._entry.runtime_data.sends.handle_delivery(status)

    def _on_ussd(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for reply in _only(UssdReply, events):
            self._entry.runtime_data.ussd.handle_push_reply(reply.port, reply.text)

    def _on_cdr(self, _hass: HomeAssistant, events: tuple[object, ...]) -> None:
        LOGGER.debug("The gateway pushed %s call records", len(events))

    def _on_device(self, hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for device in _only(DeviceStatus, events):
            LOGGER.warning("The gateway reports its chassis %s", device.status)
        self._refresh(hass)

    def _on_exception(self, hass: HomeAssistant, events: tuple[object, ...]) -> None:
        for fault in _only(ExceptionInfo, events):
            LOGGER.warning(
                "The gateway reports %s on port %s and did %s", fault.type, fault.port, fault.action
            )
        self._refresh(hass)

    def _refresh(self, hass: HomeAssistant) -> None:
        """Re-read the gateway after the answer has gone out."""
        runtime = self._entry.runtime_data
        self._entry.async_create_background_task(
            hass,
            _refresh_all(runtime.ports.async_request_refresh, runtime.status.async_request_refresh),
            name=f"{DOMAIN} refresh after a device push",
        )


async def _refresh_all(*refreshes: Callable[[], Awaitable[None]]) -> None:
    for refresh in refreshes:
        await refresh()


def _only[T](kind: type[T], events: tuple[object, ...]) -> list[T]:
    """Keep the events of one type (a push has one type; this narrows it for the checker)."""
    return [event for event in events if isinstance(event, kind)]
