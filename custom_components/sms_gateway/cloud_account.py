"""SMSLink and Plasgate accounts as the flows see them: fields, entry data and the login check.

Credentials are proven with a call that sends no SMS. The Plasgate private key is the account's
identity and a secret at once: only a short hash of it becomes the unique id, and no secret is
ever shown again in a form, a placeholder or a log line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
import hashlib
from typing import Any, Final

from homeassistant.const import CONF_PASSWORD, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import SectionConfig, section
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
import voluptuous as vol
from yarl import URL

from .cloud_clients import (
    DEFAULT_PLASGATE_SENDER,
    DEFAULT_SMSLINK_SENDER,
    plasgate_client,
    smslink_client,
)
from .const import (
    CONF_CONNECTION_ID,
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SECRET,
    CONF_SENDER,
    CONF_TEST_MODE,
    DEFAULT_PLASGATE_COUNTRY,
    DEFAULT_SMSLINK_COUNTRY,
    LOGGER,
    PROVIDER_PLASGATE,
    PROVIDER_SMSLINK,
)
from .country import default_country
from .providers import plasgate, smslink
from .providers.errors import AuthError, InvalidInputError, ProviderConnectionError, ProviderError

type AccountCheck = Callable[[], Awaitable[object]]
type CheckFactory = Callable[[HomeAssistant, Mapping[str, Any], Mapping[str, Any]], AccountCheck]

PLASGATE_ID_PREFIX: Final = "plasgate_"
SECRET_KEYS: Final = frozenset({CONF_PASSWORD, CONF_PRIVATE_KEY, CONF_SECRET})

# First match wins, so the general ProviderError comes last.
_ERROR_KEYS: Final[tuple[tuple[type[ProviderError], str], ...]] = (
    (AuthError, "invalid_auth"),
    (ProviderConnectionError, "cannot_connect"),
    (ProviderError, "unknown"),
)

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


def service_error(provider: str, key: str) -> str:
    """Name a form error in the service's own words: each has its own login and sender rules."""
    if key == "cannot_connect":
        return "cloud_cannot_connect"
    if key in ("invalid_auth", "invalid_sender"):
        return f"{provider}_{key}"
    return key


def _smslink_check(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> AccountCheck:
    """Check with the balance call: it carries nothing but the credentials, and sends nothing."""
    return smslink_client(hass, data, options).balance


def _plasgate_check(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> AccountCheck:
    """Check with the CA bundle GET: Plasgate has no balance call, and it sends nothing."""
    return plasgate_client(hass, data, options).certificates


@dataclass(frozen=True, slots=True)
class CloudService:
    """What the flow needs to know of one cloud SMS service."""

    provider: str
    title: str
    credentials: tuple[str, ...]  # the form's login fields, the account's identity first
    secrets: tuple[str, ...]  # the fields a reauth asks for again
    base_url: str
    sender: str
    country: str
    check: CheckFactory

    def first_options(self, hass: HomeAssistant, sender: str) -> dict[str, Any]:
        """Return the options a new entry starts with; the options flow changes them later."""
        options: dict[str, Any] = {
            CONF_SENDER: sender,
            CONF_COUNTRY: default_country(hass, self.country),
            CONF_DEFAULT_RECIPIENTS: [],
        }
        if self.provider == PROVIDER_SMSLINK:
            options[CONF_TEST_MODE] = False
        return options


SERVICES: Final = {
    PROVIDER_SMSLINK: CloudService(
        provider=PROVIDER_SMSLINK,
        title="SMSLink",
        credentials=(CONF_CONNECTION_ID, CONF_PASSWORD),
        secrets=(CONF_PASSWORD,),
        base_url=smslink.DEFAULT_BASE_URL,
        sender=DEFAULT_SMSLINK_SENDER,
        country=DEFAULT_SMSLINK_COUNTRY,
        check=_smslink_check,
    ),
    PROVIDER_PLASGATE: CloudService(
        provider=PROVIDER_PLASGATE,
        title="Plasgate",
        credentials=(CONF_PRIVATE_KEY, CONF_SECRET),
        secrets=(CONF_PRIVATE_KEY, CONF_SECRET),
        base_url=plasgate.DEFAULT_BASE_URL,
        sender=DEFAULT_PLASGATE_SENDER,
        country=DEFAULT_PLASGATE_COUNTRY,
        check=_plasgate_check,
    ),
}


def plasgate_unique_id(private_key: str) -> str:
    """Name the account by a short hash of its key: the key itself is a secret."""
    return PLASGATE_ID_PREFIX + hashlib.sha256(private_key.encode()).hexdigest()[:16]


def account_unique_id(data: Mapping[str, Any]) -> str:
    """Return the unique id: SMSLink's connection ID as it is, Plasgate's key hashed."""
    if data[CONF_PROVIDER] == PROVIDER_SMSLINK:
        return str(data[CONF_CONNECTION_ID])
    return plasgate_unique_id(data[CONF_PRIVATE_KEY])


def without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return form values to show again; a password, key or secret is never echoed back."""
    return {key: value for key, value in values.items() if key not in SECRET_KEYS}


def form_sender(service: CloudService, values: Mapping[str, Any]) -> str:
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


SECTION_SERVICE: Final = "service"
"""The form section that holds the service's address, collapsed: few users ever change it."""


def account_schema(service: CloudService) -> vol.Schema:
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
    service: CloudService, user_input: Mapping[str, Any], current_url: str | None = None
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
    service = SERVICES[data[CONF_PROVIDER]]
    if not all(data[key] for key in service.credentials):
        return {"base": service_error(service.provider, "invalid_auth")}
    if CONF_URL in data and not _is_web_url(data[CONF_URL]):
        return {SECTION_SERVICE: "invalid_url"}  # a field's error shows on its section
    try:
        check = service.check(hass, data, {CONF_SENDER: sender} if sender else {})
    except InvalidInputError:
        return {CONF_SENDER: service_error(service.provider, "invalid_sender")}
    try:
        await check()
    except ProviderError as err:
        key = next(key for kind, key in _ERROR_KEYS if isinstance(err, kind))
        return {"base": service_error(service.provider, key)}
    except Exception:  # noqa: BLE001 - any surprise becomes "unknown", with its traceback
        LOGGER.exception("Unexpected error while checking the %s account", service.title)
        return {"base": "unknown"}
    return {}
