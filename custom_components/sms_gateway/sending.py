"""What every send speaks, whatever the service: statuses, checks, errors and waiting callers.

A gateway, a cloud account and a route all answer `send_sms` in these words, so an automation reads
one vocabulary. A send is never repeated once it may have reached the service: a duplicate SMS
costs money, so an uncertain send is reported as such instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .phone_numbers import sort_numbers
from .providers.errors import InvalidInputError, ProviderError
from .providers.text import Encoding, TextPlan, mask_number, normalise_number, plan_text

STORAGE_VERSION: Final = 1

ENCODING_CHOICES: Final[dict[str, Encoding | None]] = {
    "auto": None,
    "gsm7": Encoding.GSM7,
    "unicode": Encoding.UCS2,
}
ENCODING_NAMES: Final = {Encoding.GSM7: "gsm7", Encoding.UCS2: "unicode"}
"""How an encoding is named to users: the same words the encoding field accepts."""

STATUS_QUEUED: Final = "queued"
STATUS_SENDING: Final = "sending"
STATUS_SENT: Final = "sent"
STATUS_DELIVERED: Final = "delivered"
STATUS_FAILED: Final = "failed"
STATUS_UNCERTAIN: Final = "uncertain"
"""The request failed after it may have reached the service: not repeated, not known."""
STATUS_NOT_SENT: Final = "not_sent"
"""An earlier part of the same send failed, so this one was never asked for."""


def uncertain_send_error(count: int, where: str, error: ProviderError) -> HomeAssistantError:
    """Say that a send may or may not have gone, and was not repeated (a duplicate costs money)."""
    LOGGER.warning(
        "Sending %d SMS may or may not have reached %s (%s); it was not retried",
        count,
        where,
        error,
    )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="send_uncertain",
        translation_placeholders={"error": str(error)},
    )


def partial_send_error(
    queued: int, uncertain: int, not_sent: int, reason: object
) -> HomeAssistantError:
    """Say how far a send that stopped part way got: queued, uncertain, not sent."""
    LOGGER.warning(
        "A send stopped part way: %d SMS queued, %d uncertain (not retried), %d not sent: %s",
        queued,
        uncertain,
        not_sent,
        reason,
    )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="send_partial",
        translation_placeholders={
            "queued": str(queued),
            "uncertain": str(uncertain),
            "not_sent": str(not_sent),
            "error": str(reason),
        },
    )


def check_message(text: str, encoding: Encoding | None) -> TextPlan:
    """Plan the text, refusing an empty, over-long or unencodable one before any request."""
    try:
        return plan_text(text, encoding)
    except InvalidInputError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_message",
            translation_placeholders={"error": str(err)},
        ) from err


def check_recipients(
    recipients: Iterable[str], normalise: Callable[[str], str] = normalise_number
) -> list[str]:
    """Normalise every number and list all bad ones (by position, masked) in one error."""
    good, bad = sort_numbers(recipients, normalise)
    if bad:
        named = (
            f"#{position} ({masked})" if (masked := mask_number(number)) else f"#{position}"
            for position, number in bad
        )
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_numbers",
            translation_placeholders={"numbers": ", ".join(named)},
        )
    if not good:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_recipients")
    return list(dict.fromkeys(good))


def send_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry keeps what it must know of its sends across restarts.

    A gateway keeps its next free user_id (ids stay unique); an account the ids of its sends
    (cloud_send_store.py), so that only reports for them are read.
    """
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.sends")


async def async_remove_send_store(hass: HomeAssistant, entry_id: str) -> None:
    """Forget what a removed entry kept of its sends."""
    await send_store(hass, entry_id).async_remove()


MAX_WAIT: Final = 60.0
"""The longest a caller may wait for sending results, in seconds."""
DEFAULT_WAIT: Final = 30.0
FIRST_POLL: Final = 1.0
MAX_POLL: Final = 5.0
"""A poll runs after these quiet pauses (doubling) unless something moved first."""


class Waiters:
    """Everyone waiting on one entry's sends."""

    def __init__(self) -> None:
        """Nobody waits yet; the entry is open."""
        self._events: set[asyncio.Event] = set()
        self.closed = False

    def wake(self) -> None:
        """Let every waiter look again: a send moved on."""
        for changed in self._events:
            changed.set()

    def close(self) -> None:
        """Release every waiter for good; the entry is going away."""
        self.closed = True
        self.wake()

    async def until(
        self,
        done: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - the caller's own bound, capped at MAX_WAIT
        poll: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Wait until done(), the entry closes or the bound ends; False when the bound ended."""
        changed = asyncio.Event()
        self._events.add(changed)
        pause = FIRST_POLL
        try:
            async with asyncio.timeout(min(max(timeout, 0.0), MAX_WAIT)):
                while not self.closed and not done():
                    changed.clear()
                    if poll is None:
                        await changed.wait()
                        continue
                    try:
                        async with asyncio.timeout(pause):
                            await changed.wait()
                    except TimeoutError:
                        await poll()
                        pause = min(pause * 2, MAX_POLL)
        except TimeoutError:
            return False
        finally:
            self._events.discard(changed)
        return True
