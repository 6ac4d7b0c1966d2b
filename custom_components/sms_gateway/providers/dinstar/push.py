"""Dinstar push payloads (the gateway POSTs JSON to our webhook) turned into typed events.

The body comes from the network, so this is a boundary: whatever arrives, the caller gets a
DinstarPush or an InvalidPushError, never another exception, and no error message repeats a phone
number or a message text from the body.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from ..errors import InvalidPushError, InvalidResponseError
from ..lenient_json import NotJsonError, loads_lenient
from .checks import MAX_PORT
from .models import (
    CallRecord,
    DeliveryStatus,
    DeviceStatus,
    ExceptionInfo,
    IncomingSms,
    RegisterChange,
    SmsResult,
    UssdReply,
)
from .wire import NULL_SENTINEL, parse_time


class PushKind(StrEnum):
    """The type key of a push; exactly one is present in each payload."""

    SMS = "sms"
    SMS_RESULT = "sms_result"
    SMS_DELIVER_STATUS = "sms_deliver_status"
    USSD = "ussd"
    REGISTER = "register"
    CDR = "cdr"
    DEVICE = "device"
    EXCEPTION_INFO = "exception_info"


type PushEvent = (
    IncomingSms
    | SmsResult
    | DeliveryStatus
    | UssdReply
    | RegisterChange
    | CallRecord
    | DeviceStatus
    | ExceptionInfo
)


_LARGEST_ID: Final = 2**53
"""As IncomingSms.from_wire reads ids: the largest integer a JSON number carries exactly."""
_ABSENT: Final = frozenset({"", NULL_SENTINEL})


def _read_incoming_sms(item: Mapping[str, Any]) -> IncomingSms:
    """Read an SMS as IncomingSms.from_wire does, the usual shape without its general readers.

    Pushes come by the thousand and this is most of their cost: an id and a port that are plain
    JSON integers in range, and strings or nulls elsewhere, are read here to the same result;
    anything else (numbers as text, numbers where text goes, out of range) goes to from_wire,
    which reads or refuses it.
    """
    message_id, port = item.get("incoming_sms_id"), item.get("port")
    number, smsc, imsi = item.get("number"), item.get("smsc"), item.get("imsi")
    timestamp, text = item.get("timestamp"), item.get("text")
    if not (
        type(message_id) is int
        and -_LARGEST_ID <= message_id <= _LARGEST_ID
        and type(port) is int
        and 0 <= port <= MAX_PORT
        and (number is None or type(number) is str)
        and (smsc is None or type(smsc) is str)
        and (imsi is None or type(imsi) is str)
        and (timestamp is None or type(timestamp) is str)
        and (text is None or type(text) is str)
    ):
        return IncomingSms.from_wire(item)
    moment = timestamp and timestamp.strip()
    return IncomingSms(
        incoming_sms_id=message_id,
        port=port,
        sender=_identifier(number),
        smsc=_identifier(smsc),
        timestamp=parse_time(moment) if moment and moment != NULL_SENTINEL else None,
        text=text if text and text != NULL_SENTINEL else "",
        imsi=_identifier(imsi),
    )


def _identifier(value: str | None) -> str | None:
    """Strip an identifier; a blank one or the firmware's <NULL> is none."""
    if value is None or (value := value.strip()) in _ABSENT:
        return None
    return value


_READERS: Final[Mapping[PushKind, Callable[[Mapping[str, Any]], PushEvent]]] = {
    PushKind.SMS: _read_incoming_sms,
    PushKind.SMS_RESULT: SmsResult.from_wire,
    PushKind.SMS_DELIVER_STATUS: DeliveryStatus.from_wire,
    PushKind.USSD: UssdReply.from_wire,
    PushKind.REGISTER: RegisterChange.from_wire,
    PushKind.CDR: CallRecord.from_wire,
    PushKind.DEVICE: DeviceStatus.from_wire,
    PushKind.EXCEPTION_INFO: ExceptionInfo.from_wire,
}
_KIND_KEYS: Final = tuple((kind.value, kind) for kind in PushKind)
# These two carry one object; every other kind carries an array of them.
_SINGLE_OBJECT_KINDS: Final = frozenset({PushKind.DEVICE, PushKind.EXCEPTION_INFO})


@dataclass(frozen=True, slots=True)
class DinstarPush:
    """One push: which gateway sent it, what kind it is, and its events in payload order."""

    sn: str
    kind: PushKind
    events: tuple[PushEvent, ...]


def parse_push(body: bytes | str) -> DinstarPush:
    """Read a push body leniently (BOM, trailing commas); refuse anything else with one error."""
    payload = _load_json(_decode(body))
    if not isinstance(payload, dict):
        raise InvalidPushError(f"A Dinstar push is a JSON object, not {_json_type(payload)}")
    sn = payload.get("sn")
    if not isinstance(sn, str) or not sn.strip():
        raise InvalidPushError("The Dinstar push has no gateway serial (sn)")
    kinds = [kind for key, kind in _KIND_KEYS if key in payload]
    if not kinds:
        raise InvalidPushError("The Dinstar push has no known event type")
    if len(kinds) > 1:
        names = ", ".join(kind.value for kind in kinds)
        raise InvalidPushError(f"The Dinstar push has more than one event type: {names}")
    kind = kinds[0]
    return DinstarPush(sn=sn, kind=kind, events=_read_events(kind, payload[kind.value]))


def _decode(body: bytes | str) -> str:
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidPushError("The Dinstar push is not UTF-8") from None
        return text
    return body


def _load_json(text: str) -> Any:
    try:
        return loads_lenient(text)
    except NotJsonError:
        raise InvalidPushError("The Dinstar push is not JSON") from None


def _read_events(kind: PushKind, value: Any) -> tuple[PushEvent, ...]:
    read = _READERS[kind]
    if kind in _SINGLE_OBJECT_KINDS:
        if not isinstance(value, dict):
            raise InvalidPushError(
                f"The Dinstar {kind} push carries {_json_type(value)}, not an object"
            )
        items: list[Any] = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise InvalidPushError(f"The Dinstar {kind} push carries {_json_type(value)}, not an array")
    events: list[PushEvent] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidPushError(
                f"Event {index} of the Dinstar {kind} push is {_json_type(item)}, not an object"
            )
        try:
            events.append(read(item))
        except InvalidResponseError as err:
            raise InvalidPushError(f"Event {index} of the Dinstar {kind} push: {err}") from None
    return tuple(events)


def _json_type(value: Any) -> str:
    """Name a parsed JSON value's type without showing the value."""
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "an array"
        case _:
            return "an object"
