"""The bus events users build automations on: one builder each, used by every service.

The data keys are a contract (README, Events). Each event names where it comes from (`Origin`);
keys the contract marks "where known" are left out rather than sent empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant, callback

from .const import (
    EVENT_ASSIST,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_SENT,
    EVENT_USSD_REPLY,
    AssistOutcome,
)
from .routes.reports import route_of


@dataclass(frozen=True, slots=True)
class Origin:
    """The entry, service and device an event comes from."""

    entry_id: str
    provider: str
    device_id: str | None = None


def _known(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@callback
def async_fire_sms_received(
    hass: HomeAssistant,
    origin: Origin,
    *,
    sender: str | None,
    text: str,
    received_at: datetime,
    **where_known: Any,
) -> dict[str, Any]:
    """`sms_gateway_sms_received`; where_known: port, imsi, smsc, receiver, message_id, network."""
    data = {
        "entry_id": origin.entry_id,
        "provider": origin.provider,
        "sender": sender,
        "text": text,
        "received_at": received_at.isoformat(),
        **_known(**where_known, device_id=origin.device_id),
    }
    hass.bus.async_fire(EVENT_SMS_RECEIVED, data)
    return data


@callback
def async_fire_delivery_report(
    hass: HomeAssistant,
    origin: Origin,
    *,
    message_id: str | int | None,
    recipient: str | None,
    status: str,
    raw_status: str,
    **where_known: Any,
) -> None:
    """`sms_gateway_delivery_report`, with `route_entry_id` when a route sent the SMS."""
    hass.bus.async_fire(
        EVENT_DELIVERY_REPORT,
        {
            "entry_id": origin.entry_id,
            "provider": origin.provider,
            "message_id": message_id,
            "recipient": recipient,
            "status": status,
            "raw_status": raw_status,
            **_known(**where_known, device_id=origin.device_id),
            **route_of(hass, origin.entry_id, message_id),
        },
    )


@callback
def async_fire_sms_sent(
    hass: HomeAssistant, origin: Origin, *, text: str, recipients: list[dict[str, Any]]
) -> None:
    """`sms_gateway_sms_sent`: one per send, once every recipient was taken."""
    hass.bus.async_fire(
        EVENT_SMS_SENT,
        {
            "entry_id": origin.entry_id,
            "provider": origin.provider,
            "device_id": origin.device_id,
            "text": text,
            "recipients": recipients,
        },
    )


@callback
def async_fire_ussd_reply(
    hass: HomeAssistant, origin: Origin, *, port: int, code: str | None, text: str
) -> None:
    """`sms_gateway_ussd_reply`: what the operator answered on a port."""
    hass.bus.async_fire(
        EVENT_USSD_REPLY,
        {
            "entry_id": origin.entry_id,
            "port": port,
            "device_id": origin.device_id,
            "code": code,
            "text": text,
        },
    )


@callback
def async_fire_assist(
    hass: HomeAssistant,
    origin: Origin,
    *,
    sender: str,
    text: str,
    reply: str | None,
    outcome: AssistOutcome,
    agent_id: str,
    port: int | None = None,
) -> None:
    """`sms_gateway_assist`: an SMS to Assist and what became of it."""
    hass.bus.async_fire(
        EVENT_ASSIST,
        {
            "entry_id": origin.entry_id,
            "provider": origin.provider,
            "device_id": origin.device_id,
            "sender": sender,
            "text": text,
            "reply": reply,
            "outcome": outcome.value,
            "agent_id": agent_id,
            **_known(port=port),
        },
    )
