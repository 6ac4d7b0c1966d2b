"""Async client for the Dinstar GSM gateway HTTP API ("New Version API", firmware 1102 and later).

The documented endpoints, typed: every argument is checked before a request is made, and every
answer is read into a model. How requests travel (authentication, timeouts, retries, error codes)
is transport.py's concern; batching and USSD exchanges have modules of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypedDict, Unpack

from ..errors import InvalidInputError, InvalidResponseError
from ..text import Encoding, check_message_text, normalise_number
from .batch_send import (
    MAX_RECIPIENTS_PER_SEND,
    send_in_batches,
)
from .checks import (
    MAX_USSD_BYTES,
    check_port,
    check_ports,
    check_user_id,
    check_ussd_text,
    chunks,
    normalise_numbers,
)
from .models import (
    CallRecord,
    DeliveryStatus,
    DeviceStats,
    InboxFlag,
    InboxPage,
    PortInfo,
    SendOutcome,
    SendReceipt,
    SmsRecipient,
    SmsResult,
    StkView,
    UssdReply,
    UssdSendStatus,
)
from .transport import ACCEPTED, OK, DinstarTransport, base_url
from .ussd import UssdExchanges
from .wire import WireModel

if TYPE_CHECKING:
    from datetime import datetime

    import aiohttp

MAX_NUMBERS_PER_QUERY: Final = 32

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


class SmsOptions(TypedDict, total=False):
    """How a send goes out, for one request (send_sms) and for a whole send (send_sms_to)."""

    ports: Iterable[int] | None
    encoding: Encoding | None
    request_status_report: bool | None


class RecordFilters(TypedDict, total=False):
    """What every record query narrows by: ports and a time window (both ends optional)."""

    ports: Iterable[int] | None
    time_after: datetime | None
    time_before: datetime | None


class NumberFilters(RecordFilters, total=False):
    """The filters of the per-recipient queries, which may also name the numbers."""

    numbers: Iterable[str] | None


def _wire_time(value: datetime) -> str:
    return value.strftime(_TIME_LAYOUT)


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
        self._transport = DinstarTransport(
            session,
            base_url(host),
            username,
            password,
            verify_ssl=verify_ssl,
            timeout=timeout,
        )
        self._ussd = UssdExchanges(self)

    @property
    def serial(self) -> str | None:
        """The gateway's serial (`sn`) from the last envelope seen."""
        return self._transport.serial

    @serial.setter
    def serial(self, value: str | None) -> None:
        self._transport.serial = value

    @property
    def host(self) -> str:
        """The base URL every path is appended to."""
        return self._transport.base

    # --- SMS ---------------------------------------------------------------------------------

    async def send_sms(
        self, text: str, recipients: Sequence[SmsRecipient | str], **options: Unpack[SmsOptions]
    ) -> SendReceipt:
        """Queue one request as given (the gateway enforces its 128 / 1500-byte limits: 413)."""
        check_message_text(text)
        wanted = [r if isinstance(r, SmsRecipient) else SmsRecipient(r) for r in recipients]
        if not wanted:
            raise InvalidInputError("There are no recipients")
        numbers = normalise_numbers(r.number for r in wanted)
        param: list[dict[str, Any]] = []
        for recipient, number in zip(wanted, numbers, strict=True):
            entry: dict[str, Any] = {"number": number}
            if check_user_id(recipient.user_id) is not None:
                entry["user_id"] = recipient.user_id
            if recipient.text_param:
                entry["text_param"] = [str(item) for item in recipient.text_param]
            param.append(entry)
        body: dict[str, Any] = {"text": text, "param": param}
        port_list = check_ports(options.get("ports"))
        if port_list is not None:
            body["port"] = port_list
        encoding = options.get("encoding")
        request_status_report = options.get("request_status_report")
        if encoding is not None:
            body["encoding"] = _WIRE_ENCODING[Encoding(encoding)]
        if request_status_report is not None:
            body["request_status_report"] = bool(request_status_report)
        limit = LIMIT_RECIPIENTS if len(param) > MAX_RECIPIENTS_PER_SEND else LIMIT_TEXT_BYTES
        payload = await self._transport.call(
            "POST", "/api/send_sms", body=body, ok=ACCEPTED, idempotent=False, limit=limit
        )
        return SendReceipt.from_wire(payload)

    async def send_sms_to(
        self,
        recipients: Iterable[str],
        text: str,
        *,
        first_user_id: int,
        **options: Unpack[SmsOptions],
    ) -> SendOutcome:
        """Check everything, then send in requests of 128 with one user_id per recipient.

        Duplicate numbers are sent once. If the first request fails the error is raised (nothing
        was queued, or for a MAY_HAVE_SENT error perhaps it was); a later failure stops the send
        and is reported per recipient instead, so the caller knows what was already queued.
        Delivery reports are asked for unless `request_status_report` says otherwise.
        """
        report = options.get("request_status_report", True)

        async def send_request(
            batch: list[SmsRecipient], chosen: Encoding, port_list: list[int] | None
        ) -> SendReceipt:
            return await self.send_sms(
                text, batch, ports=port_list, encoding=chosen, request_status_report=report
            )

        return await send_in_batches(
            send_request,
            recipients,
            text,
            ports=options.get("ports"),
            encoding=options.get("encoding"),
            first_user_id=first_user_id,
        )

    @staticmethod
    def _query_filters(filters: RecordFilters) -> dict[str, Any]:
        body: dict[str, Any] = {}
        port_list = check_ports(filters.get("ports"))
        if port_list is not None:
            body["port"] = port_list
        after, before = filters.get("time_after"), filters.get("time_before")
        if after is not None:
            body["time_after"] = _wire_time(after)
        if before is not None:
            body["time_before"] = _wire_time(before)
        return body

    async def query_sms_result(
        self, *, user_ids: Iterable[int] | None = None, **filters: Unpack[NumberFilters]
    ) -> list[SmsResult]:
        """Read sending results; long number or user_id lists go out 32 at a time."""
        return await self._query("/api/query_sms_result", SmsResult, user_ids, filters)

    @staticmethod
    def _filter_chunks[T](values: list[T] | None) -> list[Sequence[T] | None]:
        """No filter is one request without it; an empty filter matches nothing: no request."""
        if values is None:
            return [None]
        return list(chunks(values, MAX_NUMBERS_PER_QUERY))

    async def query_sms_deliver_status(
        self, **filters: Unpack[NumberFilters]
    ) -> list[DeliveryStatus]:
        """Delivery reports; there is no user_id filter, match on number, port and ref_id."""
        return await self._query("/api/query_sms_deliver_status", DeliveryStatus, None, filters)

    async def _query[M: WireModel](
        self,
        path: str,
        model: type[M],
        user_ids: Iterable[int] | None,
        filters: NumberFilters,
    ) -> list[M]:
        """Ask once per chunk of each list filter (32 at a time) and read every `result`."""
        base = self._query_filters(filters)
        numbers = filters.get("numbers")
        number_list = None if numbers is None else list(dict.fromkeys(normalise_numbers(numbers)))
        id_list = None if user_ids is None else list(dict.fromkeys(user_ids))
        for user_id in id_list or ():
            if check_user_id(user_id) is None:
                raise InvalidInputError("A user_id must be a non-negative integer")
        results: list[M] = []
        for number_chunk in self._filter_chunks(number_list):
            for id_chunk in self._filter_chunks(id_list):
                body = dict(base)
                if number_chunk is not None:
                    body["number"] = list(number_chunk)
                if id_chunk is not None:
                    body["user_id"] = list(id_chunk)
                payload = await self._transport.call("POST", path, body=body, limit=LIMIT_NUMBERS)
                results.extend(model.from_wire(item) for item in _results(payload, "result"))
        return results

    async def query_sms_in_queue(self) -> int:
        """How many SMS wait in the gateway's queue."""
        payload = await self._transport.call("GET", "/api/query_sms_in_queue")
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
        port_list = check_ports(ports)
        if port_list is not None:
            params.append(("port", ",".join(map(str, port_list))))
        payload = await self._transport.call("GET", "/api/query_incoming_sms", params=params)
        return InboxPage.from_wire(payload)

    async def stop_sms(self, task_id: int) -> None:
        """Stop a queued task; NotFoundError when the gateway does not know it (404 or 486)."""
        if isinstance(task_id, bool) or not isinstance(task_id, int) or task_id < 0:
            raise InvalidInputError("task_id must be a non-negative integer")
        await self._transport.call(
            "GET", "/api/stop_sms", params=[("task_id", str(task_id))], not_found=(404, 486)
        )

    # --- USSD --------------------------------------------------------------------------------

    async def send_ussd(
        self, ports: Iterable[int], text: str, *, command: str = "send"
    ) -> list[UssdSendStatus]:
        """Send (or cancel) USSD on every listed port; read each port's own status from the list."""
        port_list = check_ports(ports)
        if port_list is None:
            raise InvalidInputError("send_ussd needs at least one port")
        if command == "send":
            check_ussd_text(text)
        elif command == "cancel":
            if len(text.encode()) > MAX_USSD_BYTES:
                raise InvalidInputError(f"A USSD code is at most {MAX_USSD_BYTES} bytes")
        else:
            raise InvalidInputError("A USSD command is 'send' or 'cancel'")
        payload = await self._transport.call(
            "POST",
            "/api/send_ussd",
            body={"port": port_list, "command": command, "text": text},
            ok=(*ACCEPTED, *OK),
            idempotent=command == "cancel",
        )
        return [UssdSendStatus.from_wire(item) for item in _results(payload, "result", "result:")]

    async def cancel_ussd(self, ports: Iterable[int]) -> list[UssdSendStatus]:
        """End whatever USSD session the ports hold."""
        return await self.send_ussd(ports, "", command="cancel")

    async def query_ussd_reply(self, ports: Iterable[int]) -> list[UssdReply]:
        """Read the current reply per port; a None text means nothing has arrived."""
        port_list = check_ports(ports)
        if port_list is None:
            raise InvalidInputError("query_ussd_reply needs at least one port")
        payload = await self._transport.call(
            "GET", "/api/query_ussd_reply", params=[("port", ",".join(map(str, port_list)))]
        )
        return [UssdReply.from_wire(item) for item in _results(payload, "reply")]

    def deliver_ussd_reply(self, port: int, text: str | None) -> bool:
        """Hand a pushed USSD reply to the exchange waiting on that port; False if none waits."""
        return self._ussd.deliver(port, text)

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
        return await self._ussd.run(port, code, timeout=timeout, poll_interval=poll_interval)

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
        port_list = check_ports(ports)
        if port_list is not None:
            params.append(("port", ",".join(map(str, port_list))))
        params.append(("info_type", ",".join(types)))
        payload = await self._transport.call("GET", "/api/get_port_info", params=params)
        return [PortInfo.from_wire(item) for item in _results(payload, "info")]

    async def set_port_info(
        self,
        port: int,
        action: PortAction,
        param: str | None = None,
        number: str | None = None,
    ) -> None:
        """Low-level port action; prefer the typed helpers below."""
        check_port(port)
        try:
            wire_action = PortAction(action)
        except ValueError as err:
            raise InvalidInputError("Unknown port action") from err
        params = [("port", str(port)), ("action", wire_action.value)]
        if param is not None:
            params.append(("param", param))
        if number is not None:
            params.append(("number", normalise_number(number)))
        await self._transport.call("GET", "/api/set_port_info", params=params)

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

    async def get_cdr(self, **filters: Unpack[RecordFilters]) -> list[CallRecord]:
        """Call detail records; older builds name the list `info`."""
        body = self._query_filters(filters)
        payload = await self._transport.call("POST", "/api/get_cdr", body=body)
        return [CallRecord.from_wire(item) for item in _results(payload, "cdr", "info")]

    async def get_status(self) -> DeviceStats:
        """CPU, memory and flash use; the body is a bare array and the answer has no envelope."""
        payload = await self._transport.call_bare("POST", "/api/get_status", body=["performance"])
        if not isinstance(payload, Mapping) or not isinstance(payload.get("performance"), Mapping):
            raise InvalidResponseError("Dinstar get_status: no performance object")
        return DeviceStats.from_wire(payload)

    async def get_stk_view(self, port: int) -> StkView:
        """Read the SIM Toolkit frame the port shows."""
        check_port(port)
        payload = await self._transport.call_bare(
            "GET", "/GetSTKView", params=[("port", str(port))]
        )
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
        check_port(port)
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
        await self._transport.call_bare(
            "POST", "/STKGo", body=body, idempotent=False, empty_ok=True
        )

    async def get_stk_frame_index(self, port: int) -> int:
        """Id of the current STK frame; it changes when a new frame arrives."""
        check_port(port)
        payload = await self._transport.call_bare(
            "GET", "/GetSTKCurrFrameIndex", params=[("port", str(port))]
        )
        value = payload.get("frame_id") if isinstance(payload, Mapping) else None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResponseError("Dinstar GetSTKCurrFrameIndex: no frame_id")
        return value
