"""The answer shapes the spec leaves open, each behind a switch (spec §3.3 to §3.5, §3.7)."""

import json
from typing import Any, Final

from aiohttp import web

NON_AUTHORITATIVE: Final = "Non-Authoritative Information"


def accepted(shape: str, queue_id: str, count: int) -> web.Response:
    """Answer an accepted send or batch: `go`, `jasmin_rest`, `jasmin_text` or a custom template."""
    if shape == "go":
        return web.json_response({"queue_id": queue_id, "message_count": count})
    if shape == "jasmin_rest":
        return web.json_response({"data": {"batchId": queue_id, "messageCount": count}})
    if shape == "jasmin_text":
        return web.Response(text=f'Success "{queue_id}"')
    body = shape.replace("{id}", queue_id).replace("{count}", str(count))
    return web.Response(text=body, content_type="application/json")


def refused_json(status: int, reason: str) -> web.Response:
    """Refuse in JSON, with both keys clients look for."""
    return web.json_response({"status": "error", "message": reason, "error": reason}, status=status)


def refused_text(status: int, reason: str) -> web.Response:
    """Jasmin's HTTP API refusal."""
    return web.Response(status=status, text=f'Error "{reason}"')


def auth_refused(status: int, body: Any) -> web.Response:
    """Refuse the key with the switch's body: a JSON object or a raw string."""
    if isinstance(body, str):
        return web.Response(status=status, text=body)
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


def non_authoritative() -> web.Response:
    """Answer the 203 seen in third-party code: a failure despite the 2xx status."""
    return web.json_response({"message": f"{NON_AUTHORITATIVE} (203)"}, status=203)
