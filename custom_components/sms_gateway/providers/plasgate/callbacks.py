"""Reading what Plasgate calls back with: delivery reports and batch callbacks (spec §2.6).

No Plasgate source documents these payloads; they follow Jasmin, which Plasgate fronts. Both kinds
of `message_status` are accepted (SMPP command statuses and receipt `stat` values), and anything
unexpected is kept raw rather than refused, as long as the message id and status are there.

The fields come from the internet. Ids (Jasmin's are UUIDs) are refused past 64 printable
characters rather than cut, so a long one cannot pass for a short one; a level or a date is read
from ASCII digits only (int() would take '٣' and raise on '²') and is left out otherwise.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import re
from typing import Final

from ..errors import InvalidPushError

DLR_ACK: Final = "ACK/Jasmin"
"""Body to answer a DLR with (HTTP 200): Jasmin retries anything else."""

_ESME_OK: Final = "ESME_ROK"
_JASMIN_DATE: Final = "%y%m%d%H%M"
_STATUS_TEXT: Final = re.compile(r'^\s*(Success|Error)\s+"([^"]*)"\s*$')
_MAX_FIELD: Final = 200
_MAX_ID: Final = 64
_LEVEL_TEXT: Final = re.compile(r"[0-9]{1,3}")
_DATE_TEXT: Final = re.compile(r"[0-9]{10}")


class DeliveryState(StrEnum):
    """Where a message stands after a report."""

    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    EXPIRED = "expired"
    UNDELIVERED = "undelivered"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


_RECEIPT_STATES: Final = {
    "DELIVRD": DeliveryState.DELIVERED,
    "EXPIRED": DeliveryState.EXPIRED,
    "UNDELIV": DeliveryState.UNDELIVERED,
    "DELETED": DeliveryState.UNDELIVERED,
    "REJECTD": DeliveryState.REJECTED,
    "ACCEPTD": DeliveryState.ACCEPTED,
    "ENROUTE": DeliveryState.ACCEPTED,
    "UNKNOWN": DeliveryState.UNKNOWN,
}


def receipt_state(stat: str) -> DeliveryState:
    """Read a receipt's `stat` (DELIVRD, UNDELIV...) as a state; UNKNOWN for any other word."""
    return _RECEIPT_STATES.get(stat.upper(), DeliveryState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """One DLR: level 1 (SMSC) or 2 (terminal) with the receipt fields when present."""

    message_id: str
    status: str
    state: DeliveryState
    level: int | None
    smsc_id: str | None = None
    submitted: datetime | None = None
    done: datetime | None = None
    error: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class BatchCallback:
    """A batch's per-message callback: success with the message id, or failure with a reason."""

    batch_id: str
    success: bool
    message_id: str | None
    reason: str | None


def _field(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name)
    if value is None or not str(value).strip():
        return None
    return str(value).strip()[:_MAX_FIELD]


def _identifier(fields: Mapping[str, str], name: str) -> str | None:
    """Read a message or batch id; refuse one too long to be an id or with control characters."""
    value = fields.get(name)
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if len(text) > _MAX_ID or not text.isprintable():
        raise InvalidPushError(f"A Plasgate {name} is not an id")
    return text


def _level(value: str | None) -> int | None:
    """1 (SMSC) or 2 (terminal); anything but a few ASCII digits is no level."""
    return int(value) if value is not None and _LEVEL_TEXT.fullmatch(value) else None


def _date(value: str | None) -> datetime | None:
    """Jasmin's `YYMMDDhhmm`, in the service's (unknown) time zone, so left naive."""
    if value is None or not _DATE_TEXT.fullmatch(value):
        return None
    try:
        return datetime.strptime(value, _JASMIN_DATE)  # noqa: DTZ007 (the zone is not known)
    except ValueError:
        return None


def _state(status: str, level: int | None) -> DeliveryState:
    upper = status.upper()
    if upper in _RECEIPT_STATES:
        return _RECEIPT_STATES[upper]
    if upper == _ESME_OK:
        return DeliveryState.ACCEPTED if level == 1 else DeliveryState.DELIVERED
    if upper.startswith("ESME_"):
        return DeliveryState.REJECTED if level == 1 else DeliveryState.UNDELIVERED
    return DeliveryState.UNKNOWN


def parse_delivery_report(fields: Mapping[str, str]) -> DeliveryReport:
    """Read a DLR from its GET query or POST form fields."""
    message_id = _identifier(fields, "id")
    status = _field(fields, "message_status")
    if message_id is None or status is None:
        raise InvalidPushError("A Plasgate delivery report needs an id and a message_status")
    level = _level(_field(fields, "level"))
    return DeliveryReport(
        message_id=message_id,
        status=status,
        state=_state(status, level),
        level=level,
        smsc_id=_field(fields, "id_smsc"),
        submitted=_date(_field(fields, "subdate")),
        done=_date(_field(fields, "donedate")),
        error=_field(fields, "err"),
        text=fields.get("text"),
    )


def parse_batch_callback(fields: Mapping[str, str]) -> BatchCallback:
    """Read a batch callback (`batchId`, `status` 1/0, `statusText`)."""
    batch_id = _identifier(fields, "batchId")
    status = _field(fields, "status")
    if batch_id is None or status not in ("0", "1"):
        raise InvalidPushError("A Plasgate batch callback needs a batchId and a status of 0 or 1")
    success = status == "1"
    detail = _field(fields, "statusText")
    match = _STATUS_TEXT.match(detail or "")
    inner = match.group(2) if match else detail
    return BatchCallback(
        batch_id=batch_id,
        success=success,
        message_id=inner if success else None,
        reason=None if success else inner,
    )
