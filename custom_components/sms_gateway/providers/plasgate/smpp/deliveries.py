"""What a deliver_sm carries: a delivery receipt for one of our submit_sm, or a piece of an SMS.

aiosmpplib decodes the body (alphabet, UDH, TLVs, the receipt text). Every deliver_sm is named
by a digest of its body: a server that delivers again after a lost deliver_sm_resp sends the
same body under a new sequence number, and SMPP v3.4 gives an incoming SMS no id of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
import hashlib
import struct
from typing import Final

from aiosmpplib import TON, PhoneNumber
from aiosmpplib.protocol import DeliverSm, SmppMessage
from aiosmpplib.state import (
    RECEIPTED_MESSAGE_ID,
    SAR_MSG_REF_NUM,
    SAR_SEGMENT_SEQNUM,
    SAR_TOTAL_SEGMENTS,
)

from ..callbacks import DeliveryReport, DeliveryState, receipt_state

_MESSAGE_STATE: Final = 0x0427
_STATE_NAMES: Final = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}
"""message_state TLV values (SMPP v3.4 §5.2.28) as the receipt text's `stat` words."""
_DEFAULT_ALPHABET: Final = "gsm0338"
"""data_coding 0 is the server's default alphabet: GSM 03.38 for Jasmin, as our submit_sm use."""
_FALLBACK_ALPHABET: Final = "latin_1"
_MAX_ID: Final = 65  # submit_sm_resp's message_id: a C-octet string of at most 65 octets


class UnreadableDeliveryError(ValueError):
    """A deliver_sm that aiosmpplib cannot decode, or a receipt that names no message."""


@dataclass(frozen=True, slots=True)
class IncomingPart:
    """One deliver_sm of an incoming SMS: the whole SMS, or one part of a concatenated one."""

    digest: str
    source: str
    destination: str
    text: str
    reference: int = 0
    total: int = 1
    index: int = 1

    @property
    def whole(self) -> bool:
        """Whether this part is the SMS by itself."""
        return self.total <= 1


type Delivery = DeliveryReport | IncomingPart


class _DeliverSm(DeliverSm):
    """aiosmpplib's deliver_sm, also with no text at all: an empty SMS, a receipt in TLVs only.

    aiosmpplib wants a text in every submit_sm and deliver_sm; SMPP v3.4 lets sm_length be 0.
    """

    def __post_init__(self) -> None:
        textless = not self.short_message and not self.message_payload
        if textless:
            self.short_message = " "  # passes aiosmpplib's check, then goes
        super().__post_init__()
        if textless:
            self.short_message = ""


def body_digest(pdu: bytes) -> str:
    """Name a deliver_sm by its body: the same on a redelivery, whatever the sequence number."""
    return hashlib.sha256(pdu[16:]).hexdigest()[:32]


def read_delivery(pdu: bytes) -> Delivery:
    """Decode a deliver_sm PDU; raise UnreadableDeliveryError for one that does not decode."""
    header = SmppMessage.parse_header(pdu[:16])
    try:
        message = _DeliverSm.from_pdu(pdu, header, _DEFAULT_ALPHABET)
    except UnicodeDecodeError:
        try:  # not GSM 03.38 after all: Latin-1 reads every octet, the text is still had
            message = _DeliverSm.from_pdu(pdu, header, _FALLBACK_ALPHABET)
        except (ValueError, IndexError, LookupError, struct.error) as err:
            raise UnreadableDeliveryError(type(err).__name__) from err
    except (ValueError, IndexError, LookupError, struct.error) as err:
        raise UnreadableDeliveryError(type(err).__name__) from err
    if not isinstance(message, DeliverSm):  # pragma: no cover - from_pdu builds its class
        raise UnreadableDeliveryError("not a deliver_sm")
    params: dict[int, object] = {param.tag: param.value for param in message.optional_params or []}
    if message.is_receipt():
        return _receipt(message, params)
    reference, total, index = (
        _int(params.get(SAR_MSG_REF_NUM)),
        _int(params.get(SAR_TOTAL_SEGMENTS), 1),
        _int(params.get(SAR_SEGMENT_SEQNUM), 1),
    )
    if reference > 0xFF:  # noqa: PLR2004
        # aiosmpplib reads a 16-bit reference as four octets: the reference, total and index.
        reference >>= 16
    return IncomingPart(
        digest=body_digest(pdu),
        source=_written(message.source),
        destination=_written(message.destination),
        text=message.short_message or message.message_payload,
        reference=reference,
        total=total,
        index=index,
    )


def _written(address: PhoneNumber) -> str:
    """Write a number the server marks international in E.164 ("+" added), any other as it came.

    So that a sender abroad reads the same as in any other source, not as a national number.
    """
    number = address.number
    if address.ton is TON.INTERNATIONAL and number.isdigit():
        return f"+{number}"
    return number


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _receipt(message: DeliverSm, params: dict[int, object]) -> DeliveryReport:
    """Read the receipt text (message id, `stat`); the TLVs stand in where it says nothing."""
    try:
        fields = message.parse_receipt()
    except ValueError:
        fields = {}  # a date or a count that is not one: the TLVs may still say enough
    message_id = fields.get("id") or params.get(RECEIPTED_MESSAGE_ID)
    stat = fields.get("stat") or _STATE_NAMES.get(_int(params.get(_MESSAGE_STATE)), "")
    if not isinstance(message_id, str) or not message_id or len(message_id) > _MAX_ID:
        raise UnreadableDeliveryError("a receipt that names no message")
    state = receipt_state(stat) if isinstance(stat, str) else DeliveryState.UNKNOWN
    error = fields.get("err")
    return DeliveryReport(
        message_id=message_id,
        status=stat if isinstance(stat, str) and stat else state.value,
        state=state,
        level=2,
        error=None if error is None else str(error),
    )
