"""Async client for the Dinstar GSM gateway HTTP API ("New Version API", firmware 1102 and later).

Built for a gateway that is slow, hand-writes its JSON and may drop connections: every call has a
timeout, the body's `error_code` decides success, and nothing that may have sent an SMS or a USSD
request is ever re-sent behind the caller's back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
import itertools
import json
import logging
import re
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode

import aiohttp
from yarl import URL

from .digest import DigestAuth
from .dinstar_models import (
    CallRecord,
    DeliveryStatus,
    DeviceStats,
    InboxFlag,
    InboxPage,
    PortInfo,
    RecipientOutcome,
    RecipientState,
    SendOutcome,
    SendReceipt,
    SmsRecipient,
    SmsResult,
    StkView,
    UssdPortStatus,
    UssdReply,
    UssdSendStatus,
)
from .errors import (
    ApiDisabledError,
    AuthError,
    BadRequestError,
    InvalidInputError,
    InvalidResponseError,
    LimitExceededError,
    NoPortAvailableError,
    NotFoundError,
    PortBusyError,
    PortNotRegisteredError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RejectedError,
    ServiceError,
)
from .text import Encoding, normalise_number, plan_text

if TYPE_CHECKING:
    from datetime import datetime

_LOGGER = logging.getLogger(__name__)

MAX_PORT: Final = 31
MAX_RECIPIENTS_PER_SEND: Final = 128
MAX_NUMBERS_PER_QUERY: Final = 32
MAX_USSD_BYTES: Final = 60
SPURIOUS_AUTH_RETRY_DELAY: Final = 0.5

LIMIT_RECIPIENTS: Final = "recipients"
LIMIT_TEXT_BYTES: Final = "text_bytes"
LIMIT_NUMBERS: Final = "numbers"

ALL_INFO_TYPES: Final = (
    "type",
    "imei",
    "imsi",
    "iccid",
    "number",
    "reg",
    "slot",
    "callstate",
    "signal",
    "gprs",
    "remain_credit",
    "remain_monthly_credit",
    "remain_daily_credit",
    "remain_daily_calltime",
    "remain_hourly_calltime",
    "remain_daily_connect",
)
"""Every documented `info_type`, in the request spelling."""

_EXTRA_INFO_TYPES: Final = frozenset({"CallForward", "smsc"})
_WIRE_ENCODING: Final = {Encoding.GSM7: "gsm-7bit", Encoding.UCS2: "unicode"}
_TIME_LAYOUT: Final = "%Y-%m-%d %H:%M:%S"
_PROBE_PATH: Final = "/api/query_sms_in_queue"
_TRAILING_COMMA: Final = re.compile(r",\s*([\]}])")
_HTTP_UNAUTHORIZED: Final = 401
_HTTP_FORBIDDEN: Final = 403
_HTTP_NOT_FOUND: Final = 404
_API_PREFIX: Final = "/api/"

_OK: Final = (200,)
_ACCEPTED: Final = (202,)
_NO_BODY: Final[object] = object()

_CODE_MEANINGS: Final = {
    400: "the request format is not valid",
    404: "not found",
    413: "a size limit was exceeded",
    500: "the gateway reported an error",
    550: "no port is available for sending",
}


class PortAction(StrEnum):
    """The `action` values of `set_port_info`."""

    SLOT = "slot"
    RESET = "reset"
    POWER = "power"
    IMEI = "imei"
    NUMBER = "number"
    LOCK = "lock"
    UNLOCK = "unlock"
    BLOCK = "block"
    UNBLOCK = "unblock"
    CALL_FORWARD = "CallForward"
    CHECK_CALL_FORWARD = "CheckCallForward"


class CallForwardCondition(StrEnum):
    """When calls are forwarded (`param` of the CallForward action)."""

    UNCONDITIONAL = "Unconditional"
    NO_REPLY = "NoReply"
    BUSY = "Busy"
    NOT_REACHABLE = "Not_Reachable"
    CANCEL_ALL = "CancelAll"


class StkAction(StrEnum):
    """Navigation actions of `STKGo`; cancel is misspelled on the wire, on purpose."""

    OK = "ok"
    CANCEL = "cancle"
    HOME = "home"


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    challenges: tuple[str, ...]
    body: bytes
    content_type: str = ""


def loads_lenient(raw: bytes) -> Any:
    """Parse JSON strictly, then once more without the trailing commas the firmware writes."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text))
    except (ValueError, RecursionError) as err:
        raise InvalidResponseError(f"Dinstar answered {len(raw)} bytes that are not JSON") from err


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


def _refuse_if_api_disabled(path: str, reply: _Reply) -> None:
    """With the API off, GoAhead answers /api/ paths with a plain 404 or an HTML page, no JSON."""
    if not path.startswith(_API_PREFIX):
        return
    if reply.status != _HTTP_NOT_FOUND and reply.content_type != "text/html":
        return
    try:
        payload = loads_lenient(reply.body)
    except InvalidResponseError:
        payload = None
    if isinstance(payload, Mapping) and "error_code" in payload:
        return  # an envelope (e.g. error_http_status): the API is on and answered
    raise ApiDisabledError(f"Dinstar {path}: HTTP {reply.status} without JSON; is the API off?")


def _rejection(code: int, path: str, limit: str | None) -> RejectedError:
    message = f"Dinstar {path}: {_CODE_MEANINGS.get(code, 'unexpected answer')} ({code})"
    match code:
        case 400:
            return BadRequestError(code, message)
        case 404:
            return NotFoundError(code, message)
        case 413:
            return LimitExceededError(code, message, limit or "unknown")
        case 500:
            return ServiceError(code, message)
        case 550:
            return NoPortAvailableError(code, message)
        case _:
            return RejectedError(code, message)


def _error_code(payload: Any) -> int | None:
    if not isinstance(payload, Mapping) or "error_code" not in payload:
        return None
    code = payload["error_code"]
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code)
    raise InvalidResponseError("Dinstar answered an error_code that is not a number")


def _check_port(port: int) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= MAX_PORT:
        raise InvalidInputError(f"A port must be an integer from 0 to {MAX_PORT}")
    return port


def _check_ports(ports: Iterable[int] | None) -> list[int] | None:
    """None means "let the gateway choose / all ports"; an explicit empty list is a mistake."""
    if ports is None:
        return None
    checked = list(dict.fromkeys(_check_port(port) for port in ports))
    if not checked:
        raise InvalidInputError("The list of ports is empty")
    return checked


def _normalise_numbers(numbers: Iterable[str]) -> list[str]:
    """Normalise every number and report all bad ones at once, by position and masked."""
    good: list[str] = []
    problems: list[str] = []
    for position, number in enumerate(numbers, start=1):
        try:
            good.append(normalise_number(number))
        except InvalidInputError as err:
            problems.append(f"#{position}: {err}")
    if problems:
        raise InvalidInputError("Invalid phone numbers: " + "; ".join(problems))
    return good


def _check_text(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"The {what} is empty")
    return text


def _check_ussd_text(text: str) -> str:
    _check_text(text, "USSD code")
    if len(text.encode()) > MAX_USSD_BYTES:
        raise InvalidInputError(f"A USSD code is at most {MAX_USSD_BYTES} bytes")
    return text


def _check_user_id(user_id: int | None) -> int | None:
    if user_id is not None and (
        isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 0
    ):
        raise InvalidInputError("A user_id must be a non-negative integer")
    return user_id


def _wire_time(value: datetime) -> str:
    return value.strftime(_TIME_LAYOUT)


def _chunks[T](items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _results(payload: Mapping[str, Any], *keys: str) -> list[Mapping[str, Any]]:
    for key in keys:
        if key in payload:
            value = payload[key]
            if value is None:
                return []
            if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
                raise InvalidResponseError(f"Dinstar answered a {key!r} that is not a list")
            return value
    return []


class DinstarClient:
    """One gateway: the documented endpoints, typed, plus batching and USSD helpers."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        username: str,
        password: str,
        *,
        verify_ssl: bool = False,
        timeout: float = 15.0,
    ) -> None:
        """Use the caller's session; gateways ship self-signed certificates, hence no verify."""
        self._session = session
        self._base = base_url(host)
        self._auth = DigestAuth(username, password)
        self._use_basic = False
        self._challenged = False
        self._ssl: bool = verify_ssl
        self._timeout = timeout
        self._exchange_lock = asyncio.Lock()
        self._ussd_locks: dict[int, asyncio.Lock] = {}
        self._ussd_waiters: dict[int, asyncio.Future[str]] = {}
        self.serial: str | None = None
        """The gateway's serial (`sn`) from the last envelope seen."""

    @property
    def host(self) -> str:
        """The base URL every path is appended to."""
        return self._base

    # --- transport ---------------------------------------------------------------------------

    def _authorization(self, method: str, uri: str) -> str | None:
        if self._use_basic:
            return self._auth.basic_authorization()
        return self._auth.authorization(method, uri)

    def _accept_challenge(self, challenges: tuple[str, ...]) -> None:
        """Take the scheme the gateway asks for: Digest when offered, else Basic."""
        refusal = AuthError("Dinstar asked for authentication without a scheme we support")
        for challenge in challenges:
            if "digest" in challenge.lower():
                try:
                    self._auth.update(challenge)
                except AuthError as err:
                    refusal = err
                    continue
                self._use_basic = False
                self._challenged = True
                return
        if not any("basic" in challenge.lower() for challenge in challenges):
            raise refusal
        self._use_basic = True
        self._challenged = True

    async def _exchange(
        self, method: str, path: str, url: URL, data: bytes | None, authorization: str | None
    ) -> _Reply:
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if authorization is not None:
            headers["Authorization"] = authorization
        try:
            async with (
                asyncio.timeout(self._timeout),
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
        except TimeoutError as err:
            raise ProviderTimeoutError(
                f"Dinstar {path} did not answer within {self._timeout:g} s"
            ) from err
        except aiohttp.ClientError as err:
            raise ProviderConnectionError(f"Dinstar {path} failed: {type(err).__name__}") from err
        _LOGGER.debug("Dinstar %s %s -> HTTP %s", method, path, response.status)
        return _Reply(response.status, challenges, body, content_type)

    async def _prime_challenge(self) -> None:
        """Fetch a nonce with a GET: an unauthenticated POST may get its connection dropped."""
        url = URL(self._base + _PROBE_PATH, encoded=True)
        async with self._exchange_lock:
            if self._challenged:
                return  # another call primed it meanwhile
            reply = await self._exchange("GET", _PROBE_PATH, url, None, None)
        if reply.status == _HTTP_UNAUTHORIZED:
            self._accept_challenge(reply.challenges)
        else:
            self._challenged = True  # no challenge to wait for: the gateway asks for none

    async def _send(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]] | None,
        body: object,
        *,
        idempotent: bool,
    ) -> _Reply:
        """Send once, answering auth challenges; a send is only repeated when it was refused."""
        query = urlencode(params, safe=",", quote_via=quote) if params else ""
        uri = URL(self._base + path).raw_path + (f"?{query}" if query else "")
        url = URL(self._base + path + (f"?{query}" if query else ""), encoded=True)
        data = (
            None
            if body is _NO_BODY
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
            if reply.status not in (_HTTP_UNAUTHORIZED, _HTTP_FORBIDDEN):
                _refuse_if_api_disabled(path, reply)
                return reply
            if reply.status == _HTTP_UNAUTHORIZED and authorization is None:
                self._accept_challenge(reply.challenges)
                continue
            if (
                reply.status == _HTTP_UNAUTHORIZED
                and stale_retry
                and any(DigestAuth.challenge_is_stale(c) for c in reply.challenges)
            ):
                stale_retry = False
                self._accept_challenge(reply.challenges)
                continue
            # A 401 means the gateway did not process the request, so even a send may repeat it;
            # a 403 is ambiguous, so only requests that are safe to repeat are.
            if refused_retry and (idempotent or reply.status == _HTTP_UNAUTHORIZED):
                refused_retry = False
                if reply.challenges:
                    self._accept_challenge(reply.challenges)
                await asyncio.sleep(SPURIOUS_AUTH_RETRY_DELAY)
                continue
            if reply.status == _HTTP_UNAUTHORIZED:
                raise AuthError("Dinstar refused the username or password")
            raise RejectedError(
                _HTTP_FORBIDDEN,
                f"Dinstar {path}: forbidden (403); is the New Version API enabled?",
            )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        body: object = _NO_BODY,
        ok: tuple[int, ...] = _OK,
        idempotent: bool = True,
        limit: str | None = None,
        not_found: tuple[int, ...] = (),
    ) -> Mapping[str, Any]:
        """Send a request whose answer is the `{"error_code", "sn", ...}` envelope."""
        reply = await self._send(method, path, params, body, idempotent=idempotent)
        payload = self._payload(reply, path, limit)
        code = _error_code(payload)
        if code is None or not isinstance(payload, Mapping):
            raise InvalidResponseError(f"Dinstar {path}: the answer has no error_code")
        serial = payload.get("sn")
        if isinstance(serial, str) and serial:
            self.serial = serial
        if code in ok:
            return payload
        if code in not_found:
            raise NotFoundError(code, f"Dinstar {path}: not found ({code})")
        raise _rejection(code, path, limit)

    async def _call_bare(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        body: object = _NO_BODY,
        idempotent: bool = True,
    ) -> Any:
        """Send a request whose answer has no envelope, yet may still carry an error code."""
        reply = await self._send(method, path, params, body, idempotent=idempotent)
        payload = self._payload(reply, path, None)
        code = _error_code(payload)
        if code is not None and code not in (*_OK, *_ACCEPTED):
            raise _rejection(code, path, None)
        return payload

    @staticmethod
    def _payload(reply: _Reply, path: str, limit: str | None) -> Any:
        """JSON of the answer; an error status counts only when the body has no code of its own."""
        success = 200 <= reply.status < 300  # noqa: PLR2004
        try:
            payload = loads_lenient(reply.body)
        except InvalidResponseError:
            if success:
                raise
            raise _rejection(reply.status, path, limit) from None
        if not success and _error_code(payload) is None:
            raise _rejection(reply.status, path, limit)
        return payload

    # --- SMS ---------------------------------------------------------------------------------

    async def send_sms(
        self,
        text: str,
        recipients: Sequence[SmsRecipient | str],
        *,
        ports: Iterable[int] | None = None,
        encoding: Encoding | None = None,
        request_status_report: bool | None = None,
    ) -> SendReceipt:
        """Queue one request as given (the gateway enforces its 128 / 1500-byte limits: 413)."""
        _check_text(text, "message text")
        wanted = [r if isinstance(r, SmsRecipient) else SmsRecipient(r) for r in recipients]
        if not wanted:
            raise InvalidInputError("There are no recipients")
        numbers = _normalise_numbers(r.number for r in wanted)
        param: list[dict[str, Any]] = []
        for recipient, number in zip(wanted, numbers, strict=True):
            entry: dict[str, Any] = {"number": number}
            if _check_user_id(recipient.user_id) is not None:
                entry["user_id"] = recipient.user_id
            if recipient.text_param:
                entry["text_param"] = [str(item) for item in recipient.text_param]
            param.append(entry)
        body: dict[str, Any] = {"text": text, "param": param}
        port_list = _check_ports(ports)
        if port_list is not None:
            body["port"] = port_list
        if encoding is not None:
            body["encoding"] = _WIRE_ENCODING[Encoding(encoding)]
        if request_status_report is not None:
            body["request_status_report"] = bool(request_status_report)
        limit = LIMIT_RECIPIENTS if len(param) > MAX_RECIPIENTS_PER_SEND else LIMIT_TEXT_BYTES
        payload = await self._call(
            "POST", "/api/send_sms", body=body, ok=_ACCEPTED, idempotent=False, limit=limit
        )
        return SendReceipt.from_wire(payload)

    async def send_sms_to(
        self,
        recipients: Iterable[str],
        text: str,
        *,
        ports: Iterable[int] | None = None,
        encoding: Encoding | None = None,
        request_status_report: bool = True,
        first_user_id: int,
    ) -> SendOutcome:
        """Check everything, then send in requests of 128 with one user_id per recipient.

        Duplicate numbers are sent once. If the first request fails the error is raised (nothing
        was queued, or for a connection error perhaps it was); a later failure stops the send and
        is reported per recipient instead, so the caller knows what was already queued.
        """
        plan = plan_text(text, encoding)
        numbers = list(dict.fromkeys(_normalise_numbers(recipients)))
        if not numbers:
            raise InvalidInputError("There are no recipients")
        if _check_user_id(first_user_id) is None:
            raise InvalidInputError("first_user_id is required")
        port_list = _check_ports(ports)
        outcomes: list[RecipientOutcome] = []
        failure: ProviderError | None = None
        user_ids = itertools.count(first_user_id)
        for chunk in _chunks(numbers, MAX_RECIPIENTS_PER_SEND):
            batch = [(number, next(user_ids)) for number in chunk]
            state, task_id = RecipientState.SKIPPED, None
            if failure is None:
                try:
                    receipt = await self.send_sms(
                        text,
                        [SmsRecipient(number, user_id) for number, user_id in batch],
                        ports=port_list,
                        encoding=plan.encoding,
                        request_status_report=request_status_report,
                    )
                except ProviderError as err:
                    if not outcomes:
                        raise
                    failure = err
                    state = (
                        RecipientState.UNCERTAIN
                        if isinstance(err, ProviderConnectionError)
                        else RecipientState.REJECTED
                    )
                else:
                    state, task_id = RecipientState.QUEUED, receipt.task_id
            outcomes.extend(
                RecipientOutcome(
                    number=number,
                    user_id=user_id,
                    task_id=task_id,
                    segments=plan.segments,
                    encoding=plan.encoding,
                    state=state,
                    error=None if state is RecipientState.QUEUED else failure,
                )
                for number, user_id in batch
            )
        return SendOutcome(plan=plan, recipients=tuple(outcomes))

    def _query_filters(
        self,
        ports: Iterable[int] | None,
        time_after: datetime | None,
        time_before: datetime | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {}
        port_list = _check_ports(ports)
        if port_list is not None:
            body["port"] = port_list
        if time_after is not None:
            body["time_after"] = _wire_time(time_after)
        if time_before is not None:
            body["time_before"] = _wire_time(time_before)
        return body

    async def query_sms_result(
        self,
        *,
        numbers: Iterable[str] | None = None,
        ports: Iterable[int] | None = None,
        user_ids: Iterable[int] | None = None,
        time_after: datetime | None = None,
        time_before: datetime | None = None,
    ) -> list[SmsResult]:
        """Read sending results; long number or user_id lists go out 32 at a time."""
        base = self._query_filters(ports, time_after, time_before)
        number_list = None if numbers is None else list(dict.fromkeys(_normalise_numbers(numbers)))
        id_list = None if user_ids is None else list(dict.fromkeys(user_ids))
        for user_id in id_list or ():
            if _check_user_id(user_id) is None:
                raise InvalidInputError("A user_id must be a non-negative integer")
        results: list[SmsResult] = []
        for number_chunk in self._filter_chunks(number_list):
            for id_chunk in self._filter_chunks(id_list):
                body = dict(base)
                if number_chunk is not None:
                    body["number"] = list(number_chunk)
                if id_chunk is not None:
                    body["user_id"] = list(id_chunk)
                payload = await self._call(
                    "POST", "/api/query_sms_result", body=body, limit=LIMIT_NUMBERS
                )
                results.extend(SmsResult.from_wire(item) for item in _results(payload, "result"))
        return results

    @staticmethod
    def _filter_chunks[T](values: list[T] | None) -> list[Sequence[T] | None]:
        """No filter is one request without it; an empty filter matches nothing: no request."""
        if values is None:
            return [None]
        return list(_chunks(values, MAX_NUMBERS_PER_QUERY))

    async def query_sms_deliver_status(
        self,
        *,
        numbers: Iterable[str] | None = None,
        ports: Iterable[int] | None = None,
        time_after: datetime | None = None,
        time_before: datetime | None = None,
    ) -> list[DeliveryStatus]:
        """Delivery reports; there is no user_id filter, match on number, port and ref_id."""
        base = self._query_filters(ports, time_after, time_before)
        number_list = None if numbers is None else list(dict.fromkeys(_normalise_numbers(numbers)))
        results: list[DeliveryStatus] = []
        for number_chunk in self._filter_chunks(number_list):
            body = dict(base)
            if number_chunk is not None:
                body["number"] = list(number_chunk)
            payload = await self._call(
                "POST", "/api/query_sms_deliver_status", body=body, limit=LIMIT_NUMBERS
            )
            results.extend(DeliveryStatus.from_wire(item) for item in _results(payload, "result"))
        return results

    async def query_sms_in_queue(self) -> int:
        """How many SMS wait in the gateway's queue."""
        payload = await self._call("GET", "/api/query_sms_in_queue")
        value = payload.get("in_queue")
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResponseError("Dinstar query_sms_in_queue: in_queue is not a number")
        return value

    async def query_incoming_sms(
        self,
        *,
        after_id: int = 0,
        flag: InboxFlag = InboxFlag.ALL,
        ports: Iterable[int] | None = None,
    ) -> InboxPage:
        """Inbox after a cursor; the default flag ALL leaves read marks alone (UNREAD sets them)."""
        if isinstance(after_id, bool) or not isinstance(after_id, int) or after_id < 0:
            raise InvalidInputError("after_id must be a non-negative integer")
        params: list[tuple[str, str]] = [("flag", InboxFlag(flag).value)]
        if after_id:
            params.append(("incoming_sms_id", str(after_id)))
        port_list = _check_ports(ports)
        if port_list is not None:
            params.append(("port", ",".join(map(str, port_list))))
        payload = await self._call("GET", "/api/query_incoming_sms", params=params)
        return InboxPage.from_wire(payload)

    async def stop_sms(self, task_id: int) -> None:
        """Stop a queued task; NotFoundError when the gateway does not know it (404 or 486)."""
        if isinstance(task_id, bool) or not isinstance(task_id, int) or task_id < 0:
            raise InvalidInputError("task_id must be a non-negative integer")
        await self._call(
            "GET", "/api/stop_sms", params=[("task_id", str(task_id))], not_found=(404, 486)
        )

    # --- USSD --------------------------------------------------------------------------------

    async def send_ussd(
        self, ports: Iterable[int], text: str, *, command: str = "send"
    ) -> list[UssdSendStatus]:
        """Send (or cancel) USSD on every listed port; read each port's own status from the list."""
        port_list = _check_ports(ports)
        if port_list is None:
            raise InvalidInputError("send_ussd needs at least one port")
        if command == "send":
            _check_ussd_text(text)
        elif command == "cancel":
            if len(text.encode()) > MAX_USSD_BYTES:
                raise InvalidInputError(f"A USSD code is at most {MAX_USSD_BYTES} bytes")
        else:
            raise InvalidInputError("A USSD command is 'send' or 'cancel'")
        payload = await self._call(
            "POST",
            "/api/send_ussd",
            body={"port": port_list, "command": command, "text": text},
            ok=(*_ACCEPTED, *_OK),
            idempotent=command == "cancel",
        )
        return [UssdSendStatus.from_wire(item) for item in _results(payload, "result", "result:")]

    async def cancel_ussd(self, ports: Iterable[int]) -> list[UssdSendStatus]:
        """End whatever USSD session the ports hold."""
        return await self.send_ussd(ports, "", command="cancel")

    async def query_ussd_reply(self, ports: Iterable[int]) -> list[UssdReply]:
        """Read the current reply per port; a None text means nothing has arrived."""
        port_list = _check_ports(ports)
        if port_list is None:
            raise InvalidInputError("query_ussd_reply needs at least one port")
        payload = await self._call(
            "GET", "/api/query_ussd_reply", params=[("port", ",".join(map(str, port_list)))]
        )
        return [UssdReply.from_wire(item) for item in _results(payload, "reply")]

    def deliver_ussd_reply(self, port: int, text: str | None) -> bool:
        """Hand a pushed USSD reply to the exchange waiting on that port; False if none waits."""
        waiter = self._ussd_waiters.get(port)
        if waiter is None or waiter.done() or text is None or not text.strip():
            return False
        waiter.set_result(text)
        return True

    async def ussd_exchange(
        self,
        port: int,
        code: str,
        *,
        timeout: float = 30.0,  # noqa: ASYNC109 - the reply wait, not a request timeout
        poll_interval: float = 2.0,
    ) -> str:
        """Run one USSD request on a port and return the reply.

        Replies carry no id, so one exchange per port at a time (ports run in parallel). The
        session is cleared first and cancelled at the end, whatever happens. The reply comes from
        a push (deliver_ussd_reply) or from polling, whichever is first.
        """
        _check_port(port)
        _check_ussd_text(code)
        if timeout <= 0 or poll_interval <= 0:
            raise InvalidInputError("timeout and poll_interval must be positive")
        lock = self._ussd_locks.setdefault(port, asyncio.Lock())
        async with lock:
            reply: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self.cancel_ussd([port])
                    self._ussd_waiters[port] = reply
                    statuses = await self.send_ussd([port], code)
                    self._check_ussd_sent(port, statuses)
                    return await self._wait_ussd_reply(port, reply, poll_interval)
            except TimeoutError as err:
                raise ProviderTimeoutError(
                    f"Dinstar port {port}: no USSD reply within {timeout:g} s"
                ) from err
            finally:
                if self._ussd_waiters.get(port) is reply:
                    del self._ussd_waiters[port]
                reply.cancel()
                await self._end_ussd_session(port)

    @staticmethod
    def _check_ussd_sent(port: int, statuses: list[UssdSendStatus]) -> None:
        status = next((item.status for item in statuses if item.port == port), None)
        if status is None:
            raise InvalidResponseError(f"Dinstar send_ussd: no status for port {port}")
        if status == UssdPortStatus.SENT:
            return
        if status == UssdPortStatus.BUSY:
            raise PortBusyError(status, f"Dinstar port {port} is busy (486); try again later")
        if status == UssdPortStatus.NOT_REGISTERED:
            raise PortNotRegisteredError(
                status, f"Dinstar port {port} is not registered on a network (503)"
            )
        raise RejectedError(status, f"Dinstar port {port} refused the USSD request ({status})")

    async def _wait_ussd_reply(
        self, port: int, reply: asyncio.Future[str], poll_interval: float
    ) -> str:
        while True:
            done, _ = await asyncio.wait({reply}, timeout=poll_interval)
            if done:
                return reply.result()
            for answer in await self.query_ussd_reply([port]):
                if answer.port == port and answer.text is not None:
                    return answer.text

    async def _end_ussd_session(self, port: int) -> None:
        try:
            await self.cancel_ussd([port])
        except ProviderError as err:
            _LOGGER.debug("Dinstar port %s: cancelling the USSD session failed: %s", port, err)

    # --- ports -------------------------------------------------------------------------------

    async def get_port_info(
        self,
        ports: Iterable[int] | None = None,
        info_types: Iterable[str] = ALL_INFO_TYPES,
    ) -> list[PortInfo]:
        """Every requested field of every requested port, in one request."""
        types = list(dict.fromkeys(info_types))
        known = set(ALL_INFO_TYPES) | _EXTRA_INFO_TYPES
        if not types or any(item not in known for item in types):
            raise InvalidInputError("Unknown or empty info_type list")
        params: list[tuple[str, str]] = []
        port_list = _check_ports(ports)
        if port_list is not None:
            params.append(("port", ",".join(map(str, port_list))))
        params.append(("info_type", ",".join(types)))
        payload = await self._call("GET", "/api/get_port_info", params=params)
        return [PortInfo.from_wire(item) for item in _results(payload, "info")]

    async def set_port_info(
        self,
        port: int,
        action: PortAction,
        param: str | None = None,
        number: str | None = None,
    ) -> None:
        """Low-level port action; prefer the typed helpers below."""
        _check_port(port)
        try:
            wire_action = PortAction(action)
        except ValueError as err:
            raise InvalidInputError("Unknown port action") from err
        params = [("port", str(port)), ("action", wire_action.value)]
        if param is not None:
            params.append(("param", param))
        if number is not None:
            params.append(("number", normalise_number(number)))
        await self._call("GET", "/api/set_port_info", params=params)

    async def reset_module(self, port: int) -> None:
        """Restart the port's radio module (it takes 10-30 s to register again)."""
        await self.set_port_info(port, PortAction.RESET)

    async def power(self, port: int, *, on: bool) -> None:
        """Switch the port's module on or off."""
        await self.set_port_info(port, PortAction.POWER, "on" if on else "off")

    async def select_slot(self, port: int, slot: int) -> None:
        """Pick the SIM slot (0-3) on multi-SIM gateways."""
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot <= 3:  # noqa: PLR2004
            raise InvalidInputError("A SIM slot is 0 to 3")
        await self.set_port_info(port, PortAction.SLOT, str(slot))

    async def set_call_forward(
        self, port: int, condition: CallForwardCondition, number: str | None = None
    ) -> None:
        """Forward calls under a condition; CancelAll needs no number, the others do."""
        wire = CallForwardCondition(condition)
        if wire is not CallForwardCondition.CANCEL_ALL and number is None:
            raise InvalidInputError("Call forwarding needs a number")
        await self.set_port_info(port, PortAction.CALL_FORWARD, wire.value, number)

    async def check_call_forward(self, port: int) -> None:
        """Ask the network for the port's forwarding; read it with get_call_forward after."""
        await self.set_port_info(port, PortAction.CHECK_CALL_FORWARD)

    async def get_call_forward(self, port: int) -> dict[str, str]:
        """Read the forwarding the last check found, condition -> number."""
        infos = await self.get_port_info([port], ["CallForward"])
        for info in infos:
            if info.port == port:
                return dict(info.call_forwarding or {})
        return {}

    # --- records, status, STK -----------------------------------------------------------------

    async def get_cdr(
        self,
        *,
        ports: Iterable[int] | None = None,
        time_after: datetime | None = None,
        time_before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call detail records; older builds name the list `info`."""
        body = self._query_filters(ports, time_after, time_before)
        payload = await self._call("POST", "/api/get_cdr", body=body)
        return [CallRecord.from_wire(item) for item in _results(payload, "cdr", "info")]

    async def get_status(self) -> DeviceStats:
        """CPU, memory and flash use; the body is a bare array and the answer has no envelope."""
        payload = await self._call_bare("POST", "/api/get_status", body=["performance"])
        if not isinstance(payload, Mapping) or not isinstance(payload.get("performance"), Mapping):
            raise InvalidResponseError("Dinstar get_status: no performance object")
        return DeviceStats.from_wire(payload)

    async def get_stk_view(self, port: int) -> StkView:
        """Read the SIM Toolkit frame the port shows."""
        _check_port(port)
        payload = await self._call_bare("GET", "/GetSTKView", params=[("port", str(port))])
        if not isinstance(payload, Mapping):
            raise InvalidResponseError("Dinstar GetSTKView: not an object")
        return StkView.from_wire(payload)

    async def stk_go(
        self,
        port: int,
        *,
        item: int | None = None,
        param: str | None = None,
        action: StkAction | None = None,
    ) -> None:
        """Select an item, give input or navigate: exactly one of the three."""
        _check_port(port)
        if sum(value is not None for value in (item, param, action)) != 1:
            raise InvalidInputError("STKGo takes exactly one of item, param or action")
        body: dict[str, Any] = {"port": port}
        if item is not None:
            if isinstance(item, bool) or not isinstance(item, int):
                raise InvalidInputError("An STK item is an integer")
            body["item"] = item
        elif param is not None:
            body["param"] = param
        elif action is not None:
            body["action"] = StkAction(action).value
        reply = await self._send("POST", "/STKGo", None, body, idempotent=False)
        if not reply.body.strip():
            if not 200 <= reply.status < 300:  # noqa: PLR2004
                raise _rejection(reply.status, "/STKGo", None)
            return  # its answer is undocumented; an empty success is a success
        code = _error_code(self._payload(reply, "/STKGo", None))
        if code is not None and code not in (*_OK, *_ACCEPTED):
            raise _rejection(code, "/STKGo", None)

    async def get_stk_frame_index(self, port: int) -> int:
        """Id of the current STK frame; it changes when a new frame arrives."""
        _check_port(port)
        payload = await self._call_bare(
            "GET", "/GetSTKCurrFrameIndex", params=[("port", str(port))]
        )
        value = payload.get("frame_id") if isinstance(payload, Mapping) else None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResponseError("Dinstar GetSTKCurrFrameIndex: no frame_id")
        return value
