"""What the inbox must remember across restarts: how far it has read, and what it has announced.

The gateway numbers incoming SMS with a rising `incoming_sms_id`; the cursor is the highest one
seen and `recent` maps the newest ids to a fingerprint (port and gateway time) of the message that
carried them. A message is a duplicate only when its id is remembered with the same fingerprint,
so a push and a poll of one SMS, or one push delivered twice, are announced once.

A factory reset or firmware flash empties the inbox and starts the ids again at 1. It shows in
three ways, and each makes the memory start over (cursor 0, nothing remembered) so that the
renumbered messages are announced rather than mistaken for old ones:
- a remembered id arrives with another fingerprint (same number, different message);
- a pushed id lies below everything remembered (an old push is not replayed; a new one after a
  reset is numbered from 1);
- the catch-up no longer finds the newest message it saw, and none of the messages the gateway
  still holds is one it remembers (`reconcile`). If some are, the user only deleted messages on the
  gateway: the cursor moves down to what is left, and messages older than the memory stay silent.
A stored memory that belongs to another serial is ignored, as if the entry had just been added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .providers.dinstar_models import IncomingSms

STORAGE_VERSION: Final = 1
RECENT_LIMIT: Final = 500
SAVE_DELAY: Final = 2.0  # seconds; bursts of SMS are written once


class StoredInbox(TypedDict):
    """The JSON shape on disk (JSON keys are strings, hence the string ids)."""

    serial: str
    cursor: int
    recent: dict[str, str]


def fingerprint(sms: IncomingSms) -> str:
    """Tell one message from another that reuses its id: its port and the gateway's time."""
    moment = sms.timestamp.isoformat() if sms.timestamp is not None else ""
    return f"{sms.port}|{moment}"


@dataclass
class InboxMemory:
    """Cursor and recent ids of one gateway; `cursor is None` until the first catch-up."""

    serial: str
    cursor: int | None = None
    recent: dict[int, str] = field(default_factory=dict)

    @property
    def started(self) -> bool:
        """False until the inbox has been read once (see `adopt`)."""
        return self.cursor is not None

    def is_duplicate(self, sms: IncomingSms) -> bool:
        """Tell whether this very message was seen before."""
        return self.recent.get(sms.incoming_sms_id) == fingerprint(sms)

    def adopt(self, messages: Iterable[IncomingSms]) -> int:
        """Remember what a newly added gateway already holds without announcing it; return count.

        A gateway can hold years of SMS: announcing them all to automations on the first
        start would be worse than starting from now.
        """
        count = 0
        self.cursor = self.cursor or 0
        for sms in messages:
            self._record(sms)
            count += 1
        return count

    def accept(self, sms: IncomingSms) -> bool:
        """Record a message; True when it is new and must be announced."""
        if self.is_duplicate(sms):
            return False
        message_id = sms.incoming_sms_id
        cursor = self.cursor or 0
        if message_id in self.recent or (
            message_id <= cursor and message_id < min(self.recent, default=cursor + 1)
        ):
            self._restart()
        self._record(sms)
        return True

    def reconcile(self, messages: Iterable[IncomingSms]) -> list[IncomingSms]:
        """Re-read the whole inbox after the newest known message went missing; return the new.

        Some messages still known: messages were deleted on the gateway; the cursor drops to
        the newest message left and messages older than the memory are not announced. None
        known (and some present): the ids restarted, so every message is new.
        """
        ordered = sorted(messages, key=lambda sms: sms.incoming_sms_id)
        if not ordered:
            self.cursor = 0
            return []
        if not any(self.is_duplicate(sms) for sms in ordered):
            self._restart()
            return [sms for sms in ordered if self.accept(sms)]
        oldest_known = min(self.recent)
        fresh = [sms for sms in ordered if sms.incoming_sms_id >= oldest_known and self.accept(sms)]
        self.cursor = ordered[-1].incoming_sms_id
        return fresh

    def _restart(self) -> None:
        LOGGER.info("The gateway's SMS numbering started again (factory reset?); following it")
        self.cursor = 0
        self.recent.clear()

    def _record(self, sms: IncomingSms) -> None:
        self.recent[sms.incoming_sms_id] = fingerprint(sms)
        self.cursor = max(self.cursor or 0, sms.incoming_sms_id)
        while len(self.recent) > RECENT_LIMIT:
            del self.recent[min(self.recent)]

    def as_stored(self) -> StoredInbox:
        """Give the JSON-ready form."""
        return {
            "serial": self.serial,
            "cursor": self.cursor or 0,
            "recent": {str(key): value for key, value in self.recent.items()},
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
        return cls(serial=serial, cursor=max(cursor, 0), recent=remembered)


class InboxStore:
    """The memory of one entry on disk (`.storage/sms_gateway.<entry_id>.inbox`)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """One file per entry, so that removing the entry can remove it."""
        self._store: Store[StoredInbox] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.inbox")

    async def async_load(self, serial: str) -> InboxMemory:
        """Load the memory for this gateway serial."""
        return InboxMemory.from_stored(serial, await self._store.async_load())

    def schedule_save(self, memory: InboxMemory) -> None:
        """Write soon; a burst of messages becomes one write."""
        self._store.async_delay_save(memory.as_stored, SAVE_DELAY)

    async def async_flush(self, memory: InboxMemory) -> None:
        """Write now (unload), replacing any delayed write; a memory never started has nothing."""
        if memory.started:
            await self._store.async_save(memory.as_stored())

    async def async_remove(self) -> None:
        """Delete the file when the entry is removed."""
        await self._store.async_remove()
