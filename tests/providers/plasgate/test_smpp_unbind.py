"""What comes while we unbind is not taken: the server keeps it for the next bind.

The simulator drops a deliver_sm in flight when it reads an unbind, as Jasmin's SMPP stack does;
SMPP v3.4 also lets a server read the answers still owed before it answers the unbind. This
listener plays that server, which the simulator does not.
"""

from __future__ import annotations

import asyncio
import struct

from custom_components.sms_gateway.providers.plasgate.smpp import SmppSettings, check_login
from custom_components.sms_gateway.providers.plasgate.smpp.wire import (
    RESPONSE_BIT,
    Command,
    Status,
)

from .test_smpp_deliveries import deliver_sm


async def read(reader: asyncio.StreamReader) -> tuple[int, int, int]:
    """Read one PDU: its command id, status and sequence."""
    length, command, status, sequence = struct.unpack("!IIII", await reader.readexactly(16))
    await reader.readexactly(length - 16)
    return command, status, sequence


def header(command: int, sequence: int, body: bytes = b"") -> bytes:
    return struct.pack("!IIII", 16 + len(body), command, 0, sequence) + body


async def test_a_login_check_takes_no_sms_the_server_writes(socket_enabled: None) -> None:
    answers: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _, _, bind = await read(reader)
        writer.write(header(Command.BIND_TRANSCEIVER | RESPONSE_BIT, bind, b"smsc\0"))
        writer.write(deliver_sm(b"Held for the account", sequence=1))  # what it holds, at once
        unbind = None
        while unbind is None or not answers:  # the unbind, and the answer still owed
            command, status, sequence = await read(reader)
            if command == Command.DELIVER_SM | RESPONSE_BIT:
                answers.append(status)
            elif command == Command.UNBIND:
                unbind = sequence
        writer.write(header(Command.UNBIND | RESPONSE_BIT, unbind))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        settings = SmppSettings(
            host=host, port=port, system_id="demo", password="demo", response_timeout=2.0
        )
        await asyncio.wait_for(check_login(settings), 5)
    finally:
        server.close()
        await server.wait_closed()
    assert answers == [Status.TEMPORARY_APP_ERROR]
