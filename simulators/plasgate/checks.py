"""Reading and checking send requests (spec §3.3 to §3.5); a refusal carries its HTTP status."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
import re
from typing import Any, Final

from simulators.plasgate.messages import DlrRequest

MAX_SENDER: Final = 11
MAX_CONTENT: Final = 1500
NUMBER: Final = re.compile(r"^[0-9]\d{5,14}$")
SCHEDULE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
_TIME_ZONES: Final = {"UTC+7": timezone(timedelta(hours=7)), "UTC": UTC}
_DLR_LEVELS: Final = ("1", "2", "3")


class Refused(Exception):  # noqa: N818 (a refusal, not an internal error)
    """The request is refused with this HTTP status and reason."""

    def __init__(self, status: int, reason: str) -> None:
        """Keep the status for the reply."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


def required_text(fields: Mapping[str, Any], name: str) -> str:
    """Read a present, non-empty string field."""
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise Refused(400, f"{name} is required")
    return value


def number(value: Any, switches: Mapping[str, Any]) -> str | None:
    """Return the number as `855...` digits, or None when it does not match the pattern."""
    if not isinstance(value, str):
        return None
    if switches["accept_plus_in_to"]:
        value = value.removeprefix("+")
    return value if NUMBER.fullmatch(value) else None


def sender(fields: Mapping[str, Any], switches: Mapping[str, Any], approved: list[str]) -> str:
    """Read an approved sender within the official client's limit."""
    value = required_text(fields, "sender")
    if switches["enforce_client_limits"] and len(value) > MAX_SENDER:
        raise Refused(400, f"sender is longer than {MAX_SENDER} characters")
    if value not in approved:
        raise Refused(int(switches["bad_sender_status"]), "sender is not approved")
    return value


def content(value: Any, switches: Mapping[str, Any]) -> str:
    """Read a non-empty text within the official client's limit."""
    if not isinstance(value, str) or not value:
        raise Refused(400, "content is required")
    if switches["enforce_client_limits"] and len(value) > MAX_CONTENT:
        raise Refused(400, f"content is longer than {MAX_CONTENT} characters")
    return value


def dlr_request(fields: Mapping[str, Any]) -> DlrRequest | None:
    """Read the DLR settings; `dlr=yes` or a `dlr_level` needs a `dlr_url`."""
    wanted = str(fields.get("dlr", "no")).lower()
    if wanted not in ("yes", "no"):
        raise Refused(400, "dlr must be yes or no")
    level = fields.get("dlr_level")
    if wanted == "no" and level is None:
        return None
    url = fields.get("dlr_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise Refused(400, "dlr_url is required with dlr or dlr_level")
    level_text = "1" if level is None else str(level)
    if level_text not in _DLR_LEVELS:
        raise Refused(400, "dlr_level must be 1, 2 or 3")
    method = str(fields.get("dlr_method", "GET")).upper()
    if method not in ("GET", "POST"):
        raise Refused(400, "dlr_method must be GET or POST")
    return DlrRequest(url=url, level=int(level_text), method=method)


def schedule_at(value: Any, switches: Mapping[str, Any]) -> datetime | None:
    """`YYYY-MM-DD HH:MM:SS` in the switch's time zone (UTC+7 by default)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Refused(400, "schedule_at must be YYYY-MM-DD HH:MM:SS")
    try:
        naive = datetime.strptime(value, SCHEDULE_FORMAT)  # noqa: DTZ007 (zone set below)
    except ValueError:
        raise Refused(400, "schedule_at must be YYYY-MM-DD HH:MM:SS") from None
    return naive.replace(tzinfo=_TIME_ZONES[switches["schedule_tz"]])


def optional_url(block: Mapping[str, Any], name: str) -> str | None:
    """Read a callback URL from batch_config/configs, if any."""
    value = block.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise Refused(400, f"{name} must be an http(s) URL")
    return value
