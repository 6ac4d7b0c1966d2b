"""A refresh writes exactly the entities whose shown state changed, against the simulated gateway.

Home Assistant records every write: `state_changed` when the state or an attribute differs,
`state_reported` when the same state is written again. So "only changes are written" means: no
`state_reported` from a refresh, and a `state_changed` for every entity whose state did change.
"""

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from custom_components.sms_gateway.gateway.runtime import GatewayData
from custom_components.sms_gateway.sensor import PORT_SENSORS, DinstarPortSensor
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL
from tests.integration.setups import with_balance

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

GATEWAY = "sensor.dinstar_2817"
STATS_SENSORS = {f"{GATEWAY}_cpu_usage", f"{GATEWAY}_memory_usage", f"{GATEWAY}_flash_used"}

type Shown = dict[str, tuple[str, Mapping[str, Any]]]


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    """The simulated gateway with a balance code on port 3, so its balance sensor exists too."""
    return with_balance(dinstar_entry, {"3": {"code": "*100#"}})


class Writes:
    """Every state write of one entry's entities, by kind, while the test watches."""

    def __init__(self, hass: HomeAssistant, entity_ids: set[str]) -> None:
        """Listen to both kinds of write for these entities."""
        self.changed: Counter[str] = Counter()
        self.reported: Counter[str] = Counter()

        @callback
        def ours(data: Mapping[str, Any]) -> bool:
            return data["entity_id"] in entity_ids

        @callback
        def count_changed(event: Event[Any]) -> None:
            self.changed[event.data["entity_id"]] += 1

        @callback
        def count_reported(event: Event[Any]) -> None:
            self.reported[event.data["entity_id"]] += 1

        hass.bus.async_listen(EVENT_STATE_CHANGED, count_changed, event_filter=ours)
        hass.bus.async_listen(EVENT_STATE_REPORTED, count_reported, event_filter=ours)

    def clear(self) -> None:
        """Forget what was counted so far."""
        self.changed.clear()
        self.reported.clear()


@pytest.fixture
def entity_ids(hass: HomeAssistant, init_integration: MockConfigEntry) -> set[str]:
    """Every entity of the gateway entry."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), init_integration.entry_id)
    return {entry.entity_id for entry in entries}


@pytest.fixture
def writes(hass: HomeAssistant, entity_ids: set[str]) -> Writes:
    """The writes made from now on."""
    return Writes(hass, entity_ids)


def shown(hass: HomeAssistant, entity_ids: set[str]) -> Shown:
    """What each entity shows: its state and attributes."""
    states = {entity_id: hass.states.get(entity_id) for entity_id in entity_ids}
    return {
        entity_id: (state.state, state.attributes)
        for entity_id, state in states.items()
        if state is not None
    }


def differing(before: Shown, after: Shown) -> set[str]:
    """The entities whose state or attributes differ between two readings."""
    return {entity_id for entity_id, now in after.items() if before.get(entity_id) != now}


async def sim_post(sim: RunningDinstar, path: str, body: dict[str, Any]) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sim.url}/_sim/{path}", json=body) as response,
    ):
        assert response.status == 200, await response.text()


async def refresh_ports(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    runtime: GatewayData = entry.runtime_data
    await runtime.ports.async_refresh()
    await hass.async_block_till_done()


async def test_idle_refresh_writes_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_ids: set[str], writes: Writes
) -> None:
    assert len(entity_ids) > 100  # every entity of 8 ports, the disabled-by-default ones too

    await refresh_ports(hass, init_integration)

    assert writes.changed == Counter()
    assert writes.reported == Counter()


async def test_one_signal_change_writes_only_the_signal_sensor(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    writes: Writes,
) -> None:
    await sim_post(dinstar_simulator, "ports/3", {"signal": 6})
    await refresh_ports(hass, init_integration)
    writes.clear()
    await sim_post(dinstar_simulator, "ports/3", {"signal": 5})  # one bar still

    await refresh_ports(hass, init_integration)

    assert writes.changed == Counter({"sensor.dinstar_2817_port_3_signal_strength": 1})
    assert writes.reported == Counter()
    assert hass.states.get("sensor.dinstar_2817_port_3_signal_strength").state == "-103"  # type: ignore[union-attr]

    await sim_post(dinstar_simulator, "ports/3", {"signal": 25})  # now four bars
    await refresh_ports(hass, init_integration)

    assert writes.changed == Counter(
        {
            "sensor.dinstar_2817_port_3_signal_strength": 2,
            "sensor.dinstar_2817_port_3_signal_bars": 1,
        }
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"gprs": False}, {"binary_sensor.dinstar_2817_port_3_gprs"}),
        ({"type": "GSM"}, {"sensor.dinstar_2817_port_3_network_type"}),
        ({"number": "+212600000001"}, {"sensor.dinstar_2817_port_3_sim_number"}),
        ({"callstate": "Active"}, {"sensor.dinstar_2817_port_3_call_state"}),
        (
            # The SIM is pulled out: what the port knows of its SIM and network goes.
            {"reg": "NO_SIM", "sim_inserted": False, "imsi": "", "iccid": "", "number": ""},
            {
                "sensor.dinstar_2817_port_3_registration",
                "sensor.dinstar_2817_port_3_network_type",
                "sensor.dinstar_2817_port_3_imsi",
                "sensor.dinstar_2817_port_3_iccid",
                "sensor.dinstar_2817_port_3_sim_number",
                "sensor.dinstar_2817_port_3_operator",
            },
        ),
    ],
)
async def test_a_port_change_writes_exactly_what_it_changed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    entity_ids: set[str],
    writes: Writes,
    changes: dict[str, Any],
    expected: set[str],
) -> None:
    await sim_post(dinstar_simulator, "ports/3", {"number": "+212600000009"})  # the SIM's own
    await refresh_ports(hass, init_integration)
    writes.clear()
    before = shown(hass, entity_ids)
    await sim_post(dinstar_simulator, "ports/3", changes)

    await refresh_ports(hass, init_integration)

    changed = differing(before, shown(hass, entity_ids))
    assert changed == expected
    assert writes.changed == Counter(dict.fromkeys(changed, 1))
    assert writes.reported == Counter()


async def test_gateway_lost_and_back_writes_every_entity_once_each_way(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    entity_ids: set[str],
    writes: Writes,
) -> None:
    before = shown(hass, entity_ids)
    assert all(state != STATE_UNAVAILABLE for state, _ in before.values())
    # Nothing the integration writes by itself, only the entities it shows: buttons, notify,
    # events and the manager-fed sensors included.
    assert len(before) == len(entity_ids)

    await sim_post(dinstar_simulator, "faults", {"drop_connection_paths": ["/api/get_port_info"]})
    await refresh_ports(hass, init_integration)

    assert set(shown(hass, entity_ids)) == entity_ids
    assert all(state == STATE_UNAVAILABLE for state, _ in shown(hass, entity_ids).values())
    assert writes.changed == Counter(dict.fromkeys(entity_ids, 1))
    assert writes.reported == Counter()
    writes.clear()

    await sim_post(dinstar_simulator, "faults", {"drop_connection_paths": []})
    await refresh_ports(hass, init_integration)

    after = shown(hass, entity_ids)
    assert all(state != STATE_UNAVAILABLE for state, _ in after.values())
    # The status is read again on reconnection: its load figures may have moved since.
    assert {
        entity_id: now for entity_id, now in after.items() if entity_id not in STATS_SENSORS
    } == {entity_id: then for entity_id, then in before.items() if entity_id not in STATS_SENSORS}
    assert set(writes.changed) == entity_ids
    assert writes.reported == Counter()


async def test_a_failing_status_endpoint_writes_only_its_sensors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    entity_ids: set[str],
    writes: Writes,
) -> None:
    runtime: GatewayData = init_integration.runtime_data
    await sim_post(dinstar_simulator, "faults", {"fail_500_paths": ["/api/get_status"]})

    await runtime.status.async_refresh()
    await hass.async_block_till_done()

    assert writes.changed == Counter(dict.fromkeys(STATS_SENSORS, 1))
    assert writes.reported == Counter()
    assert all(
        hass.states.get(entity_id).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
        for entity_id in STATS_SENSORS
    )


def _signal_attribute(sensor: DinstarPortSensor) -> dict[str, Any]:
    return {"csq": sensor.coordinator.data[sensor.port].signal}


def _signal_icon(sensor: DinstarPortSensor) -> str:
    return f"mdi:numeric-{sensor.coordinator.data[sensor.port].signal}"


@pytest.fixture(params=[("extra_state_attributes", _signal_attribute), ("icon", _signal_icon)])
def shown_with_the_signal(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every port sensor shows the port's signal in an attribute or its icon, from set-up on.

    No port sensor of the integration has such an attribute or icon today; this proves one would
    be written when only it changes.
    """
    name, shown_fn = request.param
    with patch.object(DinstarPortSensor, name, property(shown_fn)):
        yield


async def test_an_attribute_or_icon_change_alone_is_written(
    hass: HomeAssistant,
    shown_with_the_signal: None,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    entity_ids: set[str],
    writes: Writes,
) -> None:
    before = shown(hass, entity_ids)
    await sim_post(dinstar_simulator, "ports/3", {"signal": 5})

    await refresh_ports(hass, init_integration)

    registry = er.async_get(hass)
    port_sensors = {
        registry.async_get_entity_id("sensor", DOMAIN, f"{SERIAL}_port_3_{description.key}")
        for description in PORT_SENSORS
    }
    assert None not in port_sensors
    assert differing(before, shown(hass, entity_ids)) == port_sensors
    assert writes.changed == Counter(dict.fromkeys(port_sensors, 1))
    assert writes.reported == Counter()
