"""Options of a cloud account: sender, country, recipients, the service's switches, SMS to Assist.

The sender and every default recipient are checked the way a send will check them, with the
country chosen on the same form; the entry's update listener reloads it to apply them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.data_entry_flow import section
from homeassistant.generated.countries import COUNTRIES
from homeassistant.helpers.selector import (
    BooleanSelector,
    CountrySelector,
    CountrySelectorConfig,
    TextSelector,
)
import phonenumbers
import voluptuous as vol

from ..assist.options import assist_from_form, assist_schema, assist_shown
from ..const import CONF_ASSIST, CONF_COUNTRY, CONF_DEFAULT_RECIPIENTS, CONF_SENDER, CONF_SMPP
from ..form_fields import phone_numbers_field
from ..options_reload import ReloadingOptionsFlow
from ..phone_numbers import default_country, positions, sort_numbers
from ..providers.errors import InvalidInputError
from ..providers.text import normalise_number
from .callback_url import callback_url
from .catalog import service_of
from .login import form_sender
from .service import CloudService
from .smpp_link import smpp_options
from .smpp_options import smpp_from_form, smpp_schema, smpp_shown

# Countries whose calling code is known: a national number needs it.
_COUNTRY_SELECTOR: Final = CountrySelector(
    CountrySelectorConfig(countries=sorted(COUNTRIES & phonenumbers.SUPPORTED_REGIONS))
)


def _checked_numbers(
    numbers: list[str], provider_number: Callable[[str], str]
) -> tuple[list[str], list[tuple[int, str]]]:
    """Keep each number once (as the service reads it), as typed but cleaned; and the bad ones."""
    checked, bad = sort_numbers(
        numbers, lambda number: (provider_number(number), normalise_number(number))
    )
    kept: dict[str, str] = {}
    for service_number, cleaned in checked:
        kept.setdefault(service_number, cleaned)
    return list(kept.values()), bad


def _receives_sms(service: CloudService[Any], options: Mapping[str, Any]) -> bool:
    """Say whether SMS reach the account: by callback (SMSLink), or over its SMPP link."""
    return service.receives_sms or smpp_options(options) is not None


def _schema(service: CloudService[Any], *, receives_sms: bool) -> vol.Schema:
    """Ask for the service's options: its on/off switches, and SMS to Assist where SMS come in."""
    fields: dict[vol.Marker, Any] = {
        vol.Optional(CONF_SENDER): TextSelector(),
        vol.Required(CONF_COUNTRY): _COUNTRY_SELECTOR,
        vol.Optional(CONF_DEFAULT_RECIPIENTS): phone_numbers_field(),
    }
    for switch in service.option_switches:
        fields[vol.Optional(switch, default=False)] = BooleanSelector()
    if receives_sms:
        fields[vol.Optional(CONF_ASSIST)] = section(assist_schema(), {"collapsed": True})
    return vol.Schema(fields)


def _assist_from_form(
    user_input: dict[str, Any], country: str, *, receives_sms: bool
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Return the SMS to Assist options (where SMS come in) and its bad numbers, by position.

    A form without the section (an older client, a script) leaves the stored ones as they are.
    """
    if not receives_sms or CONF_ASSIST not in user_input:
        return {}, []
    assist, bad = assist_from_form(user_input[CONF_ASSIST], country)
    return {CONF_ASSIST: assist}, bad


class CloudOptionsFlow(ReloadingOptionsFlow):
    """One form: what every send of this account starts from."""

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take the sender, country, default recipients and the service's switches (test mode).

        The page also shows the callback URL as it stands now: an external URL or Home Assistant
        Cloud added after the entry was created is where SMSLink must be told to call.
        """
        entry = self.config_entry
        service = service_of(entry.data)
        receives_sms = _receives_sms(service, entry.options)
        errors: dict[str, str] = {}
        placeholders = {"invalid": "", "callback_url": callback_url(self.hass, entry.data) or "-"}
        if user_input is not None:
            options: dict[str, Any] = {
                CONF_SENDER: form_sender(service, user_input),
                CONF_COUNTRY: user_input[CONF_COUNTRY],
                **{switch: user_input[switch] for switch in service.option_switches},
            }
            try:
                provider_number = service.number_check(self.hass, entry.data, options)
            except InvalidInputError:
                errors[CONF_SENDER] = service.form_error("invalid_sender")
            else:
                recipients, bad = _checked_numbers(
                    user_input.get(CONF_DEFAULT_RECIPIENTS, []), provider_number
                )
                assist, bad_assist = _assist_from_form(
                    user_input, options[CONF_COUNTRY], receives_sms=receives_sms
                )
                if bad:
                    errors[CONF_DEFAULT_RECIPIENTS] = "invalid_recipient"
                    placeholders["invalid"] = positions(bad)
                elif bad_assist:
                    errors[CONF_ASSIST] = "assist_invalid_number"
                    placeholders["invalid"] = positions(bad_assist)
                else:
                    return self.async_save_options(
                        {
                            **entry.options,
                            **options,
                            CONF_DEFAULT_RECIPIENTS: recipients,
                            **assist,
                        }
                    )
        shown = user_input or {
            CONF_SENDER: entry.options.get(CONF_SENDER, service.sender),
            CONF_COUNTRY: entry.options.get(
                CONF_COUNTRY, default_country(self.hass, service.country)
            ),
            CONF_DEFAULT_RECIPIENTS: list(entry.options.get(CONF_DEFAULT_RECIPIENTS, [])),
            **{switch: entry.options.get(switch, False) for switch in service.option_switches},
            CONF_ASSIST: assist_shown(entry.options),
        }
        return self.async_show_form(
            step_id="account",
            data_schema=self.add_suggested_values_to_schema(
                _schema(service, receives_sms=receives_sms), shown
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Open on the account page; a service that speaks SMPP offers its page too."""
        if not service_of(self.config_entry.data).smpp:
            return await self.async_step_account(user_input)
        return self.async_show_menu(step_id="init", menu_options=["account", "smpp"])

    async def async_step_smpp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take the SMPP server and login; saving binds once to check them."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        if user_input is not None:
            smpp, errors = await smpp_from_form(user_input, options)
            if not errors:
                return self.async_save_options({**options, CONF_SMPP: smpp})
        return self.async_show_form(
            step_id="smpp",
            data_schema=self.add_suggested_values_to_schema(
                smpp_schema(), user_input or smpp_shown(options)
            ),
            errors=errors,
        )
