"""What a cloud account keeps of its sends across restarts, so that it reads only their reports.

SMSLink and Plasgate call one URL with the id the service gave a send: a message id, or for a
Plasgate batch its batch id and then, in the batch's success callbacks, each message's id. A
report naming an id this entry was not given is not its own and is refused. Each id is kept with
its recipient (unknown for a batch's messages: their callbacks do not name it), its status and the
statuses already announced, so a report after a restart still names the number and a repeat of
one already announced stays silent.

The ids live in the entry's send store (sending.send_store), which is removed with the entry.
They are bounded: the newest KEEP_SENDS messages and KEEP_SENDS batches, none older than KEEP_AGE.
A report comes within days of its send (an SMSC gives up on an SMS once its validity period ends,
and the services retry a callback for hours at most), so 30 days is ample; the count bounds the
file (about 150 bytes a message).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final, TypeIs

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..sending import STATUS_DELIVERED, STATUS_FAILED, STATUS_QUEUED, STATUS_SENT, send_store

KEEP_SENDS: Final = 5000
"""Messages kept, and batches kept; the oldest are forgotten first."""
KEEP_AGE: Final = timedelta(days=30)
"""A send older than this is forgotten: no report for it comes any more."""
SAVE_DELAY: Final = 2.0  # seconds; a burst of reports is written once
_STATUSES: Final = frozenset({STATUS_QUEUED, STATUS_SENT, STATUS_DELIVERED, STATUS_FAILED})


@dataclass(slots=True)
class SentMessage:
    """One message this account sent, as far as its reports have told."""

    sent_at: float
    """UNIX time of the send (or of the batch callback that named the message)."""
    number: str | None = None
    batch_id: str | None = None
    status: str = STATUS_QUEUED
    announced: list[str] = field(default_factory=list)
    """Statuses already fired as events: each fires once per message."""


@dataclass(slots=True)
class SentBatch:
    """One Plasgate batch: its success callbacks may name at most `unnamed` more messages."""

    sent_at: float
    unnamed: int


class CloudSendStore:
    """The ids of one account's sends, kept in its send store."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read until async_load."""
        self._store = send_store(hass, entry_id)
        self._messages: OrderedDict[str, SentMessage] = OrderedDict()
        self._batches: OrderedDict[str, SentBatch] = OrderedDict()
        self._changed = False

    async def async_load(self) -> None:
        """Read the sends made before a restart; an unreadable record is skipped."""
        stored = await self._store.async_load()
        if not isinstance(stored, dict):
            return
        messages, batches = stored.get("messages"), stored.get("batches")
        if isinstance(messages, dict):
            for message_id, record in messages.items():
                if (message := _message_from(record)) is not None:
                    self._messages[str(message_id)] = message
        if isinstance(batches, dict):
            for batch_id, record in batches.items():
                if (batch := _batch_from(record)) is not None:
                    self._batches[str(batch_id)] = batch
        self._forget_old()

    def add_message(self, message_id: str, number: str) -> None:
        """Remember a message the service accepted for number."""
        self._add(message_id, SentMessage(_now(), number))

    def add_batch(self, batch_id: str, size: int) -> None:
        """Remember a batch of size messages: their ids come later, by callback."""
        self._batches[batch_id] = SentBatch(_now(), size)
        self._batches.move_to_end(batch_id)
        self._forget_old()
        self.changed()

    def name_batch_message(self, batch_id: str, message_id: str) -> None:
        """Learn the id of one of a batch's messages; a batch names no more than it holds."""
        batch = self.batch(batch_id)
        if batch is None or message_id in self._messages or batch.unnamed <= 0:
            return
        batch.unnamed -= 1
        self._add(message_id, SentMessage(_now(), batch_id=batch_id))

    def message(self, message_id: str) -> SentMessage | None:
        """Return the message if this account sent it (lately), else None."""
        self._forget_old()
        return self._messages.get(message_id)

    def batch(self, batch_id: str) -> SentBatch | None:
        """Return the batch if this account sent it (lately), else None."""
        self._forget_old()
        return self._batches.get(batch_id)

    def changed(self) -> None:
        """Write within SAVE_DELAY: a burst of changes is one write."""
        self._changed = True
        self._store.async_delay_save(self._as_stored, SAVE_DELAY)

    async def async_flush(self) -> None:
        """Write now what changed (unload): the next set-up reads the file at once."""
        if self._changed:
            await self._store.async_save(self._as_stored())

    def _add(self, message_id: str, message: SentMessage) -> None:
        self._messages[message_id] = message
        self._messages.move_to_end(message_id)
        self._forget_old()
        self.changed()

    def _forget_old(self) -> None:
        """Keep the newest KEEP_SENDS of each, none older than KEEP_AGE (oldest come first)."""
        oldest = _now() - KEEP_AGE.total_seconds()
        _forget_before(self._messages, oldest)
        _forget_before(self._batches, oldest)

    def _as_stored(self) -> dict[str, Any]:
        """Give the JSON-ready form, as it stands when written."""
        self._changed = False
        return {
            "messages": {
                message_id: {
                    "at": message.sent_at,
                    "number": message.number,
                    "batch": message.batch_id,
                    "status": message.status,
                    "announced": list(message.announced),
                }
                for message_id, message in self._messages.items()
            },
            "batches": {
                batch_id: {"at": batch.sent_at, "unnamed": batch.unnamed}
                for batch_id, batch in self._batches.items()
            },
        }


def _forget_before[T: SentMessage | SentBatch](memory: OrderedDict[str, T], oldest: float) -> None:
    while memory and (len(memory) > KEEP_SENDS or next(iter(memory.values())).sent_at < oldest):
        memory.popitem(last=False)


def _now() -> float:
    return dt_util.utcnow().timestamp()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _known_status(value: object) -> TypeIs[str]:
    return isinstance(value, str) and value in _STATUSES


def _time(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _message_from(record: object) -> SentMessage | None:
    if not isinstance(record, dict) or (sent_at := _time(record.get("at"))) is None:
        return None
    status, announced = record.get("status"), record.get("announced")
    return SentMessage(
        sent_at,
        number=_text(record.get("number")),
        batch_id=_text(record.get("batch")),
        status=status if _known_status(status) else STATUS_QUEUED,
        announced=[item for item in announced if _known_status(item)]
        if isinstance(announced, list)
        else [],
    )


def _batch_from(record: object) -> SentBatch | None:
    if not isinstance(record, dict) or (sent_at := _time(record.get("at"))) is None:
        return None
    unnamed = record.get("unnamed")
    if isinstance(unnamed, bool) or not isinstance(unnamed, int):
        return None
    return SentBatch(sent_at, max(unnamed, 0))
