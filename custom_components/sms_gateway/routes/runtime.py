"""What a running failover route holds: its sender, which is all the route offers."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry

from .sender import FailoverSender

type RouteConfigEntry = ConfigEntry[FailoverSender]
