"""The one way the gateway's managers tell a port's entities that what they show changed."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.core import CALLBACK_TYPE, callback


class PortListeners:
    """Callbacks per port, so a change on one port wakes only that port's entities.

    A direct call, not a dispatcher signal: it runs for every SMS, report and reply, and a port
    has only a few listeners. The manager keeps what changed; the listener reads it back.
    """

    def __init__(self) -> None:
        """Start with nobody listening."""
        self._listeners: dict[int, list[Callable[[], None]]] = {}

    @callback
    def async_add(self, port: int, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call listener when the port changes, until the returned callback is called."""
        listeners = self._listeners.setdefault(port, [])
        listeners.append(listener)

        @callback
        def remove() -> None:
            listeners.remove(listener)

        return remove

    @callback
    def notify(self, port: int) -> None:
        """Tell the port's listeners that something changed."""
        for listener in list(self._listeners.get(port, ())):
            listener()
