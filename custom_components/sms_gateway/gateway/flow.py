"""Config flow steps of a Dinstar gateway: address and login proven, push address shown, reauth.

SmsGatewayConfigFlow (config_flow.py) offers these next to the accounts' and routes' steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import (
    BooleanSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from ..const import CONF_PROVIDER, LOGGER, PROVIDER_DINSTAR
from ..errors import form_error
from ..providers.dinstar import DinstarClient, base_url
from ..providers.errors import InvalidInputError, InvalidResponseError, ProviderError

DEFAULT_USERNAME: Final = "admin"
# A serial's last characters tell gateways apart and keep entity ids short.
_SHORT_SERIAL_LENGTH: Final = 4


def gateway_title(serial: str, entries: list[ConfigEntry[Any]]) -> str:
    """Name a new gateway "Dinstar" and its serial's last 4 characters, or the whole serial.

    The title names the gateway's device and, through it, every port device and entity id, so two
    gateways must never share one.
    """
    short = f"Dinstar {''.join(char for char in serial if char.isalnum())[-_SHORT_SERIAL_LENGTH:]}"
    if any(entry.title == short for entry in entries):
        return f"Dinstar {serial}"
    return short


_PASSWORD_SELECTOR: Final = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
DINSTAR_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_HOST): TextSelector(TextSelectorConfig(autocomplete="off")),
        vol.Required(CONF_USERNAME, default=DEFAULT_USERNAME): TextSelector(
            TextSelectorConfig(autocomplete="username")
        ),
        vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
        vol.Required(CONF_VERIFY_SSL, default=False): BooleanSelector(),
    }
)


@dataclass(frozen=True, slots=True)
class GatewayProbe:
    """What one cheap request told us about the gateway behind an address and login."""

    host: str
    serial: str
    port_count: int


async def probe_gateway(hass: HomeAssistant, data: Mapping[str, Any]) -> GatewayProbe:
    """Log in and read the serial with the cheapest call that answers with the envelope."""
    host = base_url(data[CONF_HOST])
    verify_ssl = bool(data[CONF_VERIFY_SSL])
    client = DinstarClient(
        async_get_clientsession(hass, verify_ssl),
        host,
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        verify_ssl=verify_ssl,
    )
    ports = await client.get_port_info(info_types=["type"])
    if not client.serial:
        raise InvalidResponseError("The gateway answered without its serial number")
    return GatewayProbe(host=client.host, serial=client.serial, port_count=len(ports))


_LOGIN_KEYS: Final = (CONF_USERNAME, CONF_PASSWORD, CONF_VERIFY_SSL)
"""What a reauth or reconfigure may change besides the address (which the gateway normalises)."""


def _without_password(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form values to show again; a password is never echoed back into a form."""
    return {key: value for key, value in values.items() if key != CONF_PASSWORD}


class GatewayFlow(ConfigFlow):
    """The Dinstar steps; SmsGatewayConfigFlow adds the accounts', the routes' and the dispatch."""

    def __init__(self) -> None:
        """Hold what the steps learn until the entry is created."""
        super().__init__()
        self._port_count = 0
        self._gateway_data: dict[str, Any] = {}

    async def _probe(self, data: Mapping[str, Any]) -> tuple[GatewayProbe | None, dict[str, str]]:
        """Try the gateway; on failure say which form error explains it."""
        try:
            return await probe_gateway(self.hass, data), {}
        except InvalidInputError:
            return None, {CONF_HOST: "invalid_host"}
        except ProviderError as err:
            return None, {"base": form_error(err)}
        except Exception:  # noqa: BLE001 - any surprise becomes "unknown", with its traceback
            LOGGER.exception("Unexpected error while checking the gateway")
            return None, {"base": "unknown"}

    async def _async_save_login(
        self, entry: ConfigEntry, data: Mapping[str, Any] | None
    ) -> tuple[ConfigFlowResult | None, dict[str, str]]:
        """Prove a new login or address on the same gateway and save it (else: wrong_device)."""
        if data is None:
            return None, {}
        gateway, errors = await self._probe(data)
        if gateway is None:
            return None, errors
        await self.async_set_unique_id(gateway.serial, raise_on_progress=False)
        self._abort_if_unique_id_mismatch(reason="wrong_device")
        updates = {key: data[key] for key in _LOGIN_KEYS if key in data}
        return self.async_update_reload_and_abort(
            entry, data_updates={**updates, CONF_HOST: gateway.host}
        ), {}

    async def async_step_dinstar(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the gateway's address and login and prove them before anything is created."""
        errors: dict[str, str] = {}
        if user_input is not None:
            gateway, errors = await self._probe(user_input)
            if gateway is not None:
                await self.async_set_unique_id(gateway.serial)
                self._abort_if_unique_id_configured()
                self._port_count = gateway.port_count
                self._gateway_data = {
                    CONF_PROVIDER: PROVIDER_DINSTAR,
                    CONF_HOST: gateway.host,
                    CONF_USERNAME: user_input[CONF_USERNAME],
                    CONF_PASSWORD: user_input[CONF_PASSWORD],
                    CONF_VERIFY_SSL: user_input[CONF_VERIFY_SSL],
                    CONF_WEBHOOK_ID: webhook.async_generate_id(),
                }
                return await self.async_step_push()
        return self.async_show_form(
            step_id="dinstar",
            data_schema=self.add_suggested_values_to_schema(
                DINSTAR_SCHEMA, _without_password(user_input or {})
            ),
            errors=errors,
            description_placeholders={"example_host": "https://192.168.1.50"},
        )

    async def async_step_push(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show where the gateway must push its events, then create the entry."""
        if user_input is not None:
            return self.async_create_entry(
                title=gateway_title(str(self.unique_id), self._async_current_entries()),
                data=self._gateway_data,
            )
        webhook_id: str = self._gateway_data[CONF_WEBHOOK_ID]
        placeholders = {
            "serial": str(self.unique_id),
            "port_count": str(self._port_count),
            "example_base_url": "http://192.168.1.10:8123",
        }
        try:
            # The gateway sits on the LAN: the internal URL is the one it can reach.
            placeholders["webhook_url"] = webhook.async_generate_url(
                self.hass, webhook_id, allow_ip=True, prefer_external=False
            )
        except NoURLAvailableError:
            placeholders["webhook_path"] = webhook.async_generate_path(webhook_id)
            return self.async_show_form(
                step_id="push_path", description_placeholders=placeholders, last_step=True
            )
        return self.async_show_form(
            step_id="push", description_placeholders=placeholders, last_step=True
        )

    # Home Assistant knows no URL of its own: the same step, with the path and a hint instead.
    async_step_push_path = async_step_push

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a new username and password, proven on the same gateway."""
        entry = self._get_reauth_entry()
        login = None if user_input is None else {**entry.data, **user_input}
        saved, errors = await self._async_save_login(entry, login)
        if saved is not None:
            return saved
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_USERNAME, default=entry.data.get(CONF_USERNAME, DEFAULT_USERNAME)
                ): TextSelector(TextSelectorConfig(autocomplete="username")),
                vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=schema,
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def _async_step_reconfigure_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or login of the same gateway; the webhook id stays."""
        entry = self._get_reconfigure_entry()
        saved, errors = await self._async_save_login(entry, user_input)
        if saved is not None:
            return saved
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                DINSTAR_SCHEMA, _without_password(user_input or entry.data)
            ),
            errors=errors,
            description_placeholders={"example_host": "https://192.168.1.50"},
        )
