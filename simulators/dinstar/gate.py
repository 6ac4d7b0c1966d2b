"""Everything between the socket and an API handler: counting, network faults, auth, method.

Order per request: count it, latency, a drop while rebooting, hang or drop (timeout_paths,
drop_connection_paths), a
plain 404 for unknown paths, the empty-POST probe drop, Digest/Basic (§2.3, §3.2), a flaky
401/403, GoAhead's HTML 404 for /api/ paths when api_enabled is off, wrong method (403),
fail_500_paths, then the handler and the envelope (cut in half for malformed_paths; a send that
reboots the gateway drops instead).
"""

import asyncio
from collections import Counter, deque
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
import json
import random
from typing import Any

from aiohttp import web

from simulators.digest_server import DigestVerifier, Verdict
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, render
from simulators.transport import drop_connection

_LOG_SIZE = 1000
_LOGGED_BODY = 2000
_API_OFF_PAGE = "<html><head><title>Document Error: Not Found</title></head></html>"


@dataclass(frozen=True)
class Route:
    """An API path's expected method and handler."""

    method: str
    handler: Callable[[ApiCall], ApiReply]


def _loggable_body(body: bytes) -> Any:
    try:
        return json.loads(body) if body.strip() else None
    except ValueError:
        return body[:_LOGGED_BODY].decode(errors="replace")


class ApiGate:
    """The aiohttp handler for every API path (and unknown ones)."""

    def __init__(
        self,
        routes: Mapping[str, Route],
        verifier: DigestVerifier,
        faults: MutableMapping[str, Any],
        rng: random.Random,
        sn: str,
    ) -> None:
        """Routes map a path (as on the wire) to its method and handler."""
        self.routes = routes
        self._verifier = verifier
        self._faults = faults
        self._rng = rng
        self._sn = sn
        self._released = asyncio.Event()
        self.rebooting = False
        self.request_counts: Counter[str] = Counter()
        self.handled_counts: Counter[str] = Counter()
        self.log: deque[dict[str, Any]] = deque(maxlen=_LOG_SIZE)

    def release_hung(self) -> None:
        """Shutdown: requests held by timeout_paths drop their connections now."""
        self._released.set()

    def reboot(self) -> None:
        """Go down: every request is dropped until boot()."""
        self.rebooting = True

    def boot(self) -> None:
        """Come back up; the nonces issued before the reboot are unknown now."""
        self.rebooting = False
        self._verifier.forget_all()

    def reset_counts(self) -> None:
        """Forget what was counted and logged."""
        self.request_counts.clear()
        self.handled_counts.clear()
        self.log.clear()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Entry point for every path that is not the control API."""
        body = await request.read()
        self.request_counts[request.path] += 1
        response = await self._answer(request, body)
        dropped = request.transport is None or request.transport.is_closing()
        self.log.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.query),
                "body": _loggable_body(body),
                "auth": request.headers.get("Authorization", "").partition(" ")[0] or None,
                "status": None if dropped else response.status,
            }
        )
        return response

    async def _answer(self, request: web.Request, body: bytes) -> web.StreamResponse:
        path = request.path
        dropped = await self._network_fault(request)
        if dropped is not None:
            return dropped
        route = self.routes.get(path)
        if route is None:
            return web.Response(status=404, text="404: Not Found")
        # Not `or`: a response is a (usually empty, so falsy) mapping.
        refusal = self._authenticate(request, body)
        if refusal is None:
            refusal = self._refuse(request, route)
        if refusal is not None:
            return refusal
        self.handled_counts[path] += 1
        reply = self._reply(request, route, body)
        if path == "/api/send_sms" and self._faults["reboot_during_send"]:
            self._faults["reboot_during_send"] = False
            self.reboot()
            return drop_connection(request)
        response = render(reply, sn=self._sn, faults=self._faults)
        if path in self._faults["malformed_paths"]:
            text = response.text or ""
            response.text = text[: len(text) // 2]
        return response

    async def _network_fault(self, request: web.Request) -> web.StreamResponse | None:
        """Latency, then a dropped or hung connection when a switch says so; else None."""
        path = request.path
        if self._faults["latency_ms"]:
            await asyncio.sleep(self._faults["latency_ms"] / 1000)
        if self.rebooting:
            return drop_connection(request)
        if path in self._faults["timeout_paths"]:
            await self._released.wait()
            return drop_connection(request)
        if path in self._faults["drop_connection_paths"]:
            return drop_connection(request)
        return None

    def _reply(self, request: web.Request, route: Route, body: bytes) -> ApiReply:
        if request.path in self._faults["fail_500_paths"]:
            return ApiReply(500)
        call = ApiCall(request.method, dict(request.query), body)
        try:
            return route.handler(call)
        except ApiError as err:
            return ApiReply(err.code)

    def _refuse(self, request: web.Request, route: Route) -> web.StreamResponse | None:
        """Refuse an authenticated request the gateway would not serve (API off, wrong method)."""
        if not self._faults["api_enabled"] and request.path.startswith("/api/"):
            return web.Response(status=404, text=_API_OFF_PAGE, content_type="text/html")
        if request.method != route.method and not self._faults["allow_wrong_method"]:
            return web.Response(status=403, text="403 Forbidden")
        return None

    def _challenge(self, *, stale: bool = False) -> web.Response:
        return web.Response(
            status=401,
            text="401 Unauthorized",
            headers={"WWW-Authenticate": self._verifier.challenge(stale=stale)},
        )

    def _authenticate(self, request: web.Request, body: bytes) -> web.StreamResponse | None:
        """Return None when the request may go on, else the refusal to send."""
        header = request.headers.get("Authorization", "")
        probe = not header and request.method == "POST" and not body
        if probe and self._faults["drop_empty_post_probe"]:
            return drop_connection(request)
        verdict = self._verdict(header, request)
        if verdict is not Verdict.OK:
            return self._challenge(stale=verdict is Verdict.STALE)
        rate = self._faults["flaky_auth_rate"]
        if rate and self._rng.random() < rate:
            spurious_status = self._rng.choice((401, 403))
            if spurious_status == 401:  # noqa: PLR2004
                return self._challenge()
            return web.Response(status=403, text="403 Forbidden")
        return None

    def _verdict(self, header: str, request: web.Request) -> Verdict:
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "digest":
            return self._verifier.check_digest(credentials, request.method, request.raw_path)
        basic_ok = scheme.lower() == "basic" and self._faults["accept_basic"]
        if basic_ok and self._verifier.check_basic(credentials):
            return Verdict.OK
        return Verdict.INVALID
