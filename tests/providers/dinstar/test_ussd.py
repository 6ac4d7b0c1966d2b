"""ussd_exchange: one session per port, reply by polling or by push, always cancelled at the end."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.errors import (
    PortBusyError,
    PortNotRegisteredError,
    ProviderTimeoutError,
)
from simulators.dinstar.settings import DinstarSettings

from ..conftest import SimControl


async def ussd_commands(sim: SimControl) -> list[tuple[str, list[int]]]:
    """(command, ports) of every send_ussd the gateway processed, in order."""
    return [
        (e["body"]["command"], e["body"]["port"])
        for e in await sim.log("/api/send_ussd")
        if e["status"] == 200
    ]


async def test_reply_by_polling(client: DinstarClient, sim: SimControl) -> None:
    reply = await client.ussd_exchange(2, "*100#", timeout=5, poll_interval=0.05)
    assert reply == "Solde: 27.00 DH. Valable jusqu'au 2026-12-31"
    assert await ussd_commands(sim) == [("cancel", [2]), ("send", [2]), ("cancel", [2])]
    assert await sim.handled("/api/query_ussd_reply") >= 1
    assert (await sim.state())["ussd"]["sessions"] == {}


@pytest.fixture
async def push_receiver(
    client: DinstarClient, sim: SimControl, socket_enabled: None
) -> AsyncIterator[list[dict[str, Any]]]:
    """A webhook that hands `ussd` pushes to the client, as the integration's webhook does."""
    received: list[dict[str, Any]] = []

    async def handle(request: web.Request) -> web.Response:
        payload = await request.json()
        received.append(payload)
        for item in payload.get("ussd", []):
            client.deliver_ussd_reply(item["port"], item["text"])
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/push", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    await sim.push_url(str(server.make_url("/push")))
    yield received
    await sim.push_url(None)
    await server.close()


async def test_reply_by_push(
    client: DinstarClient, sim: SimControl, push_receiver: list[dict[str, Any]]
) -> None:
    await sim.ussd_reply("Pushed balance 3.14", code="*123#")
    # A poll interval longer than the timeout: only the push can answer in time.
    reply = await client.ussd_exchange(0, "*123#", timeout=5, poll_interval=60)
    assert reply == "Pushed balance 3.14"
    assert await sim.handled("/api/query_ussd_reply") == 0
    assert any("ussd" in push for push in push_receiver)
    assert (await ussd_commands(sim))[-1] == ("cancel", [0])


def test_deliver_without_waiter_is_ignored(client: DinstarClient) -> None:
    assert client.deliver_ussd_reply(0, "nobody asked") is False


async def test_busy_port(client: DinstarClient, sim: SimControl) -> None:
    await sim.port(1, busy=True)
    with pytest.raises(PortBusyError) as caught:
        await client.ussd_exchange(1, "*100#", timeout=5, poll_interval=0.05)
    assert caught.value.code == 486
    assert await ussd_commands(sim) == [("cancel", [1]), ("send", [1]), ("cancel", [1])]


async def test_unregistered_port(client: DinstarClient, sim: SimControl) -> None:
    with pytest.raises(PortNotRegisteredError) as caught:
        await client.ussd_exchange(6, "*100#", timeout=5, poll_interval=0.05)
    assert caught.value.code == 503
    assert (await ussd_commands(sim))[-1] == ("cancel", [6])


class TestSlowReplies:
    @pytest.fixture
    def dinstar_settings(self) -> DinstarSettings:
        return DinstarSettings(ussd_delay=0.4)

    async def test_two_ports_in_parallel(self, client: DinstarClient, sim: SimControl) -> None:
        await sim.ussd_reply("port zero", port=0)
        await sim.ussd_reply("port one", port=1)
        replies = list(
            await asyncio.gather(
                client.ussd_exchange(0, "*100#", timeout=5, poll_interval=0.05),
                client.ussd_exchange(1, "*100#", timeout=5, poll_interval=0.05),
            )
        )
        assert replies == ["port zero", "port one"]
        commands = [command for command, _ in await ussd_commands(sim)]
        # Both sends went out before either session ended: the waits overlapped.
        assert commands.index("cancel", commands.index("send") + 1) > max(
            i for i, command in enumerate(commands) if command == "send"
        )

    async def test_same_port_serialised(self, client: DinstarClient, sim: SimControl) -> None:
        await sim.ussd_reply("balance A", code="*100#")
        await sim.ussd_reply("bundle B", code="*101#")
        replies = list(
            await asyncio.gather(
                client.ussd_exchange(3, "*100#", timeout=5, poll_interval=0.05),
                client.ussd_exchange(3, "*101#", timeout=5, poll_interval=0.05),
            )
        )
        assert replies == ["balance A", "bundle B"]
        assert await ussd_commands(sim) == [
            ("cancel", [3]),
            ("send", [3]),
            ("cancel", [3]),
            ("cancel", [3]),
            ("send", [3]),
            ("cancel", [3]),
        ]

    async def test_no_reply_in_time(self, client: DinstarClient, sim: SimControl) -> None:
        with pytest.raises(ProviderTimeoutError):
            await client.ussd_exchange(4, "*100#", timeout=0.2, poll_interval=0.05)
        assert (await ussd_commands(sim))[-1] == ("cancel", [4])
        assert (await sim.state())["ussd"]["sessions"] == {}
        # The lock was released: the port is usable again.
        assert await client.ussd_exchange(4, "*100#", timeout=5, poll_interval=0.05)
