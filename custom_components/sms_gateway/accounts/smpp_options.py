"""The SMPP page of a Plasgate account's options: where its SMPP server is, and the login.

Saving binds once and unbinds, so a wrong address or login is said on the form, not found
later. A blank password keeps the one saved (the form never shows it). Switching SMPP off sends
by REST again; the settings stay filled in for next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.const import CONF_ENABLED, CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from ..const import CONF_SMPP, CONF_SYSTEM_ID, CONF_THROUGHPUT, CONF_TLS, CONF_WINDOW
from ..providers.errors import AuthError, InvalidInputError, ProviderError
from ..providers.plasgate.smpp import DEFAULT_PORT, check_login
from .smpp_link import DEFAULT_THROUGHPUT, DEFAULT_WINDOW, smpp_settings

_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_ENABLED, default=False): BooleanSelector(),
        vol.Optional(CONF_HOST): TextSelector(),
        vol.Required(CONF_PORT, default=DEFAULT_PORT): NumberSelector(
            NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
        ),
        vol.Optional(CONF_SYSTEM_ID): TextSelector(),
        vol.Optional(CONF_PASSWORD): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
        vol.Required(CONF_TLS, default=False): BooleanSelector(),
        vol.Required(CONF_THROUGHPUT, default=DEFAULT_THROUGHPUT): NumberSelector(
            NumberSelectorConfig(min=0.1, max=1000, step=0.1, mode=NumberSelectorMode.BOX)
        ),
        vol.Required(CONF_WINDOW, default=DEFAULT_WINDOW): NumberSelector(
            NumberSelectorConfig(min=1, max=100, mode=NumberSelectorMode.BOX)
        ),
    }
)


def smpp_schema() -> vol.Schema:
    """Return the form's fields."""
    return _SCHEMA


def smpp_shown(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the form shows: the saved settings without the password."""
    saved = options.get(CONF_SMPP)
    saved = dict(saved) if isinstance(saved, Mapping) else {}
    saved.pop(CONF_PASSWORD, None)
    return {CONF_ENABLED: bool(saved.pop(CONF_ENABLED, False)), **saved}


async def smpp_from_form(
    user_input: Mapping[str, Any], options: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the form (binding once when SMPP is on); return the settings to save, or errors."""
    saved = options.get(CONF_SMPP)
    saved = saved if isinstance(saved, Mapping) else {}
    smpp: dict[str, Any] = {
        CONF_HOST: str(user_input.get(CONF_HOST, "")).strip(),
        CONF_PORT: int(user_input[CONF_PORT]),
        CONF_SYSTEM_ID: str(user_input.get(CONF_SYSTEM_ID, "")).strip(),
        CONF_PASSWORD: user_input.get(CONF_PASSWORD) or saved.get(CONF_PASSWORD, ""),
        CONF_TLS: bool(user_input[CONF_TLS]),
        CONF_THROUGHPUT: float(user_input[CONF_THROUGHPUT]),
        CONF_WINDOW: int(user_input[CONF_WINDOW]),
    }
    if not user_input[CONF_ENABLED]:
        return {**smpp, CONF_ENABLED: False}, {}
    if not smpp[CONF_HOST]:
        return smpp, {CONF_HOST: "smpp_host_required"}
    try:
        settings = smpp_settings(smpp)
    except InvalidInputError:
        return smpp, {"base": "smpp_invalid_login"}
    try:
        await check_login(settings)
    except AuthError:
        return smpp, {"base": "smpp_invalid_auth"}
    except ProviderError:
        return smpp, {"base": "smpp_cannot_connect"}
    return {**smpp, CONF_ENABLED: True}, {}
