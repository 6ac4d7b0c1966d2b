"""The aiohttp app every simulator serves: control routes first, and a shutdown that stops it all.

At shutdown, requests a fault holds back are released first (so no handler outlives the server);
at cleanup, every background task is cancelled and the session for outbound calls is closed.
"""

from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from simulators.background import BackgroundTasks
from simulators.control import ControlApi
from simulators.outbound import OutboundCalls
from simulators.server import on_shutdown


def _nothing() -> None:
    """Start with nothing to reset."""


def simulator_app(
    control: ControlApi[Any],
    *,
    tasks: BackgroundTasks,
    outbound: OutboundCalls,
    release: Callable[[], None],
    start: Callable[[], None] = _nothing,
) -> web.Application:
    """Make an app with the control routes; add the API routes after them (catch-alls last)."""
    app = web.Application()
    control.add_routes(app)

    async def release_held(_app: web.Application) -> None:
        release()

    async def run_then_stop(_app: web.Application) -> AsyncIterator[None]:
        start()
        yield
        await tasks.aclose()
        await outbound.aclose()

    on_shutdown(app, release_held)
    app.cleanup_ctx.append(run_then_stop)
    return app
