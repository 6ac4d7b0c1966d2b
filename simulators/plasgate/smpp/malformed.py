"""The broken PDUs the `smpp_malformed` switch writes, to see how a client copes."""

from typing import Final

from simulators.plasgate.smpp.codes import Command
from simulators.plasgate.smpp.pdu import HEADER, Pdu

MALFORMED_KINDS: Final = ("", "length", "command", "deliver_body")
UNKNOWN_COMMAND: Final = 0x00000999


def malformed_pdu(kind: str, sequence: int) -> bytes:
    """length: a header claiming 8 octets; command: an unknown id; deliver_body: cut mid-string."""
    if kind == "length":
        return HEADER.pack(8, Command.ENQUIRE_LINK, 0, sequence)
    if kind == "command":
        return Pdu(UNKNOWN_COMMAND, 0, sequence).encode()
    if kind == "deliver_body":
        # service_type "", source ton/npi, then source_addr without its NUL, and nothing after.
        return Pdu(Command.DELIVER_SM, 0, sequence, b"\x00\x01\x0185512").encode()
    raise ValueError(f"unknown malformed kind {kind!r}")
