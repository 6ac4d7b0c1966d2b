"""Options of an SMSLink or Plasgate account: sender, country, recipients, test mode, SMS to Assist.

The sender and every default recipient are checked the way a send will check them, with the
country chosen on the same form; the entry's update listener reloads it to apply them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.generated.countries import COUNTRIES
from homeassistant.helpers.selector import (
    BooleanSelector,
    CountrySelector,
    CountrySelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import phonenumbers
import voluptuous as vol

from .assist_options import CONF_ASSIST, assist_from_form, assist_schema, assist_shown
from .callback_url import callback_url
from .cloud_account import SERVICES, CloudService, form_sender, service_error
from .cloud_clients import plasgate_client, smslink_client
from .const import (
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PROVIDER,
    CONF_SENDER,
    CONF_TEST_MODE,
    PROVIDER_SMSLINK,
)
from .country import default_country
from .options_reload import ReloadingOptionsFlow
from .providers.errors import InvalidInputError
from .providers.text import normalise_number

# Countries whose calling code is known: a national number needs it.
_COUNTRY_SELECTOR: Final = CountrySelector(
    CountrySelectorConfig(countries=sorted(COUNTRIES & phonenumbers.SUPPORTED_REGIONS))
)
_RECIPIENTS_SELECTOR: Final = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
)


def _number_check(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> Callable[[str], str]:
    """Return the provider's number normaliser; raises InvalidInputError on a bad sender."""
    if data[CONF_PROVIDER] == PROVIDER_SMSLINK:
        return smslink_client(hass, data, options).normalise
    return plasgate_client(hass, data, options).number


def _checked_numbers(
    numbers: list[str], provider_number: Callable[[str], str]
) -> tuple[list[str], list[str]]:
    """Keep each number once, as typed but cleaned; the bad ones are named by position only."""
    good: dict[str, str] = {}
    bad: list[str] = []
    for position, number in enumerate(numbers, start=1):
        try:
            good.setdefault(provider_number(number), normalise_number(number))
        except InvalidInputError:
            bad.append(f"#{position}")
    return list(good.values()), bad


def _schema(service: CloudService) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Optional(CONF_SENDER): TextSelector(),
        vol.Required(CONF_COUNTRY): _COUNTRY_SELECTOR,
        vol.Optional(CONF_DEFAULT_RECIPIENTS): _RECIPIENTS_SELECTOR,
    }
    if service.provider == PROVIDER_SMSLINK:
        fields[vol.Optional(CONF_TEST_MODE, default=False)] = BooleanSelector()
        # Only SMSLink brings incoming SMS (2-Way); Plasgate has nobody to answer.
        fields[vol.Optional(CONF_ASSIST)] = section(assist_schema(), {"collapsed": True})
    return vol.Schema(fields)


def _assist_from_form(
    service: CloudService, user_input: dict[str, Any], country: str
) -> tuple[dict[str, Any], list[str]]:
    """Return the SMS to Assist options (SMSLink only) and its bad numbers, by position.

    A form without the section (an older client, a script) leaves the stored ones as they are.
    """
    if service.provider != PROVIDER_SMSLINK or CONF_ASSIST not in user_input:
        return {}, []
    assist, bad = assist_from_form(user_input[CONF_ASSIST], country)
    return {CONF_ASSIST: assist}, bad


class CloudOptionsFlow(ReloadingOptionsFlow):
    """One form: what every send of this account starts from."""

    async def async_step_init(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - opening the flow has no input
    ) -> ConfigFlowResult:
        """Open the account's one page."""
        return await self.async_step_account()

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take the sender, country, default recipients and (SMSLink) test mode.

        The page also shows the callback URL as it stands now: an external URL or Home Assistant
        Cloud added after the entry was created is where SMSLink must be told to call.
        """
        entry = self.config_entry
        service = SERVICES[entry.data[CONF_PROVIDER]]
        errors: dict[str, str] = {}
        placeholders = {"invalid": "", "callback_url": callback_url(self.hass, entry.data) or "-"}
        if user_input is not None:
            options: dict[str, Any] = {
                CONF_SENDER: form_sender(service, user_input),
                CONF_COUNTRY: user_input[CONF_COUNTRY],
            }
            if service.provider == PROVIDER_SMSLINK:
                options[CONF_TEST_MODE] = user_input[CONF_TEST_MODE]
            try:
                provider_number = _number_check(self.hass, entry.data, options)
            except InvalidInputError:
                errors[CONF_SENDER] = service_error(service.provider, "invalid_sender")
            else:
                recipients, bad = _checked_numbers(
                    user_input.get(CONF_DEFAULT_RECIPIENTS, []), provider_number
                )
                assist, bad_assist = _assist_from_form(service, user_input, options[CONF_COUNTRY])
                if bad:
                    errors[CONF_DEFAULT_RECIPIENTS] = "invalid_recipient"
                    placeholders["invalid"] = ", ".join(bad)
                elif bad_assist:
                    errors[CONF_ASSIST] = "assist_invalid_number"
                    placeholders["invalid"] = ", ".join(bad_assist)
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
            CONF_TEST_MODE: entry.options.get(CONF_TEST_MODE, False),
            CONF_ASSIST: assist_shown(entry.options),
        }
        return self.async_show_form(
            step_id="account",
            data_schema=self.add_suggested_values_to_schema(_schema(service), shown),
            errors=errors,
            description_placeholders=placeholders,
        )
