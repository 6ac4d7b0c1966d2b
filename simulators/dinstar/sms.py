"""Sending SMS: send_sms, the queue and its drain, results, delivery reports, stop_sms.

Spec §2.8.1 to §2.8.6, §3.4 and §3.5. Recipients wait in one queue; each goes out on an idle
registered port it is allowed to use (ports work in parallel, as a gateway's modules do).
"""

import asyncio
from collections.abc import Callable
from typing import Any

from simulators.dinstar.service import GatewayParts, GatewayService
from simulators.dinstar.state import (
    DeliveryRecord,
    PortState,
    QueuedSms,
    SendRecord,
    gateway_time,
)
from simulators.dinstar.wire import (
    ApiCall,
    ApiError,
    ApiReply,
    optional_time,
    parse_int,
    parse_port_array,
    string_list,
)
from simulators.gsm_segments import ENCODINGS, UNICODE, segment_count

MAX_RECIPIENTS = 128
MAX_TEXT_BYTES = 1500
MAX_QUERY_NUMBERS = 32
_MAX_NUMBER_BYTES = 24
PLACEHOLDER = "#param#"
# TP-Status values a failed delivery report carries: temporary (32-63) and permanent (64-255).
_DELIVERY_FAILURES = (34, 65)


def fill_placeholders(text: str, values: list[str]) -> str:
    """Replace each `#param#` in turn; placeholders without a value stay as they are."""
    pieces = text.split(PLACEHOLDER)
    filled = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        filled.append(values[index] if index < len(values) else PLACEHOLDER)
        filled.append(piece)
    return "".join(filled)


def _user_id(value: Any) -> int | None:
    """user_id is an int >= 0; some clients send it as a digit string ([PLAY])."""
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(400, "bad user_id")
    return int(value)


def _in_window(time: str, after: str | None, before: str | None) -> bool:
    return (after is None or time >= after) and (before is None or time <= before)


class SmsService(GatewayService):
    """The SMS side of the gateway."""

    def __init__(
        self,
        parts: GatewayParts,
        *,
        send_delay: Callable[[], float],
        deliver_delay: Callable[[], float],
        failure_rate: Callable[[], float],
        capacity: int,
    ) -> None:
        """Delays and failure rate are read when used, so tests can change them on the fly."""
        super().__init__(parts)
        self._send_delay = send_delay
        self._deliver_delay = deliver_delay
        self._failure_rate = failure_rate
        self._capacity = capacity
        self._next_port = 0

    @property
    def in_queue(self) -> int:
        """SMS accepted and not finished (waiting for a port or being sent)."""
        return len(self._state.queue) + self._state.in_flight

    # ---- send_sms ------------------------------------------------------------------------

    def send_sms(self, call: ApiCall) -> ApiReply:
        """Validate, queue one SMS per recipient and answer 202 with the task id.

        With send_sms_500_after_queue the SMS stay queued and the answer is a 500 all the same.
        """
        body = call.json_object(required=True)
        text, params = body.get("text"), body.get("param")
        if not isinstance(text, str) or not isinstance(params, list) or not params:
            raise ApiError(400, "text or param missing")
        if len(params) > MAX_RECIPIENTS or len(text.encode()) > MAX_TEXT_BYTES:
            raise ApiError(413, "too many numbers or text too long")
        encoding = body.get("encoding", UNICODE)
        report = body.get("request_status_report", True)
        if encoding not in ENCODINGS or not isinstance(report, bool):
            raise ApiError(400, "bad encoding or request_status_report")
        ports = parse_port_array(body.get("port"), len(self._state.ports))
        recipients = [self._recipient(param, text) for param in params]
        if not any(self._state.ports[index].registered for index in ports):
            raise ApiError(550, "no port available")
        if self.in_queue + len(recipients) > self._capacity:
            raise ApiError(500, "queue full")
        task_id = self._state.next_task_id
        self._state.next_task_id += 1
        self._state.tasks.add(task_id)
        for number, filled, user_id in recipients:
            self._state.queue.append(
                QueuedSms(task_id, number, filled, user_id, tuple(ports), encoding, report)
            )
        self.dispatch()
        if self._faults["send_sms_500_after_queue"]:
            raise ApiError(500, "failed after queueing")
        return ApiReply(202, {"sms_in_queue": self.in_queue, "task_id": task_id})

    @staticmethod
    def _recipient(param: Any, text: str) -> tuple[str, str, int | None]:
        if not isinstance(param, dict):
            raise ApiError(400, "param element is not an object")
        number = param.get("number")
        if not isinstance(number, str) or not number or len(number.encode()) > _MAX_NUMBER_BYTES:
            raise ApiError(400, "bad number")
        values = string_list(param.get("text_param"), "text_param") or []
        return number, fill_placeholders(text, values), _user_id(param.get("user_id"))

    # ---- the drain -----------------------------------------------------------------------

    def dispatch(self) -> None:
        """Start every queued SMS that has an idle registered port; fail the unsendable."""
        waiting: list[QueuedSms] = []
        for item in self._state.queue:
            allowed = [self._state.ports[index] for index in item.ports]
            if not any(port.registered for port in allowed):
                self._fail_unsendable(item, allowed[0])
                continue
            port = self._pick_port(allowed)
            if port is None:
                waiting.append(item)
                continue
            port.busy = True
            self._state.in_flight += 1
            self._tasks.spawn(self._transmit(item, port))
        self._state.queue[:] = waiting

    def _pick_port(self, allowed: list[PortState]) -> PortState | None:
        """Round robin over the allowed ports, so load spreads like on a real gateway."""
        count = len(self._state.ports)
        ordered = sorted(allowed, key=lambda port: (port.port - self._next_port) % count)
        for port in ordered:
            if port.registered and not port.busy:
                self._next_port = (port.port + 1) % count
                return port
        return None

    def _new_record(self, item: QueuedSms, port: PortState, status: str) -> SendRecord:
        count = segment_count(item.text, item.encoding)
        record = SendRecord(
            task_id=item.task_id,
            port=port.port,
            user_id=item.user_id,
            number=item.number,
            time=gateway_time(),
            status=status,
            count=count,
            succ_count=0,
            ref_id=self._state.take_ref_ids(count),
            imsi=port.imsi,
            text=item.text,
            encoding=item.encoding,
        )
        self._state.results.append(record)
        return record

    def _fail_unsendable(self, item: QueuedSms, port: PortState) -> None:
        record = self._new_record(item, port, "FAILED")
        self._push_result(record)

    async def _transmit(self, item: QueuedSms, port: PortState) -> None:
        record = self._new_record(item, port, "SENDING")
        try:
            await asyncio.sleep(self._send_delay())
        finally:
            port.busy = False
            self._state.in_flight -= 1
        failed = self._rng.random() < self._failure_rate() or not port.registered
        record.status = "FAILED" if failed else "SENT_OK"
        record.succ_count = 0 if failed else record.count
        self._push_result(record)
        self.dispatch()
        if not failed and item.status_report:
            await self._report_delivery(record)

    async def _report_delivery(self, record: SendRecord) -> None:
        await asyncio.sleep(self._deliver_delay())
        delivered = self._rng.random() >= self._faults["delivery_failure_rate"]
        status_code = 0 if delivered else self._rng.choice(_DELIVERY_FAILURES)
        delivery = DeliveryRecord(
            record.port, record.number, record.time, record.ref_id, status_code, record.imsi
        )
        self._state.deliveries.append(delivery)
        if delivered:
            record.status = "DELIVERED"
        self._pusher.push("sms_deliver_status", [delivery.as_result()])

    def _push_result(self, record: SendRecord) -> None:
        include_user_id = bool(self._faults["sms_result_push_user_id"])
        self._pusher.push("sms_result", [record.as_result(include_user_id=include_user_id)])

    # ---- queries and stop ----------------------------------------------------------------

    def _common_filters(
        self, body: dict[str, Any]
    ) -> tuple[list[str] | None, list[int] | None, str | None, str | None]:
        numbers = string_list(body.get("number"), "number")
        if numbers is not None and len(numbers) > MAX_QUERY_NUMBERS:
            raise ApiError(413, "more than 32 numbers")
        ports = body.get("port")
        port_filter = None if ports is None else parse_port_array(ports, len(self._state.ports))
        after = optional_time(body.get("time_after"), "time_after")
        before = optional_time(body.get("time_before"), "time_before")
        return numbers, port_filter, after, before

    def query_sms_result(self, call: ApiCall) -> ApiReply:
        """Send results filtered by number, port, time window and user_id (all ANDed)."""
        body = call.json_object()
        numbers, ports, after, before = self._common_filters(body)
        raw_ids = body.get("user_id")
        if raw_ids is not None and not isinstance(raw_ids, list):
            raise ApiError(400, "user_id is not an array")
        user_ids = None if raw_ids is None else {_user_id(value) for value in raw_ids}
        rows = [
            record.as_result()
            for record in self._state.results
            if (numbers is None or record.number in numbers)
            and (ports is None or record.port in ports)
            and (user_ids is None or record.user_id in user_ids)
            and _in_window(record.time, after, before)
        ]
        return ApiReply(200, {"result": rows})

    def query_sms_deliver_status(self, call: ApiCall) -> ApiReply:
        """Delivery reports filtered by number, port and time window (no user_id filter)."""
        numbers, ports, after, before = self._common_filters(call.json_object())
        rows = [
            delivery.as_result()
            for delivery in self._state.deliveries
            if (numbers is None or delivery.number in numbers)
            and (ports is None or delivery.port in ports)
            and _in_window(delivery.time, after, before)
        ]
        return ApiReply(200, {"result": rows})

    def query_sms_in_queue(self, _call: ApiCall) -> ApiReply:
        """How many SMS are waiting or being sent."""
        return ApiReply(200, {"in_queue": self.in_queue})

    def stop_sms(self, call: ApiCall) -> ApiReply:
        """Drop the task's SMS still waiting; an unknown task answers the not-found switch."""
        task_id = parse_int(call.params().get("task_id"), "task_id")
        if task_id not in self._state.tasks:
            return ApiReply(int(self._faults["stop_sms_not_found_code"]))
        self._state.queue[:] = [item for item in self._state.queue if item.task_id != task_id]
        return ApiReply(200)
