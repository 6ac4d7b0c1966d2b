"""Pushes from the gateway to its configured URL (spec §2.11, §3.8).

One worker sends them in order over a shared session; a receiver that is down, slow or failing
never breaks the simulator. Every attempt is recorded for the control API.
"""

import asyncio
from collections.abc import Callable, Mapping
import json
import logging
from typing import Any

import aiohttp

from simulators.background import BackgroundTasks
from simulators.outbound import OutboundCalls

_LOGGER = logging.getLogger(__name__)
_PUSH_TIMEOUT = 10.0


class Pusher(OutboundCalls):
    """Queues push payloads and POSTs them as JSON, honouring the push_* switches."""

    def __init__(
        self,
        sn: str,
        url: str | None,
        faults: Mapping[str, Any],
        tasks: BackgroundTasks,
        *,
        retry_pause: Callable[[int], float] = lambda attempt: 0.05 * attempt,
    ) -> None:
        """Nothing is sent while url is None."""
        super().__init__(_PUSH_TIMEOUT)
        self.sn = sn
        self.url = url
        self._faults = faults
        self._tasks = tasks
        self._retry_pause = retry_pause
        self._queue: asyncio.Queue[tuple[str, str, dict[str, Any]]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.sent = 0

    def push(self, kind: str, value: list[dict[str, Any]] | dict[str, Any]) -> bool:
        """Queue `{"sn": ..., kind: value}`; False when pushes of this kind are off."""
        if self.url is None or not self._faults[f"push_{kind}"]:
            return False
        self._queue.put_nowait((self.url, kind, {"sn": self.sn, kind: value}))
        if self._worker is None or self._worker.done():
            self._worker = self._tasks.spawn(self._run())
        return True

    @property
    def pending(self) -> int:
        """Pushes queued but not yet attempted."""
        return self._queue.qsize()

    async def _run(self) -> None:
        while True:
            url, kind, payload = await self._queue.get()
            copies = 2 if self._faults["push_duplicate"] else 1
            for _ in range(copies):
                await self._deliver(url, kind, payload)

    async def _deliver(self, url: str, kind: str, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        attempts = 1 + int(self._faults["push_retries"])
        for attempt in range(1, attempts + 1):
            entry: dict[str, Any] = {"type": kind, "url": url, "payload": payload}
            entry.update(attempt=attempt, status=None, error=None)
            try:
                async with self.session.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as response:
                    await response.read()
                    entry["status"] = response.status
            except (aiohttp.ClientError, TimeoutError) as err:
                entry["error"] = type(err).__name__
                _LOGGER.debug("Push %s to the receiver failed: %s", kind, type(err).__name__)
            self.history.append(entry)
            self.sent += 1
            if entry["status"] is not None and 200 <= entry["status"] < 300:  # noqa: PLR2004
                return
            if attempt < attempts:
                await asyncio.sleep(self._retry_pause(attempt))
