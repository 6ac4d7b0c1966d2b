"""SMS Gateway: Dinstar GSM gateways, SMSLink and Plasgate in Home Assistant."""

from __future__ import annotations

from typing import Final, cast

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .assist import async_start_assist
from .callback_url import async_remove_cloudhook
from .cloud_setup import async_setup_cloud
from .cloudhook import async_delete_callback_issues
from .const import (
    CONF_PROVIDER,
    DOMAIN,
    PROVIDER_DINSTAR,
    PROVIDER_PLASGATE,
    PROVIDER_ROUTE,
    PROVIDER_SMSLINK,
)
from .coordinator import DinstarConfigEntry
from .credit_watch import async_delete_credit_issue
from .dinstar_setup import async_setup_dinstar
from .entity import gateway_identifiers
from .notify import HASS_CONFIG, async_setup_legacy_notify
from .route_setup import ROUTE_PLATFORMS, async_setup_route
from .runtime import CloudConfigEntry, RouteConfigEntry, SmsGatewayConfigEntry
from .sending import async_remove_send_store
from .services import async_setup_services
from .sim_watch import async_remove_sim_store
from .store import InboxStore

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]
"""A gateway's platforms."""
CLOUD_PLATFORMS: Final[dict[str, list[Platform]]] = {
    PROVIDER_SMSLINK: [Platform.NOTIFY, Platform.SENSOR],
    PROVIDER_PLASGATE: [Platform.NOTIFY],
}
"""An account's platforms: notify everywhere, sensors where there is a balance to show."""


def _platforms(entry: SmsGatewayConfigEntry) -> list[Platform]:
    provider: str = entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR)
    if provider == PROVIDER_ROUTE:
        return ROUTE_PLATFORMS
    return PLATFORMS if provider == PROVIDER_DINSTAR else CLOUD_PLATFORMS[provider]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration; gateways and accounts are added as config entries."""
    hass.data[HASS_CONFIG] = config
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> bool:
    """Set up a gateway, an account or a failover route, then its notify service."""
    provider: str = entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR)
    if provider == PROVIDER_DINSTAR:
        await async_setup_dinstar(hass, cast("DinstarConfigEntry", entry), _platforms(entry))
    elif provider == PROVIDER_ROUTE:
        await async_setup_route(hass, cast("RouteConfigEntry", entry))
    else:
        await async_setup_cloud(hass, cast("CloudConfigEntry", entry), _platforms(entry))
    # After set-up: commands that came while Home Assistant was stopped are not run now.
    async_start_assist(hass, entry)
    async_setup_legacy_notify(hass, entry)
    return True


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user remove a device the gateway no longer reports; keep the ones it does."""
    if entry.data.get(CONF_PROVIDER, PROVIDER_DINSTAR) != PROVIDER_DINSTAR:
        return False
    return not device.identifiers & gateway_identifiers(cast("DinstarConfigEntry", entry))


async def async_unload_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> bool:
    """Tear down the entities; the clients hold nothing that needs closing."""
    return await hass.config_entries.async_unload_platforms(entry, _platforms(entry))


async def async_remove_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> None:
    """Forget what was stored for a removed entry and give back its cloudhook."""
    await InboxStore(hass, entry.entry_id).async_remove()
    await async_remove_send_store(hass, entry.entry_id)
    await async_remove_sim_store(hass, entry.entry_id)
    await async_remove_cloudhook(hass, entry.data)
    async_delete_callback_issues(hass, entry.entry_id)
    async_delete_credit_issue(hass, entry.entry_id)
