"""Incoming SMS: pushed or polled, each announced exactly once, none lost while we were away.

Pushes are fast but may be off, lost or repeated; the catch-up reads the gateway's inbox after
the stored cursor at start-up, on the slow poll and when a push cannot be placed, always with
flag=all (flag=unread would mark messages read on the gateway). Only the catch-up moves the cursor,
so an SMS whose push was lost is read by the next one. Both paths go through one memory
(inbox_store.py), so what one of them announced the other stays silent about.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
import logging
from operator import attrgetter
from typing import Any, Final, Literal

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from ..bus_events import Origin, async_fire_sms_received
from ..const import DOMAIN, LOGGER, PROVIDER_DINSTAR, SLOW_POLL_INTERVAL
from ..providers.dinstar import DinstarClient, InboxFlag, IncomingSms
from ..providers.errors import ProviderError
from ..providers.text import mask_number
from .coordinator import DinstarPortsCoordinator
from .inbox_store import InboxMemory, InboxStore, PushVerdict
from .issues import ISSUE_ENTRY_ID
from .manager import GatewayManager
from .port_listeners import PortListeners

MAX_PAGES: Final = 50
"""A bound on one catch-up; what is left is read on the next one."""
ANNOUNCE_BATCH: Final = 100
"""Messages a catch-up announces between two turns of the event loop (each costs an event and a
state write: a gateway that kept thousands while Home Assistant was away must not hold the loop)."""

ISSUE_PUSH_NOT_CONFIGURED: Final = "push_not_configured"


type MessageSource = Literal["push", "poll"]
"""How a message reached us (for the debug log)."""


_by_id: Final = attrgetter("incoming_sms_id")


def push_issue_id(entry_id: str) -> str:
    """One repair issue per entry."""
    return f"{ISSUE_PUSH_NOT_CONFIGURED}_{entry_id}"


async def read_new_messages(memory: InboxMemory, client: DinstarClient) -> list[IncomingSms]:
    """Read the gateway's inbox above the memory's cursor; record and return what is news."""
    if not memory.started:
        skipped = memory.adopt(await _read_after(client, 0))
        LOGGER.debug("First look at the inbox: %s earlier SMS left unannounced", skipped)
        return []
    cursor = memory.cursor or 0
    # Ask from just before the cursor: the newest handled message must come back unchanged.
    start = max(cursor - 1, 0)
    messages = await _read_after(client, start, known=cursor)
    if not memory.agrees_with(messages):
        everything = messages if start == 0 else await _read_after(client, 0)
        return memory.reconcile(everything)
    return memory.take_new(messages)


async def _read_after(client: DinstarClient, after: int, known: int = 0) -> list[IncomingSms]:
    """Every message after an id, page by page until a page brings nothing beyond `known`.

    An idle poll costs one request: its page holds only the known newest message.
    """
    found: list[IncomingSms] = []
    for _ in range(MAX_PAGES):
        page = await client.query_incoming_sms(after_id=after, flag=InboxFlag.ALL)
        newer = [sms for sms in page.messages if sms.incoming_sms_id > after]
        found.extend(newer)
        newest = max((sms.incoming_sms_id for sms in newer), default=after)
        if newest <= known or not newer:
            break
        after = newest
    return found


class DinstarInbox(GatewayManager):
    """The incoming SMS of one gateway."""

    def __init__(
        self,
        hass: HomeAssistant,
        ports: DinstarPortsCoordinator,
        store: InboxStore,
    ) -> None:
        """Nothing is read until async_load and async_start."""
        super().__init__(hass, ports)
        self._store = store
        self._memory = InboxMemory(serial="")
        self._lock = asyncio.Lock()
        self._catch_up_requested = False
        self._unreachable = False
        self.received: dict[int, dict[str, Any]] = {}
        """The event data of the last SMS announced on each port."""
        self.listeners = PortListeners()
        """Told of each SMS announced on a port (its event entity, its last-SMS sensors)."""
        self.last_push: datetime | None = None
        """When this entry last received a push since set-up (None: never)."""
        self._push_waiters: list[asyncio.Future[None]] = []

    async def async_load(self) -> None:
        """Load the memory before any push can arrive."""
        self._memory = await self._store.async_load(self.ports.serial)

    async def async_start(self) -> None:
        """Announce what arrived while we were away, then look again on every slow poll."""
        await self._catch_up(at_start=True)
        self.entry.async_on_unload(
            async_track_time_interval(
                self.hass,
                self._on_slow_poll,
                SLOW_POLL_INTERVAL,
                name=f"{DOMAIN} inbox catch-up",
                cancel_on_shutdown=True,
            )
        )

    async def async_stop(self) -> None:
        """Write the memory now and withdraw the repair (the poll timer goes with the entry)."""
        ir.async_delete_issue(self.hass, DOMAIN, push_issue_id(self.entry.entry_id))
        await self._store.async_flush(self._memory)

    @callback
    def _on_slow_poll(self, _now: datetime) -> None:
        self.entry.async_create_background_task(
            self.hass, self.catch_up(), name=f"{DOMAIN} inbox catch-up"
        )

    async def catch_up(self) -> int:
        """Read the inbox after the cursor and announce what is new; return how many."""
        return await self._catch_up(at_start=False)

    async def _catch_up(self, *, at_start: bool) -> int:
        async with self._lock:
            self._catch_up_requested = False  # what asks from now on needs another read
            try:
                fresh = await self._read_new()
            except ProviderError as err:
                if not self._unreachable:
                    self._unreachable = True
                    LOGGER.warning("Could not read the gateway's inbox: %s", err)
                return 0
            if self._unreachable:
                self._unreachable = False
                LOGGER.info("Reading the gateway's inbox works again")
            for start in range(0, len(fresh), ANNOUNCE_BATCH):
                if start:
                    await asyncio.sleep(0)  # recorded already: a push meanwhile is a repeat
                self._announce(fresh[start : start + ANNOUNCE_BATCH], "poll")
            self._store.schedule_save(self._memory)
        if fresh and not at_start and self.last_push is None:
            self._raise_push_issue()
        return len(fresh)

    async def _read_new(self) -> list[IncomingSms]:
        return await read_new_messages(self._memory, self.client)

    @callback
    def handle_push(self, messages: Iterable[IncomingSms]) -> int:
        """Announce the pushed messages not seen before; return how many.

        A push that the memory cannot place (an old one replayed, or ids that restarted) is not
        announced: it asks for a catch-up, which reads the inbox and knows.
        """
        fresh: list[IncomingSms] = []
        unsure = False
        for sms in sorted(messages, key=_by_id):
            verdict = self._memory.on_push(sms)
            if verdict is PushVerdict.NEW:
                fresh.append(sms)
            unsure = unsure or verdict is PushVerdict.CHECK
        self._announce(fresh, "push")
        if fresh:
            self._store.schedule_save(self._memory)
        if unsure:
            self._request_catch_up()
        return len(fresh)

    @callback
    def _request_catch_up(self) -> None:
        """Start a catch-up soon; pushes that ask while one waits to start share it."""
        if self._catch_up_requested:
            return
        self._catch_up_requested = True
        self.entry.async_create_background_task(
            self.hass, self.catch_up(), name=f"{DOMAIN} inbox check"
        )

    @callback
    def note_push(self) -> None:
        """Record that this gateway pushes: the repair about pushes is moot.

        The repair is only raised before the first push, so only that one withdraws it.
        """
        if self.last_push is None:
            ir.async_delete_issue(self.hass, DOMAIN, push_issue_id(self.entry.entry_id))
        self.last_push = dt_util.utcnow()
        if self._push_waiters:
            for waiter in self._push_waiters:
                if not waiter.done():
                    waiter.set_result(None)
            self._push_waiters.clear()

    async def async_wait_for_push(self) -> None:
        """Return at the next push: the push repair waits for the user's test push."""
        waiter: asyncio.Future[None] = self.hass.loop.create_future()
        self._push_waiters.append(waiter)
        try:
            await waiter
        finally:
            if waiter in self._push_waiters:
                self._push_waiters.remove(waiter)

    def _announce(self, messages: list[IncomingSms], source: MessageSource) -> None:
        debug = LOGGER.isEnabledFor(logging.DEBUG)
        for sms in messages:
            if debug:
                LOGGER.debug(
                    "SMS %s on port %s from %s (%s)",
                    sms.incoming_sms_id,
                    sms.port,
                    mask_number(sms.sender or ""),
                    source,
                )
            self.received[sms.port] = self._fire(sms)
            self.listeners.notify(sms.port)

    def _fire(self, sms: IncomingSms) -> dict[str, Any]:
        """Fire the documented event; the optional keys only when known."""
        time_zone = dt_util.get_default_time_zone()
        received = (
            sms.timestamp.replace(tzinfo=time_zone)  # the gateway's clock is local, zoneless
            if sms.timestamp is not None
            else dt_util.now()
        )
        info = (self.ports.data or {}).get(sms.port)
        number = info.number.strip() if info is not None and info.number else ""
        return async_fire_sms_received(
            self.hass,
            Origin(self.entry.entry_id, PROVIDER_DINSTAR, self.device_ids.port(sms.port)),
            sender=sms.sender,
            text=sms.text,
            received_at=received,
            port=sms.port,
            message_id=sms.incoming_sms_id,
            imsi=sms.imsi or None,
            smsc=sms.smsc or None,
            receiver=number or None,
        )

    def _raise_push_issue(self) -> None:
        """SMS arrive only by polling: point the user at the gateway's Push URL setting."""
        webhook_id: str | None = self.entry.data.get(CONF_WEBHOOK_ID)
        if not webhook_id:
            return
        # The address holds the webhook id: the repair flow shows it, the stored issue does not.
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            push_issue_id(self.entry.entry_id),
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_PUSH_NOT_CONFIGURED,
            translation_placeholders={"gateway": self.entry.title},
            data={ISSUE_ENTRY_ID: self.entry.entry_id},
        )
