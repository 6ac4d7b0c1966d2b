"""What the inbox must remember across restarts: how far it has read, and what it has announced.

The gateway numbers incoming SMS with a rising `incoming_sms_id`. The memory keeps:
- `cursor`, a floor: every message the gateway held with an id up to it has been handled
  (announced, or adopted when the entry was added). Only a catch-up, which reads every message above
  the cursor, moves it; a push never does, so a message whose push was lost is still above the
  cursor and the next catch-up announces it.
- `recent`, the ids handled lately with a fingerprint of their message (see `fingerprint`): all
  of those above the cursor (announced by a push, awaiting the catch-up that confirms them) and the
  newest RECENT_LIMIT at or below it.

A push is news when its id is above the cursor and not yet recorded. A push that repeats a recorded
message is silent. Anything else (an id at or below the cursor the memory has forgotten, or a known
id with another fingerprint) is either an old push replayed or a gateway that numbers from 1 again
after a factory reset; a push alone cannot tell, so it is not announced and asks for a catch-up,
which can: the newest handled message still in the inbox, unchanged, means nothing was reset.

When that newest message is gone or changed, the whole inbox is re-read (`reconcile`): if some
messages it holds are known, the user only deleted messages, and those not known that lie within
the memory are news; if none is known, the numbering restarted and every message is news.
A stored memory that belongs to another serial is ignored, as if the entry had just been added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
import hashlib
from typing import Final, Required, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN, LOGGER
from ..providers.dinstar import IncomingSms

STORAGE_VERSION: Final = 1
RECENT_LIMIT: Final = 500
"""Ids kept at or below the cursor, to silence repeated pushes and recognise known messages."""
PENDING_LIMIT: Final = 5000
"""Ids kept above the cursor; past it a push waits for the catch-up instead (bounded memory)."""
SAVE_DELAY: Final = 2.0  # seconds; bursts of SMS are written once


class StoredInbox(TypedDict, total=False):
    """The JSON shape on disk (JSON keys are strings, hence the string ids)."""

    serial: Required[str]
    cursor: Required[int]
    recent: Required[dict[str, str]]
    retired: list[str]


class PushVerdict(StrEnum):
    """What a pushed SMS is to the memory."""

    NEW = "new"
    """Not seen before: announce it (the memory has recorded it)."""
    SEEN = "seen"
    """A repeat of a recorded message: stay silent."""
    CHECK = "check"
    """An old push replayed, or ids restarted: stay silent and let a catch-up decide."""


def fingerprint(sms: IncomingSms) -> str:
    """Tell one message from another that reuses its id: port, gateway time, sender and text.

    Sender and text go in as a short digest (the memory is stored: no number or text in clear).
    """
    moment = sms.timestamp.isoformat() if sms.timestamp is not None else ""
    content = hashlib.sha256(f"{sms.sender or ''}\n{sms.text}".encode()).hexdigest()[:16]
    return f"{sms.port}|{moment}|{content}"


def _same_message(recorded: str | None, sms: IncomingSms) -> bool:
    """Compare a recorded fingerprint with the message's."""
    return recorded is not None and _same_fingerprint(recorded, fingerprint(sms))


def _same_fingerprint(recorded: str | None, current: str) -> bool:
    """Compare fingerprints; one stored before the digest was added has only two parts."""
    if recorded is None:
        return False
    return recorded == current or (recorded.count("|") == 1 and current.startswith(f"{recorded}|"))


@dataclass
class InboxMemory:
    """Cursor and recent ids of one gateway; `cursor is None` until the first catch-up."""

    serial: str
    cursor: int | None = None
    recent: dict[int, str] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    """Fingerprints of messages handled before the ids last restarted: a late push of one of
    them is a repeat, not news, though its id may now name another message."""
    _pending: int | None = field(default=None, init=False, repr=False, compare=False)
    _pending_floor: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def started(self) -> bool:
        """False until the inbox has been read once (see `adopt`)."""
        return self.cursor is not None

    @property
    def pending(self) -> int:
        """How many recorded ids lie above the cursor, awaiting a catch-up.

        Counted once per cursor and then kept up by `_record`: every push asks, and thousands of
        ids may be pending.
        """
        floor = self.cursor or 0
        if self._pending is None or self._pending_floor != floor:
            self._pending = sum(1 for message_id in self.recent if message_id > floor)
            self._pending_floor = floor
        return self._pending

    def is_duplicate(self, sms: IncomingSms) -> bool:
        """Tell whether this very message was seen before."""
        return _same_message(self.recent.get(sms.incoming_sms_id), sms)

    def adopt(self, messages: Iterable[IncomingSms]) -> int:
        """Remember what a newly added gateway already holds without announcing it; return count.

        A gateway can hold years of SMS: announcing them all to automations on the first
        start would be worse than starting from now.
        """
        held = list(messages)
        for sms in held:
            self._record(sms)
        self.cursor = max((sms.incoming_sms_id for sms in held), default=self.cursor or 0)
        self._trim()
        return len(held)

    def on_push(self, sms: IncomingSms) -> PushVerdict:
        """Judge a pushed message; a new one is recorded, the cursor stays for the catch-up."""
        known = self.recent.get(sms.incoming_sms_id)
        current = fingerprint(sms)
        if _same_fingerprint(known, current) or (self.retired and current in self.retired):
            return PushVerdict.SEEN
        if (
            known is not None
            or sms.incoming_sms_id <= (self.cursor or 0)
            or self.pending >= PENDING_LIMIT
        ):
            return PushVerdict.CHECK
        self._record(sms, current)
        return PushVerdict.NEW

    def agrees_with(self, messages: Iterable[IncomingSms]) -> bool:
        """Tell whether a read of the inbox matches the memory (else: reconcile).

        The message at the cursor must come back unchanged, and every message read whose id is
        recorded must be the recorded one: a push never records an id under another fingerprint,
        so a difference means the ids were used again.
        """
        held = list(messages)
        if self.cursor and not any(
            sms.incoming_sms_id == self.cursor and self.is_duplicate(sms) for sms in held
        ):
            return False
        return all(sms.incoming_sms_id not in self.recent or self.is_duplicate(sms) for sms in held)

    def take_new(self, messages: Iterable[IncomingSms]) -> list[IncomingSms]:
        """Record a catch-up that read every message above the cursor; return those to announce."""
        floor = self.cursor or 0
        fresh: list[IncomingSms] = []
        newest = floor
        for sms in sorted(messages, key=lambda sms: sms.incoming_sms_id):
            message_id = sms.incoming_sms_id
            if message_id <= floor:
                continue
            newest = message_id
            if message_id not in self.recent:
                fresh.append(sms)
                self._record(sms)
        self.cursor = newest
        self._trim()
        return fresh

    def reconcile(self, messages: Iterable[IncomingSms]) -> list[IncomingSms]:
        """Re-read the whole inbox after the newest handled message went missing; return the new.

        Some messages still known: messages were deleted on the gateway, or the ids restarted and
        reached known ones again; those not known are news when they lie within the memory (older
        ones were announced long ago). None known: the ids restarted (or the inbox was emptied), so
        every message it holds is news.
        """
        ordered = sorted(messages, key=lambda sms: sms.incoming_sms_id)
        known = {sms.incoming_sms_id for sms in ordered if self.is_duplicate(sms)}
        if not known:
            self._restart(any_left=bool(ordered))
            oldest_news = 0
        else:
            oldest_news = min(self.recent)
        fresh = [
            sms
            for sms in ordered
            if sms.incoming_sms_id not in known and sms.incoming_sms_id >= oldest_news
        ]
        for sms in ordered:
            self._record(sms)
        self.cursor = ordered[-1].incoming_sms_id if ordered else 0
        self._trim()
        return fresh

    def _restart(self, *, any_left: bool) -> None:
        if any_left:
            LOGGER.info("The gateway's SMS numbering started again (factory reset?); following it")
        self.retired = [*self.retired, *self.recent.values()][-RECENT_LIMIT:]
        self.cursor = 0
        self.recent.clear()
        self._pending = None

    def _record(self, sms: IncomingSms, current: str | None = None) -> None:
        message_id = sms.incoming_sms_id
        if (
            self._pending is not None
            and message_id > self._pending_floor
            and message_id not in self.recent
        ):
            self._pending += 1
        self.recent[message_id] = fingerprint(sms) if current is None else current

    def _trim(self) -> None:
        """Keep every id above the cursor and the newest RECENT_LIMIT at or below it."""
        floor = self.cursor or 0
        handled = sorted(message_id for message_id in self.recent if message_id <= floor)
        for message_id in handled[: max(len(handled) - RECENT_LIMIT, 0)]:
            del self.recent[message_id]

    def as_stored(self) -> StoredInbox:
        """Give the JSON-ready form."""
        return {
            "serial": self.serial,
            "cursor": self.cursor or 0,
            "recent": {str(key): value for key, value in self.recent.items()},
            "retired": list(self.retired),
        }

    @classmethod
    def from_stored(cls, serial: str, stored: object) -> InboxMemory:
        """Read what was saved; another serial or an unreadable file starts afresh."""
        fresh = cls(serial=serial)
        if not isinstance(stored, dict) or stored.get("serial") != serial:
            return fresh
        cursor, recent = stored.get("cursor"), stored.get("recent")
        if isinstance(cursor, bool) or not isinstance(cursor, int) or not isinstance(recent, dict):
            return fresh
        try:
            remembered = {int(key): str(value) for key, value in recent.items()}
        except ValueError:
            return fresh
        retired = stored.get("retired", [])
        return cls(
            serial=serial,
            cursor=max(cursor, 0),
            recent=remembered,
            retired=[str(value) for value in retired] if isinstance(retired, list) else [],
        )


class InboxStore:
    """The memory of one entry on disk (`.storage/sms_gateway.<entry_id>.inbox`)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """One file per entry, so that removing the entry can remove it."""
        self._store: Store[StoredInbox] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.inbox")
        self._save_due = False

    async def async_load(self, serial: str) -> InboxMemory:
        """Load the memory for this gateway serial."""
        return InboxMemory.from_stored(serial, await self._store.async_load())

    def schedule_save(self, memory: InboxMemory) -> None:
        """Write within SAVE_DELAY: a burst of messages is one write, a stream one every delay.

        A write already due takes every change made before it starts; only the first change
        after a write schedules the next (this runs for every push).
        """
        if self._save_due:
            return
        self._save_due = True
        self._store.async_delay_save(partial(self._as_stored, memory), SAVE_DELAY)

    def _as_stored(self, memory: InboxMemory) -> StoredInbox:
        """Give what is written, when it is written: later changes need a write of their own."""
        self._save_due = False
        return memory.as_stored()

    async def async_flush(self, memory: InboxMemory) -> None:
        """Write now (unload), replacing any delayed write; a memory never started has nothing."""
        self._save_due = False
        if memory.started:
            await self._store.async_save(memory.as_stored())

    async def async_remove(self) -> None:
        """Delete the file when the entry is removed."""
        await self._store.async_remove()
