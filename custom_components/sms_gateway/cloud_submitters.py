"""How each cloud provider is asked to send: SMSLink in one request, Plasgate in batches.

One recipient goes through the single-send call, whose answer carries the message id that the
delivery report will name. Many recipients go in as few requests as the provider allows. What the
service accepted is told (`accepted`) as soon as it answers: its callbacks may come before the
last request of a send is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .cloud_sending import STATUS_NOT_SENT, STATUS_UNCERTAIN, CloudSms, Submission
from .providers.errors import MAY_HAVE_SENT, ProviderError
from .providers.plasgate import MAX_RECIPIENTS_PER_BATCH, DlrOptions, PlasgateClient
from .providers.smslink import BulkStatus, SmsLinkClient
from .sending import STATUS_FAILED

_BULK_ERRORS: Final = {
    BulkStatus.SENDER_FAILED: "sender refused",
    BulkStatus.NUMBER_FAILED: "number refused",
    BulkStatus.INTERNAL_ERROR_OR_BLACKLISTED: "blacklisted or internal error",
    BulkStatus.INSUFFICIENT_CREDIT: "insufficient credit",
}


class SmsLinkSubmitter:
    """One recipient through index.php, several in one BULK v3 package."""

    def __init__(self, client: SmsLinkClient, *, test_mode: bool) -> None:
        """In test mode SMSLink checks and answers but sends nothing and reports nothing."""
        self.client = client
        self.test_mode = test_mode

    def normalise(self, number: str) -> str:
        """SMSLink's 07... or 00CC... form."""
        return self.client.normalise(number)

    async def submit(
        self,
        numbers: list[str],
        text: str,
        *,
        sender: str | None,
        delivery_report: bool,  # noqa: ARG002 - SMSLink reports to the account's URL, always
        accepted: Callable[[list[CloudSms]], None],
    ) -> Submission:
        """Send once; a package answers for each recipient."""
        if len(numbers) == 1:
            sent = await self.client.send(numbers[0], text, sender=sender, test=self.test_mode)
            message_id = str(sent.message_id) if sent.message_id else None
            recipients = [CloudSms(sent.to, message_id=message_id)]
        else:
            receipt = await self.client.send_bulk(numbers, text, sender=sender, test=self.test_mode)
            recipients = [
                _bulk_sms(result.to, result.status, result.message_id) for result in receipt.results
            ]
        accepted(recipients)
        return Submission(recipients)


def _bulk_sms(number: str, status: BulkStatus | None, message_id: int | None) -> CloudSms:
    if status is BulkStatus.SENT:
        return CloudSms(number, message_id=str(message_id) if message_id else None)
    if status is None:
        return CloudSms(number, status=STATUS_UNCERTAIN, error="no answer for this number")
    return CloudSms(number, status=STATUS_FAILED, error=_BULK_ERRORS[status])


class PlasgateSubmitter:
    """One recipient through /rest/send, several through /rest/batch-send, 100 per request."""

    def __init__(self, client: PlasgateClient, callback_url: Callable[[], str | None]) -> None:
        """Read the callback URL at each send: the external URL may change meanwhile."""
        self.client = client
        self._callback_url = callback_url

    def normalise(self, number: str) -> str:
        """Plasgate's 855... digits."""
        return self.client.number(number)

    async def submit(
        self,
        numbers: list[str],
        text: str,
        *,
        sender: str | None,
        delivery_report: bool,
        accepted: Callable[[list[CloudSms]], None],
    ) -> Submission:
        """Send once; batches already accepted stay accepted when a later one fails."""
        url = self._callback_url()
        # Level 3: the SMSC's report (`sent`) and the handset's (`delivered` or `failed`).
        dlr = DlrOptions(url, level=3) if delivery_report and url else None
        if len(numbers) == 1:
            receipt = await self.client.send(numbers[0], text, sender=sender, dlr=dlr)
            single = [CloudSms(numbers[0], message_id=receipt.queue_id)]
            accepted(single)
            return Submission(single)
        recipients: list[CloudSms] = []
        chunks = [
            numbers[start : start + MAX_RECIPIENTS_PER_BATCH]
            for start in range(0, len(numbers), MAX_RECIPIENTS_PER_BATCH)
        ]
        for index, chunk in enumerate(chunks):
            try:
                receipts = await self.client.send_batch(
                    chunk, text, sender=sender, dlr=dlr, **_batch_callbacks(url)
                )
            except ProviderError as err:
                if not recipients:
                    raise
                lost = STATUS_UNCERTAIN if isinstance(err, MAY_HAVE_SENT) else STATUS_FAILED
                recipients += [CloudSms(number, status=lost, error=str(err)) for number in chunk]
                recipients += [
                    CloudSms(number, status=STATUS_NOT_SENT)
                    for later in chunks[index + 1 :]
                    for number in later
                ]
                return Submission(recipients, err)
            batch_id = receipts[0].queue_id if receipts else None
            batch = [CloudSms(number, batch_id=batch_id) for number in chunk]
            accepted(batch)
            recipients += batch
        return Submission(recipients)


def _batch_callbacks(url: str | None) -> Mapping[str, Any]:
    """Per-message success and failure callbacks tie a batch's messages to their reports."""
    return {} if url is None else {"callback_url": url, "errback_url": url}
