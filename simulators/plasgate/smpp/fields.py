"""The bodies the simulator reads (bind, submit_sm) and writes (deliver_sm): SMPP v3.4 §4."""

from dataclasses import dataclass, field
from typing import Final

from simulators.plasgate.smpp.pdu import BodyReader, BodyWriter

MESSAGE_PAYLOAD: Final = 0x0424
RECEIPTED_MESSAGE_ID: Final = 0x001E
MESSAGE_STATE: Final = 0x0427
SC_INTERFACE_VERSION: Final = 0x0210
TON_UNKNOWN, TON_INTERNATIONAL, TON_ALPHANUMERIC, NPI_ISDN = 0, 1, 5, 1
SHORT_CODE_DIGITS = 6  # a short code is no international number


@dataclass(frozen=True)
class Bind:
    """What a bind_* asks for (system_type and the address range are read, not used)."""

    system_id: str
    password: str


def read_bind(body: bytes) -> Bind:
    """system_id, password, system_type, interface_version, addr_ton, addr_npi, address_range."""
    reader = BodyReader(body)
    bind = Bind(reader.c_string(16), reader.c_string(9))
    reader.c_string(13)
    reader.octets(3)
    reader.c_string(41)
    return bind


@dataclass(frozen=True)
class SubmitSm:
    """The submit_sm fields the simulator checks and records."""

    source_addr: str
    destination_addr: str
    esm_class: int
    registered_delivery: int
    data_coding: int
    short_message: bytes
    tlvs: dict[int, bytes] = field(default_factory=dict)

    @property
    def message(self) -> bytes:
        """short_message, or the message_payload TLV when that carries the message."""
        return self.tlvs.get(MESSAGE_PAYLOAD, self.short_message)


def read_submit_sm(body: bytes) -> SubmitSm:
    """Read every mandatory field in order, then the TLVs."""
    reader = BodyReader(body)
    reader.c_string(6)  # service_type
    reader.octets(2)  # source_addr_ton, source_addr_npi
    source = reader.c_string(21)
    reader.octets(2)  # dest_addr_ton, dest_addr_npi
    destination = reader.c_string(21)
    esm_class = reader.octet()
    reader.octets(2)  # protocol_id, priority_flag
    reader.c_string(17)  # schedule_delivery_time
    reader.c_string(17)  # validity_period
    registered_delivery = reader.octet()
    reader.octet()  # replace_if_present_flag
    data_coding = reader.octet()
    reader.octet()  # sm_default_msg_id
    short_message = reader.octets(reader.octet())
    return SubmitSm(
        source, destination, esm_class, registered_delivery, data_coding, short_message,
        reader.tlvs(),
    )  # fmt: skip


def _ton(address: str) -> int:
    if not address.isdigit():
        return TON_ALPHANUMERIC
    return TON_INTERNATIONAL if len(address) > SHORT_CODE_DIGITS else TON_UNKNOWN


def deliver_sm_body(
    source: str,
    destination: str,
    *,
    esm_class: int,
    data_coding: int,
    short_message: bytes,
    tlvs: dict[int, bytes] | None = None,
) -> bytes:
    """Build a deliver_sm body (schedule and validity empty, as §4.6.1 requires)."""
    writer = (
        BodyWriter()
        .c_string("")
        .octet(_ton(source)).octet(NPI_ISDN).c_string(source)
        .octet(_ton(destination)).octet(NPI_ISDN).c_string(destination)
        .octet(esm_class).octet(0).octet(0)
        .c_string("").c_string("")
        .octet(0).octet(0).octet(data_coding).octet(0)
        .octet(len(short_message)).octets(short_message)
    )  # fmt: skip
    for tag, value in (tlvs or {}).items():
        writer.tlv(tag, value)
    return writer.build()
