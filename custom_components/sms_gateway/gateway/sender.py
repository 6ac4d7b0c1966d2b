"""Sending SMS through a gateway and following each one until the network says what became of it.

Every recipient gets a user_id the gateway echoes in its sending results, so results and delivery
reports can be tied back to the send. A send is never repeated once the request may have reached
the gateway: a duplicate SMS costs money, so an uncertain send is reported as such instead.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from ..bus_events import Origin, async_fire_delivery_report, async_fire_sms_sent
from ..const import CONF_DEFAULT_PORTS, DOMAIN, LOGGER, PROVIDER_DINSTAR
from ..providers.dinstar import (
    DeliveryOutcome,
    DeliveryStatus,
    RecipientState,
    SmsResult,
    SmsStatus,
)
from ..providers.errors import MAY_HAVE_SENT, ProviderError
from ..providers.text import Encoding
from ..sending import (
    ENCODING_NAMES,
    STATUS_DELIVERED,
    STATUS_FAILED,
    STATUS_QUEUED,
    STATUS_SENDING,
    STATUS_SENT,
    Waiters,
    check_message,
    check_recipients,
    partial_send_error,
    send_store,
    uncertain_send_error,
)
from ..webhooks import remember
from .coordinator import DinstarPortsCoordinator
from .last_sent import LastSentByPort
from .manager import GatewayManager

_ID_EPOCH: Final = datetime(2025, 1, 1, tzinfo=UTC)
_KEEP_TRACKED: Final = 4096
"""Sends remembered for late results and delivery reports; the oldest are forgotten first."""

_RANK: Final = {
    STATUS_QUEUED: 0,
    STATUS_SENDING: 1,
    STATUS_SENT: 2,
    STATUS_DELIVERED: 3,
    STATUS_FAILED: 3,
}
_FINAL_RANK: Final = _RANK[STATUS_SENT]
_RESULT_STATUS: Final = {
    SmsStatus.SENDING: STATUS_SENDING,
    SmsStatus.SENT_OK: STATUS_SENT,
    SmsStatus.FAILED: STATUS_FAILED,
    SmsStatus.DELIVERED: STATUS_DELIVERED,
}
_DELIVERY_STATUS: Final = {
    DeliveryOutcome.DELIVERED: STATUS_DELIVERED,
    DeliveryOutcome.FAILED: STATUS_FAILED,
}
_REPORTED: Final = frozenset({STATUS_SENT, STATUS_DELIVERED, STATUS_FAILED})
"""Statuses that become delivery report events; the others are steps on the way."""


@dataclass(slots=True)
class TrackedSms:
    """One recipient of one send, as far as the gateway has told us."""

    user_id: int
    number: str
    segments: int
    encoding: Encoding
    status: str = STATUS_QUEUED
    port: int | None = None
    ref_id: int | None = None

    @property
    def message_id(self) -> str:
        """The id delivery report events carry for this SMS (its user_id)."""
        return str(self.user_id)

    @property
    def final(self) -> bool:
        """Sent, delivered or failed: what a waiting caller waits for."""
        return _RANK[self.status] >= _FINAL_RANK

    def as_response(self) -> dict[str, Any]:
        """Give the per-recipient result an action answers with."""
        return {
            "number": self.number,
            "user_id": self.user_id,
            "port": self.port,
            "status": self.status,
            "segments": self.segments,
            "encoding": ENCODING_NAMES[self.encoding],
        }

    def advance(self, status: str) -> bool:
        """Move forward only (a late SENDING never hides SENT_OK); True if it moved."""
        if _RANK[status] <= _RANK[self.status]:
            return False
        self.status = status
        return True


def check_ports(ports: Collection[int] | None, known: Collection[int]) -> list[int] | None:
    """None or empty lets the gateway choose; a port the gateway does not have is refused."""
    if not ports:
        return None
    unknown = sorted(set(ports) - set(known))
    if unknown:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_ports",
            translation_placeholders={"ports": ", ".join(map(str, unknown))},
        )
    return list(dict.fromkeys(ports))


def _first_free_user_id() -> int:
    """Seconds since 2025: above every id handed out before, unless more than one a second."""
    return int((dt_util.utcnow() - _ID_EPOCH).total_seconds())


class SendTracker(GatewayManager):
    """Sends SMS for one gateway and turns its results and delivery reports into events."""

    def __init__(self, hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
        """Nothing is read or sent until the first send."""
        super().__init__(hass, ports)
        self._store = send_store(hass, self.entry.entry_id)
        self._id_lock = asyncio.Lock()
        self._next_user_id: int | None = None
        self._tracked: OrderedDict[int, TrackedSms] = OrderedDict()
        self._by_ref: OrderedDict[tuple[str, int, int], int] = OrderedDict()
        self._reported: OrderedDict[Hashable, None] = OrderedDict()
        self._waiters = Waiters()
        self.last_sent = LastSentByPort()

    # --- sending ------------------------------------------------------------------------------

    async def async_send(
        self,
        recipients: Sequence[str],
        text: str,
        *,
        ports: Collection[int] | None = None,
        encoding: Encoding | None = None,
        delivery_report: bool = True,
    ) -> list[TrackedSms]:
        """Check, then send once; every recipient is queued on return, or an error says why.

        The one place a gateway send is checked: the action, notify and routes come here.
        """
        plan = check_message(text, encoding)
        numbers = check_recipients(recipients)
        port_list = check_ports(ports, self.ports.data or {})
        first = await self._reserve_user_ids(len(numbers))
        sent = [
            TrackedSms(first + offset, number, plan.segments, plan.encoding)
            for offset, number in enumerate(numbers)
        ]
        for sms in sent:
            self._track(sms)
        try:
            outcome = await self.client.send_sms_to(
                numbers,
                text,
                ports=port_list,
                encoding=plan.encoding,
                request_status_report=delivery_report,
                first_user_id=first,
            )
        except MAY_HAVE_SENT as err:
            # A lost answer, a server error: it may be queued. Keep following it, so its late
            # results and delivery reports still carry its message id; never send it again.
            raise uncertain_send_error(len(numbers), "the gateway", err) from err
        except ProviderError:
            self._forget(range(first, first + len(numbers)))
            raise
        states = {item.user_id: item.state for item in outcome.recipients}
        self._forget(
            user_id
            for user_id, state in states.items()
            if state in (RecipientState.REJECTED, RecipientState.SKIPPED)
        )
        if not outcome.all_queued:
            raise self._partial_send_error(list(states.values()), outcome.recipients[-1].error)
        async_fire_sms_sent(
            self.hass,
            self._origin(self.device_ids.gateway()),
            text=text,
            recipients=[sms.as_response() for sms in sent],
        )
        return sent

    @staticmethod
    def _partial_send_error(
        states: list[RecipientState], error: ProviderError | None
    ) -> HomeAssistantError:
        queued = states.count(RecipientState.QUEUED)
        uncertain = states.count(RecipientState.UNCERTAIN)
        return partial_send_error(queued, uncertain, len(states) - queued - uncertain, error)

    async def _reserve_user_ids(self, count: int) -> int:
        """Hand out ids that were never used, saving the new high mark before they are."""
        async with self._id_lock:
            if self._next_user_id is None:
                stored = await self._store.async_load() or {}
                saved = stored.get("next_user_id")
                floor = saved if isinstance(saved, int) and not isinstance(saved, bool) else 0
                self._next_user_id = max(floor, _first_free_user_id())
            first = self._next_user_id
            self._next_user_id = first + count
            await self._store.async_save({"next_user_id": self._next_user_id})
            return first

    def _track(self, sms: TrackedSms) -> None:
        remember(self._tracked, sms.user_id, sms, _KEEP_TRACKED)

    def _place(self, number: str, port: int, ref_id: int | None, user_id: int | None) -> None:
        """Remember which send a (number, port, ref_id) is: delivery reports only carry those."""
        if ref_id is None or user_id is None:
            return
        remember(self._by_ref, (_number_key(number), port, ref_id), user_id, _KEEP_TRACKED)

    def _forget(self, user_ids: Iterable[int]) -> None:
        for user_id in list(user_ids):
            self._tracked.pop(user_id, None)

    # --- results and delivery reports (webhook pushes and polls) -------------------------------

    @callback
    def handle_result(self, result: SmsResult) -> None:
        """Take a sending result (an `sms_result` push or a poll); fires at most one event each."""
        self._handle_result(result, resolve=True)

    @callback
    def handle_delivery(self, status: DeliveryStatus) -> None:
        """Take a delivery report (an `sms_deliver_status` push); it carries no user_id."""
        self._handle_delivery(status, resolve=True)

    def _handle_result(self, result: SmsResult, *, resolve: bool) -> None:
        tracked = self._find(result.user_id, result.number, result.port, result.ref_id)
        if tracked is None and result.user_id is None:
            candidates = self._unplaced(result.number)
            if len(candidates) > 1 and resolve:
                # Several sends to this number are open: ask the gateway which one this is.
                self._resolve_later(candidates, lambda: self._handle_result(result, resolve=False))
                return
            tracked = candidates[0] if candidates else None
        if tracked is not None:
            tracked.port = result.port
            tracked.ref_id = result.ref_id
        message_id = tracked.user_id if tracked is not None else result.user_id
        self._place(result.number, result.port, result.ref_id, message_id)
        status = _RESULT_STATUS.get(result.status)
        if status is None:
            return
        self._advance(tracked, status)
        self._report(
            _identity(message_id, result.number, result.port, result.ref_id),
            status,
            raw_status=result.status.value,
            message_id=message_id,
            recipient=result.number,
            port=result.port,
        )

    def _handle_delivery(self, report: DeliveryStatus, *, resolve: bool) -> None:
        tracked = self._find(None, report.number, report.port, report.ref_id)
        if tracked is None and resolve and (candidates := self._unplaced(report.number)):
            # The sending result was not seen yet: read it, then the report can be placed.
            self._resolve_later(candidates, lambda: self._handle_delivery(report, resolve=False))
            return
        status = _DELIVERY_STATUS.get(report.outcome)
        if status is None:
            LOGGER.debug("Delivery report still pending (status code %s)", report.status_code)
            return
        message_id = self._placed_id(report.number, report.port, report.ref_id)
        self._advance(tracked, status)
        self._report(
            _identity(message_id, report.number, report.port, report.ref_id),
            status,
            raw_status=str(report.status_code),
            message_id=message_id,
            recipient=report.number,
            port=report.port,
        )

    def _placed_id(self, number: str, port: int, ref_id: int | None) -> int | None:
        """Return the user_id a result tied to this number, port and TP reference, if any."""
        return None if ref_id is None else self._by_ref.get((_number_key(number), port, ref_id))

    def _find(
        self, user_id: int | None, number: str, port: int, ref_id: int | None
    ) -> TrackedSms | None:
        if user_id is None:
            user_id = self._placed_id(number, port, ref_id)
        return None if user_id is None else self._tracked.get(user_id)

    def _unplaced(self, number: str) -> list[TrackedSms]:
        """Open sends to this number that no result has tied to a port yet, oldest first."""
        key = _number_key(number)
        return [
            sms
            for sms in self._tracked.values()
            if sms.port is None and _number_key(sms.number) == key
        ]

    def _advance(self, tracked: TrackedSms | None, status: str) -> None:
        if tracked is not None and tracked.advance(status):
            self._waiters.wake()

    def _report(
        self,
        identity: Hashable,
        status: str,
        *,
        raw_status: str,
        message_id: int | None,
        recipient: str,
        port: int,
    ) -> None:
        """Fire the delivery report event once per SMS and status, however often it is heard."""
        if status not in _REPORTED or (identity, status) in self._reported:
            return
        remember(self._reported, (identity, status), None, _KEEP_TRACKED)
        self.last_sent.record(port, status, recipient, message_id)
        async_fire_delivery_report(
            self.hass,
            self._origin(self.device_ids.port(port)),
            message_id=message_id,
            recipient=recipient,
            status=status,
            raw_status=raw_status,
            port=port,
        )

    def _origin(self, device_id: str | None) -> Origin:
        return Origin(self.entry.entry_id, PROVIDER_DINSTAR, device_id)

    def _resolve_later(self, candidates: list[TrackedSms], then: Callable[[], None]) -> None:
        user_ids = [sms.user_id for sms in candidates]

        async def resolve() -> None:
            await self._poll(user_ids)
            then()

        self.entry.async_create_background_task(
            self.hass, resolve(), f"{DOMAIN} sending results {self.entry.entry_id}"
        )

    async def _poll(self, user_ids: list[int]) -> None:
        """Read the sending results of these sends; a failed read only delays them."""
        try:
            results = await self.client.query_sms_result(user_ids=user_ids)
        except ProviderError as err:
            LOGGER.debug("Could not read sending results: %s", err)
            return
        for result in results:
            self._handle_result(result, resolve=False)

    # --- waiting -------------------------------------------------------------------------------

    async def wait_for(self, sent: Sequence[TrackedSms], timeout: float) -> list[TrackedSms]:  # noqa: ASYNC109
        """Wait (at most MAX_WAIT) until each send is sent or failed, by push or by polling."""
        wanted = list(sent)

        async def poll() -> None:
            await self._poll([sms.user_id for sms in wanted if not sms.final])

        if not await self._waiters.until(lambda: all(sms.final for sms in wanted), timeout, poll):
            LOGGER.debug("Stopped waiting for sending results after %.0f s", timeout)
        return wanted

    @callback
    def async_shutdown(self) -> None:
        """Release every waiting caller; the entry is going away."""
        self._waiters.close()


def _number_key(number: str) -> str:
    """Compare numbers as the gateway may echo them: with or without "+" or "00"."""
    digits = number.strip().removeprefix("+")
    return digits.removeprefix("00")


def _identity(message_id: int | None, number: str, port: int, ref_id: int | None) -> Hashable:
    """Name the SMS a report is about: by our id, else by where the gateway sent it."""
    if message_id is not None:
        return ("id", message_id)
    return ("ref", number, port, ref_id)


def default_ports(options: Mapping[str, Any]) -> list[int] | None:
    """Read the default ports (stored as numbers, or as the strings a multi-select gives)."""
    ports = [int(port) for port in options.get(CONF_DEFAULT_PORTS) or []]
    return ports or None
