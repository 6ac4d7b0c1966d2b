"""Transport faults the simulators share: a dropped connection and latency cut short at shutdown."""

import asyncio
import contextlib

from aiohttp import web


def drop_connection(request: web.Request) -> web.Response:
    """Close the connection without answering (the response returned is never written)."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


async def delay(latency_ms: float, released: asyncio.Event) -> None:
    """Wait latency_ms, or less when released is set (the server is stopping)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(released.wait(), latency_ms / 1000)
