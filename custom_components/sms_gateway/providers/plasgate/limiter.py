"""Client-side throttle for Plasgate's per-minute limits, which also obeys the service's 429s.

Sends are never dropped, only delayed: a request waits until the sliding window has room and
until any pause the service asked for has passed. The service counts a request when it arrives,
which is after it left us: a slot is taken when the request starts and moved to when its answer
came back, so the window never frees a slot before the service does.
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import time
from typing import Final

WINDOW_S: Final = 60.0
SEND_PER_MINUTE: Final = 200
BATCH_PER_MINUTE: Final = 100


@dataclass(slots=True)
class Slot:
    """One request's place in the window, from when it started, then from when it ended."""

    at: float


class SlidingWindowLimiter:
    """At most `limit` acquisitions in any `window` seconds, plus pauses imposed from outside."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_S,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Clock and sleep are injectable so tests need not wait a minute."""
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._slots: deque[Slot] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Hold every acquisition for seconds from now (the service answered 429)."""
        self._paused_until = max(self._paused_until, self._clock() + max(seconds, 0.0))

    def delay(self) -> float:
        """Seconds until an acquisition could go through now (0 when it can)."""
        now = self._clock()
        while self._slots and self._slots[0].at <= now - self.window:
            self._slots.popleft()
        wait = self._paused_until - now
        if len(self._slots) >= self.limit:
            wait = max(wait, self._slots[0].at + self.window - now)
        return max(wait, 0.0)

    async def acquire(self) -> Slot:
        """Wait for room, then take a slot; callers are served in order."""
        async with self._lock:
            while (wait := self.delay()) > 0:
                await self._sleep(wait)
            slot = Slot(self._clock())
            self._slots.append(slot)
            return slot

    def settle(self, slot: Slot) -> None:
        """Count the slot from now, when the request's answer came back (or it failed)."""
        slot.at = max(slot.at, self._clock())
