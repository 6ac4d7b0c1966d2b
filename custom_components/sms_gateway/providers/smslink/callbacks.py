"""SMSLink's calls to our URL (spec §2.8, §2.9): delivery reports and incoming 2-Way SMS.

Both arrive by GET, POST form or POST JSON at the same URL, so the fields are merged first and the
kind is told by its keys. The body comes from the network: whatever arrives, the caller gets a
typed event or an InvalidPushError that repeats no number and no text. A number is ASCII digits,
at most 20 of them: int() reads Arabic-Indic digits as numbers, raises on '²' (which isdigit()
passes) and on thousands of digits, and none of those is a number SMSLink writes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import re
from typing import Any, Final
from urllib.parse import parse_qsl

from ..errors import InvalidPushError

DELIVERED: Final = "1"
_DLR_KEYS: Final = frozenset({"message_id", "status"})
_MO_KEYS: Final = frozenset({"sender", "message"})
_MAX_TIMESTAMP: Final = 32_503_680_000  # year 3000: anything later is junk
_NUMBER: Final = re.compile(r"[0-9]{1,20}")
"""A whole number as SMSLink writes one (ids are 10 digits today): ASCII digits, bounded."""


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A message's fate; the extended fields are None unless the account sends them."""

    message_id: int
    delivered: bool
    raw_status: str
    reported_at: datetime
    network_id: str | None = None
    network_type: str | None = None
    delivery_report: str | None = None
    connection_id: str | None = None
    message_count: int | None = None


@dataclass(frozen=True, slots=True)
class IncomingSms:
    """An SMS sent to the account's 2-Way shortcode."""

    sender: str
    receiver: str
    text: str
    received_at: datetime
    network_id: int | None = None
    network_name: str | None = None


def callback_fields(query: Mapping[str, str], body: bytes, content_type: str) -> dict[str, Any]:
    """Merge the query with a form or JSON body, whichever the account chose to send."""
    fields: dict[str, Any] = dict(query)
    if not body.strip():
        return fields
    if content_type == "application/json" or body.lstrip().startswith(b"{"):
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            raise InvalidPushError("SMSLink callback body is not JSON") from None
        if not isinstance(payload, dict):
            raise InvalidPushError("SMSLink callback body is not a JSON object")
        fields.update(payload)
        return fields
    try:
        fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    except (UnicodeDecodeError, ValueError):
        raise InvalidPushError("SMSLink callback body is not a form") from None
    return fields


def _text(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidPushError(f"SMSLink callback has no usable {key}")
    return str(value)


def _optional_text(fields: Mapping[str, Any], key: str) -> str | None:
    return None if fields.get(key) in (None, "") else _text(fields, key)


def _number(fields: Mapping[str, Any], key: str) -> int:
    text = _text(fields, key).strip()
    if not _NUMBER.fullmatch(text):
        raise InvalidPushError(f"SMSLink callback {key} is not a whole number of 20 digits or less")
    return int(text)


def _optional_number(fields: Mapping[str, Any], key: str) -> int | None:
    return None if fields.get(key) in (None, "") else _number(fields, key)


def _time(fields: Mapping[str, Any]) -> datetime:
    seconds = _number(fields, "timestamp")
    if seconds > _MAX_TIMESTAMP:
        raise InvalidPushError("SMSLink callback timestamp is out of range")
    return datetime.fromtimestamp(seconds, UTC)


def parse_delivery_report(fields: Mapping[str, Any]) -> DeliveryReport:
    """Read a DLR: message_id, status (1 delivered, 0 not), timestamp, maybe extended fields."""
    status = _text(fields, "status").strip()
    if status not in {"0", "1"}:
        raise InvalidPushError("SMSLink delivery report status is neither 0 nor 1")
    return DeliveryReport(
        message_id=_number(fields, "message_id"),
        delivered=status == DELIVERED,
        raw_status=status,
        reported_at=_time(fields),
        network_id=_optional_text(fields, "network_id"),
        network_type=_optional_text(fields, "network_type"),
        delivery_report=_optional_text(fields, "delivery_report"),
        connection_id=_optional_text(fields, "connection_id"),
        message_count=_optional_number(fields, "message_count"),
    )


def parse_incoming_sms(fields: Mapping[str, Any]) -> IncomingSms:
    """Read a 2-Way SMS: sender, receiver (shortcode), message, timestamp, network."""
    return IncomingSms(
        sender=_text(fields, "sender"),
        receiver=_text(fields, "receiver"),
        text=_text(fields, "message"),
        received_at=_time(fields),
        network_id=_optional_number(fields, "network_id"),
        network_name=_optional_text(fields, "network_name"),
    )


def parse_callback(fields: Mapping[str, Any]) -> DeliveryReport | IncomingSms:
    """Tell a DLR from an incoming SMS by their keys and read it."""
    if fields.keys() >= _DLR_KEYS:
        return parse_delivery_report(fields)
    if fields.keys() >= _MO_KEYS:
        return parse_incoming_sms(fields)
    raise InvalidPushError("SMSLink callback is neither a delivery report nor an incoming SMS")
