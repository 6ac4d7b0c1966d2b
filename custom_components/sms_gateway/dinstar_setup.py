"""Setting up a Dinstar gateway: read it once, build its devices and entities, then listen."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, CONF_VERIFY_SSL, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .balance import BalanceManager
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator, DinstarStatusCoordinator
from .entity import async_register_devices
from .inbox import DinstarInbox
from .providers.dinstar import DinstarClient
from .runtime import DinstarRuntimeData
from .sending import SendTracker
from .sim_watch import SimWatch
from .store import InboxStore
from .ussd import UssdManager
from .webhook import async_register_webhook


async def async_setup_dinstar(
    hass: HomeAssistant, entry: DinstarConfigEntry, platforms: list[Platform]
) -> None:
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
    # The ports are required; the gateway's own figures are optional (get_status is not in the
    # official document): a failed read leaves their sensors unavailable, not the set-up undone.
    await status.async_refresh()
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
    sims = SimWatch(hass, entry)
    await sims.async_load()
    sims.check(ports)
    entry.async_on_unload(ports.async_add_listener(lambda: sims.check(ports)))
    async_register_devices(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    async_register_webhook(hass, entry)
    await inbox.async_start()
    entry.async_on_unload(inbox.async_stop)
    balance.async_start()
    entry.async_on_unload(entry.runtime_data.sends.async_shutdown)
