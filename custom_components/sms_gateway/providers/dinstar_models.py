"""Typed values exchanged with a Dinstar gateway: its responses and pushes, and send outcomes.

The firmware builds its JSON by hand and the documentation disagrees with itself, so every
`from_wire` is lenient about spelling and absence and strict only about what we cannot do
without; whatever it refuses, it refuses with InvalidResponseError and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
import re
from typing import TYPE_CHECKING, Any, Final, Self

from .dinstar_checks import MAX_PORT
from .errors import InvalidResponseError, ProviderError

if TYPE_CHECKING:
    from .text import Encoding, TextPlan

NULL_SENTINEL = "<NULL>"
"""What the firmware writes instead of JSON null (register "down" pushes)."""

_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d%H:%M:%S",  # the documented push example lost its space
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_USUAL_TIME: Final = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)", re.ASCII)
"""The first layout, as the gateway writes it in every push: read without strptime's cost."""


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


# --- field readers -------------------------------------------------------------------------


def _fail(model: str, key: str, problem: str) -> InvalidResponseError:
    return InvalidResponseError(f"Dinstar {model}: field {key!r} {problem}")


def _is_absent(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", NULL_SENTINEL))


_INT_LIMIT: Final = 2**53
"""The largest integer a JSON number carries exactly; anything larger is not a gateway's."""
_INTEGER_TEXT: Final = re.compile(r"[+-]?[0-9]{1,16}(?:\.0*)?")
"""An integer as text: ASCII digits only (int() would also read Arabic-Indic ones), bounded."""


def _as_int(model: str, key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _fail(model, key, "is a boolean, not an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(text := value.strip()):
        number = int(text.split(".", 1)[0])
    else:
        raise _fail(model, key, "is not an integer")
    if abs(number) > _INT_LIMIT:
        raise _fail(model, key, "is out of range")
    return number


def _require_port(model: str, data: Mapping[str, Any]) -> int:
    """Read a SIM port as the wire numbers it: 0 to MAX_PORT."""
    port = _require_int(model, data, "port")
    if not 0 <= port <= MAX_PORT:
        raise _fail(model, "port", "is not a port of a gateway")
    return port


def _require_int(model: str, data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if _is_absent(value):
        raise _fail(model, key, "is missing")
    return _as_int(model, key, value)


def _optional_int(model: str, data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return None if _is_absent(value) else _as_int(model, key, value)


def _as_str(model: str, key: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _fail(model, key, "is not a string")


def _optional_str(model: str, data: Mapping[str, Any], *keys: str) -> str | None:
    """First present key wins; identifiers are stripped (the doc's imsi has a trailing space)."""
    for key in keys:
        value = data.get(key)
        if not _is_absent(value):
            return _as_str(model, key, value).strip()
    return None


def _optional_text(model: str, data: Mapping[str, Any], key: str) -> str | None:
    """Free text is kept as sent, spaces included; only absence becomes None."""
    value = data.get(key)
    if value is None or value == NULL_SENTINEL:
        return None
    return _as_str(model, key, value)


def _require_str(model: str, data: Mapping[str, Any], key: str) -> str:
    value = _optional_str(model, data, key)
    if value is None:
        raise _fail(model, key, "is missing")
    return value


def parse_time(value: str) -> datetime | None:
    """Gateway-local wall time; None when it does not look like one of the known layouts."""
    text = value.strip()
    if usual := _USUAL_TIME.fullmatch(text):
        try:
            year, month, day, hour, minute, second = map(int, usual.groups())
            return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - no zone
        except ValueError:
            return None  # no other layout matches this text either
    for layout in _TIME_FORMATS:
        try:
            return datetime.strptime(text, layout)  # noqa: DTZ007 - the gateway sends no zone
        except ValueError:
            continue
    return None


def _optional_time(model: str, data: Mapping[str, Any], key: str) -> datetime | None:
    """Drop an unreadable time rather than lose the whole record around it."""
    value = data.get(key)
    if _is_absent(value):
        return None
    return parse_time(_as_str(model, key, value))


def _mapping(model: str, data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidResponseError(f"Dinstar {model}: expected an object")
    return data


def _list_of_mappings(model: str, data: Mapping[str, Any], *keys: str) -> list[Mapping[str, Any]]:
    """Return the list under the first key present; a missing list is an empty one."""
    for key in keys:
        if key in data:
            value = data[key]
            if value is None:
                return []
            if not isinstance(value, list):
                raise _fail(model, key, "is not a list")
            return [_mapping(model, item) for item in value]
    return []


def _enum_or_none[E: StrEnum](
    enum: type[E], model: str, data: Mapping[str, Any], key: str
) -> E | None:
    value = _optional_str(model, data, key)
    return None if value is None else enum(value)


# --- responses and pushes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortInfo:
    """One port of `get_port_info`; only the requested info types are filled in."""

    port: int
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
    remain_daily_call_time: str | None = None
    remain_hourly_call_time: str | None = None
    remain_daily_connected: str | None = None
    call_forwarding: dict[str, str] | None = None

    @property
    def registered(self) -> bool:
        """True only when the port can send (REGISTER_OK)."""
        return self.reg is RegState.REGISTER_OK

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Accept both the request and the response spelling of the three odd remain_* keys."""
        m = "port info"
        data = _mapping(m, data)
        return cls(
            port=_require_port(m, data),
            type=_enum_or_none(NetworkType, m, data, "type"),
            imei=_optional_str(m, data, "imei"),
            imsi=_optional_str(m, data, "imsi"),
            iccid=_optional_str(m, data, "iccid"),
            number=_optional_str(m, data, "number"),
            reg=_enum_or_none(RegState, m, data, "reg"),
            slot=_optional_int(m, data, "slot"),
            callstate=_enum_or_none(CallState, m, data, "callstate"),
            signal=_optional_int(m, data, "signal"),
            gprs=_optional_str(m, data, "gprs"),
            smsc=_optional_str(m, data, "smsc"),
            remain_credit=_optional_str(m, data, "remain_credit"),
            remain_monthly_credit=_optional_str(m, data, "remain_monthly_credit"),
            remain_daily_credit=_optional_str(m, data, "remain_daily_credit"),
            remain_daily_call_time=_optional_str(
                m, data, "remain_daily_call_time", "remain_daily_calltime"
            ),
            remain_hourly_call_time=_optional_str(
                m, data, "remain_hourly_call_time", "remain_hourly_calltime"
            ),
            remain_daily_connected=_optional_str(
                m, data, "remain_daily_connected", "remain_daily_connect"
            ),
            call_forwarding=_call_forwarding(m, data),
        )


def _call_forwarding(model: str, data: Mapping[str, Any]) -> dict[str, str] | None:
    for key in ("CallForwarding", "CallForward"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise _fail(model, key, "is not an object")
        return {
            str(condition): _as_str(model, key, number)
            for condition, number in value.items()
            if not _is_absent(number)
        }
    return None


@dataclass(frozen=True, slots=True)
class IncomingSms:
    """A received SMS, from the inbox or an `sms` push."""

    incoming_sms_id: int
    port: int
    sender: str | None
    smsc: str | None
    timestamp: datetime | None
    text: str
    imsi: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read the sender from `number`; a missing text is an empty message."""
        m = "incoming SMS"
        data = _mapping(m, data)
        return cls(
            incoming_sms_id=_require_int(m, data, "incoming_sms_id"),
            port=_require_port(m, data),
            sender=_optional_str(m, data, "number"),
            smsc=_optional_str(m, data, "smsc"),
            timestamp=_optional_time(m, data, "timestamp"),
            text=_optional_text(m, data, "text") or "",
            imsi=_optional_str(m, data, "imsi"),
        )


@dataclass(frozen=True, slots=True)
class SmsResult:
    """Sending result of one SMS to one number (`query_sms_result`, `sms_result` push)."""

    port: int
    user_id: int | None
    number: str
    time: datetime | None
    status: SmsStatus
    count: int | None = None
    succ_count: int | None = None
    ref_id: int | None = None
    imsi: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Pushes usually leave out user_id, so it is optional."""
        m = "SMS result"
        data = _mapping(m, data)
        return cls(
            port=_require_port(m, data),
            user_id=_optional_int(m, data, "user_id"),
            number=_require_str(m, data, "number"),
            time=_optional_time(m, data, "time"),
            status=SmsStatus(_require_str(m, data, "status")),
            count=_optional_int(m, data, "count"),
            succ_count=_optional_int(m, data, "succ_count"),
            ref_id=_optional_int(m, data, "ref_id"),
            imsi=_optional_str(m, data, "imsi"),
        )


def delivery_outcome(status_code: int) -> DeliveryOutcome:
    """TP-Status: 0 received, 1-31 still trying, 32-63 temporary error, the rest permanent."""
    if status_code == 0:
        return DeliveryOutcome.DELIVERED
    if 1 <= status_code <= 31:  # noqa: PLR2004 - the TP-Status ranges
        return DeliveryOutcome.PENDING
    if 32 <= status_code <= 63:  # noqa: PLR2004
        return DeliveryOutcome.TEMPORARY_ERROR
    return DeliveryOutcome.FAILED


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """A delivery report (`query_sms_deliver_status`, `sms_deliver_status` push)."""

    port: int
    number: str
    time: datetime | None
    ref_id: int | None
    status_code: int
    imsi: str | None = None

    @property
    def outcome(self) -> DeliveryOutcome:
        """The status code read as the sender cares about it."""
        return delivery_outcome(self.status_code)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Require the status code: it is what the report is about."""
        m = "delivery status"
        data = _mapping(m, data)
        return cls(
            port=_require_port(m, data),
            number=_require_str(m, data, "number"),
            time=_optional_time(m, data, "time"),
            ref_id=_optional_int(m, data, "ref_id"),
            status_code=_require_int(m, data, "status_code"),
            imsi=_optional_str(m, data, "imsi"),
        )


@dataclass(frozen=True, slots=True)
class UssdReply:
    """A USSD reply for a port; text is None while the gateway has nothing (blank text)."""

    port: int
    text: str | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read " " and "" as "no reply yet", as the gateway means them."""
        m = "USSD reply"
        data = _mapping(m, data)
        text = _optional_text(m, data, "text")
        return cls(port=_require_port(m, data), text=text if text and text.strip() else None)


@dataclass(frozen=True, slots=True)
class RegisterChange:
    """A `register` push: a SIM came up or went down."""

    port: int
    status: RegisterStatus
    iccid: str | None = None
    imsi: str | None = None
    number: str | None = None
    sequence: int | None = None
    slot: int | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read "<NULL>" identifiers of a down event as None; slot exists on multi-SIM only."""
        m = "register change"
        data = _mapping(m, data)
        return cls(
            port=_require_port(m, data),
            status=RegisterStatus(_require_str(m, data, "status")),
            iccid=_optional_str(m, data, "iccid"),
            imsi=_optional_str(m, data, "imsi"),
            number=_optional_str(m, data, "number"),
            sequence=_optional_int(m, data, "sequence"),
            slot=_optional_int(m, data, "slot"),
        )


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call detail record (`get_cdr`, `cdr` push)."""

    port: int
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
    bcch: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Accept `bech` too: some builds spell the BCCH key that way."""
        m = "call record"
        data = _mapping(m, data)
        return cls(
            port=_require_port(m, data),
            start_date=_optional_time(m, data, "start_date"),
            answer_date=_optional_time(m, data, "answer_date"),
            duration=_optional_int(m, data, "duration"),
            source_number=_optional_str(m, data, "source_number"),
            destination_number=_optional_str(m, data, "destination_number"),
            direction=_optional_str(m, data, "direction"),
            ip=_optional_str(m, data, "ip"),
            codec=_optional_str(m, data, "codec"),
            hangup=_optional_str(m, data, "hangup"),
            gsm_code=_optional_int(m, data, "gsm_code"),
            bcch=_optional_str(m, data, "bcch", "bech"),
        )


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A `device` push: the chassis powered on or off."""

    port_number: int | None
    ip: str | None
    mac: str | None
    status: str | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """IP and MAC are upper-case keys on the wire; lower case is accepted too."""
        m = "device status"
        data = _mapping(m, data)
        return cls(
            port_number=_optional_int(m, data, "port_number"),
            ip=_optional_str(m, data, "IP", "ip"),
            mac=_optional_str(m, data, "MAC", "mac"),
            status=_optional_str(m, data, "status"),
        )


@dataclass(frozen=True, slots=True)
class ExceptionInfo:
    """An `exception_info` push: the gateway saw a fault on a port and acted on it."""

    port: int | None
    type: str | None
    action: str | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Every field is informative only, so none is required."""
        m = "exception info"
        data = _mapping(m, data)
        return cls(
            port=_optional_int(m, data, "port"),
            type=_optional_str(m, data, "type"),
            action=_optional_str(m, data, "action"),
        )


@dataclass(frozen=True, slots=True)
class DeviceStats:
    """The `performance` object of `get_status`: CPU in %, memory and flash in KB."""

    cpu_used: int | None = None
    flash_total: int | None = None
    flash_used: int | None = None
    memory_total: int | None = None
    memory_cached: int | None = None
    memory_buffers: int | None = None
    memory_free: int | None = None
    memory_used: int | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Take the whole body or the inner object; the values arrive as strings."""
        m = "device stats"
        data = _mapping(m, data)
        if "performance" in data:
            data = _mapping(m, data["performance"])
        return cls(
            cpu_used=_optional_int(m, data, "cpu_used"),
            flash_total=_optional_int(m, data, "flash_total"),
            flash_used=_optional_int(m, data, "flash_used"),
            memory_total=_optional_int(m, data, "memory_total"),
            memory_cached=_optional_int(m, data, "memory_cached"),
            memory_buffers=_optional_int(m, data, "memory_buffers"),
            memory_free=_optional_int(m, data, "memory_free"),
            memory_used=_optional_int(m, data, "memory_used"),
        )


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """What `send_sms` answers: the task is queued, nothing is sent yet."""

    task_id: int
    sms_in_queue: int | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Require the task id: stop_sms needs it."""
        m = "send receipt"
        data = _mapping(m, data)
        return cls(
            task_id=_require_int(m, data, "task_id"),
            sms_in_queue=_optional_int(m, data, "sms_in_queue"),
        )


@dataclass(frozen=True, slots=True)
class UssdSendStatus:
    """Per-port answer of `send_ussd`: 200 sent, 486 busy, 503 not registered."""

    port: int
    status: int

    @property
    def sent(self) -> bool:
        """Only 200 means the USSD request left on this port."""
        return self.status == UssdPortStatus.SENT

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Both keys are needed to know which port failed."""
        m = "USSD send status"
        data = _mapping(m, data)
        return cls(port=_require_port(m, data), status=_require_int(m, data, "status"))


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One answer of `query_incoming_sms`."""

    messages: tuple[IncomingSms, ...]
    read: int | None
    unread: int | None

    @property
    def last_id(self) -> int | None:
        """The cursor to ask after next time."""
        return max((sms.incoming_sms_id for sms in self.messages), default=None)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read a page without `sms` as an empty inbox."""
        m = "inbox"
        data = _mapping(m, data)
        return cls(
            messages=tuple(
                IncomingSms.from_wire(item) for item in _list_of_mappings(m, data, "sms")
            ),
            read=_optional_int(m, data, "read"),
            unread=_optional_int(m, data, "unread"),
        )


@dataclass(frozen=True, slots=True)
class StkItem:
    """One selectable entry of a SIM Toolkit menu."""

    item_id: int
    text: str

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read the label from `item_string`."""
        m = "STK item"
        data = _mapping(m, data)
        return cls(
            item_id=_require_int(m, data, "item_id"),
            text=_optional_text(m, data, "item_string") or "",
        )


@dataclass(frozen=True, slots=True)
class StkView:
    """The SIM Toolkit frame a port shows (`GetSTKView`); items only for menus."""

    title: str | None
    text: str | None
    input_type: int | None
    frame_id: int | None
    items: tuple[StkItem, ...] = field(default=())

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """`input_type` arrives as 2 or "2"."""
        m = "STK view"
        data = _mapping(m, data)
        return cls(
            title=_optional_text(m, data, "title"),
            text=_optional_text(m, data, "text"),
            input_type=_optional_int(m, data, "input_type"),
            frame_id=_optional_int(m, data, "frame_id"),
            items=tuple(
                StkItem.from_wire(item) for item in _list_of_mappings(m, data, "item", "items")
            ),
        )


StkFrame = StkView
"""The same frame under the name the integration's STK code may use."""


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
