"""Callbacks from the cloud services: delivery reports and incoming SMS, from the internet.

The webhook is not local_only: the services call from their own servers, directly or through a
Home Assistant Cloud webhook. Its random id is the only thing that guards it, so it is treated as a
secret, and what comes in is hostile until parsed: a body over CLOUD_BODY_LIMIT is answered 413
unread, one that does not parse 400, each logged without its content and once per burst. SMSLink
may text a 2-Way answer back to the sender, so every answer to it has an empty body.

A delivery report is read only for a message this entry sent (send_store.py). Any other is
answered as if taken, so that the service does not call again for it, and fires nothing: SMSLink
reports every send of the account to its one URL, and Jasmin repeats a report not acknowledged.
Each service reads its own fields (smslink.py, plasgate.py); this is what they share.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from ..providers.errors import InvalidPushError
from ..providers.smslink import callback_fields
from ..webhooks import (
    RefusalLog,
    UnreadableBodyError,
    media_type,
    read_body,
    register_entry_webhook,
)
from .sender import CloudSendTracker

_NOT_OUR_SEND: Final = "it names a message this account did not send (answered as taken, no event)"

CLOUD_BODY_LIMIT: Final = 64 * 1024
"""The largest callback read, in bytes. A callback carries one report or one SMS: a few hundred
bytes of fields and at most one long text, under 15 kB even with every character of a
1,600-character SMS percent-encoded. 64 kB is four times that; anything bigger is not a callback."""


class CallbackReceiver(ABC):
    """One account's callbacks: what does not parse is refused, the rest taken by the service."""

    def __init__(self, entry: ConfigEntry, sends: CloudSendTracker, service: str) -> None:
        """Name the service in the refusal log lines, as "an SMSLink" or "a Plasgate"."""
        self._entry = entry
        self._sends = sends
        self._refusals = RefusalLog(f"{service} callback")
        self._unsent = RefusalLog(f"{service} report")

    async def handle(
        self, hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse and dispatch; never raise for what the network sent."""
        try:
            return self._take(hass, await _fields(request))
        except UnreadableBodyError as err:
            self._refusals.refused(f"its body is {err}")
            return err.response()
        except InvalidPushError as err:
            self._refusals.refused(err)
            return web.Response(status=HTTPStatus.BAD_REQUEST)

    @abstractmethod
    def _take(self, hass: HomeAssistant, fields: dict[str, Any]) -> web.Response:
        """Act on one callback; raise InvalidPushError for one that is not the service's."""

    def _report(self, message_id: str, status: str | None, raw_status: str) -> None:
        """Hand a report to the sends; one not ours is acknowledged all the same, and logged."""
        if not self._sends.handle_delivery(message_id, status, raw_status):
            self._unsent.refused(_NOT_OUR_SEND)


def async_register_callbacks(
    hass: HomeAssistant, entry: ConfigEntry, receiver: CallbackReceiver
) -> None:
    """Listen for this account's callbacks until the entry unloads."""
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
