"""The "Incoming SMS" event entity of every port."""

import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID
from tests.integration.setups import client_fixture, entities_test, sim_control_via as sim_control

type Client = TestClient[web.Request, web.Application]
WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"


pytestmark = pytest.mark.usefixtures("event_platform_only")


def event_entity_id(entity_registry: er.EntityRegistry, port: int) -> str:
    entity_id = entity_registry.async_get_entity_id(
        Platform.EVENT, DOMAIN, f"{SERIAL}_port_{port}_incoming_sms"
    )
    assert entity_id is not None
    return entity_id


def sms_push(message_id: int, port: int, text: str) -> str:
    message = {
        "incoming_sms_id": message_id,
        "port": port,
        "number": "+40712345678",
        "smsc": "+40770000050",
        "timestamp": "2025-05-01 10:11:12",
        "text": text,
    }
    return json.dumps({"sn": SERIAL, "sms": [message]})


client = client_fixture()


test_entities = entities_test()


async def test_an_sms_updates_its_port_entity_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    client: Client,
    entity_registry: er.EntityRegistry,
) -> None:
    freezer.move_to("2025-05-01 08:11:13+00:00")
    entity_id = event_entity_id(entity_registry, 5)

    response = await client.post(WEBHOOK_PATH, data=sms_push(41, 5, "Codul tau: 1234"))
    await hass.async_block_till_done()

    assert response.status == 200
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "2025-05-01T08:11:13.000+00:00"
    assert state.attributes["event_type"] == "sms_received"
    assert state.attributes["sender"] == "+40712345678"
    assert state.attributes["text"] == "Codul tau: 1234"
    assert state.attributes["received_at"].startswith("2025-05-01T10:11:12")
    other = hass.states.get(event_entity_id(entity_registry, 4))
    assert other is not None
    assert other.state == STATE_UNKNOWN


async def test_entity_follows_gateway_availability_and_ignores_port_data(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    entity_id = event_entity_id(entity_registry, 0)
    writes: list[Event] = []

    @callback
    def this_entity(data: Any) -> bool:
        return bool(data["entity_id"] == entity_id)

    @callback
    def heard(event: Event) -> None:  # in the loop, at once: a plain listener is not
        writes.append(event)

    for event_type in ("state_changed", "state_reported"):
        hass.bus.async_listen(event_type, heard, event_filter=this_entity)

    async def poll() -> None:
        await init_integration.runtime_data.ports.async_refresh()
        await hass.async_block_till_done()

    # A port's data changes: the event entity has nothing new to say.
    await sim_control(hass, dinstar_simulator, "ports/0", {"number": "+40799999999"})
    await poll()
    assert init_integration.runtime_data.ports.data[0].number == "+40799999999"
    assert writes == []

    await sim_control(hass, dinstar_simulator, "faults", {"fail_500_paths": ["/api/get_port_info"]})
    await poll()
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE

    await sim_control(hass, dinstar_simulator, "faults", {"fail_500_paths": []})
    await poll()
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert len(writes) == 2
