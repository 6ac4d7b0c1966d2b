"""Config flow steps of the cloud accounts: login form, callback URL, reauth and reconfigure.

The callback URL is a Home Assistant Cloud webhook when the user has a subscription, else the
webhook on the external URL; without either, sending works and reports cannot arrive.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_URL, CONF_WEBHOOK_ID
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
import voluptuous as vol

from ..const import CONF_CLOUDHOOK_URL, CONF_SENDER, DOMAIN
from .callback_url import async_cloudhook_url, async_remove_cloudhook, external_webhook_url
from .catalog import SERVICES, service_of
from .login import (
    SECTION_SERVICE,
    account_data,
    account_schema,
    async_check_account,
    credentials_fields,
    form_sender,
    without_secrets,
)
from .service import CloudService


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountForm:
    """The form of a step that changes an existing account's login (reauth, reconfigure)."""

    step_id: str
    schema: vol.Schema
    shown: Mapping[str, Any]
    """What the form shows first, secrets left out."""
    read: Callable[[dict[str, Any]], tuple[dict[str, Any], str | None]]
    """The entry data and the sender the form gives; None: the sender stays."""


class CloudAccountFlow(ConfigFlow):
    """The cloud services' steps; SmsGatewayConfigFlow adds Dinstar, routes and the dispatch."""

    def __init__(self) -> None:
        """Hold what the steps learn until the entry is created."""
        self._entry_data: dict[str, Any] = {}
        self._entry_options: dict[str, Any] = {}
        self._unused_cloudhook = False

    @callback
    def async_remove(self) -> None:
        """Give back the cloudhook of a flow closed before its entry was created."""
        if self._unused_cloudhook:
            self.hass.async_create_task(async_remove_cloudhook(self.hass, self._entry_data))

    async def _async_step_account(
        self, service: CloudService[Any], user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Ask for the login, prove it before anything is created, then show the callback URL."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = account_data(service, user_input)
            await self.async_set_unique_id(service.unique_id(data))
            self._abort_if_unique_id_configured()
            sender = form_sender(service, user_input)
            errors = await async_check_account(self.hass, data, sender)
            if not errors:
                self._entry_data = {**data, CONF_WEBHOOK_ID: webhook.async_generate_id()}
                self._entry_options = service.first_options(self.hass, sender)
                return await self._async_step_callback()
        schema = account_schema(service)
        return self.async_show_form(
            step_id=service.provider,
            data_schema=self.add_suggested_values_to_schema(
                schema, without_secrets(user_input or {})
            ),
            errors=errors,
        )

    async def _async_step_callback(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show where the service calls back (cloudhook, else external URL), then create."""
        service = service_of(self._entry_data)
        if user_input is not None:
            self._unused_cloudhook = False
            return self.async_create_entry(
                title=service.title, data=self._entry_data, options=self._entry_options
            )
        webhook_id: str = self._entry_data[CONF_WEBHOOK_ID]
        url = await async_cloudhook_url(self.hass, webhook_id)
        if url is not None:
            self._entry_data[CONF_CLOUDHOOK_URL] = url
            self._unused_cloudhook = True
        else:
            url = external_webhook_url(self.hass, webhook_id)
        if url is None:
            return self.async_show_form(step_id=f"{service.provider}_no_callback", last_step=True)
        return self.async_show_form(
            step_id=f"{service.provider}_callback",
            description_placeholders={"callback_url": url},
            last_step=True,
        )

    async def _async_claim_unique_id(self, entry: ConfigEntry, data: Mapping[str, Any]) -> str:
        """Return the entry's unique id for these credentials, or abort the flow.

        An SMSLink connection ID names the account, so another one is another account. A new
        Plasgate key is the same account under a new id, unless another entry already has it.
        """
        service = service_of(data)
        unique_id = service.unique_id(data)
        await self.async_set_unique_id(unique_id, raise_on_progress=False)
        if service.login_names_account:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
        other = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
        if other is not None and other.entry_id != entry.entry_id:
            raise AbortFlow("already_configured")
        return unique_id

    async def _async_step_new_login(
        self,
        entry: ConfigEntry,
        user_input: dict[str, Any] | None,
        form: AccountForm,
    ) -> ConfigFlowResult:
        """Prove the account's new login as when it was added, then update the entry and reload.

        Reauth and reconfigure differ only in their form: what it asks and what it makes of it.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            data, sender = form.read(user_input)
            unique_id = await self._async_claim_unique_id(entry, data)
            errors = await async_check_account(self.hass, data, sender)
            if not errors:
                options = (
                    entry.options if sender is None else {**entry.options, CONF_SENDER: sender}
                )
                return self.async_update_reload_and_abort(
                    entry, unique_id=unique_id, data=data, options=options
                )
        return self.async_show_form(
            step_id=form.step_id,
            data_schema=self.add_suggested_values_to_schema(
                form.schema, without_secrets(user_input or form.shown)
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def _async_step_reauth_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take the account's new password or key pair; sender and options stay."""
        entry = self._get_reauth_entry()
        service = service_of(entry.data)
        form = AccountForm(
            step_id=f"reauth_{service.provider}",
            schema=vol.Schema(credentials_fields(service.secrets)),
            shown={},
            read=lambda user_input: ({**entry.data, **user_input}, None),
        )
        return await self._async_step_new_login(entry, user_input, form)

    async def _async_step_reconfigure_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the login, sender or address of the same account; the webhook stays."""
        entry = self._get_reconfigure_entry()
        service = service_of(entry.data)
        kept = {
            key: entry.data[key]
            for key in (CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL)
            if key in entry.data
        }

        def read(user_input: dict[str, Any]) -> tuple[dict[str, Any], str]:
            data = account_data(service, user_input, entry.data.get(CONF_URL))
            return {**kept, **data}, form_sender(service, user_input)

        form = AccountForm(
            step_id=f"reconfigure_{service.provider}",
            schema=account_schema(service),
            shown={
                **entry.data,
                CONF_SENDER: entry.options.get(CONF_SENDER, service.sender),
                SECTION_SERVICE: {CONF_URL: entry.data.get(CONF_URL, service.base_url)},
            },
            read=read,
        )
        return await self._async_step_new_login(entry, user_input, form)


def _login_step(
    service: CloudService[Any],
) -> Callable[[CloudAccountFlow, dict[str, Any] | None], Awaitable[ConfigFlowResult]]:
    async def step(
        flow: CloudAccountFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return await flow._async_step_account(service, user_input)  # noqa: SLF001

    step.__doc__ = f"Add a {service.title} account: its login and sender."
    return step


def _add_service_steps() -> None:
    """Give each catalog service its steps, named after it so that the step id picks its texts.

    The handlers are shared: a new service in the catalog needs no new step here.
    """
    flow = CloudAccountFlow
    for service in SERVICES.values():
        name = service.provider
        steps = {
            name: _login_step(service),
            f"{name}_callback": flow._async_step_callback,  # noqa: SLF001
            f"{name}_no_callback": flow._async_step_callback,  # noqa: SLF001
            f"reauth_{name}": flow._async_step_reauth_account,  # noqa: SLF001
            f"reconfigure_{name}": flow._async_step_reconfigure_account,  # noqa: SLF001
        }
        for step_id, handler in steps.items():
            setattr(flow, f"async_step_{step_id}", handler)


_add_service_steps()
