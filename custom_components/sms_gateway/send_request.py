"""One send, whatever the provider: the action and the notify services both come through here.

Options that only one kind of provider understands are refused on the other with a translated
error instead of being dropped: a caller who asked for a port or a sender must not get an SMS
sent some other way without knowing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .runtime import CloudRuntimeData, RouteRuntimeData, SmsGatewayConfigEntry
from .sending import ENCODING_CHOICES, default_ports

ATTR_PORTS: Final = "ports"
ATTR_ENCODING: Final = "encoding"
ATTR_SENDER: Final = "sender"
ATTR_DELIVERY_REPORT: Final = "delivery_report"
ATTR_WAIT: Final = "wait"
ATTR_TIMEOUT: Final = "timeout"


def _refuse(key: str, title: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders={"title": title}
    )


async def _async_send_route(
    title: str,
    runtime: RouteRuntimeData,
    recipients: Sequence[str],
    message: str,
    options: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Send through a route; each service uses its own ports, sender and encoding."""
    named = [option for option in (ATTR_PORTS, ATTR_SENDER) if options.get(option)]
    if options.get(ATTR_ENCODING, "auto") != "auto":
        named.append(ATTR_ENCODING)
    if named:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="route_option_not_supported",
            translation_placeholders={"option": named[0], "title": title},
        )
    return await runtime.sends.async_send(
        recipients,
        message,
        delivery_report=options.get(ATTR_DELIVERY_REPORT, True),
        wait=options[ATTR_TIMEOUT] if options.get(ATTR_WAIT) else None,
    )


async def async_send(
    entry: SmsGatewayConfigEntry,
    recipients: Sequence[str],
    message: str,
    options: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Send once through the entry's provider; with `wait`, report what became of each SMS."""
    runtime = entry.runtime_data
    if isinstance(runtime, RouteRuntimeData):
        return await _async_send_route(entry.title, runtime, recipients, message, options)
    if isinstance(runtime, CloudRuntimeData):
        if options.get(ATTR_PORTS):
            raise _refuse("ports_not_supported", entry.title)
        if options.get(ATTR_ENCODING, "auto") != "auto":
            raise _refuse("encoding_not_supported", entry.title)
        sent = await runtime.sends.async_send(
            recipients,
            message,
            sender=options.get(ATTR_SENDER),
            delivery_report=options.get(ATTR_DELIVERY_REPORT, True),
        )
        if options.get(ATTR_WAIT):
            sent = await runtime.sends.wait_for(sent, options[ATTR_TIMEOUT])
        return [sms.as_response() for sms in sent]
    if ATTR_SENDER in options:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="sender_not_supported"
        )
    tracked = await runtime.sends.async_send(
        recipients,
        message,
        ports=options.get(ATTR_PORTS) or default_ports(entry.options),
        encoding=ENCODING_CHOICES[options.get(ATTR_ENCODING, "auto")],
        delivery_report=options.get(ATTR_DELIVERY_REPORT, True),
    )
    if options.get(ATTR_WAIT):
        tracked = await runtime.sends.wait_for(tracked, options[ATTR_TIMEOUT])
    return [sms.as_response() for sms in tracked]
