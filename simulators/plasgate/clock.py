"""The simulator's clock, which tests advance instead of waiting (spec §3.8)."""

import asyncio
from datetime import UTC, datetime, timedelta
import time

_POLL = 0.02


class SimClock:
    """Real time plus an offset that the control API can push forward."""

    def __init__(self) -> None:
        """Start at real time."""
        self.offset = 0.0

    def monotonic(self) -> float:
        """Seconds for rate windows and delays."""
        return time.monotonic() + self.offset

    def utcnow(self) -> datetime:
        """Wall-clock time for `schedule_at`."""
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def advance(self, seconds: float) -> None:
        """Jump forward; sleepers notice within a poll interval."""
        self.offset += seconds

    async def sleep_until(self, deadline: float) -> None:
        """Sleep until monotonic() reaches deadline, waking early when the clock is advanced."""
        left = deadline - self.monotonic()
        while left > 0:
            await asyncio.sleep(min(left, _POLL))
            left = deadline - self.monotonic()
