"""Notices a SIM swapped in a port (its ICCID changed), even while Home Assistant was stopped.

A port's balance code and its history belong to the SIM that was in it: a repair asks whether to
keep them for the new SIM or to drop the port's balance settings. The ICCIDs seen are kept per
entry, so a SIM pulled out and another put in later still counts as a swap.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from .coordinator import DinstarPortsCoordinator
from .issues import ISSUE_ENTRY_ID, ISSUE_PORT
from .manager import GatewayManager

ISSUE_SIM_SWAPPED: Final = "sim_swapped"
_STORE_VERSION: Final = 1
_SAVE_DELAY: Final = 10  # seconds


def sim_swapped_issue_id(entry_id: str, port: int) -> str:
    """One repair issue per port of an entry."""
    return f"{ISSUE_SIM_SWAPPED}_{entry_id}_{port}"


def sim_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry's last seen ICCID per port is kept."""
    return Store(hass, _STORE_VERSION, f"{DOMAIN}.{entry_id}.sims")


class SimWatch(GatewayManager):
    """Compares each port's ICCID with the last one seen there."""

    def __init__(self, hass: HomeAssistant, ports: DinstarPortsCoordinator) -> None:
        """Nothing is known until async_load."""
        super().__init__(hass, ports)
        self._store = sim_store(hass, self.entry.entry_id)
        self._seen: dict[str, str] = {}

    async def async_load(self) -> None:
        """Read the ICCIDs seen before this start."""
        stored = await self._store.async_load() or {}
        seen = stored.get("iccids")
        if isinstance(seen, dict):
            self._seen = {
                str(port): iccid for port, iccid in seen.items() if isinstance(iccid, str)
            }

    @callback
    def check(self) -> None:
        """Raise a repair for each port whose SIM is not the one seen there before."""
        changed = False
        for port, info in self.ports.data.items():
            iccid = (info.iccid or "").strip()
            if not iccid:
                continue  # no SIM, or not read: what was there is still remembered
            known = self._seen.get(str(port))
            if known == iccid:
                continue
            if known is not None:
                self._raise(port)
            self._seen[str(port)] = iccid
            changed = True
        if changed:
            self._store.async_delay_save(lambda: {"iccids": dict(self._seen)}, _SAVE_DELAY)

    def _raise(self, port: int) -> None:
        # The issue names the gateway and the port, never the ICCIDs (issues reach diagnostics).
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            sim_swapped_issue_id(self.entry.entry_id, port),
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_SIM_SWAPPED,
            translation_placeholders={"gateway": self.entry.title, "port": str(port)},
            data={ISSUE_ENTRY_ID: self.entry.entry_id, ISSUE_PORT: port},
        )


async def async_remove_sim_store(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed entry's SIMs."""
    await sim_store(hass, entry_id).async_remove()
