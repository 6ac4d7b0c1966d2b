"""Plumbing shared by the simulators' /_sim/ control APIs (no auth, JSON): DESIGN.md.

Each simulator keeps its own routes and handlers; this module reads bodies and answers errors
the same way for all of them.
"""

from collections.abc import Awaitable, Callable, Iterable
import json
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]


class ControlError(Exception):
    """A control request that cannot be done (answered 400)."""


def ok(data: Any) -> web.Response:
    """Answer JSON with non-ASCII text kept readable."""
    return web.json_response(data, dumps=lambda value: json.dumps(value, ensure_ascii=False))


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


def guarded(handler: Handler, key_error_prefix: str) -> Handler:
    """Turn a refused request into a 400 JSON error; a KeyError names the unknown key."""

    async def guarded_handler(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ControlError, ValueError, KeyError) as err:
            message = f"{key_error_prefix} {err}" if isinstance(err, KeyError) else str(err)
            return web.json_response({"error": message}, status=400)

    return guarded_handler


def add_routes(app: web.Application, routes: Iterable[Route], key_error_prefix: str) -> None:
    """Register (method, path, handler) routes, each guarded."""
    for method, path, handler in routes:
        app.router.add_route(method, path, guarded(handler, key_error_prefix))
