"""Per-minute sliding-window rate limits (spec §3.2): 200 for sends, 100 for batch sends."""

from collections import defaultdict, deque
from typing import Final

from simulators.plasgate.clock import SimClock

WINDOW_S: Final = 60.0
SEND_LIMIT: Final = 200
BATCH_LIMIT: Final = 100


class RateLimiter:
    """Counts requests per (bucket, scope key) in the last minute."""

    def __init__(self, clock: SimClock) -> None:
        """Windows are read on clock, so advancing it empties them."""
        self._clock = clock
        self._hits: defaultdict[tuple[str, str], deque[float]] = defaultdict(deque)

    def allow(self, bucket: str, key: str, limit: int) -> bool:
        """Record a request unless `limit` were already made in the window."""
        now = self._clock.monotonic()
        hits = self._hits[bucket, key]
        while hits and hits[0] <= now - WINDOW_S:
            hits.popleft()
        if len(hits) >= limit:
            return False
        hits.append(now)
        return True

    def counts(self) -> dict[str, int]:
        """Count the requests in each window, for the control API."""
        now = self._clock.monotonic()
        return {
            f"{bucket}:{key}": sum(1 for hit in hits if hit > now - WINDOW_S)
            for (bucket, key), hits in self._hits.items()
        }

    def reset(self) -> None:
        """Forget every window."""
        self._hits.clear()
