"""Sending through SMSLink or Plasgate and following each SMS until its delivery report.

The provider answers a send with its own message id (or, for a Plasgate batch, a batch id); the
delivery reports that arrive later by callback carry that id, which ties them back to the number.
Only reports for this entry's own sends are read, also after a restart (send_store.py).
As with a gateway, nothing is sent twice: a send that may have reached the service is reported
as uncertain, never repeated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from ..bus_events import Origin, async_fire_delivery_report, async_fire_sms_sent
from ..const import DOMAIN, LOGGER
from ..errors import translated_error
from ..providers.errors import MAY_HAVE_SENT, AuthError, ProviderError, ProviderUnreachableError
from ..sending import (
    STATUS_DELIVERED,
    STATUS_FAILED,
    STATUS_QUEUED,
    STATUS_SENT,
    STATUS_UNCERTAIN,
    Waiters,
    check_message,
    check_recipients,
    partial_send_error,
    uncertain_send_error,
)
from .devices import account_origin
from .send_store import CloudSendStore

_FINAL: Final = frozenset({STATUS_DELIVERED, STATUS_FAILED})
_RANK: Final = {STATUS_QUEUED: 0, STATUS_SENT: 1, STATUS_DELIVERED: 2, STATUS_FAILED: 2}


@dataclass(slots=True)
class CloudSms:
    """One recipient of one send, as far as the provider has told us."""

    number: str
    message_id: str | None = None
    batch_id: str | None = None
    status: str = STATUS_QUEUED
    error: str | None = None
    segments: int = 1

    @property
    def final(self) -> bool:
        """Delivered or failed: what a caller that waits is waiting for."""
        return self.status in _FINAL

    def as_response(self) -> dict[str, Any]:
        """Give the per-recipient result an action answers with: every field, by name."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One send as the submitter puts it on the wire: numbers already in the service's form."""

    numbers: list[str]
    text: str
    sender: str | None
    delivery_report: bool


@dataclass(slots=True)
class Submission:
    """What one send did for each recipient; error is the failure that stopped it, if any."""

    recipients: list[CloudSms]
    error: ProviderError | None = None


class Submitter(Protocol):
    """One provider's way of putting a text on the wire for many recipients."""

    async def submit(self, sms: Outgoing, accepted: Callable[[list[CloudSms]], None]) -> Submission:
        """Send once, telling `accepted` what each answer took; raise only if nothing was sent."""


class CloudSendTracker:
    """Sends for one cloud account and turns its delivery reports into events."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        submitter: Submitter,
        normalise_number: Callable[[str], str],
        after_send: Callable[[], Coroutine[Any, Any, None]] | None = None,
    ) -> None:
        """Nothing is sent until the first send; after_send runs once a send went out.

        The entry is used for its lifecycle only (id, reauth, background tasks).
        """
        self._hass = hass
        self._after_send = after_send
        self._entry = entry
        self._submitter = submitter
        self._normalise_number = normalise_number
        self._sent = CloudSendStore(hass, entry.entry_id)
        self._waiters = Waiters()

    async def async_load(self) -> None:
        """Read the sends made before a restart: their reports may still come."""
        await self._sent.async_load()

    async def async_send(
        self,
        recipients: Sequence[str],
        text: str,
        *,
        sender: str | None = None,
        delivery_report: bool = True,
    ) -> list[CloudSms]:
        """Check the text and every number, send once, and say plainly what did not go."""
        # The same 1500-byte / 10-segment bound as a gateway: the services bill per segment.
        plan = check_message(text, None)
        numbers = check_recipients(recipients, self._normalise_number)
        try:
            outcome = await self._submitter.submit(
                Outgoing(numbers, text, sender, delivery_report), self._remember
            )
        except AuthError:
            self._entry.async_start_reauth(self._hass)
            raise
        except ProviderUnreachableError as err:
            raise translated_error(err) from err  # no connection was made: nothing went
        except MAY_HAVE_SENT as err:
            raise uncertain_send_error(len(numbers), self._origin().provider, err) from err
        for sms in outcome.recipients:
            sms.segments = plan.segments
        if self._after_send is not None:
            self._entry.async_create_background_task(
                self._hass, self._after_send(), f"{DOMAIN} after a send {self._entry.entry_id}"
            )
        statuses = [sms.status for sms in outcome.recipients]
        if statuses.count(STATUS_QUEUED) != len(statuses):
            raise _partial_send_error(statuses, outcome)
        async_fire_sms_sent(
            self._hass,
            self._origin(),
            text=text,
            recipients=[sms.as_response() for sms in outcome.recipients],
        )
        return outcome.recipients

    def _remember(self, accepted: list[CloudSms]) -> None:
        """Keep the ids the service gave, at once: its callbacks may come before the send ends."""
        batches: Counter[str] = Counter()
        for sms in accepted:
            if sms.message_id is not None and sms.status == STATUS_QUEUED:
                self._sent.add_message(sms.message_id, sms.number)
            if sms.batch_id is not None:
                batches[sms.batch_id] += 1
        for batch_id, size in batches.items():
            self._sent.add_batch(batch_id, size)

    # --- callbacks ------------------------------------------------------------------------------

    @callback
    def handle_delivery(self, message_id: str, status: str | None, raw_status: str) -> bool:
        """Take a delivery report; False (and nothing done) if this entry did not send it.

        Each SMS fires one event per status, however often told, across restarts too.
        """
        sent = self._sent.message(message_id)
        if sent is None:
            return False
        if status is None:
            LOGGER.debug("A delivery report with status %s changes nothing", raw_status)
            return True
        if status in sent.announced:
            return True
        sent.announced.append(status)
        if _RANK[status] > _RANK[sent.status]:
            sent.status = status
            self._waiters.wake()
        self._sent.changed()
        self._fire(message_id, sent.number, status, raw_status)
        return True

    @callback
    def handle_batch_success(self, batch_id: str, message_id: str) -> None:
        """Learn the id of a batch message: its delivery reports name it, not the batch."""
        self._sent.name_batch_message(batch_id, message_id)

    @callback
    def handle_batch_failure(self, batch_id: str, reason: str | None) -> None:
        """Report a batch message the service could not send: it names the batch, not the number."""
        self._fire(None, None, STATUS_FAILED, reason or "", batch_id=batch_id)

    def knows_batch(self, batch_id: str) -> bool:
        """Whether this entry sent that batch (callbacks for others are refused)."""
        return self._sent.batch(batch_id) is not None

    def _fire(
        self,
        message_id: str | None,
        recipient: str | None,
        status: str,
        raw_status: str,
        *,
        batch_id: str | None = None,
    ) -> None:
        async_fire_delivery_report(
            self._hass,
            self._origin(),
            message_id=message_id,
            recipient=recipient,
            status=status,
            raw_status=raw_status,
            batch_id=batch_id,
        )

    def _origin(self) -> Origin:
        return account_origin(self._hass, self._entry)

    # --- waiting --------------------------------------------------------------------------------

    async def wait_for(self, sent: Sequence[CloudSms], timeout: float) -> list[CloudSms]:  # noqa: ASYNC109
        """Wait (at most MAX_WAIT) until each SMS is delivered or failed; reports come by push."""
        wanted = list(sent)

        def told() -> bool:
            for sms in wanted:
                known = self._sent.message(sms.message_id) if sms.message_id else None
                if known is not None:
                    sms.status = known.status
            return all(sms.final for sms in wanted)

        if not await self._waiters.until(told, timeout):
            LOGGER.debug("Stopped waiting for delivery reports after %.0f s", timeout)
        told()
        return wanted

    async def async_shutdown(self) -> None:
        """Release every waiting caller and write the sends down; the entry is going away."""
        self._waiters.close()
        await self._sent.async_flush()


def _partial_send_error(statuses: list[str], outcome: Submission) -> HomeAssistantError:
    queued = statuses.count(STATUS_QUEUED)
    uncertain = statuses.count(STATUS_UNCERTAIN)
    reason = str(outcome.error) if outcome.error else None
    reason = reason or next(
        (sms.error for sms in outcome.recipients if sms.error), "refused by the service"
    )
    return partial_send_error(queued, uncertain, len(statuses) - queued - uncertain, reason)
