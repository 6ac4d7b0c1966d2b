"""Setting up a cloud account: its client, balance, sends and callback webhook.

The webhook's cloudhook follows the Home Assistant Cloud subscription from then on (cloudhook.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr

from ..const import CONF_COUNTRY, DOMAIN
from ..phone_numbers import default_country
from ..providers.errors import InvalidInputError
from ..runtime import Wing
from ..sending import async_remove_send_store
from .balance import SmsLinkBalanceCoordinator
from .callback_url import async_remove_cloudhook
from .callbacks import async_register_callbacks
from .catalog import service_of
from .cloudhook import CloudhookManager, async_delete_callback_issues
from .credit_watch import async_delete_credit_issue, async_follow_credit
from .devices import account_device_info
from .runtime import AccountConfigEntry, AccountData
from .sender import CloudSendTracker
from .smpp_link import SMPP_MODEL, SmppAccount, memory_store, smpp_options, smpp_settings
from .smpp_login_issue import async_delete_smpp_login_issue
from .smpp_sender import SmppSubmitter


async def async_setup_cloud(hass: HomeAssistant, entry: AccountConfigEntry) -> None:
    """Build the account's client; a first balance read (where there is one) proves the login.

    Forwards the service's own platforms (`service_of(entry.data).platforms` unloads them).
    """
    service = service_of(entry.data)
    try:
        connection = service.connect(hass, entry)
    except (InvalidInputError, ValueError) as err:
        # Options the flow would refuse (edited by hand): say which, do not retry.
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"error": str(err)},
        ) from err
    balance: SmsLinkBalanceCoordinator | None = None
    if connection.read_balance is not None:
        balance = SmsLinkBalanceCoordinator(hass, entry, connection.read_balance)
        await balance.async_config_entry_first_refresh()
        entry.async_on_unload(async_follow_credit(hass, balance, service.device.url))
    smpp = _smpp_account(hass, entry)
    sends = CloudSendTracker(
        hass,
        entry,
        connection.submitter if smpp is None else SmppSubmitter(smpp.link, connection.sender),
        connection.normalise_number,
        after_send=None if balance is None else balance.async_request_refresh,
    )
    await sends.async_load()
    entry.runtime_data = AccountData(
        service=service,
        device_info=account_device_info(
            entry, service.device if smpp is None else replace(service.device, model=SMPP_MODEL)
        ),
        sends=sends,
        country=entry.options.get(CONF_COUNTRY) or default_country(hass, service.country),
        balance=balance,
        smpp=smpp,
    )
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **entry.runtime_data.device_info
    )
    await hass.config_entries.async_forward_entry_setups(entry, service.platforms)
    async_register_callbacks(hass, entry, service.receiver(entry, sends))
    entry.async_on_unload(sends.async_shutdown)
    if smpp is not None:
        # Receipts and incoming SMS come over the link: no callback URL to watch or repair.
        async_delete_callback_issues(hass, entry.entry_id)
        # Last: a set-up that fails before this leaves no link running (nothing would stop it).
        await smpp.async_start(sends)
        return
    await CloudhookManager(hass, entry, url_by_hand=service.callback_url_by_hand).async_start()


def _smpp_account(hass: HomeAssistant, entry: AccountConfigEntry) -> SmppAccount | None:
    """Build the account's SMPP link where its options choose SMPP; raise for bad settings."""
    options = smpp_options(entry.options)
    if options is None:
        async_delete_smpp_login_issue(hass, entry.entry_id)  # SMPP switched off: nothing to log in
        return None
    try:
        return SmppAccount(hass, entry, smpp_settings(options))
    except InvalidInputError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"error": str(err)},
        ) from err


async def async_remove_account(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Forget a deleted account's send ids, give back its cloudhook, drop its repairs."""
    await async_remove_send_store(hass, entry.entry_id)
    await memory_store(hass, entry.entry_id).async_remove()
    await async_remove_cloudhook(hass, entry.data)
    async_delete_callback_issues(hass, entry.entry_id)
    async_delete_credit_issue(hass, entry.entry_id)
    async_delete_smpp_login_issue(hass, entry.entry_id)


ACCOUNT: Final = Wing(
    platforms=lambda entry: service_of(entry.data).platforms,
    async_setup=async_setup_cloud,
    async_remove=async_remove_account,
)
