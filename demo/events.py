"""Home Assistant's event bus through its websocket API: the REST API cannot wait for an event."""

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from typing import Any

import aiohttp

from .home_assistant import DemoError, HomeAssistantApi

_CONNECT_TIMEOUT = 10.0
_SUBSCRIPTION_ID = 1


class EventWatch:
    """One subscription to one event type."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        """Read events from an authenticated, subscribed websocket."""
        self._websocket = websocket

    async def next(
        self, match: Callable[[dict[str, Any]], bool], within: float
    ) -> dict[str, Any] | None:
        """Return the next matching event's data; None after `within` s or on a closed socket."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while True:
                    message = await self._websocket.receive()
                    if message.type != aiohttp.WSMsgType.TEXT:
                        return None
                    body = message.json()
                    if body.get("type") == "event" and match(body["event"]["data"]):
                        return dict(body["event"]["data"])
        return None


async def _expect(websocket: aiohttp.ClientWebSocketResponse, wanted: str) -> dict[str, Any]:
    body: dict[str, Any] = await websocket.receive_json(timeout=_CONNECT_TIMEOUT)
    if body.get("type") != wanted:
        raise DemoError(f"Home Assistant's websocket API said {body.get('type')!r}, not {wanted!r}")
    return body


async def _subscribe(
    websocket: aiohttp.ClientWebSocketResponse, token: str, event_type: str
) -> None:
    """Authenticate, then subscribe; DemoError when Home Assistant says no or says nothing."""
    try:
        await _expect(websocket, "auth_required")
        await websocket.send_json({"type": "auth", "access_token": token})
        await _expect(websocket, "auth_ok")
        await websocket.send_json(
            {"id": _SUBSCRIPTION_ID, "type": "subscribe_events", "event_type": event_type}
        )
        result = await _expect(websocket, "result")
    except (aiohttp.ClientError, TimeoutError, TypeError) as err:
        raise DemoError(f"Home Assistant's websocket API did not answer: {err!r}") from err
    if not result.get("success"):
        raise DemoError(f"Home Assistant refused a subscription to {event_type}")


@contextlib.asynccontextmanager
async def watch_events(api: HomeAssistantApi, event_type: str) -> AsyncIterator[EventWatch]:
    """Log in to /api/websocket with the demo's token and subscribe to event_type."""
    try:
        websocket = await api.session.ws_connect(f"{api.base_url}/api/websocket")
    except (aiohttp.ClientError, TimeoutError) as err:
        raise DemoError(f"Home Assistant's websocket API does not answer: {err!r}") from err
    try:
        await _subscribe(websocket, api.token, event_type)
        yield EventWatch(websocket)
    finally:
        await websocket.close()
