"""The SMPP v3.4 PDU codec: a 16-octet header, a body of C-octet strings, octets and TLVs (§3)."""

import asyncio
from dataclasses import dataclass
import struct
from typing import Final, Self

HEADER: Final = struct.Struct(">IIII")
MIN_LENGTH: Final = HEADER.size
MAX_LENGTH: Final = 64 * 1024
_TLV_HEAD: Final = struct.Struct(">HH")


class MalformedPdu(Exception):  # noqa: N818 (what the peer sent, not our error)
    """A header or body that does not follow the spec."""


@dataclass(frozen=True)
class Pdu:
    """One PDU: its header fields and raw body."""

    command_id: int
    status: int
    sequence: int
    body: bytes = b""

    def encode(self) -> bytes:
        """Header (command_length counts itself) followed by the body."""
        length = HEADER.size + len(self.body)
        return HEADER.pack(length, self.command_id, self.status, self.sequence) + self.body


async def read_pdu(reader: asyncio.StreamReader) -> Pdu:
    """Read one PDU; MalformedPdu for a command_length under 16 or over 64 KiB."""
    length = int.from_bytes(await reader.readexactly(4))
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise MalformedPdu(f"command_length {length}")
    rest = await reader.readexactly(length - 4)
    command_id, status, sequence = struct.unpack(">III", rest[:12])
    return Pdu(command_id, status, sequence, rest[12:])


class BodyReader:
    """Reads a body field by field; running past its end raises MalformedPdu."""

    def __init__(self, body: bytes) -> None:
        """Start at the first octet."""
        self._body = body
        self._at = 0

    def c_string(self, max_octets: int) -> str:
        """Read a NUL-terminated string of at most max_octets octets, NUL included."""
        end = self._body.find(b"\x00", self._at, self._at + max_octets)
        if end < 0:
            raise MalformedPdu("C-octet string without its NUL")
        text = self._body[self._at : end].decode("latin-1")
        self._at = end + 1
        return text

    def octet(self) -> int:
        """One unsigned octet."""
        return self.octets(1)[0]

    def octets(self, count: int) -> bytes:
        """Exactly count octets."""
        if self._at + count > len(self._body):
            raise MalformedPdu("body ends too early")
        chunk = self._body[self._at : self._at + count]
        self._at += count
        return chunk

    def tlvs(self) -> dict[int, bytes]:
        """Read the optional parameters left in the body: tag -> value."""
        found: dict[int, bytes] = {}
        while self._at < len(self._body):
            tag, length = _TLV_HEAD.unpack(self.octets(_TLV_HEAD.size))
            found[tag] = self.octets(length)
        return found


class BodyWriter:
    """Builds a body field by field."""

    def __init__(self) -> None:
        """Start empty."""
        self._parts: list[bytes] = []

    def c_string(self, text: str) -> Self:
        """Text and its NUL."""
        self._parts.append(text.encode("latin-1") + b"\x00")
        return self

    def octet(self, value: int) -> Self:
        """One unsigned octet."""
        self._parts.append(bytes([value]))
        return self

    def octets(self, data: bytes) -> Self:
        """Raw octets."""
        self._parts.append(data)
        return self

    def tlv(self, tag: int, value: bytes) -> Self:
        """One optional parameter."""
        self._parts.append(_TLV_HEAD.pack(tag, len(value)) + value)
        return self

    def build(self) -> bytes:
        """Return the body so far."""
        return b"".join(self._parts)
