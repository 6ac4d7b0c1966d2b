"""Base entities of the gateway and of its ports: written only when what they show changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from homeassistant.core import callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..entity import ChangedStateWriter, DeviceEntity
from ..providers.dinstar import PortInfo
from .coordinator import DinstarPortsCoordinator
from .devices import gateway_device_info, port_device_info, port_unique_id
from .port_listeners import PortListeners


class DinstarEntity[CoordinatorT: DataUpdateCoordinator[Any]](
    DeviceEntity[CoordinatorT], ChangedStateWriter
):
    """An entity of the gateway device; a refresh writes it only when what it shows changed."""

    def __init__(
        self,
        ports: DinstarPortsCoordinator,
        coordinator: CoordinatorT,
        description: EntityDescription,
    ) -> None:
        """Tie the entity to the gateway (named by its ports coordinator); follow coordinator."""
        super().__init__(
            coordinator,
            description,
            f"{ports.serial}_{description.key}",
            gateway_device_info(ports),
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only what changed: the status or ports may have changed for other entities."""
        self.async_write_ha_state_if_changed()


class DinstarPortEntity(DeviceEntity[DinstarPortsCoordinator], ChangedStateWriter):
    """An entity of one SIM port's device; a refresh writes it only when what it shows changed."""

    _last_seen: tuple[bool, PortInfo | None] | None = None

    def __init__(
        self, coordinator: DinstarPortsCoordinator, description: EntityDescription, port: int
    ) -> None:
        """Tie the entity to its port device, itself under the gateway."""
        super().__init__(
            coordinator,
            description,
            port_unique_id(coordinator.serial, port, description.key),
            port_device_info(coordinator, port),
        )
        self.port = port

    async def async_added_to_hass(self) -> None:
        """Remember what the first state was written from."""
        await super().async_added_to_hass()
        self._last_seen = self._seen()

    def _seen(self) -> tuple[bool, PortInfo | None]:
        return (self.coordinator.last_update_success, self.coordinator.data.get(self.port))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only when what this entity shows changed.

        Other ports' changes are skipped at once (this port's data and the gateway's reachability
        are as they were); a change of this port is written only by the entities it shows on.
        """
        seen = self._seen()
        if seen == self._last_seen:
            return
        self._last_seen = seen
        self.async_write_ha_state_if_changed()


class PortNews(Protocol):
    """A manager that keeps something per port and tells that port's listeners of changes."""

    @property
    def listeners(self) -> PortListeners:
        """Who is told when a port's news changes."""


class DinstarPortUser[SourceT](DinstarPortEntity):
    """A port entity that works with more of the gateway than its ports: a manager, the runtime."""

    def __init__(
        self,
        coordinator: DinstarPortsCoordinator,
        description: EntityDescription,
        port: int,
        source: SourceT,
    ) -> None:
        """Keep what the entity reads or acts through."""
        super().__init__(coordinator, description, port)
        self.source = source


class DinstarPortFollower[SourceT: PortNews](DinstarPortUser[SourceT]):
    """A port entity fed by a manager (inbox, sends, USSD, balance) through its port listeners.

    The port poll only says whether the gateway answers, so a poll writes it only when the
    gateway is lost or back (DinstarPortEntity compares); the manager's news is written at once.
    """

    async def async_added_to_hass(self) -> None:
        """Listen to the manager for this port until removed."""
        await super().async_added_to_hass()
        self.async_on_remove(self.source.listeners.async_add(self.port, self._handle_port_news))

    @callback
    def _handle_port_news(self) -> None:
        """Write what the entity shows now: the manager has news for this port."""
        self.async_write_ha_state()


def every_port[EntityT](
    ports: DinstarPortsCoordinator,
    build: Callable[[int], EntityT],
    where: Callable[[int], bool] = lambda _port: True,
) -> Iterable[EntityT]:
    """Build one entity per port the gateway has (only where it applies)."""
    return [build(port) for port in ports.data if where(port)]
