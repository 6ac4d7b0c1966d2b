"""Client-side throttle for Plasgate's per-minute limits, which also obeys the service's 429s.

Sends are never dropped, only delayed: a request waits until the sliding window has room and
until any pause the service asked for has passed.
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
import time
from typing import Final

WINDOW_S: Final = 60.0
SEND_PER_MINUTE: Final = 200
BATCH_PER_MINUTE: Final = 100


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
        self._starts: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Hold every acquisition for seconds from now (the service answered 429)."""
        self._paused_until = max(self._paused_until, self._clock() + max(seconds, 0.0))

    def delay(self) -> float:
        """Seconds until an acquisition could go through now (0 when it can)."""
        now = self._clock()
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()
        wait = self._paused_until - now
        if len(self._starts) >= self.limit:
            wait = max(wait, self._starts[0] + self.window - now)
        return max(wait, 0.0)

    async def acquire(self) -> None:
        """Wait for room, then take a slot; callers are served in order."""
        async with self._lock:
            while (wait := self.delay()) > 0:
                await self._sleep(wait)
            self._starts.append(self._clock())
