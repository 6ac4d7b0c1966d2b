"""The Dinstar API's wire conventions: request parsing, the envelope and "Data follows".

Handlers get an ApiCall and return an ApiReply or raise ApiError; this module alone knows how
those become HTTP (spec §2.4, §2.5, §3.1 and the `error_http_status`/`trailing_commas` switches).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
import json
from typing import Any

from aiohttp import web

DATA_FOLLOWS = "Data follows"
MAX_PORT = 31


class ApiError(Exception):
    """Ends a call with an envelope holding only this error_code."""

    def __init__(self, code: int, why: str = "") -> None:
        """Keep why for the simulator's own debugging; it is never sent."""
        super().__init__(f"{code} {why}".strip())
        self.code = code


@dataclass(frozen=True)
class ApiReply:
    """An answer: error_code plus fields, or (no envelope) fields as the whole body."""

    code: int
    fields: Mapping[str, Any] = field(default_factory=dict)
    envelope: bool = True


@dataclass(frozen=True)
class ApiCall:
    """A request that passed the gate: its query and raw body."""

    method: str
    query: Mapping[str, str]
    body: bytes

    def json_body(self) -> Any:
        """Parse the body as JSON (None when empty); malformed JSON is a 400."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError as err:
            raise ApiError(400, "body is not JSON") from err

    def json_object(self, *, required: bool = False) -> dict[str, Any]:
        """Parse the body as a JSON object; an empty body is {} unless the call needs one."""
        body = self.json_body()
        if body is None and not required:
            return {}
        if not isinstance(body, dict):
            raise ApiError(400, "body is not a JSON object")
        return body

    def params(self) -> dict[str, str]:
        """Query parameters, plus a JSON object body's fields (a POST to a GET endpoint)."""
        params = dict(self.query)
        body = self.json_body() if self.method == "POST" else None
        if isinstance(body, dict):
            for key, value in body.items():
                if isinstance(value, list):
                    params[key] = ",".join(str(item) for item in value)
                else:
                    params[key] = str(value)
        return params


def check_port(value: Any, port_count: int) -> int:
    """Return value if it is a port index of this gateway (0-based), else 400."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < port_count:
        raise ApiError(400, "port out of range")
    return int(value)


def parse_int(text: str | None, what: str) -> int:
    """Read a decimal integer from a query parameter, else 400."""
    if text is None or not text.strip().isdigit():
        raise ApiError(400, f"{what} is not an integer")
    return int(text)


def parse_port_csv(text: str | None, port_count: int) -> list[int]:
    """`1,2,3` as ports; None or blank means every port."""
    if text is None or not text.strip():
        return list(range(port_count))
    return [check_port(parse_int(part, "port"), port_count) for part in text.split(",")]


def parse_port_array(value: Any, port_count: int) -> list[int]:
    """Read a JSON array of ports; absent means every port."""
    if value is None:
        return list(range(port_count))
    if not isinstance(value, list):
        raise ApiError(400, "port is not an array")
    return [check_port(port, port_count) for port in value]


def string_list(value: Any, what: str) -> list[str] | None:
    """Read an optional JSON array of strings."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ApiError(400, f"{what} is not an array of strings")
    return value


def optional_time(value: Any, what: str) -> str | None:
    """Read an optional `YYYY-MM-DD HH:MM:SS` filter (compared as text, which sorts right)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{what} is not a string")
    return value


def to_json(value: Any, *, trailing_commas: bool) -> str:
    """Compact JSON; with trailing_commas, arrays of objects end `},]` like the doc's example."""
    if not trailing_commas:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        members = (
            f"{json.dumps(key, ensure_ascii=False)}:{to_json(item, trailing_commas=True)}"
            for key, item in value.items()
        )
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        inner = ",".join(to_json(item, trailing_commas=True) for item in value)
        tail = "," if value and isinstance(value[-1], dict) else ""
        return f"[{inner}{tail}]"
    return json.dumps(value, ensure_ascii=False)


def render(reply: ApiReply, *, sn: str, faults: Mapping[str, Any]) -> web.Response:
    """HTTP for a reply: 200 "Data follows" unless error_http_status says otherwise."""
    body: dict[str, Any] = (
        {"error_code": reply.code, "sn": sn, **reply.fields}
        if reply.envelope
        else dict(reply.fields)
    )
    status, reason = 200, DATA_FOLLOWS
    if faults["error_http_status"] == "error_code" and reply.code >= 400:  # noqa: PLR2004
        status, reason = reply.code, "Error"
    return web.Response(
        status=status,
        reason=reason,
        text=to_json(body, trailing_commas=faults["trailing_commas"]),
        content_type="application/json",
    )
