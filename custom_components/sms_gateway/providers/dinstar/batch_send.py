"""One message to any number of recipients, in requests of 128 with one user_id each.

A later failure must not hide what the earlier requests already queued, so the outcome is told
per recipient rather than as one exception. A request that failed after the gateway may have
processed it (MAY_HAVE_SENT) leaves its recipients uncertain; nothing is ever sent twice.
"""

from collections.abc import Awaitable, Callable, Iterable
import itertools
from typing import Final

from ..errors import (
    MAY_HAVE_SENT,
    InvalidInputError,
    ProviderError,
)
from ..text import Encoding, plan_text
from .checks import check_ports, check_user_id, chunks, normalise_numbers
from .models import (
    RecipientOutcome,
    RecipientState,
    SendOutcome,
    SendReceipt,
    SmsRecipient,
)

MAX_RECIPIENTS_PER_SEND: Final = 128


type SendRequest = Callable[
    [list[SmsRecipient], Encoding, list[int] | None], Awaitable[SendReceipt]
]
"""Queue one request of a send: its recipients, in the alphabet and on the ports chosen once."""


async def send_in_batches(
    send_request: SendRequest,
    recipients: Iterable[str],
    text: str,
    *,
    ports: Iterable[int] | None,
    encoding: Encoding | None,
    first_user_id: int,
) -> SendOutcome:
    """Check everything, then send; the first request's error is raised, later ones reported."""
    plan = plan_text(text, encoding)
    numbers = list(dict.fromkeys(normalise_numbers(recipients)))
    if not numbers:
        raise InvalidInputError("There are no recipients")
    if check_user_id(first_user_id) is None:
        raise InvalidInputError("first_user_id is required")
    port_list = check_ports(ports)
    outcomes: list[RecipientOutcome] = []
    failure: ProviderError | None = None
    user_ids = itertools.count(first_user_id)
    for chunk in chunks(numbers, MAX_RECIPIENTS_PER_SEND):
        batch = [(number, next(user_ids)) for number in chunk]
        state, task_id = RecipientState.SKIPPED, None
        if failure is None:
            try:
                receipt = await send_request(
                    [SmsRecipient(number, user_id) for number, user_id in batch],
                    plan.encoding,
                    port_list,
                )
            except ProviderError as err:
                if not outcomes:
                    raise
                failure = err
                state = (
                    RecipientState.UNCERTAIN
                    if isinstance(err, MAY_HAVE_SENT)
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
