"""Logbook lines for received SMS and delivery reports, so they can be read where users look.

Each line names who wrote (or to whom it went), the port or account, and the text shortened to
one line. The events carry `device_id`, so the lines also show on the port's or account's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback

from .const import (
    DOMAIN,
    EVENT_ASSIST,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_SENT,
    AssistOutcome,
)

PREVIEW_LENGTH: Final = 80
"""Characters of a text shown in a logbook line; the event keeps it whole."""

SHOWN_RECIPIENTS: Final = 3
"""Recipients a sent-SMS line names before it counts the rest."""

type Description = dict[str, str]


def preview(text: str | None, limit: int = PREVIEW_LENGTH) -> str:
    """Put a text on one line and cut it at a word, with an ellipsis, past the limit."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return f"{cut.rstrip()}…"


def _recipients(recipients: object, shown: int = SHOWN_RECIPIENTS) -> str:
    """Name the first few recipients and count the others."""
    numbers = [
        str(recipient.get("number"))
        for recipient in (recipients if isinstance(recipients, list) else [])
        if isinstance(recipient, dict)
    ]
    if not numbers:
        return "no recipient"
    named = ", ".join(numbers[:shown])
    rest = len(numbers) - shown
    return f"{named} and {rest} more" if rest > 0 else named


def _where(data: dict[str, Any]) -> str:
    return f" on port {data['port']}" if data.get("port") is not None else ""


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], Description]], None],
) -> None:
    """Describe received and sent SMS and delivery reports.

    USSD replies need no line of their own: the port's Last USSD reply sensor already shows
    each in the logbook.
    """

    def source(data: dict[str, Any]) -> str:
        """Name the gateway or account the event came from, as the user named it."""
        entry = hass.config_entries.async_get_entry(data.get("entry_id", ""))
        return entry.title if entry is not None else "SMS Gateway"

    @callback
    def describe_sms(event: Event) -> Description:
        data = dict(event.data)
        sender = data.get("sender") or "an unknown sender"
        return {
            LOGBOOK_ENTRY_NAME: source(data),
            LOGBOOK_ENTRY_MESSAGE: (
                f"received an SMS from {sender}{_where(data)}: “{preview(data.get('text'))}”"
            ),
            LOGBOOK_ENTRY_ICON: "mdi:message-arrow-left",
        }

    @callback
    def describe_report(event: Event) -> Description:
        data = dict(event.data)
        recipient = data.get("recipient") or "a batch recipient"
        what = {"sent": "handed to the network", "delivered": "delivered", "failed": "not sent"}
        status = str(data.get("status"))
        return {
            LOGBOOK_ENTRY_NAME: source(data),
            LOGBOOK_ENTRY_MESSAGE: (
                f"SMS to {recipient}{_where(data)} {what.get(status, status)}"
                f" (message {data.get('message_id') or data.get('batch_id') or '?'})"
            ),
            LOGBOOK_ENTRY_ICON: (
                "mdi:message-alert" if status == "failed" else "mdi:message-check"
            ),
        }

    @callback
    def describe_sent(event: Event) -> Description:
        data = dict(event.data)
        return {
            LOGBOOK_ENTRY_NAME: source(data),
            LOGBOOK_ENTRY_MESSAGE: (
                f"sent an SMS to {_recipients(data.get('recipients'))}:"
                f" “{preview(data.get('text'))}”"
            ),
            LOGBOOK_ENTRY_ICON: "mdi:message-arrow-right",
        }

    @callback
    def describe_assist(event: Event) -> Description:
        """One line per SMS to Assist command: what was asked, and the answer or why none."""
        data = dict(event.data)
        asked = f"Assist: “{preview(data.get('text'))}” from {data.get('sender')}"
        answer = f" → “{preview(data.get('reply'))}”"
        outcome: dict[str, str] = {
            AssistOutcome.ANSWERED: answer,
            AssistOutcome.NOT_SENT: f"{answer} (the answer could not be sent)",
            AssistOutcome.RATE_LIMITED: " not passed on (over the hourly limit)",
            AssistOutcome.NO_ANSWER: " got no answer from the agent",
        }
        return {
            LOGBOOK_ENTRY_NAME: source(data),
            LOGBOOK_ENTRY_MESSAGE: asked + outcome.get(str(data.get("outcome")), ""),
            LOGBOOK_ENTRY_ICON: "mdi:robot-outline",
        }

    async_describe_event(DOMAIN, EVENT_SMS_RECEIVED, describe_sms)
    async_describe_event(DOMAIN, EVENT_ASSIST, describe_assist)
    async_describe_event(DOMAIN, EVENT_SMS_SENT, describe_sent)
    async_describe_event(DOMAIN, EVENT_DELIVERY_REPORT, describe_report)
