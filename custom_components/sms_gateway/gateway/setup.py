"""Setting up a Dinstar gateway: read it once, build its devices and entities, then listen."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, CONF_VERIFY_SSL, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceEntry

from ..providers.dinstar import DinstarClient
from ..runtime import Wing
from ..sending import async_remove_send_store
from .balance import BalanceManager
from .coordinator import DinstarPortsCoordinator, DinstarStatusCoordinator
from .devices import async_register_devices, gateway_identifiers
from .inbox import DinstarInbox
from .inbox_store import InboxStore
from .push_receiver import PushReceiver
from .runtime import GatewayConfigEntry, GatewayData
from .sender import SendTracker
from .sim_watch import SimWatch, async_remove_sim_store
from .ussd import UssdManager

GATEWAY_PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]


async def async_setup_gateway(hass: HomeAssistant, entry: GatewayConfigEntry) -> None:
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
    status = DinstarStatusCoordinator(hass, client, ports)
    await ports.async_config_entry_first_refresh()
    # The ports are required; the gateway's own figures are optional (get_status is not in the
    # official document): a failed read leaves their sensors unavailable, not the set-up undone.
    await status.async_refresh()
    entry.async_on_unload(ports.async_add_listener(status.follow_ports))
    ussd = UssdManager(hass, ports)
    runtime = entry.runtime_data = GatewayData(
        client=client,
        serial=ports.serial,
        ports=ports,
        status=status,
        sends=SendTracker(hass, ports),
        inbox=DinstarInbox(hass, ports, InboxStore(hass, entry.entry_id)),
        ussd=ussd,
        balance=BalanceManager(hass, ports, ussd),
    )
    await runtime.inbox.async_load()
    sims = SimWatch(hass, ports)
    await sims.async_load()
    sims.check()
    entry.async_on_unload(ports.async_add_listener(sims.check))
    async_register_devices(hass, ports)
    await hass.config_entries.async_forward_entry_setups(entry, GATEWAY_PLATFORMS)
    PushReceiver(
        ports=ports, status=status, inbox=runtime.inbox, sends=runtime.sends, ussd=ussd
    ).async_register(hass)
    await runtime.inbox.async_start()
    entry.async_on_unload(runtime.inbox.async_stop)
    runtime.balance.async_start()
    entry.async_on_unload(runtime.sends.async_shutdown)


async def async_remove_gateway(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Forget the inbox's memory, the send ids and the SIMs seen of a deleted gateway."""
    await InboxStore(hass, entry.entry_id).async_remove()
    await async_remove_send_store(hass, entry.entry_id)
    await async_remove_sim_store(hass, entry.entry_id)


def removable_port(entry: GatewayConfigEntry, device: DeviceEntry) -> bool:
    """Let the user remove a device the gateway no longer reports; keep the ones it does."""
    return not device.identifiers & gateway_identifiers(entry.runtime_data.ports)


GATEWAY: Final = Wing(
    platforms=lambda _entry: GATEWAY_PLATFORMS,
    async_setup=async_setup_gateway,
    async_remove=async_remove_gateway,
    removable_device=removable_port,
)
