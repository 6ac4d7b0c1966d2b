"""Fixtures for the Dinstar simulator: Digest and bare clients, the simulator, a push receiver."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
import httpx
import pytest

from simulators.server import serve
from tests.conftest import RunningDinstar
from tests.simulators.conftest import wait_until


@pytest.fixture
async def api(dinstar_simulator: RunningDinstar) -> AsyncIterator[httpx.AsyncClient]:
    """httpx with its own Digest implementation, pointed at the simulator."""
    async with httpx.AsyncClient(
        base_url=dinstar_simulator.url, auth=httpx.DigestAuth("admin", "admin"), timeout=5
    ) as client:
        yield client


@pytest.fixture
async def raw(dinstar_simulator: RunningDinstar) -> AsyncIterator[httpx.AsyncClient]:
    """httpx without credentials (for challenges and the control API)."""
    async with httpx.AsyncClient(base_url=dinstar_simulator.url, timeout=5) as client:
        yield client


@pytest.fixture
def sim(dinstar_simulator: RunningDinstar) -> Any:
    """The simulator object behind the fixture server."""
    return dinstar_simulator.sim


@dataclass
class PushReceiver:
    """A tiny webhook: records every JSON body, answers statuses from a script."""

    url: str = ""
    received: list[Any] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    content_type: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        self.content_type = request.content_type
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    def of(self, kind: str) -> list[Any]:
        return [body[kind] for body in self.received if kind in body]

    async def wait_for(self, kind: str, count: int = 1) -> list[Any]:
        await wait_until(lambda: len(self.of(kind)) >= count)
        return self.of(kind)


@pytest.fixture
async def receiver(
    socket_enabled: None, dinstar_simulator: RunningDinstar
) -> AsyncIterator[PushReceiver]:
    """A push receiver on 127.0.0.1, already set as the simulator's push URL."""
    receiver = PushReceiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    server = await serve(app)
    receiver.url = f"{server.url}/hook"
    dinstar_simulator.sim.pusher.url = receiver.url
    try:
        yield receiver
    finally:
        await server.stop()
