"""What the simulators' calls out (Dinstar pushes, SMSLink and Plasgate callbacks) share.

One client session, opened at the first call and closed at shutdown, and a bounded record of
every attempt for the control API.
"""

from collections import deque
from typing import Any

import aiohttp

HISTORY_SIZE = 1000


class OutboundCalls:
    """A lazily opened client session and the history of attempts made with it."""

    def __init__(self, timeout: float) -> None:
        """Every call gives up after timeout seconds."""
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self.history: deque[dict[str, Any]] = deque(maxlen=HISTORY_SIZE)

    @property
    def session(self) -> aiohttp.ClientSession:
        """The shared session, opened on first use (inside the running loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def aclose(self) -> None:
        """Close the shared session (the calls are cancelled with the other tasks)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
