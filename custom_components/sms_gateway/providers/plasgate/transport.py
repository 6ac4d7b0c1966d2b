"""How a request reaches Plasgate and how its answer becomes a receipt or an error (spec §2.10).

The private key travels in the URL query, so no URL, and no library error that may quote one,
is ever logged or put into an exception: errors name the path and the error type only, are
raised without their cause, and any text the service echoes is scrubbed of the key and secret.
A send is never repeated unless the service refused it for rate (429), which means it did not
process it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
import json
import logging
import re
import ssl
from typing import Any, Final

import aiohttp

from ..endpoint import Answer, Credentials, Endpoint
from ..errors import (
    AuthError,
    BadRequestError,
    InvalidInputError,
    InvalidResponseError,
    RateLimitedError,
    RejectedError,
    ServiceError,
)
from ..text import mask_number
from .limiter import SlidingWindowLimiter

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://cloudapi.plasgate.com"
DEFAULT_RATE_PAUSE_S: Final = 5.0
MAX_RATE_PAUSE_S: Final = 120.0
_SUCCESS_TEXT: Final = re.compile(r'^\s*Success\s+"([^"]*)"\s*$')
_ERROR_TEXT: Final = re.compile(r'^\s*Error\s+"([^"]*)"\s*$')
_MAX_REASON: Final = 200
_LONG_DIGIT_RUN: Final = re.compile(r"\+?\d{6,}")
"""A phone number the service quotes back (e.g. in "Invalid destination address ...")."""


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """What an accepted send or batch answered; both fields are absent in some answer shapes."""

    queue_id: str | None
    message_count: int | None


def ca_bundle_context(pem: str) -> ssl.SSLContext:
    """Trust a CA bundle (such as `/sms/public/certificates`) on top of the system's."""
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cadata=pem)
    except (ssl.SSLError, ValueError):
        raise InvalidInputError("The CA bundle is not PEM certificates") from None
    return context


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def receipt_from(body: bytes) -> SendReceipt:
    """Read an accepted answer in any known shape: Go client, Jasmin REST or Jasmin text."""
    text = body.decode("utf-8", errors="replace")
    if match := _SUCCESS_TEXT.match(text):
        return SendReceipt(queue_id=match.group(1) or None, message_count=None)
    payload = _json(body)
    if not isinstance(payload, Mapping):
        raise InvalidResponseError(
            f"Plasgate accepted the request but answered {len(body)} unreadable bytes"
        )
    if payload.get("status") == "error" or "error" in payload:
        raise RejectedError(200, "Plasgate answered an error with HTTP 200")
    data = payload.get("data")
    if isinstance(data, Mapping) and "batchId" in data:
        return SendReceipt(str(data["batchId"]), _number(data.get("messageCount")))
    for key in ("queue_id", "batchId", "message_id", "id"):
        if payload.get(key) is not None:
            return SendReceipt(str(payload[key]), _number(payload.get("message_count")))
    return SendReceipt(None, _number(payload.get("message_count")))


class PlasgateTransport:
    """Requests to one account: credentials, throttling, timeouts and error mapping."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        private_key: str,
        secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | bool = True,
        rate_limit_retries: int = 3,
    ) -> None:
        """Send through the caller's session; `ssl_context` may trust a custom CA bundle."""
        self._account = Credentials.checked(
            private_key, secret, "The Plasgate private key and secret are required"
        )
        # Not chained: some aiohttp errors quote the URL, and the URL carries the key.
        self._endpoint = Endpoint(
            "Plasgate", session, base_url.rstrip("/"), timeout, chain=False, also=(ValueError,)
        )
        self._ssl = ssl_context
        self._rate_limit_retries = rate_limit_retries

    def scrub(self, text: str) -> str:
        """Remove the key and secret from text the service sent, mask numbers, and shorten it."""
        for secret in (self._account.key, self._account.secret):
            text = text.replace(secret, "***")
        text = _LONG_DIGIT_RUN.sub(lambda match: mask_number(match.group()), text)
        return text[:_MAX_REASON]

    async def _exchange(self, method: str, path: str, body: bytes | None) -> Answer:
        headers = {"X-Secret": self._account.secret, "Accept": "application/json, text/plain"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return await self._endpoint.fetch(
            method,
            path,
            path,
            params={"private_key": self._account.key},
            data=body,
            headers=headers,
            ssl=self._ssl,
        )

    def _reason(self, body: bytes) -> str:
        payload = _json(body)
        if isinstance(payload, Mapping):
            for key in ("message", "error", "detail"):
                if isinstance(payload.get(key), str):
                    return self.scrub(payload[key])
        text = body.decode("utf-8", errors="replace")
        if match := _ERROR_TEXT.match(text):
            return self.scrub(match.group(1))
        return self.scrub(text.strip()) or "no details"

    def _refusal(self, path: str, status: int, body: bytes) -> Exception:
        reason = self._reason(body)
        message = f"Plasgate {path}: HTTP {status}: {reason}"
        if status == HTTPStatus.UNAUTHORIZED or (
            status == HTTPStatus.FORBIDDEN and "sender" not in reason.lower()
        ):
            return AuthError(f"Plasgate refused the private key or secret (HTTP {status})")
        if status == HTTPStatus.NON_AUTHORITATIVE_INFORMATION:
            return RejectedError(status, f"Plasgate {path}: non-authoritative answer (203)")
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            return ServiceError(status, message)
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            return RateLimitedError(status, message)
        return BadRequestError(status, message)

    @staticmethod
    def _pause_for(headers: Mapping[str, str]) -> float:
        """Read the service's Retry-After in seconds, else a default; bounded either way."""
        value = headers.get("Retry-After", "")
        try:
            seconds = float(value)
        except ValueError:
            seconds = DEFAULT_RATE_PAUSE_S
        return min(max(seconds, 0.0), MAX_RATE_PAUSE_S)

    async def request(
        self,
        method: str,
        path: str,
        limiter: SlidingWindowLimiter | None,
        payload: Mapping[str, Any] | None = None,
    ) -> bytes:
        """Send once (repeated only after a 429) and return the body of a 2xx answer."""
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        retries_left = self._rate_limit_retries
        while True:
            slot = None if limiter is None else await limiter.acquire()
            try:
                answer = await self._exchange(method, path, body)
            finally:
                if limiter is not None and slot is not None:
                    limiter.settle(slot)
            status, reply = answer.status, answer.body
            if status == HTTPStatus.TOO_MANY_REQUESTS and limiter is not None and retries_left > 0:
                retries_left -= 1
                pause = self._pause_for(answer.headers)
                _LOGGER.debug("Plasgate %s rate limited; pausing %.1f s", path, pause)
                limiter.pause(pause)
                continue
            if 200 <= status < 300 and status != HTTPStatus.NON_AUTHORITATIVE_INFORMATION:  # noqa: PLR2004
                return reply
            raise self._refusal(path, status, reply)
