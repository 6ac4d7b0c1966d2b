"""Setting up an SMSLink or Plasgate account: its client, balance, sends and callback webhook.

The webhook's cloudhook follows the Home Assistant Cloud subscription from then on (cloudhook.py).
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr

from .callback_url import callback_url
from .cloud_clients import plasgate_client, smslink_client
from .cloud_sending import CloudSendTracker
from .cloud_submitters import PlasgateSubmitter, SmsLinkSubmitter
from .cloud_webhook import async_register_cloud_webhook
from .cloudhook import CloudhookManager
from .const import CONF_PROVIDER, CONF_TEST_MODE, DOMAIN, PROVIDER_SMSLINK
from .coordinator import SmsLinkBalanceCoordinator
from .credit_watch import async_follow_credit
from .entity import account_device_info
from .providers.errors import InvalidInputError
from .runtime import CloudConfigEntry, CloudRuntimeData


async def async_setup_cloud(
    hass: HomeAssistant, entry: CloudConfigEntry, platforms: list[Platform]
) -> None:
    """Build the account's client; SMSLink's first balance read proves the login."""
    provider: str = entry.data[CONF_PROVIDER]
    balance: SmsLinkBalanceCoordinator | None = None
    try:
        if provider == PROVIDER_SMSLINK:
            client = smslink_client(hass, entry.data, entry.options)
            balance = SmsLinkBalanceCoordinator(hass, entry, client)
            test_mode = bool(entry.options.get(CONF_TEST_MODE, False))
            submitter: SmsLinkSubmitter | PlasgateSubmitter = SmsLinkSubmitter(
                client, test_mode=test_mode
            )
        else:
            submitter = PlasgateSubmitter(
                plasgate_client(hass, entry.data, entry.options),
                lambda: callback_url(hass, entry.data),  # the data as it stands at each send
            )
    except (InvalidInputError, ValueError) as err:
        # Options the flow would refuse (edited by hand): say which, do not retry.
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"error": str(err)},
        ) from err
    if balance is not None:
        await balance.async_config_entry_first_refresh()
        entry.async_on_unload(async_follow_credit(hass, entry, balance))
    sends = CloudSendTracker(
        hass,
        entry,
        provider,
        submitter,
        after_send=None if balance is None else balance.async_request_refresh,
    )
    await sends.async_load()
    entry.runtime_data = CloudRuntimeData(provider=provider, sends=sends, balance=balance)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(entry)
    )
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    async_register_cloud_webhook(hass, entry)
    entry.async_on_unload(sends.async_shutdown)
    await CloudhookManager(hass, entry).async_start()
