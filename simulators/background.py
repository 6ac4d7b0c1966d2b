"""Background tasks the simulators own, so shutdown can cancel every one of them."""

import asyncio
from collections.abc import Coroutine
import logging
from typing import Any

_LOGGER = logging.getLogger(__name__)


class BackgroundTasks:
    """A set of fire-and-forget tasks that are all cancelled and awaited on close."""

    def __init__(self) -> None:
        """Start empty."""
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run coro in the background; a crash is logged, never lost silently."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        return task

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _LOGGER.error("Simulator background task failed", exc_info=task.exception())

    def __len__(self) -> int:
        """How many tasks are still running."""
        return len(self._tasks)

    async def aclose(self) -> None:
        """Cancel everything still running and wait until it has stopped."""
        while self._tasks:
            pending = list(self._tasks)
            self._tasks.difference_update(pending)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
