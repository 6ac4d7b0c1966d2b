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
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .entity import DinstarPortEntity, async_remove_port_entities
from .providers.errors import AuthError, ProviderError

PARALLEL_UPDATES = 0


async def _refresh_balance(entry: DinstarConfigEntry, port: int) -> None:
    await entry.runtime_data.balance.async_refresh(port)


async def _restart_module(entry: DinstarConfigEntry, port: int) -> None:
    runtime = entry.runtime_data
    try:
        await runtime.client.reset_module(port)
    except ProviderError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="invalid_auth" if isinstance(err, AuthError) else "restart_failed",
            translation_placeholders={"port": str(port), "error": str(err)},
        ) from err
    # The module drops off the network for a while: show it without waiting for the next poll.
    await runtime.ports.async_request_refresh()


@dataclass(frozen=True, kw_only=True)
class PortButtonDescription(ButtonEntityDescription):
    """A button acts on one port of the entry."""

    press_fn: Callable[[DinstarConfigEntry, int], Awaitable[None]]
    ports_fn: Callable[[DinstarConfigEntry], Container[int]] | None = None
    """The ports the button exists on, when not every port: it must be able to work."""


PORT_BUTTONS: tuple[PortButtonDescription, ...] = (
    PortButtonDescription(
        key="refresh_balance",
        translation_key="refresh_balance",
        press_fn=_refresh_balance,
        ports_fn=lambda entry: entry.runtime_data.balance.settings,  # only with a balance code
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
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add every port's buttons; a button that needs an option only where it is set."""
    ports = entry.runtime_data.ports
    everywhere = ports.data.keys()
    for description in PORT_BUTTONS:
        where = everywhere if description.ports_fn is None else description.ports_fn(entry)
        async_add_entities(
            DinstarPortButton(entry, ports, description, port)
            for port in everywhere
            if port in where
        )
        async_remove_port_entities(hass, entry, Platform.BUTTON, description.key, keep=where)


class DinstarPortButton(DinstarPortEntity[DinstarPortsCoordinator], ButtonEntity):
    """One action on one port."""

    entity_description: PortButtonDescription

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortsCoordinator,
        description: PortButtonDescription,
        port: int,
    ) -> None:
        """Keep the entry: the action needs its managers and client."""
        super().__init__(entry, coordinator, description, port)
        self._entry = entry

    async def async_press(self) -> None:
        """Run the action; failures come back as translated errors."""
        await self.entity_description.press_fn(self._entry, self.port)
