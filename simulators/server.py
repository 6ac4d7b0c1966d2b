"""Serve an aiohttp app on a host and port (0 = any free one) and stop it cleanly."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import ssl
from typing import Any

from aiohttp import web

# Shutdown waits this long for requests still in a handler before cancelling them.
_SHUTDOWN_TIMEOUT = 1.0


@dataclass
class RunningServer:
    """A started server: where it listens, and how to stop it."""

    url: str
    port: int
    runner: web.AppRunner

    async def stop(self) -> None:
        """Close the listener and connections, then run the app's shutdown and cleanup."""
        await self.runner.cleanup()


def on_shutdown(app: web.Application, hook: Callable[[web.Application], Awaitable[None]]) -> None:
    """Run hook when the app starts shutting down, before cleanup (to release held requests).

    The signal is reached untyped: its declared type differs between the aiohttp and aiosignal
    releases of the two Home Assistant legs, and the hook is what both call at run time.
    """
    signal: Any = app.on_shutdown
    signal.append(hook)


async def serve(
    app: web.Application,
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_context: ssl.SSLContext | None = None,
) -> RunningServer:
    """Start app and return once it accepts connections."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=ssl_context)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound_port = int(runner.addresses[0][1])
    scheme = "https" if ssl_context is not None else "http"
    url_host = f"[{host}]" if ":" in host else host
    return RunningServer(url=f"{scheme}://{url_host}:{bound_port}", port=bound_port, runner=runner)
