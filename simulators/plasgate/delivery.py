"""An accepted message's life: schedule, outcome, batch callback, DLRs (spec §3.4, §3.6)."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from simulators.background import BackgroundTasks
from simulators.plasgate.callbacks import CallbackSender
from simulators.plasgate.clock import SimClock
from simulators.plasgate.messages import Message

OUTCOMES: Final = ("delivered", "expired", "undelivered", "rejected")
_RECEIPT_STAT: Final = {
    "delivered": "DELIVRD",
    "expired": "EXPIRED",
    "undelivered": "UNDELIV",
    "rejected": "REJECTD",
}
_ESME_STATUS: Final = {
    "delivered": "ESME_ROK",
    "expired": "ESME_RDELIVERYFAILURE",
    "undelivered": "ESME_RDELIVERYFAILURE",
    "rejected": "ESME_RINVNUMDESTS",
}
_DLR_TEXT_CHARS: Final = 20
_BOTH_LEVELS: Final = 3


def _jasmin_date(moment: datetime) -> str:
    return moment.strftime("%y%m%d%H%M")


class Delivery:
    """Runs one background task per message, on the simulator's clock."""

    def __init__(
        self,
        switches: Mapping[str, Any],
        clock: SimClock,
        tasks: BackgroundTasks,
        callbacks: CallbackSender,
    ) -> None:
        """Outcomes default to delivered; the control API forces others per id or number."""
        self._switches = switches
        self._clock = clock
        self._tasks = tasks
        self._callbacks = callbacks
        self.outcomes_by_id: dict[str, str] = {}
        self.outcomes_by_number: dict[str, str] = {}

    def start(self, message: Message) -> None:
        """Process message in the background."""
        self._tasks.spawn(self._process(message))

    def outcome_of(self, message: Message) -> str:
        """Return the forced outcome, else rejected for a refused number, else delivered."""
        if message.id in self.outcomes_by_id:
            return self.outcomes_by_id[message.id]
        if message.to in self.outcomes_by_number:
            return self.outcomes_by_number[message.to]
        return "rejected" if message.rejection else "delivered"

    async def _process(self, message: Message) -> None:
        if message.schedule_at is not None:
            message.state = "scheduled"
            wait = (message.schedule_at - self._clock.utcnow()).total_seconds()
            await self._clock.sleep_until(self._clock.monotonic() + wait)
        message.submitted_at = self._clock.utcnow()
        outcome = self.outcome_of(message)
        message.state = "sent" if outcome != "rejected" else "rejected"
        await self._batch_callback(message, outcome)
        if message.dlr is None:
            message.state = outcome
            return
        await self._clock.sleep_until(self._clock.monotonic() + self._switches["dlr_delay_s"])
        outcome = self.outcome_of(message)  # may have been forced meanwhile
        message.done_at = self._clock.utcnow()
        message.state = outcome
        dlr = message.dlr
        if dlr.level in (1, _BOTH_LEVELS):
            await self._callbacks.send(
                "dlr", dlr.url, dlr.method, self._level_one(message, outcome), retries=True
            )
        if dlr.level in (2, _BOTH_LEVELS):
            await self._callbacks.send(
                "dlr", dlr.url, dlr.method, self._level_two(message, outcome), retries=True
            )

    async def _batch_callback(self, message: Message, outcome: str) -> None:
        if message.batch_id is None:
            return
        if outcome == "rejected":
            url, status = message.errback_url, "0"
            text = f'Error "{message.rejection or "rejected"}"'
        else:
            url, status, text = message.callback_url, "1", f'Success "{message.id}"'
        if url is not None:
            params = {"batchId": message.batch_id, "status": status, "statusText": text}
            await self._callbacks.send("batch", url, "GET", params, retries=False)

    @staticmethod
    def _level_one(message: Message, outcome: str) -> dict[str, str]:
        status = "ESME_RINVNUMDESTS" if outcome == "rejected" else "ESME_ROK"
        return {"id": message.id, "message_status": status, "level": "1"}

    def _level_two(self, message: Message, outcome: str) -> dict[str, str]:
        styles = _ESME_STATUS if self._switches["dlr_status_style"] == "esme" else _RECEIPT_STAT
        source = message.report_content if self._switches["dlr_text_masked"] else message.content
        submitted = message.submitted_at or datetime.now(UTC)
        done = message.done_at or submitted
        delivered = outcome == "delivered"
        return {
            "id": message.id,
            "message_status": styles[outcome],
            "level": "2",
            "id_smsc": message.id.replace("-", "")[:16],
            "subdate": _jasmin_date(submitted),
            "donedate": _jasmin_date(done),
            "sub": "001",
            "dlvrd": "001" if delivered else "000",
            "err": "000" if delivered else "001",
            "text": source[:_DLR_TEXT_CHARS],
        }
