"""The newest SMS each port sent and how far it got, for the port's Last sent SMS sensor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .port_listeners import PortListeners

SENT_STATUSES: Final = ("sent", "delivered", "failed")
"""What a report can say of an SMS, in the order it gets there (delivered and failed are final)."""
_RANK: Final = {"sent": 0, "delivered": 1, "failed": 1}


@dataclass(frozen=True, slots=True)
class LastSentSms:
    """A port's newest sent SMS as its last report told it."""

    status: str
    recipient: str
    message_id: int | None
    reported_at: datetime


class LastSentByPort:
    """Keeps each port's newest sent SMS; a late report of an older one does not hide it."""

    def __init__(self) -> None:
        """Nothing sent yet."""
        self.sms: dict[int, LastSentSms] = {}
        self.listeners = PortListeners()

    @callback
    def record(self, port: int, status: str, recipient: str, message_id: int | None) -> None:
        """Take one report; tell the port's sensor when what it shows changes."""
        shown = self.sms.get(port)
        if shown is not None and not _moves_on(shown, status, message_id):
            return
        self.sms[port] = LastSentSms(status, recipient, message_id, dt_util.utcnow())
        self.listeners.notify(port)


def _moves_on(shown: LastSentSms, status: str, message_id: int | None) -> bool:
    """Tell whether a report replaces the shown SMS: a newer one does, the same only forward.

    Message ids grow with each send; a report without one (an SMS not sent through Home
    Assistant) counts as the newest.
    """
    if message_id is None or shown.message_id is None:
        return True
    if message_id != shown.message_id:
        return message_id > shown.message_id
    return _RANK[status] > _RANK[shown.status]
