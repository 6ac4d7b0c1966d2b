"""Fixtures for the provider clients: an HTTP session, the Dinstar client, simulator steering.

`dinstar_simulator` (tests/conftest.py) is the real simulator; `odd_gateway` is a tiny scripted
server for the few wire behaviours the simulator does not play (a Basic-only server, a body that
is not JSON, a single spurious refusal).
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient

Responder = Callable[[web.Request, bytes], Awaitable[web.StreamResponse]]


class SimControl:
    """The simulator's /_sim/ control API, as a test reads it."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self._session = session
        self.url = url

    async def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self._session.post(f"{self.url}/_sim/{path}", json=body or {}) as response:
            data = await response.json()
            assert response.status == 200, data
            return data

    async def state(self) -> dict[str, Any]:
        async with self._session.get(f"{self.url}/_sim/state") as response:
            assert response.status == 200
            return dict(await response.json())

    async def faults(self, **switches: Any) -> None:
        await self._post("faults", switches)

    async def port(self, index: int, **fields: Any) -> None:
        await self._post(f"ports/{index}", fields)

    async def incoming(self, port: int, sender: str, text: str) -> int:
        data = await self._post("incoming", {"port": port, "sender": sender, "text": text})
        return int(data["incoming_sms_id"])

    async def ussd_reply(
        self, text: str, *, code: str | None = None, port: int | None = None
    ) -> None:
        body: dict[str, Any] = {"text": text}
        if code is not None:
            body["code"] = code
        if port is not None:
            body["port"] = port
        await self._post("ussd-replies", body)

    async def push_url(self, url: str | None) -> None:
        await self._post("push-url", {"url": url})

    async def push(self, kind: str, body: dict[str, Any]) -> None:
        await self._post(f"push/{kind}", body)

    async def expire_nonces(self) -> None:
        await self._post("expire-nonces")

    async def reset_requests(self) -> None:
        await self._post("requests-reset")

    async def log(self, path: str | None = None) -> list[dict[str, Any]]:
        """Requests the gateway received (401s and drops included), oldest first."""
        entries = (await self.state())["requests"]["log"]
        return [entry for entry in entries if path is None or entry["path"] == path]

    async def handled(self, path: str) -> int:
        """Requests to path that passed authentication and reached the endpoint."""
        return int((await self.state())["requests"]["handled"].get(path, 0))


def fault_from_the_second_send(
    client: DinstarClient, sim: SimControl, monkeypatch: pytest.MonkeyPatch, **switches: Any
) -> None:
    """Let the client's first send_sms request through; just before its second, switch the
    simulator's faults on: a later request of one send failing, after the first was queued."""
    original = client.send_sms
    calls = 0

    async def faulty_from_the_second(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            await sim.faults(**switches)
        return await original(*args, **kwargs)

    monkeypatch.setattr(client, "send_sms", faulty_from_the_second)


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def sim(dinstar_simulator: Any, http_session: aiohttp.ClientSession) -> SimControl:
    return SimControl(http_session, dinstar_simulator.url)


@pytest.fixture
def client(dinstar_simulator: Any, http_session: aiohttp.ClientSession) -> DinstarClient:
    return DinstarClient(http_session, dinstar_simulator.url, "admin", "admin", timeout=5.0)


@dataclass
class OddGateway:
    """A scripted server: `responder` answers every request; `seen` records them."""

    url: str
    responder: Responder | None = None
    seen: list[dict[str, Any]] = field(default_factory=list)

    def client(self, session: aiohttp.ClientSession, responder: Responder) -> DinstarClient:
        """A Dinstar client (admin/admin) of this server, which now answers as `responder`."""
        self.responder = responder
        return DinstarClient(session, self.url, "admin", "admin")


type OddClient = Callable[[Responder], DinstarClient]


@pytest.fixture
def odd_client(odd_gateway: OddGateway, http_session: aiohttp.ClientSession) -> OddClient:
    """A Dinstar client of the scripted server, which from then on answers as told."""
    return partial(odd_gateway.client, http_session)


@pytest.fixture
async def odd_gateway(socket_enabled: None) -> AsyncIterator[OddGateway]:
    gateway = OddGateway(url="")

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        gateway.seen.append(
            {
                "method": request.method,
                "path_qs": request.raw_path,
                "authorization": request.headers.get("Authorization"),
                "body": body,
            }
        )
        assert gateway.responder is not None
        return await gateway.responder(request, body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    gateway.url = str(server.make_url("")).rstrip("/")
    yield gateway
    await server.close()
