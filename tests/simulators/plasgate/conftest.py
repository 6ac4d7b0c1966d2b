"""Fixtures for the Plasgate simulator: a bare HTTP client, and a raw SMPP client for the tests.

The raw SMPP client packs its PDUs with struct by hand, not with the simulator's codec, so a
codec bug cannot hide itself.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import ssl
import struct

import httpx
import pytest

from tests.conftest import RunningPlasgate

BIND_TRANSCEIVER, BIND_RECEIVER, BIND_TRANSMITTER = 0x09, 0x01, 0x02
SUBMIT_SM, DELIVER_SM, DELIVER_SM_RESP = 0x04, 0x05, 0x80000005
ENQUIRE_LINK, UNBIND, GENERIC_NACK = 0x15, 0x06, 0x80000000
WAIT_S = 3.0  # how long the raw client waits for a PDU or a close


@pytest.fixture
async def api(plasgate_simulator: RunningPlasgate) -> AsyncIterator[httpx.AsyncClient]:
    """httpx pointed at the simulator."""
    async with httpx.AsyncClient(base_url=plasgate_simulator.url, timeout=5) as client:
        yield client


def c_string(text: str) -> bytes:
    return text.encode("latin-1") + b"\x00"


def submit_body(
    to: str = "85512345678",
    message: bytes = b"hello",
    *,
    sender: str = "SMS Info",
    data_coding: int = 0,
    esm_class: int = 0,
    registered_delivery: int = 0,
    tlvs: bytes = b"",
) -> bytes:
    return (
        c_string("") + bytes([5, 0]) + c_string(sender) + bytes([1, 1]) + c_string(to)
        + bytes([esm_class, 0, 0]) + c_string("") + c_string("")
        + bytes([registered_delivery, 0, data_coding, 0, len(message)]) + message + tlvs
    )  # fmt: skip


def parse_deliver_sm(body: bytes) -> dict[str, object]:
    """The fields of a deliver_sm body the tests look at."""
    at = 0

    def c_str() -> str:
        nonlocal at
        end = body.index(b"\x00", at)
        text = body[at:end].decode("latin-1")
        at = end + 1
        return text

    c_str()
    at += 2
    source = c_str()
    at += 2
    destination = c_str()
    esm_class, data_coding_at = body[at], None
    at += 3
    c_str()
    c_str()
    at += 2
    data_coding_at = at
    at += 2
    length = body[at]
    short_message = body[at + 1 : at + 1 + length]
    at += 1 + length
    tlvs: dict[int, bytes] = {}
    while at < len(body):
        tag, size = struct.unpack(">HH", body[at : at + 4])
        tlvs[tag] = body[at + 4 : at + 4 + size]
        at += 4 + size
    return {
        "source": source,
        "destination": destination,
        "esm_class": esm_class,
        "data_coding": body[data_coding_at],
        "short_message": short_message,
        "tlvs": tlvs,
    }


class RawSmpp:
    """A hand-rolled SMPP client: write PDUs, read PDUs, see the connection end."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self._sequence = 0

    async def send(self, command_id: int, body: bytes = b"", *, status: int = 0, seq: int = 0):
        if not seq:
            self._sequence += 1
            seq = self._sequence
        self.writer.write(struct.pack(">IIII", 16 + len(body), command_id, status, seq) + body)
        await self.writer.drain()
        return seq

    async def read(self) -> tuple[int, int, int, bytes]:
        """(command_id, command_status, sequence_number, body)."""
        head = await asyncio.wait_for(self.reader.readexactly(16), WAIT_S)
        length, command_id, status, seq = struct.unpack(">IIII", head)
        body = await asyncio.wait_for(self.reader.readexactly(length - 16), WAIT_S)
        return command_id, status, seq, body

    async def request(self, command_id: int, body: bytes = b"") -> tuple[int, int, int, bytes]:
        """Send and read the next PDU (the answer, when nothing else is in flight)."""
        await self.send(command_id, body)
        return await self.read()

    async def bind(
        self,
        command_id: int = BIND_TRANSCEIVER,
        system_id: str = "demo",
        password: str = "demo",  # noqa: S107 (the simulator's default)
    ) -> tuple[int, int, int, bytes]:
        body = c_string(system_id) + c_string(password) + c_string("") + b"\x34\x00\x00"
        return await self.request(command_id, body + c_string(""))

    async def submit(self, **fields) -> tuple[int, int, int, bytes]:
        return await self.request(SUBMIT_SM, submit_body(**fields))

    async def silent_for(self, seconds: float) -> bool:
        """Whether nothing at all (no PDU, no close) arrives for seconds."""
        try:
            await asyncio.wait_for(self.reader.read(1), seconds)
        except TimeoutError:
            return True
        return False

    async def closed_by_server(self) -> bool:
        """Whether the server closes the connection (what is still in flight is read away)."""
        try:
            while await asyncio.wait_for(self.reader.read(4096), WAIT_S):
                pass
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return True


Connect = Callable[..., Awaitable[RawSmpp]]


@pytest.fixture
async def smpp(plasgate_smpp_simulator: RunningPlasgate) -> AsyncIterator[Connect]:
    """Open raw SMPP connections to the simulator; all are closed after the test."""
    opened: list[RawSmpp] = []

    async def connect(ssl_context: ssl.SSLContext | None = None) -> RawSmpp:
        address = plasgate_smpp_simulator.sim.smpp.address
        assert address is not None
        reader, writer = await asyncio.open_connection(*address, ssl=ssl_context)
        client = RawSmpp(reader, writer)
        opened.append(client)
        return client

    yield connect
    for client in opened:
        client.writer.transport.abort()
