"""Devices follow the gateway: a port it no longer has goes; only such a device can be removed."""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.sms_gateway import async_remove_config_entry_device
from custom_components.sms_gateway.const import DOMAIN
from custom_components.sms_gateway.gateway.devices import port_identifier
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, port_device_id


async def test_ports_the_gateway_no_longer_has_are_removed_at_set_up(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    """A 16-port gateway replaced by the simulated 8-port one keeps no port 8 to 15."""
    dinstar_entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    for port in (7, 12):
        registry.async_get_or_create(
            config_entry_id=dinstar_entry.entry_id, identifiers={port_identifier(SERIAL, port)}
        )
    registry.async_get_or_create(
        config_entry_id=dinstar_entry.entry_id, identifiers={(DOMAIN, "an-older-gateway")}
    )

    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    kept = {
        identifier
        for device in dr.async_entries_for_config_entry(registry, dinstar_entry.entry_id)
        for identifier in device.identifiers
    }
    assert kept == {(DOMAIN, SERIAL)} | {port_identifier(SERIAL, port) for port in range(8)}
    assert await hass.config_entries.async_unload(dinstar_entry.entry_id)


async def test_only_a_device_the_gateway_no_longer_reports_can_be_removed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "config", {})
    registry = dr.async_get(hass)
    stale = registry.async_get_or_create(
        config_entry_id=init_integration.entry_id, identifiers={port_identifier(SERIAL, 20)}
    )
    gateway = registry.async_get_or_create(
        config_entry_id=init_integration.entry_id, identifiers={(DOMAIN, SERIAL)}
    )
    client = await hass_ws_client(hass)

    async def remove(device_id: str) -> Any:
        """What the device page's Delete button sends (its command changed in 2026)."""
        try:
            return await client.remove_device(device_id, init_integration.entry_id)
        except TypeError:
            return await client.remove_device(device_id)

    for device_id in (port_device_id(hass, 3), gateway.id):
        answer = await remove(device_id)
        assert not answer["success"]
        assert registry.async_get(device_id) is not None

    answer = await remove(stale.id)
    assert answer["success"]
    assert registry.async_get(stale.id) is None


async def test_an_account_device_cannot_be_removed(
    hass: HomeAssistant, smslink_account: MockConfigEntry
) -> None:
    """Its one device is the account itself (asked directly: its webhook froze the HTTP app)."""
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), smslink_account.entry_id)

    assert not await async_remove_config_entry_device(hass, smslink_account, device)
