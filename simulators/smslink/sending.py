"""Accepting, scheduling and delivering SMS for every send API (spec §3.3 to §3.6).

index.php, json.php and BULK v3 all come here, so credit, senders, the blacklist, scheduling and
delivery reports behave the same whichever way a message arrives.
"""

import asyncio
from collections.abc import Mapping
import random
from typing import Any

from simulators.background import BackgroundTasks
from simulators.smslink.account import Account, Message, canonical_number, segments
from simulators.smslink.callbacks import Callbacks

# BULK v3 per-line statuses (spec §2.4).
BULK_BAD_SENDER, BULK_BAD_NUMBER, BULK_OK, BULK_BLACKLISTED, BULK_NO_CREDIT = 1, 2, 3, 4, 5


class SendError(Exception):
    """A business refusal; `kind` names the row of the error_codes switch."""

    def __init__(self, kind: str) -> None:
        """Name the error_codes row."""
        super().__init__(kind)
        self.kind = kind


class Sending:
    """Takes messages into the account and sends their delivery reports."""

    def __init__(
        self,
        account: Account,
        faults: Mapping[str, Any],
        rng: random.Random,
        callbacks: Callbacks,
        tasks: BackgroundTasks,
        connection_id: str,
    ) -> None:
        """Messages are charged to `account` and reported through `callbacks`."""
        self._account = account
        self._faults = faults
        self._rng = rng
        self._callbacks = callbacks
        self._tasks = tasks
        self._connection_id = connection_id

    def send_single(
        self,
        to: str,
        text: str,
        sender: str,
        scheduled_at: int,
        *,
        test: bool,
        via: str,
    ) -> Message:
        """index.php / json.php: one message, or SendError."""
        number = canonical_number(to, accept_plus=bool(self._faults["accept_plus_numbers"]))
        if number is None:
            raise SendError("bad_number")
        used_sender = self._account.sender_to_use(sender)
        if used_sender is None:
            raise SendError("bad_sender")
        cost = segments(text)
        if not test and not self._account.can_pay(number, cost):
            raise SendError("no_credit")
        return self._accept(number, used_sender, text, cost, scheduled_at, test=test, via=via)

    def send_line(
        self, to: str, text: str, sender: str, scheduled_at: int, *, test: bool
    ) -> tuple[int, Message | None]:
        """One BULK v3 line: its status (1 to 5) and the message when it was accepted."""
        used_sender = self._account.sender_to_use(sender)
        if used_sender is None:
            return BULK_BAD_SENDER, None
        number = canonical_number(to, accept_plus=False)
        if number is None:
            return BULK_BAD_NUMBER, None
        internal_error = self._rng.random() < self._faults["bulk_internal_error_rate"]
        if self._account.is_blacklisted(number) or internal_error:
            return BULK_BLACKLISTED, None
        cost = segments(text)
        if not test and not self._account.can_pay(number, cost):
            return BULK_NO_CREDIT, None
        message = self._accept(number, used_sender, text, cost, scheduled_at, test=test, via="bulk")
        return BULK_OK, message

    def _accept(
        self,
        number: str,
        sender: str,
        text: str,
        cost: int,
        scheduled_at: int,
        *,
        test: bool,
        via: str,
    ) -> Message:
        message = Message(
            message_id=self._account.new_message_id(),
            to=number,
            sender=sender,
            text=text,
            segments=cost,
            scheduled_at=scheduled_at,
            test=test,
            via=via,
        )
        self._account.messages[message.message_id] = message
        if test:
            message.state = "test"
            return message
        self._account.charge(number, cost)
        if scheduled_at > self._account.now():
            message.state = "scheduled"
            self._tasks.spawn(self._release_when_due(scheduled_at))
        else:
            self._go_out(message)
        return message

    async def _release_when_due(self, due: int) -> None:
        await asyncio.sleep(max(0, due - self._account.now()))
        self.release_due()

    def release_due(self) -> list[int]:
        """Send every scheduled message whose time has come; return their IDs."""
        now = self._account.now()
        due = [
            message
            for message in self._account.messages.values()
            if message.state == "scheduled" and message.scheduled_at <= now
        ]
        for message in due:
            self._go_out(message)
        return [message.message_id for message in due]

    def _go_out(self, message: Message) -> None:
        message.state = "sent"
        self._tasks.spawn(self._report(message))

    async def _report(self, message: Message) -> None:
        await asyncio.sleep(float(self._faults["dlr_delay_s"]))
        status = message.forced_status
        if status is None:
            status = 0 if self._rng.random() < self._faults["dlr_undelivered_rate"] else 1
        message.state = "delivered" if status == 1 else "undelivered"
        fields = {
            "message_id": str(message.message_id),
            "status": str(status),
            "timestamp": str(self._account.now()),
        }
        if self._faults["dlr_extended"]:
            fields |= {
                "network_id": "2",
                "network_type": "1",
                "delivery_report": "DELIVRD" if status == 1 else "UNDELIV",
                "connection_id": self._connection_id,
                "message_count": str(message.segments),
            }
        self._callbacks.delivery_report(fields)
