"""Sending a Plasgate account's SMS over its SMPP link: one submit_sm per recipient and part.

Recipients go concurrently: the link holds them to the account's throughput and the session's
window, so a thousand recipients keep the window full without ever passing the throttle. Each
recipient's outcome is its own. One the server took is queued (its first part's id names it in
the reports); one it refused failed; one whose submit_sm went unanswered is uncertain and is
never submitted again; one not yet written when the link stayed down is not sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ..providers.errors import MAY_HAVE_SENT, ProviderError, ProviderUnreachableError
from ..providers.plasgate.client import check_sender
from ..providers.plasgate.smpp import PartSentError, SmppLink
from ..sending import STATUS_FAILED, STATUS_NOT_SENT, STATUS_UNCERTAIN
from .sender import CloudSms, Outgoing, Submission


class SmppSubmitter:
    """Every recipient through the account's link."""

    def __init__(self, link: SmppLink, sender: str) -> None:
        """Send through this link (bound or not: a submit waits a while for a bind).

        sender: the account's own, checked when the options were saved.
        """
        self._link = link
        self._sender = sender

    async def submit(self, sms: Outgoing, accepted: Callable[[list[CloudSms]], None]) -> Submission:
        """Submit to every number at once; raise only if none went and none may have."""
        sender = self._sender if sms.sender is None else check_sender(sms.sender)
        outcomes = await asyncio.gather(
            *(self._one(number, sender, sms, accepted) for number in sms.numbers)
        )
        recipients = [recipient for recipient, _ in outcomes]
        errors = [error for _, error in outcomes if error is not None]
        if len(errors) == len(outcomes) and all(
            recipient.status in (STATUS_FAILED, STATUS_NOT_SENT) for recipient in recipients
        ):
            raise errors[0]  # nothing went: the caller says so plainly
        if len(recipients) == 1 and errors and recipients[0].status == STATUS_UNCERTAIN:
            raise errors[0]
        return Submission(recipients, errors[0] if errors else None)

    async def _one(
        self, number: str, sender: str, sms: Outgoing, accepted: Callable[[list[CloudSms]], None]
    ) -> tuple[CloudSms, ProviderError | None]:
        try:
            message_ids = await self._link.submit(
                number,
                sms.text,
                sender=sender,
                delivery_report=sms.delivery_report,
            )
        except PartSentError as err:
            lost = STATUS_UNCERTAIN if isinstance(err.cause, MAY_HAVE_SENT) else STATUS_FAILED
            return CloudSms(number, message_id=err.message_ids[0], status=lost, error=str(err)), err
        except ProviderUnreachableError as err:
            return CloudSms(number, status=STATUS_NOT_SENT, error=str(err)), err
        except MAY_HAVE_SENT as err:
            return CloudSms(number, status=STATUS_UNCERTAIN, error=str(err)), err
        except ProviderError as err:
            return CloudSms(number, status=STATUS_FAILED, error=str(err)), err
        recipient = CloudSms(number, message_id=message_ids[0])
        accepted([recipient])
        return recipient, None
