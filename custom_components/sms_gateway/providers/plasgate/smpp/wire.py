"""SMPP v3.4 framing: the 16-octet header, read off the stream without trusting it.

aiosmpplib builds and reads the PDU bodies; the header is read here because a server may send a
command id or a status that library has no name for, and that must not end the session.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import IntEnum
import struct
from typing import Final

from aiosmpplib.state import SmppCommandStatus

HEADER: Final = struct.Struct("!IIII")
MAX_PDU: Final = 64 * 1024 + 1024
"""The largest PDU read: a message_payload carries at most 64 KiB, plus the fields around it.
A longer (or shorter than a header) command_length cannot be a PDU, and the stream cannot be
read past it: the session ends."""
RESPONSE_BIT: Final = 0x80000000


class Command(IntEnum):
    """The commands an ESME bound as a transceiver sends or receives."""

    BIND_TRANSCEIVER = 0x00000009
    SUBMIT_SM = 0x00000004
    DELIVER_SM = 0x00000005
    UNBIND = 0x00000006
    ENQUIRE_LINK = 0x00000015
    GENERIC_NACK = 0x80000000


class Status(IntEnum):
    """The command statuses the link acts on; others are named, not acted on."""

    OK = 0x00000000
    INVALID_COMMAND = 0x00000003
    BIND_FAILED = 0x0000000D
    INVALID_PASSWORD = 0x0000000E
    INVALID_SYSTEM_ID = 0x0000000F
    QUEUE_FULL = 0x00000014
    THROTTLED = 0x00000058
    TEMPORARY_APP_ERROR = 0x00000064
    PERMANENT_APP_ERROR = 0x00000065


REFUSED_LOGIN: Final = frozenset(
    {Status.BIND_FAILED, Status.INVALID_PASSWORD, Status.INVALID_SYSTEM_ID}
)
SLOW_DOWN: Final = frozenset({Status.THROTTLED, Status.QUEUE_FULL})
"""Refusals that mean "not now": the message was not taken and may be submitted again."""


class FramingError(Exception):
    """The stream holds something that is not a PDU; nothing after it can be read."""


@dataclass(frozen=True, slots=True)
class Header:
    """The four header fields, as raw integers."""

    length: int
    command_id: int
    status: int
    sequence: int

    @property
    def is_response(self) -> bool:
        """Whether this PDU answers one of ours (generic_nack included)."""
        return bool(self.command_id & RESPONSE_BIT)


def status_name(status: int) -> str:
    """Name a command status as SMPP does (ESME_RTHROTTLED), or by its hex code."""
    try:
        return SmppCommandStatus(status).name
    except ValueError:
        return f"0x{status:08X}"


async def read_pdu(reader: asyncio.StreamReader) -> tuple[Header, bytes]:
    """Read one whole PDU; raise FramingError for a length no PDU has, EOF errors at the end."""
    head = await reader.readexactly(HEADER.size)
    header = Header(*HEADER.unpack(head))
    if not HEADER.size <= header.length <= MAX_PDU:
        raise FramingError(f"a PDU of {header.length} octets")
    return header, head + await reader.readexactly(header.length - HEADER.size)


def response(command_id: int, sequence: int, status: int = Status.OK, body: bytes = b"") -> bytes:
    """Build the response PDU to a request of the server's (deliver_sm, enquire_link...)."""
    return HEADER.pack(HEADER.size + len(body), command_id | RESPONSE_BIT, status, sequence) + body


def with_sequence(pdu: bytes, sequence: int) -> bytes:
    """Put our sequence number in a PDU (aiosmpplib packs a placeholder)."""
    return pdu[:12] + struct.pack("!I", sequence) + pdu[16:]
