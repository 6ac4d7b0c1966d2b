"""Callbacks from SMSLink and Plasgate: delivery reports and incoming SMS, from the internet.

The webhook is not local_only: the services call from their own servers, directly or through a
Home Assistant Cloud webhook. Its random id is the only thing that guards it, so it is treated as a
secret, and what comes in is hostile until parsed: a body over CLOUD_BODY_LIMIT is answered 413
unread, one that does not parse 400, each logged without its content and once per burst. SMSLink
may text a 2-Way answer back to the sender, so every answer to it has an empty body.

A delivery report is read only for a message this entry sent (cloud_send_store.py). Any other is
answered as if taken, so that the service does not call again for it, and fires nothing: SMSLink
reports every send of the account to its one URL, and Jasmin repeats a report not acknowledged.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .const import CONF_CONNECTION_ID, EVENT_SMS_RECEIVED, LOGGER, PROVIDER_SMSLINK
from .entity import account_device_id
from .providers.errors import InvalidPushError
from .providers.plasgate import DLR_ACK, DeliveryState, parse_batch_callback, parse_delivery_report
from .providers.smslink_callbacks import (
    DeliveryReport,
    IncomingSms,
    callback_fields,
    parse_callback,
)
from .runtime import CloudConfigEntry
from .sending import STATUS_DELIVERED, STATUS_FAILED, STATUS_SENT, remember
from .webhook import (
    RefusalLog,
    UnreadableBodyError,
    media_type,
    read_body,
    register_entry_webhook,
)

_PLASGATE_STATUS: Final = {
    DeliveryState.ACCEPTED: STATUS_SENT,
    DeliveryState.DELIVERED: STATUS_DELIVERED,
    DeliveryState.EXPIRED: STATUS_FAILED,
    DeliveryState.UNDELIVERED: STATUS_FAILED,
    DeliveryState.REJECTED: STATUS_FAILED,
}
_KEEP_SEEN: Final = 1024
_NOT_OUR_SEND: Final = "it names a message this account did not send (answered as taken, no event)"

CLOUD_BODY_LIMIT: Final = 64 * 1024
"""The largest callback read, in bytes. A callback carries one report or one SMS: a few hundred
bytes of fields and at most one long text, under 15 kB even with every character of a
1,600-character SMS percent-encoded. 64 kB is four times that; anything bigger is not a callback."""


def async_register_cloud_webhook(hass: HomeAssistant, entry: CloudConfigEntry) -> None:
    """Listen for this account's callbacks until the entry unloads."""
    smslink = entry.runtime_data.provider == PROVIDER_SMSLINK
    receiver = SmsLinkCallbacks(entry) if smslink else PlasgateCallbacks(entry)
    register_entry_webhook(
        hass,
        entry,
        entry.data[CONF_WEBHOOK_ID],
        receiver.handle,
        local_only=False,
        methods=["GET", "POST"],
    )


async def _fields(request: web.Request) -> dict[str, Any]:
    """Merge the query and the form or JSON body: the services use all three.

    Raises UnreadableBodyError for a body over the limit or broken, InvalidPushError for one that
    is neither a form nor a JSON object.
    """
    body = await read_body(request, CLOUD_BODY_LIMIT)
    return callback_fields(request.query, body, media_type(request.headers))


def _refused(refusals: RefusalLog, err: InvalidPushError | UnreadableBodyError) -> web.Response:
    """Log the refusal (once per burst) and answer with an empty body."""
    if isinstance(err, UnreadableBodyError):
        refusals.refused(f"its body is {err}")
        return err.response()
    refusals.refused(err)
    return web.Response(status=HTTPStatus.BAD_REQUEST)


class SmsLinkCallbacks:
    """Delivery reports and 2-Way SMS of one SMSLink account, told apart by their fields."""

    def __init__(self, entry: CloudConfigEntry) -> None:
        """Remember recent incoming SMS: SMSLink retries a callback that did not get a 200."""
        self._entry = entry
        self._seen: OrderedDict[tuple[str, str, str, str], None] = OrderedDict()
        self._refusals = RefusalLog("an SMSLink callback")
        self._strangers = RefusalLog("an SMSLink report for another connection")
        self._unsent = RefusalLog("an SMSLink report")

    async def handle(
        self, hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse and dispatch; never raise for what the network sent."""
        try:
            event = parse_callback(await _fields(request))
        except (InvalidPushError, UnreadableBodyError) as err:
            return _refused(self._refusals, err)
        if isinstance(event, DeliveryReport):
            if event.connection_id not in {None, self._entry.data[CONF_CONNECTION_ID]}:
                # The extended fields name the connection: one not ours is no report of ours.
                self._strangers.refused("it names another connection ID")
                return web.Response(status=HTTPStatus.BAD_REQUEST)
            status = STATUS_DELIVERED if event.delivered else STATUS_FAILED
            if not self._entry.runtime_data.sends.handle_delivery(
                str(event.message_id), status, event.raw_status
            ):
                # Acknowledged all the same: the account's URL also hears its other senders.
                self._unsent.refused(_NOT_OUR_SEND)
        else:
            self._on_incoming(hass, event)
        return web.Response(status=HTTPStatus.OK)

    def _on_incoming(self, hass: HomeAssistant, sms: IncomingSms) -> None:
        key = (sms.sender, sms.receiver, sms.received_at.isoformat(), sms.text)
        if key in self._seen:
            LOGGER.debug("SMSLink repeated an incoming SMS already fired")
            return
        remember(self._seen, key, None, limit=_KEEP_SEEN)
        data: dict[str, Any] = {
            "entry_id": self._entry.entry_id,
            "provider": PROVIDER_SMSLINK,
            "sender": sms.sender,
            "text": sms.text,
            "received_at": sms.received_at.isoformat(),
            "receiver": sms.receiver,
            "device_id": account_device_id(hass, self._entry),
        }
        if sms.network_name:
            data["network"] = sms.network_name
        hass.bus.async_fire(EVENT_SMS_RECEIVED, data)


class PlasgateCallbacks:
    """Delivery reports (dlr_url) and batch callbacks (callback_url, errback_url) of one key."""

    def __init__(self, entry: CloudConfigEntry) -> None:
        """Match reports to sends through the entry's tracker."""
        self._entry = entry
        self._refusals = RefusalLog("a Plasgate callback")
        self._unsent = RefusalLog("a Plasgate report")

    async def handle(
        self, _hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse and dispatch; a delivery report is acknowledged the way Jasmin expects."""
        try:
            fields = await _fields(request)
            if "batchId" in fields:
                self._on_batch(_strings(fields))
                return web.Response(status=HTTPStatus.OK)
            report = parse_delivery_report(_strings(fields))
        except (InvalidPushError, UnreadableBodyError) as err:
            return _refused(self._refusals, err)
        if not self._entry.runtime_data.sends.handle_delivery(
            report.message_id, _PLASGATE_STATUS.get(report.state), report.status
        ):
            # Acknowledged all the same: Jasmin retries anything else, and a retry changes nothing.
            self._unsent.refused(_NOT_OUR_SEND)
        return web.Response(status=HTTPStatus.OK, text=DLR_ACK)

    def _on_batch(self, fields: Mapping[str, str]) -> None:
        callback = parse_batch_callback(fields)
        sends = self._entry.runtime_data.sends
        if not sends.knows_batch(callback.batch_id):
            raise InvalidPushError("A batch callback for a batch this entry did not send")
        if not callback.success:
            sends.handle_batch_failure(callback.batch_id, callback.reason)
        elif callback.message_id:
            sends.handle_batch_success(callback.batch_id, callback.message_id)


def _strings(fields: Mapping[str, Any]) -> dict[str, str]:
    """Plasgate sends query or form fields: strings only, whatever a JSON body held.

    A JSON integer is read as its digits (the JSON reader bounds them); a boolean is no field.
    """
    return {
        key: str(value)
        for key, value in fields.items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    }
