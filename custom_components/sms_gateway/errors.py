"""Client errors turned into the translated errors a user sees when an action or a notify fails.

One place, so an action, a notify service and an entity say the same thing for the same failure.
Sending has one case of its own (a send that may have reached the gateway) handled in sending.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .providers.errors import (
    AuthError,
    InvalidInputError,
    NoPortAvailableError,
    ProviderConnectionError,
    ProviderError,
    RejectedError,
)


def translated_error(error: ProviderError) -> HomeAssistantError:
    """Return the translated error for a client error; input mistakes are the caller's to fix."""
    if isinstance(error, InvalidInputError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_input",
            translation_placeholders={"error": str(error)},
        )
    if isinstance(error, NoPortAvailableError):
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="no_port_available")
    if isinstance(error, AuthError):
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_auth")
    if isinstance(error, ProviderConnectionError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(error)},
        )
    if isinstance(error, RejectedError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="gateway_rejected",
            translation_placeholders={"code": str(error.code), "error": str(error)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="provider_error",
        translation_placeholders={"error": str(error)},
    )


def translate_errors[**P, T](
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Coroutine[Any, Any, T]]:
    """Decorate an action or entity method so client errors reach the user translated."""

    @wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await func(*args, **kwargs)
        except ProviderError as err:
            raise translated_error(err) from err

    return wrapper
