"""SMS Gateway: Dinstar GSM gateways, SMSLink and Plasgate in Home Assistant."""

from __future__ import annotations

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .balance import BalanceManager
from .const import DOMAIN
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator, DinstarStatusCoordinator
from .entity import gateway_device_info
from .inbox import DinstarInbox
from .notify import HASS_CONFIG, async_setup_legacy_notify
from .providers.dinstar import DinstarClient
from .runtime import DinstarRuntimeData
from .sending import SendTracker, async_remove_send_store
from .services import async_setup_services
from .store import InboxStore
from .ussd import UssdManager
from .webhook import async_register_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration; gateways and accounts are added as config entries."""
    hass.data[HASS_CONFIG] = config
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Connect to the gateway, read it once, then build its devices and entities."""
    verify_ssl: bool = entry.data.get(CONF_VERIFY_SSL, False)
    client = DinstarClient(
        async_get_clientsession(hass, verify_ssl=verify_ssl),
        entry.data[CONF_HOST],
        entry.data[CONF_USERNAME],
        entry.data[CONF_PASSWORD],
        verify_ssl=verify_ssl,
    )
    ports = DinstarPortsCoordinator(hass, entry, client)
    status = DinstarStatusCoordinator(hass, entry, client, ports)
    await ports.async_config_entry_first_refresh()
    await status.async_config_entry_first_refresh()
    entry.async_on_unload(ports.async_add_listener(status.follow_ports))
    inbox = DinstarInbox(hass, entry, client, InboxStore(hass, entry.entry_id))
    ussd = UssdManager(hass, entry, client)
    balance = BalanceManager(hass, entry, ussd)
    entry.runtime_data = DinstarRuntimeData(
        client=client,
        serial=client.serial or entry.unique_id or entry.entry_id,
        ports=ports,
        status=status,
        sends=SendTracker(hass, entry, client),
        inbox=inbox,
        ussd=ussd,
        balance=balance,
    )
    await inbox.async_load(entry.runtime_data.serial)
    # The gateway device must exist before any port device names it as via_device.
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **gateway_device_info(entry)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_register_webhook(hass, entry)
    await inbox.async_start()
    entry.async_on_unload(inbox.async_stop)
    balance.async_start()
    entry.async_on_unload(entry.runtime_data.sends.async_shutdown)
    async_setup_legacy_notify(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_reload_on_options_change))
    return True


async def _async_reload_on_options_change(hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
    """Poll interval, balance codes and defaults are read at set-up: reload to apply new ones."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Tear down the entities; the client holds nothing that needs closing."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
    """Forget the inbox memory of a gateway that was removed."""
    await InboxStore(hass, entry.entry_id).async_remove()
    await async_remove_send_store(hass, entry.entry_id)
