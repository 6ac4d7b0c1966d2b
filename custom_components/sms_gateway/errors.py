"""Client errors as users see them: one table per place they show, all of them here.

An action, a notify service, a button and a config flow say the same thing for the same failure.
A send that may have reached the service has words of its own (sending.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, Final

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .providers.errors import (
    ApiDisabledError,
    AuthError,
    InvalidInputError,
    NoPortAvailableError,
    PortBusyError,
    PortNotRegisteredError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RejectedError,
)

type ErrorTable = tuple[tuple[type[ProviderError], str], ...]
"""Translation keys by error class; first match wins, so the general ProviderError comes last."""

ACTION_ERRORS: Final[ErrorTable] = (
    (InvalidInputError, "invalid_input"),
    (NoPortAvailableError, "no_port_available"),
    (AuthError, "invalid_auth"),
    (ProviderConnectionError, "cannot_connect"),
    (RejectedError, "gateway_rejected"),
    (ProviderError, "provider_error"),
)
USSD_ERRORS: Final[ErrorTable] = (
    (InvalidInputError, "ussd_invalid_code"),
    (PortBusyError, "ussd_port_busy"),
    (PortNotRegisteredError, "ussd_port_not_registered"),
    (ProviderTimeoutError, "ussd_timeout"),
    (AuthError, "invalid_auth"),
    (ProviderError, "ussd_failed"),
)
RESTART_ERRORS: Final[ErrorTable] = (
    (AuthError, "invalid_auth"),
    (ProviderError, "restart_failed"),
)
FORM_ERRORS: Final[ErrorTable] = (
    (AuthError, "invalid_auth"),
    (ApiDisabledError, "api_disabled"),
    (ProviderConnectionError, "cannot_connect"),
    (ProviderError, "unknown"),
)
_WITHOUT_DETAILS: Final = frozenset({"no_port_available", "invalid_auth"})
"""Action errors whose message needs nothing from the error (the others show it)."""


def error_key(error: ProviderError, table: ErrorTable) -> str:
    """Return the translation key the table gives this error."""
    return next(key for kind, key in table if isinstance(error, kind))


def form_error(error: ProviderError) -> str:
    """Return the config flow's form error for a failed login check."""
    return error_key(error, FORM_ERRORS)


def translated_error(error: ProviderError) -> HomeAssistantError:
    """Return the translated error for a client error; input mistakes are the caller's to fix."""
    key = error_key(error, ACTION_ERRORS)
    placeholders = {} if key in _WITHOUT_DETAILS else {"error": str(error)}
    if isinstance(error, RejectedError) and key == "gateway_rejected":
        placeholders["code"] = str(error.code)
    kind = ServiceValidationError if isinstance(error, InvalidInputError) else HomeAssistantError
    return kind(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def port_error(error: ProviderError, port: int, table: ErrorTable) -> HomeAssistantError:
    """Return the translated error of a port's USSD or restart, naming the port."""
    kind = ServiceValidationError if isinstance(error, InvalidInputError) else HomeAssistantError
    return kind(
        translation_domain=DOMAIN,
        translation_key=error_key(error, table),
        translation_placeholders={"port": str(port), "error": str(error)},
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


async def coordinator_update[T](call: Callable[[], Awaitable[T]]) -> T:
    """Turn client errors into what a coordinator understands, with a translated message."""
    try:
        return await call()
    except AuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except ProviderError as err:
        raise update_failed(err) from err


def update_failed(err: ProviderError) -> UpdateFailed:
    """Say the service could not be reached, and why, in the coordinator's terms."""
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="cannot_connect",
        translation_placeholders={"error": str(err)},
    )
