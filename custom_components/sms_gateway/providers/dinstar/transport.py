"""How a request reaches a Dinstar gateway and how its answer becomes a payload or an error.

The gateway is slow, hand-writes its JSON and may drop connections: every request has a timeout,
the body's `error_code` decides success, and nothing that may have sent an SMS or a USSD request
is repeated unless the gateway plainly refused it before processing it (a 401).
"""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
import json
import logging
from typing import Any, Final, TypedDict, Unpack
from urllib.parse import quote, urlencode

import aiohttp
from yarl import URL

from ..digest import DigestAuth, scheme_of
from ..errors import (
    ApiDisabledError,
    AuthError,
    BadRequestError,
    InvalidInputError,
    InvalidResponseError,
    LimitExceededError,
    NoPortAvailableError,
    NotFoundError,
    RejectedError,
    ServiceError,
)
from ..lenient_json import NotJsonError, loads_lenient
from ..network import exchange

_LOGGER = logging.getLogger(__name__)

SPURIOUS_AUTH_RETRY_DELAY: Final = 0.5

OK: Final = (200,)
ACCEPTED: Final = (202,)
NO_BODY: Final[object] = object()
"""Marks a request without a body, since None is a valid JSON body (null)."""

_PROBE_PATH: Final = "/api/query_sms_in_queue"
_API_PREFIX: Final = "/api/"

_CODE_MEANINGS: Final = {
    400: "the request format is not valid",
    404: "not found",
    413: "a size limit was exceeded",
    500: "the gateway reported an error",
    550: "no port is available for sending",
}


class RequestParts(TypedDict, total=False):
    """What a request carries besides its method and path, and whether it is safe to repeat."""

    params: Sequence[tuple[str, str]] | None
    body: object
    idempotent: bool


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP answer, read whole while the connection was open."""

    status: int
    challenges: tuple[str, ...]
    body: bytes
    content_type: str = ""


def reply_json(raw: bytes) -> Any:
    """Read a reply body as JSON, tolerating the firmware's BOM and trailing commas."""
    try:
        return loads_lenient(raw.decode("utf-8", errors="replace"))
    except NotJsonError:
        raise InvalidResponseError(f"Dinstar answered {len(raw)} bytes that are not JSON") from None


def base_url(host: str) -> str:
    """Turn what a user typed into a base URL; https when no scheme is given."""
    text = host.strip()
    if not text:
        raise InvalidInputError("The gateway address is empty")
    if "://" not in text:
        text = f"https://{text}"
    try:
        url = URL(text)
    except ValueError as err:
        raise InvalidInputError("The gateway address is not a valid URL") from err
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidInputError("The gateway address must be an http:// or https:// URL")
    return str(url.origin()) + url.raw_path.rstrip("/")


def rejection(code: int, path: str, limit: str | None) -> RejectedError:
    """Name the exception for a Dinstar code, so callers can catch the case they care about.

    Every 5xx but the documented 550 ("no port") is a server error, as for the other services:
    the request may have been processed before it failed.
    """
    message = f"Dinstar {path}: {_CODE_MEANINGS.get(code, 'unexpected answer')} ({code})"
    match code:
        case 400:
            return BadRequestError(code, message)
        case 404:
            return NotFoundError(code, message)
        case 413:
            return LimitExceededError(code, message, limit or "unknown")
        case 550:
            return NoPortAvailableError(code, message)
        case _ if 500 <= code < 600:  # noqa: PLR2004
            return ServiceError(code, message)
        case _:
            return RejectedError(code, message)


def error_code(payload: Any) -> int | None:
    """Read the body's `error_code`, which some builds write as a string; None if absent."""
    if not isinstance(payload, Mapping) or "error_code" not in payload:
        return None
    code = payload["error_code"]
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code)
    raise InvalidResponseError("Dinstar answered an error_code that is not a number")


def _refuse_if_api_disabled(path: str, reply: Reply) -> None:
    """With the API off, GoAhead answers /api/ paths with a plain 404 or an HTML page, no JSON."""
    if not path.startswith(_API_PREFIX) or reply.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return  # a server error page is a server error, whatever it looks like
    if reply.status != HTTPStatus.NOT_FOUND and reply.content_type != "text/html":
        return
    try:
        payload = reply_json(reply.body)
    except InvalidResponseError:
        payload = None
    if isinstance(payload, Mapping) and "error_code" in payload:
        return  # an envelope (e.g. error_http_status): the API is on and answered
    raise ApiDisabledError(f"Dinstar {path}: HTTP {reply.status} without JSON; is the API off?")


def _payload(reply: Reply, path: str, limit: str | None) -> Any:
    """JSON of the answer; an error status counts only when the body has no code of its own."""
    success = 200 <= reply.status < 300  # noqa: PLR2004
    try:
        payload = reply_json(reply.body)
    except InvalidResponseError:
        if success:
            raise
        raise rejection(reply.status, path, limit) from None
    if not success and error_code(payload) is None:
        raise rejection(reply.status, path, limit)
    return payload


class DinstarTransport:
    """Requests to one gateway: authentication, timeouts, retries and error mapping."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base: str,
        username: str,
        password: str,
        *,
        verify_ssl: bool,
        timeout: float,
    ) -> None:
        """Send through the caller's session to `base`, a URL already checked by base_url."""
        self._session = session
        self._base = base
        self._auth = DigestAuth(username, password)
        self._use_basic = False
        self._challenged = False
        self._ssl = verify_ssl
        self._timeout = timeout
        self._exchange_lock = asyncio.Lock()
        self.serial: str | None = None
        """The gateway's serial (`sn`) from the last envelope seen."""

    @property
    def base(self) -> str:
        """The base URL every path is appended to."""
        return self._base

    async def call(
        self,
        method: str,
        path: str,
        *,
        ok: tuple[int, ...] = OK,
        limit: str | None = None,
        not_found: tuple[int, ...] = (),
        **request: Unpack[RequestParts],
    ) -> Mapping[str, Any]:
        """Send a request whose answer is the `{"error_code", "sn", ...}` envelope."""
        reply = await self._send(method, path, request)
        payload = _payload(reply, path, limit)
        code = error_code(payload)
        if code is None or not isinstance(payload, Mapping):
            raise InvalidResponseError(f"Dinstar {path}: the answer has no error_code")
        serial = payload.get("sn")
        if isinstance(serial, str) and serial:
            self.serial = serial
        if code in ok:
            return payload
        if 200 <= code < 300:  # noqa: PLR2004
            # A success the endpoint does not document (a send answered 200, not 202): the
            # request may have been carried out, so it is an answer we cannot read, not a refusal.
            raise InvalidResponseError(f"Dinstar {path}: unexpected success code {code}")
        if code in not_found:
            raise NotFoundError(code, f"Dinstar {path}: not found ({code})")
        raise rejection(code, path, limit)

    async def call_bare(
        self, method: str, path: str, *, empty_ok: bool = False, **request: Unpack[RequestParts]
    ) -> Any:
        """Send a request whose answer has no envelope, yet may still carry an error code.

        With empty_ok, an empty successful answer is a success (None): some endpoints' answers
        are undocumented.
        """
        reply = await self._send(method, path, request)
        if empty_ok and not reply.body.strip():
            if not 200 <= reply.status < 300:  # noqa: PLR2004
                raise rejection(reply.status, path, None)
            return None
        payload = _payload(reply, path, None)
        code = error_code(payload)
        if code is not None and code not in (*OK, *ACCEPTED):
            raise rejection(code, path, None)
        return payload

    def _authorization(self, method: str, uri: str) -> str | None:
        if self._use_basic:
            return self._auth.basic_authorization()
        return self._auth.authorization(method, uri)

    def _accept_challenge(self, challenges: tuple[str, ...]) -> None:
        """Take the scheme the gateway asks for: Digest when offered, else Basic."""
        refusal = AuthError("Dinstar asked for authentication without a scheme we support")
        schemes = [scheme_of(challenge) for challenge in challenges]
        for challenge, scheme in zip(challenges, schemes, strict=True):
            if scheme == "digest":
                try:
                    self._auth.update(challenge)
                except AuthError as err:
                    refusal = err
                    continue
                self._use_basic = False
                self._challenged = True
                return
        if "basic" not in schemes:
            raise refusal
        self._use_basic = True
        self._challenged = True

    async def _exchange(
        self, method: str, path: str, url: URL, data: bytes | None, authorization: str | None
    ) -> Reply:
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if authorization is not None:
            headers["Authorization"] = authorization
        async with (
            exchange(f"Dinstar {path}", self._timeout),
            self._session.request(
                method,
                url,
                data=data,
                headers=headers,
                ssl=self._ssl,
                allow_redirects=False,
            ) as response,
        ):
            body = await response.read()
            challenges = tuple(response.headers.getall("WWW-Authenticate", ()))
            content_type = response.content_type
        _LOGGER.debug("Dinstar %s %s -> HTTP %s", method, path, response.status)
        return Reply(response.status, challenges, body, content_type)

    async def _prime_challenge(self) -> None:
        """Fetch a nonce with a GET: an unauthenticated POST may get its connection dropped."""
        url = URL(self._base + _PROBE_PATH, encoded=True)
        async with self._exchange_lock:
            if self._challenged:
                return  # another call primed it meanwhile
            reply = await self._exchange("GET", _PROBE_PATH, url, None, None)
        if reply.status == HTTPStatus.UNAUTHORIZED:
            self._accept_challenge(reply.challenges)
        else:
            self._challenged = True  # no challenge to wait for: the gateway asks for none

    async def _send(self, method: str, path: str, request: RequestParts) -> Reply:
        """Send once, answering auth challenges; a send is only repeated when it was refused.

        A request is idempotent unless it says otherwise; without a body it sends none.
        """
        params = request.get("params")
        body = request.get("body", NO_BODY)
        idempotent = request.get("idempotent", True)
        query = urlencode(params, safe=",", quote_via=quote) if params else ""
        uri = URL(self._base + path).raw_path + (f"?{query}" if query else "")
        url = URL(self._base + path + (f"?{query}" if query else ""), encoded=True)
        data = (
            None
            if body is NO_BODY
            else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        )
        if method != "GET" and not self._challenged:
            await self._prime_challenge()
        stale_retry = True
        refused_retry = True
        while True:
            async with self._exchange_lock:
                authorization = self._authorization(method, uri)
                reply = await self._exchange(method, path, url, data, authorization)
            if reply.status not in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                _refuse_if_api_disabled(path, reply)
                return reply
            if reply.status == HTTPStatus.UNAUTHORIZED and authorization is None:
                self._accept_challenge(reply.challenges)
                continue
            if (
                reply.status == HTTPStatus.UNAUTHORIZED
                and stale_retry
                and any(DigestAuth.challenge_is_stale(c) for c in reply.challenges)
            ):
                stale_retry = False
                self._accept_challenge(reply.challenges)
                continue
            # A 401 means the gateway did not process the request, so even a send may repeat it;
            # a 403 is ambiguous, so only requests that are safe to repeat are.
            if refused_retry and (idempotent or reply.status == HTTPStatus.UNAUTHORIZED):
                refused_retry = False
                if reply.challenges:
                    self._accept_challenge(reply.challenges)
                await asyncio.sleep(SPURIOUS_AUTH_RETRY_DELAY)
                continue
            if reply.status == HTTPStatus.UNAUTHORIZED:
                raise AuthError("Dinstar refused the username or password")
            raise RejectedError(
                HTTPStatus.FORBIDDEN.value,
                f"Dinstar {path}: forbidden (403); is the New Version API enabled?",
            )
