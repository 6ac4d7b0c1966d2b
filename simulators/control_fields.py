"""Reading /_sim/ control request bodies: a JSON object and its typed fields.

A body or field that is not what the route takes raises ControlError, answered 400 by the route.
"""

from typing import Any

from aiohttp import web


class ControlError(Exception):
    """A control request that cannot be done (answered 400)."""


async def json_object(request: web.Request) -> dict[str, Any]:
    """Read the body as a JSON object; an empty body counts as `{}`."""
    try:
        body = await request.json() if await request.read() else {}
    except ValueError as err:
        raise ControlError("body is not JSON") from err
    if not isinstance(body, dict):
        raise ControlError("body is not a JSON object")
    return body


def text_field(body: dict[str, Any], key: str, default: str | None = None) -> str:
    """Read a string field (or the default when it is absent)."""
    value = body.get(key, default)
    if not isinstance(value, str):
        raise ControlError(f"{key} must be a string")
    return value


def optional_text_field(body: dict[str, Any], key: str) -> str | None:
    """Read a string field where null or absent means "none"."""
    return None if body.get(key) is None else text_field(body, key)


def non_empty_text_field(body: dict[str, Any], key: str) -> str:
    """Read a string field that must not be empty."""
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise ControlError(f"{key} must be a non-empty string")
    return value


def text_list_field(body: dict[str, Any], key: str) -> list[str]:
    """Read a field that must be a list of strings."""
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ControlError(f"{key} must be a list of strings")
    return value
