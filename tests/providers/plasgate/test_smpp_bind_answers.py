"""Answers to a bind that no server should send: the link names them and keeps trying.

The simulator answers binds correctly or not at all; these few bytes are what it cannot play, so
a listener here writes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import struct

import pytest

from custom_components.sms_gateway.providers.errors import ProviderConnectionError
from custom_components.sms_gateway.providers.plasgate.smpp import (
    IncomingMemory,
    LinkState,
    SmppLink,
    SmppSettings,
    check_login,
)
from tests.integration.cloud_setups import wait_until

from .smpp_setups import Listener


@contextlib.asynccontextmanager
async def answering(reply: Callable[[int], bytes]) -> AsyncIterator[tuple[str, int]]:
    """A listener that reads one bind and writes reply(sequence), then closes."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readexactly(16)
        length, _, _, sequence = struct.unpack("!IIII", head)
        await reader.readexactly(length - 16)
        writer.write(reply(sequence))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[:2]
    finally:
        server.close()
        await server.wait_closed()


def settings(address: tuple[str, int]) -> SmppSettings:
    host, port = address
    return SmppSettings(
        host=host,
        port=port,
        system_id="demo",
        password="demo",
        response_timeout=1.0,
        reconnect_delays=(0.05, 0.1),
    )


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (lambda sequence: struct.pack("!IIII", 8, 0x80000009, 0, sequence), "PDU of 8 octets"),
        (lambda sequence: struct.pack("!IIII", 16, 0x80000000, 3, sequence), "answered a bind"),
        (
            lambda sequence: struct.pack("!IIII", 17, 0x80000009, 8, sequence) + b"\0",
            "ESME_RSYSERR",
        ),
        (lambda sequence: struct.pack("!IIII", 17, 0x80000009, 0, sequence)[:10], "dropped"),
    ],
    ids=["bad-length", "generic-nack", "system-error", "cut-short"],
)
async def test_a_bad_bind_answer_is_an_error_not_a_crash(
    socket_enabled: None, reply: Callable[[int], bytes], said: str
) -> None:
    async with answering(reply) as address:
        with pytest.raises(ProviderConnectionError, match=said):
            await check_login(settings(address))
        listener = Listener()
        link = SmppLink(settings(address), listener, IncomingMemory())
        task = asyncio.create_task(link.run())
        await wait_until(lambda: listener.states.count(LinkState.CONNECTING) >= 2)
        assert not task.done()
        await link.stop()
        await asyncio.wait_for(task, 5)
    assert LinkState.BOUND not in listener.states
