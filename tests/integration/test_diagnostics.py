"""Diagnostics carry the gateway's state but no secret and no personal identifier."""

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from tests.conftest import RunningDinstar

from .conftest import WEBHOOK_ID


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    snapshot: SnapshotAssertion,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert diagnostics == snapshot(exclude=props("host"))  # the simulator port varies
    assert diagnostics["entry"]["data"]["host"] == dinstar_simulator.url

    text = json.dumps(diagnostics)
    secrets = [WEBHOOK_ID, "admin"]
    for port in dinstar_simulator.sim.ports:
        secrets += [port.imsi, port.iccid, port.imei]
        if port.number:
            secrets.append(port.number)
    for secret in filter(None, secrets):
        assert secret not in text
    assert len(diagnostics["ports"]) == len(dinstar_simulator.sim.ports)
