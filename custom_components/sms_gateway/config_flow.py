"""Config flow: pick a gateway, a cloud account or a failover route; each wing has its steps.

The Dinstar steps are in gateway/flow.py, the accounts' in accounts/flow.py, the routes' in
routes/flow.py; this class offers them in one menu and sends reauth, reconfigure and options to
the entry's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback

from .accounts.flow import CloudAccountFlow
from .accounts.options_flow import CloudOptionsFlow
from .const import CONF_PROVIDER, DOMAIN, PROVIDER_DINSTAR, PROVIDER_ROUTE
from .gateway.flow import GatewayFlow
from .gateway.options_flow import SmsGatewayOptionsFlow
from .routes.flow import RouteFlow, RouteOptionsFlow
from .wings import WINGS

PROVIDER_STEPS: Final = list(WINGS)
"""The first step's menu: one step per provider, then a route over them."""


class SmsGatewayConfigFlow(GatewayFlow, RouteFlow, CloudAccountFlow, domain=DOMAIN):
    """Add a Dinstar gateway, an SMSLink connection, a Plasgate account or a failover route."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Dinstar: polling, sending defaults and per-port balance; cloud: sending defaults."""
        if config_entry.data[CONF_PROVIDER] == PROVIDER_DINSTAR:
            return SmsGatewayOptionsFlow()
        if config_entry.data[CONF_PROVIDER] == PROVIDER_ROUTE:
            return RouteOptionsFlow()
        return CloudOptionsFlow()

    async def async_step_user(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - a menu has no input
    ) -> ConfigFlowResult:
        """Ask which kind of SMS service to add."""
        return self.async_show_menu(step_id="user", menu_options=PROVIDER_STEPS)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Ask for a new login: the gateway or service refused the stored one."""
        if entry_data[CONF_PROVIDER] == PROVIDER_DINSTAR:
            return await self.async_step_reauth_confirm()
        return await self._async_step_reauth_account()

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or login of the same gateway or account; a route has none."""
        provider = self._get_reconfigure_entry().data[CONF_PROVIDER]
        if provider == PROVIDER_ROUTE:
            return self.async_abort(reason="route_reconfigure")
        if provider == PROVIDER_DINSTAR:
            return await self._async_step_reconfigure_gateway(user_input)
        return await self._async_step_reconfigure_account()
