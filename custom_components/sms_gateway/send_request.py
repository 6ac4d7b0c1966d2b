"""One send, whatever the provider: the action and the notify services both come through here.

Options that only one kind of provider understands are refused on the other with a translated
error instead of being dropped: a caller who asked for a port or a sender must not get an SMS
sent some other way without knowing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homeassistant.exceptions import ServiceValidationError

from .const import (
    ATTR_DELIVERY_REPORT,
    ATTR_ENCODING,
    ATTR_PORTS,
    ATTR_SENDER,
    ATTR_TIMEOUT,
    ATTR_WAIT,
    DOMAIN,
)
from .runtime import SendOptions, SmsGatewayEntry


def send_options(options: Mapping[str, Any]) -> SendOptions:
    """Read the send options of an action or a notify service's `data`."""
    return SendOptions(
        ports=options.get(ATTR_PORTS) or None,
        encoding=options.get(ATTR_ENCODING, "auto"),
        sender=options.get(ATTR_SENDER),
        delivery_report=options.get(ATTR_DELIVERY_REPORT, True),
    )


def _asked_for(options: Mapping[str, Any], option: str) -> bool:
    return options.get(option) not in (None, "", [], "auto")


async def async_send(
    entry: SmsGatewayEntry,
    recipients: Sequence[str],
    message: str,
    options: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Send once through the entry's service; with `wait`, report what became of each SMS."""
    service = entry.runtime_data
    for option, key in service.refused_options.items():
        if _asked_for(options, option):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders={"option": option, "title": entry.title},
            )
    sent = await service.async_send(recipients, message, send_options(options))
    if options.get(ATTR_WAIT):
        sent = await service.async_wait(sent, options[ATTR_TIMEOUT])
    return [sms.as_response() for sms in sent]
