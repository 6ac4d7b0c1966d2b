"""The login form of a cloud account: its fields, the entry data it gives and the check.

Credentials are proven with a call that sends no SMS. No secret is ever shown again in a form, a
placeholder or a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.const import CONF_PASSWORD, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import SectionConfig, section
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
import voluptuous as vol
from yarl import URL

from ..const import (
    CONF_CONNECTION_ID,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SECRET,
    CONF_SENDER,
    LOGGER,
)
from ..errors import form_error
from ..providers.errors import InvalidInputError, ProviderError
from .catalog import service_of
from .service import CloudService

SECRET_KEYS: Final = frozenset({CONF_PASSWORD, CONF_PRIVATE_KEY, CONF_SECRET})
SECTION_SERVICE: Final = "service"
"""The form section that holds the service's address, collapsed: few users ever change it."""

_SECRET_SELECTOR: Final = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
)
_FIELD_SELECTORS: Final = {
    CONF_CONNECTION_ID: TextSelector(TextSelectorConfig(autocomplete="username")),
    CONF_PASSWORD: TextSelector(
        TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
    ),
    CONF_PRIVATE_KEY: _SECRET_SELECTOR,
    CONF_SECRET: _SECRET_SELECTOR,
}


def without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return form values to show again; a password, key or secret is never echoed back."""
    return {key: value for key, value in values.items() if key not in SECRET_KEYS}


def form_sender(service: CloudService[Any], values: Mapping[str, Any]) -> str:
    """Return the sender as typed, trimmed; left empty, the service's default."""
    return str(values.get(CONF_SENDER) or "").strip() or service.sender


def _is_web_url(url: str) -> bool:
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def credentials_fields(keys: tuple[str, ...]) -> dict[vol.Marker, Any]:
    """Build the required login fields, secrets behind a password selector."""
    return {vol.Required(key): _FIELD_SELECTORS[key] for key in keys}


def account_schema(service: CloudService[Any]) -> vol.Schema:
    """Ask for login and sender; the address (a test service, say) waits in a folded section."""
    address = vol.Schema(
        {
            vol.Optional(CONF_URL, default=service.base_url): TextSelector(
                TextSelectorConfig(type=TextSelectorType.URL)
            )
        }
    )
    return vol.Schema(
        {
            **credentials_fields(service.credentials),
            vol.Optional(CONF_SENDER, default=service.sender): TextSelector(),
            vol.Required(SECTION_SERVICE): section(address, SectionConfig(collapsed=True)),
        }
    )


def account_data(
    service: CloudService[Any], user_input: Mapping[str, Any], current_url: str | None = None
) -> dict[str, Any]:
    """Build entry data from the form; `url` only when it is not the service's own address."""
    data: dict[str, Any] = {CONF_PROVIDER: service.provider}
    data.update((key, user_input[key]) for key in service.credentials)
    if CONF_CONNECTION_ID in data:
        data[CONF_CONNECTION_ID] = data[CONF_CONNECTION_ID].strip()
    address = user_input.get(SECTION_SERVICE, {}).get(CONF_URL, current_url)
    url = str(address or "").strip().rstrip("/")
    if url and url != service.base_url:
        data[CONF_URL] = url
    return data


async def async_check_account(
    hass: HomeAssistant, data: Mapping[str, Any], sender: str | None
) -> dict[str, str]:
    """Prove the credentials without sending an SMS; return the form errors that explain why not."""
    service = service_of(data)
    if not all(data[key] for key in service.credentials):
        return {"base": service.form_error("invalid_auth")}
    if CONF_URL in data and not _is_web_url(data[CONF_URL]):
        return {SECTION_SERVICE: "invalid_url"}  # a field's error shows on its section
    try:
        check = service.account_check(hass, data, {CONF_SENDER: sender} if sender else {})
    except InvalidInputError:
        return {CONF_SENDER: service.form_error("invalid_sender")}
    try:
        await check()
    except ProviderError as err:
        return {"base": service.form_error(form_error(err))}
    except Exception:  # noqa: BLE001 - any surprise becomes "unknown", with its traceback
        LOGGER.exception("Unexpected error while checking the %s account", service.title)
        return {"base": "unknown"}
    return {}
