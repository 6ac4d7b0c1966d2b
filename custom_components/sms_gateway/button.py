"""Buttons per port: read the balance now, restart the radio module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .errors import RESTART_ERRORS, port_error
from .gateway.devices import async_remove_port_entities
from .gateway.entity import DinstarPortUser
from .gateway.runtime import GatewayConfigEntry, GatewayData
from .providers.errors import ProviderError

PARALLEL_UPDATES = 0


async def _refresh_balance(runtime: GatewayData, port: int) -> None:
    await runtime.balance.async_refresh(port)


async def _restart_module(runtime: GatewayData, port: int) -> None:
    try:
        await runtime.client.reset_module(port)
    except ProviderError as err:
        raise port_error(err, port, RESTART_ERRORS) from err
    # The module drops off the network for a while: show it without waiting for the next poll.
    await runtime.ports.async_request_refresh()


@dataclass(frozen=True, kw_only=True)
class PortButtonDescription(ButtonEntityDescription):
    """A button acts on one port of the gateway."""

    press_fn: Callable[[GatewayData, int], Awaitable[None]]
    ports_fn: Callable[[GatewayData], Container[int]] | None = None
    """The ports the button exists on, when not every port: it must be able to work."""


PORT_BUTTONS: tuple[PortButtonDescription, ...] = (
    PortButtonDescription(
        key="refresh_balance",
        translation_key="refresh_balance",
        press_fn=_refresh_balance,
        ports_fn=lambda runtime: runtime.balance.settings,  # only with a balance code
    ),
    PortButtonDescription(
        key="restart_module",
        translation_key="restart_module",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=_restart_module,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add every port's buttons; a button that needs an option only where it is set."""
    runtime = entry.runtime_data
    ports = runtime.ports
    for description in PORT_BUTTONS:
        where = ports.data.keys() if description.ports_fn is None else description.ports_fn(runtime)
        async_add_entities(
            DinstarPortButton(ports, description, port, runtime)
            for port in ports.data
            if port in where
        )
        async_remove_port_entities(hass, ports, Platform.BUTTON, description.key, keep=where)


class DinstarPortButton(DinstarPortUser[GatewayData], ButtonEntity):
    """One action on one port, through the gateway's runtime (its managers and client)."""

    entity_description: PortButtonDescription

    async def async_press(self) -> None:
        """Run the action; failures come back as translated errors."""
        await self.entity_description.press_fn(self.source, self.port)
