"""Typed values exchanged with a Dinstar gateway: its responses and pushes, and send outcomes.

The firmware builds its JSON by hand and the documentation disagrees with itself, so the models
are declared as data (wire.py reads them all one lenient way): a field's type says how it is
read, and `wire(...)` names other keys or a reader where the wire is odder than its type.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, ClassVar, Final, Self

from ..errors import ProviderError
from ..text import Encoding, TextPlan
from .wire import (
    WireModel,
    as_str,
    is_absent,
    optional_text,
    require_port,
    text_or_empty,
    wire,
    wire_error,
)

PORT: Final = wire(read=require_port)
"""Metadata of a required `port` field: a port of the gateway, 0 to MAX_PORT."""


class _LenientEnum(StrEnum):
    """A wire enum that maps values outside the documented set to UNKNOWN instead of failing."""

    @classmethod
    def _missing_(cls, value: object) -> Self:
        if isinstance(value, str):
            folded = value.strip().casefold()
            for member in cls:
                if member.value.casefold() == folded:
                    return member
        return cls["UNKNOWN"]


class RegState(_LenientEnum):
    """SIM registration state of a port (`reg`)."""

    POWER_OFF = "POWER_OFF"
    NO_SIM = "NO_SIM"
    PIN_REQUIRE = "PIN_REQUIRE"
    PUK_REQUIRE = "PUK_REQUIRE"
    UNREGISTER = "UNREGISTER"
    SEARCHING_NETWORK = "SEARCHING_NETWORK"
    REGISTER_OK = "REGISTER_OK"
    UNKNOWN = "UNKNOWN"


class NetworkType(_LenientEnum):
    """Radio technology of a port's module (`type`)."""

    GSM = "GSM"
    CDMA = "CDMA"
    WCDMA = "WCDMA"
    LTE = "LTE"
    UNKNOWN = "UNKNOWN"


class CallState(_LenientEnum):
    """Voice call state of a port (`callstate`), spelled as the documentation does."""

    IDLE = "Idle"
    PROCESSING = "Processing"
    RINGING = "Ringing"
    ACTIVE = "Active"
    ALERTING = "Alerting"
    CALL_WAITING = "Call Waiting"
    CALL_HOLDING = "Call holding"
    UNKNOWN = "Unknown"


class SmsStatus(_LenientEnum):
    """Sending state of one SMS; SENT_OK is handed to the network, not delivered."""

    SENDING = "SENDING"
    SENT_OK = "SENT_OK"
    FAILED = "FAILED"
    DELIVERED = "DELIVERED"
    UNKNOWN = "UNKNOWN"

    @property
    def is_final(self) -> bool:
        """Only SENDING may still change to a failure; DELIVERED may follow SENT_OK."""
        return self not in (SmsStatus.SENDING, SmsStatus.UNKNOWN)


class RegisterStatus(_LenientEnum):
    """Direction of a `register` push."""

    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


class DeliveryOutcome(StrEnum):
    """What a GSM 03.40 TP-Status code means for the sender."""

    DELIVERED = "delivered"
    PENDING = "pending"
    TEMPORARY_ERROR = "temporary_error"
    FAILED = "failed"


class UssdPortStatus(IntEnum):
    """Per-port answer inside a `send_ussd` response."""

    SENT = 200
    BUSY = 486
    NOT_REGISTERED = 503


class InboxFlag(StrEnum):
    """Which inbox messages to list; UNREAD also marks them read on the gateway."""

    UNREAD = "unread"
    READ = "read"
    ALL = "all"


def delivery_outcome(status_code: int) -> DeliveryOutcome:
    """TP-Status: 0 received, 1-31 still trying, 32-63 temporary error, the rest permanent."""
    if status_code == 0:
        return DeliveryOutcome.DELIVERED
    if 1 <= status_code <= 31:  # noqa: PLR2004 - the TP-Status ranges
        return DeliveryOutcome.PENDING
    if 32 <= status_code <= 63:  # noqa: PLR2004
        return DeliveryOutcome.TEMPORARY_ERROR
    return DeliveryOutcome.FAILED


# --- responses and pushes ------------------------------------------------------------------


def _call_forwarding(
    model: str, data: Mapping[str, Any], keys: tuple[str, ...]
) -> dict[str, str] | None:
    """Condition -> number as sent, leaving out the conditions with no number."""
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise wire_error(model, key, "is not an object")
        return {
            str(condition): as_str(model, key, number)
            for condition, number in value.items()
            if not is_absent(number)
        }
    return None


def _reply_text(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """Read " " and "" as "no reply yet", as the gateway means them."""
    text = optional_text(model, data, keys)
    return text if text and text.strip() else None


@dataclass(frozen=True, slots=True)
class PortInfo(WireModel):
    """One port of `get_port_info`; only the requested info types are filled in.

    Both the request and the response spelling of the three odd remain_* keys are accepted.
    """

    WIRE_NAME: ClassVar[str] = "port info"

    port: int = field(metadata=PORT)
    type: NetworkType | None = None
    imei: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    number: str | None = None
    reg: RegState | None = None
    slot: int | None = None
    callstate: CallState | None = None
    signal: int | None = None
    gprs: str | None = None
    smsc: str | None = None
    remain_credit: str | None = None
    remain_monthly_credit: str | None = None
    remain_daily_credit: str | None = None
    remain_daily_call_time: str | None = field(
        default=None, metadata=wire("remain_daily_call_time", "remain_daily_calltime")
    )
    remain_hourly_call_time: str | None = field(
        default=None, metadata=wire("remain_hourly_call_time", "remain_hourly_calltime")
    )
    remain_daily_connected: str | None = field(
        default=None, metadata=wire("remain_daily_connected", "remain_daily_connect")
    )
    call_forwarding: dict[str, str] | None = field(
        default=None, metadata=wire("CallForwarding", "CallForward", read=_call_forwarding)
    )

    @property
    def registered(self) -> bool:
        """True only when the port can send (REGISTER_OK)."""
        return self.reg is RegState.REGISTER_OK


@dataclass(frozen=True, slots=True)
class IncomingSms(WireModel):
    """A received SMS, from the inbox or an `sms` push; the sender is the wire's `number`."""

    WIRE_NAME: ClassVar[str] = "incoming SMS"

    incoming_sms_id: int
    port: int = field(metadata=PORT)
    sender: str | None = field(metadata=wire("number"))
    smsc: str | None
    timestamp: datetime | None
    text: str = field(metadata=wire(read=text_or_empty))
    imsi: str | None = None


@dataclass(frozen=True, slots=True)
class SmsResult(WireModel):
    """Sending result of one SMS to one number (`query_sms_result`, `sms_result` push).

    Pushes usually leave out user_id, so it is optional.
    """

    WIRE_NAME: ClassVar[str] = "SMS result"

    port: int = field(metadata=PORT)
    user_id: int | None
    number: str
    time: datetime | None
    status: SmsStatus
    count: int | None = None
    succ_count: int | None = None
    ref_id: int | None = None
    imsi: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryStatus(WireModel):
    """A delivery report (`query_sms_deliver_status`, `sms_deliver_status` push).

    The status code is required: it is what the report is about.
    """

    WIRE_NAME: ClassVar[str] = "delivery status"

    port: int = field(metadata=PORT)
    number: str
    time: datetime | None
    ref_id: int | None
    status_code: int
    imsi: str | None = None

    @property
    def outcome(self) -> DeliveryOutcome:
        """The status code read as the sender cares about it."""
        return delivery_outcome(self.status_code)


@dataclass(frozen=True, slots=True)
class UssdReply(WireModel):
    """A USSD reply for a port; text is None while the gateway has nothing (blank text)."""

    WIRE_NAME: ClassVar[str] = "USSD reply"

    port: int = field(metadata=PORT)
    text: str | None = field(metadata=wire(read=_reply_text))


@dataclass(frozen=True, slots=True)
class RegisterChange(WireModel):
    """A `register` push: a SIM came up or went down.

    The "<NULL>" identifiers of a down event read as None; slot exists on multi-SIM only.
    """

    WIRE_NAME: ClassVar[str] = "register change"

    port: int = field(metadata=PORT)
    status: RegisterStatus
    iccid: str | None = None
    imsi: str | None = None
    number: str | None = None
    sequence: int | None = None
    slot: int | None = None


@dataclass(frozen=True, slots=True)
class CallRecord(WireModel):
    """One call detail record (`get_cdr`, `cdr` push); some builds spell `bcch` as `bech`."""

    WIRE_NAME: ClassVar[str] = "call record"

    port: int = field(metadata=PORT)
    start_date: datetime | None = None
    answer_date: datetime | None = None
    duration: int | None = None
    source_number: str | None = None
    destination_number: str | None = None
    direction: str | None = None
    ip: str | None = None
    codec: str | None = None
    hangup: str | None = None
    gsm_code: int | None = None
    bcch: str | None = field(default=None, metadata=wire("bcch", "bech"))


@dataclass(frozen=True, slots=True)
class DeviceStatus(WireModel):
    """A `device` push: the chassis powered on or off; IP and MAC are upper-case keys."""

    WIRE_NAME: ClassVar[str] = "device status"

    port_number: int | None
    ip: str | None = field(metadata=wire("IP", "ip"))
    mac: str | None = field(metadata=wire("MAC", "mac"))
    status: str | None


@dataclass(frozen=True, slots=True)
class ExceptionInfo(WireModel):
    """An `exception_info` push: the gateway saw a fault on a port and acted on it.

    Every field is informative only, so none is required.
    """

    WIRE_NAME: ClassVar[str] = "exception info"

    port: int | None
    type: str | None
    action: str | None


@dataclass(frozen=True, slots=True)
class DeviceStats(WireModel):
    """The `performance` object of `get_status`: CPU in %, memory and flash in KB.

    The values arrive as strings; the whole body or the inner object may be given.
    """

    WIRE_NAME: ClassVar[str] = "device stats"
    WIRE_INNER: ClassVar[str | None] = "performance"

    cpu_used: int | None = None
    flash_total: int | None = None
    flash_used: int | None = None
    memory_total: int | None = None
    memory_cached: int | None = None
    memory_buffers: int | None = None
    memory_free: int | None = None
    memory_used: int | None = None


@dataclass(frozen=True, slots=True)
class SendReceipt(WireModel):
    """What `send_sms` answers: the task is queued, nothing is sent yet (stop_sms needs the id)."""

    WIRE_NAME: ClassVar[str] = "send receipt"

    task_id: int
    sms_in_queue: int | None


@dataclass(frozen=True, slots=True)
class UssdSendStatus(WireModel):
    """Per-port answer of `send_ussd`: 200 sent, 486 busy, 503 not registered."""

    WIRE_NAME: ClassVar[str] = "USSD send status"

    port: int = field(metadata=PORT)
    status: int

    @property
    def sent(self) -> bool:
        """Only 200 means the USSD request left on this port."""
        return self.status == UssdPortStatus.SENT


@dataclass(frozen=True, slots=True)
class InboxPage(WireModel):
    """One answer of `query_incoming_sms`; a page without `sms` is an empty inbox."""

    WIRE_NAME: ClassVar[str] = "inbox"

    messages: tuple[IncomingSms, ...] = field(metadata=wire("sms"))
    read: int | None
    unread: int | None

    @property
    def last_id(self) -> int | None:
        """The cursor to ask after next time."""
        return max((sms.incoming_sms_id for sms in self.messages), default=None)


@dataclass(frozen=True, slots=True)
class StkItem(WireModel):
    """One selectable entry of a SIM Toolkit menu, labelled by `item_string`."""

    WIRE_NAME: ClassVar[str] = "STK item"

    item_id: int
    text: str = field(metadata=wire("item_string", read=text_or_empty))


@dataclass(frozen=True, slots=True)
class StkView(WireModel):
    """The SIM Toolkit frame a port shows (`GetSTKView`); items only for menus."""

    WIRE_NAME: ClassVar[str] = "STK view"

    title: str | None = field(metadata=wire(read=optional_text))
    text: str | None = field(metadata=wire(read=optional_text))
    input_type: int | None  # arrives as 2 or "2"
    frame_id: int | None
    items: tuple[StkItem, ...] = field(default=(), metadata=wire("item", "items"))


@dataclass(frozen=True, slots=True)
class SmsRecipient:
    """One `param[]` element of `send_sms` (request side)."""

    number: str
    user_id: int | None = None
    text_param: tuple[str, ...] = ()


class RecipientState(StrEnum):
    """Where one recipient of a multi-request send stands."""

    QUEUED = "queued"  # the gateway accepted it (202); the result comes later
    UNCERTAIN = "uncertain"  # the connection failed after the request may have reached it
    REJECTED = "rejected"  # the gateway answered and refused the request it was in
    SKIPPED = "skipped"  # not attempted: an earlier request of the same send failed


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """One recipient of `send_sms_to`, with the ids that tie later results back to it."""

    number: str
    user_id: int
    task_id: int | None
    segments: int
    encoding: Encoding
    state: RecipientState
    error: ProviderError | None = None


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """Result of `send_sms_to`: the text plan and every recipient in request order."""

    plan: TextPlan
    recipients: tuple[RecipientOutcome, ...]

    @property
    def all_queued(self) -> bool:
        """True when every recipient was accepted by the gateway."""
        return all(item.state is RecipientState.QUEUED for item in self.recipients)
