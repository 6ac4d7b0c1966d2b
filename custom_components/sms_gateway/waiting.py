"""Callers of `send_sms` with `wait`: woken when a send moves on, all released at unload.

Gateways and cloud accounts wait the same way; only a gateway also polls while nothing comes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Final

MAX_WAIT: Final = 60.0
"""The longest a caller may wait for sending results, in seconds."""
DEFAULT_WAIT: Final = 30.0
FIRST_POLL: Final = 1.0
MAX_POLL: Final = 5.0
"""A poll runs after these quiet pauses (doubling) unless something moved first."""


class Waiters:
    """Everyone waiting on one entry's sends."""

    def __init__(self) -> None:
        """Nobody waits yet; the entry is open."""
        self._events: set[asyncio.Event] = set()
        self.closed = False

    def wake(self) -> None:
        """Let every waiter look again: a send moved on."""
        for changed in self._events:
            changed.set()

    def close(self) -> None:
        """Release every waiter for good; the entry is going away."""
        self.closed = True
        self.wake()

    async def until(
        self,
        done: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - the caller's own bound, capped at MAX_WAIT
        poll: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Wait until done(), the entry closes or the bound ends; False when the bound ended."""
        changed = asyncio.Event()
        self._events.add(changed)
        pause = FIRST_POLL
        try:
            async with asyncio.timeout(min(max(timeout, 0.0), MAX_WAIT)):
                while not self.closed and not done():
                    changed.clear()
                    if poll is None:
                        await changed.wait()
                        continue
                    try:
                        async with asyncio.timeout(pause):
                            await changed.wait()
                    except TimeoutError:
                        await poll()
                        pause = min(pause * 2, MAX_POLL)
        except TimeoutError:
            return False
        finally:
            self._events.discard(changed)
        return True
