"""USSD exchanges, pushed replies and the last-reply sensor, against the simulated gateway."""

import asyncio
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from unittest.mock import patch

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import EVENT_USSD_REPLY
from custom_components.sms_gateway.gateway.runtime import GatewayData
from simulators.dinstar.settings import DinstarSettings
from tests.conftest import RunningDinstar
from tests.integration.conftest import WEBHOOK_ID, port_device_id
from tests.integration.setups import sim_control

REPLY_SENSOR = "sensor.dinstar_2817_port_{}_last_ussd_reply"


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for replies every 20 ms so tests do not wait the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


async def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    pytest.fail("the condition never came true")


def runtime_of(entry: MockConfigEntry) -> GatewayData:
    return entry.runtime_data  # type: ignore[no-any-return]


async def test_exchange_returns_reply_fires_event_and_updates_sensor(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ussd-replies", {"port": 2, "text": "Solde: 5,00 DH"})
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    reply = await runtime_of(init_integration).ussd.exchange(2, "*100#")
    await hass.async_block_till_done()

    assert reply == "Solde: 5,00 DH"
    assert [event.data for event in events] == [
        {
            "entry_id": init_integration.entry_id,
            "port": 2,
            "device_id": port_device_id(hass, 2),
            "code": "*100#",
            "text": "Solde: 5,00 DH",
        }
    ]
    state = hass.states.get(REPLY_SENSOR.format(2))
    assert state is not None
    assert state.state == "Solde: 5,00 DH"
    assert state.attributes["text"] == "Solde: 5,00 DH"
    assert state.attributes["code"] == "*100#"
    assert state.attributes["received_at"]
    # The session was cancelled at the end: the port is free for the next one.
    assert dinstar_simulator.sim.ussd.sessions == {}
    other = hass.states.get(REPLY_SENSOR.format(3))
    assert other is not None
    assert other.state == "unknown"


@pytest.mark.parametrize(
    "dinstar_settings",
    [DinstarSettings(ussd_delay=0.3, register_delay=0.05, send_delay=0.05, deliver_delay=0.05)],
)
async def test_ports_run_in_parallel(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    exchanges = asyncio.gather(ussd.exchange(0, "*100#"), ussd.exchange(1, "*100#"))
    most_open = 0
    while not exchanges.done():
        most_open = max(most_open, len(dinstar_simulator.sim.ussd.sessions))
        await asyncio.sleep(0.01)

    assert most_open == 2
    assert tuple(await exchanges) == (
        "Solde: 12.50 DH. Valable jusqu'au 2026-12-31",
        "Solde: 19.75 DH. Valable jusqu'au 2026-12-31",
    )


@pytest.mark.parametrize(
    "dinstar_settings",
    [DinstarSettings(ussd_delay=0.1, register_delay=0.05, send_delay=0.05, deliver_delay=0.05)],
)
async def test_one_session_per_port_keeps_replies_apart(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ussd-replies", {"code": "*100#", "text": "Credit 3"})
    await sim_control(dinstar_simulator, "ussd-replies", {"code": "*200#", "text": "Data 2 GB"})
    ussd = runtime_of(init_integration).ussd
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    first, second = await asyncio.gather(ussd.exchange(4, "*100#"), ussd.exchange(4, "*200#"))
    await hass.async_block_till_done()

    assert (first, second) == ("Credit 3", "Data 2 GB")
    assert [(event.data["code"], event.data["text"]) for event in events] == [
        ("*100#", "Credit 3"),
        ("*200#", "Data 2 GB"),
    ]


async def test_busy_port_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(dinstar_simulator, "ports/3", {"busy": True})
    with pytest.raises(HomeAssistantError) as caught:
        await runtime_of(init_integration).ussd.exchange(3, "*100#")
    assert caught.value.translation_key == "ussd_port_busy"
    assert (
        str(caught.value) == "Port 3 is busy (sending an SMS or in a call). Try again in a moment"
    )


async def test_unregistered_port_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # The simulator's port 6 is not registered on a network.
    with pytest.raises(HomeAssistantError) as caught:
        await runtime_of(init_integration).ussd.exchange(6, "*100#")
    assert caught.value.translation_key == "ussd_port_not_registered"
    assert "Port 6 is not registered" in str(caught.value)


@pytest.mark.parametrize(
    "dinstar_settings",
    [DinstarSettings(ussd_delay=60, register_delay=0.05, send_delay=0.05, deliver_delay=0.05)],
)
async def test_no_reply_in_time_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    events = async_capture_events(hass, EVENT_USSD_REPLY)
    with (
        patch("custom_components.sms_gateway.gateway.ussd.USSD_TIMEOUT", 0.3),
        pytest.raises(HomeAssistantError) as caught,
    ):
        await runtime_of(init_integration).ussd.exchange(0, "*100#")
    assert caught.value.translation_key == "ussd_timeout"
    assert caught.value.translation_placeholders == {
        "port": "0",
        "error": str(caught.value.__cause__),
    }
    assert events == []
    assert dinstar_simulator.sim.ussd.sessions == {}


@pytest.mark.parametrize(
    ("fault", "translation_key"),
    [
        ({"fail_500_paths": ["/api/send_ussd"]}, "ussd_failed"),
        ({"drop_connection_paths": ["/api/send_ussd"]}, "ussd_failed"),
    ],
)
async def test_gateway_failures_are_translated(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    fault: dict[str, Any],
    translation_key: str,
) -> None:
    await sim_control(dinstar_simulator, "faults", fault)
    with pytest.raises(HomeAssistantError) as caught:
        await runtime_of(init_integration).ussd.exchange(1, "*100#")
    assert caught.value.translation_key == translation_key
    assert str(caught.value).startswith("USSD on port 1 failed: ")


async def test_refused_login_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    dinstar_simulator.sim.verifier.password = "changed"
    with pytest.raises(HomeAssistantError) as caught:
        await runtime_of(init_integration).ussd.exchange(1, "*100#")
    assert caught.value.translation_key == "invalid_auth"


@pytest.mark.parametrize("code", ["", "   ", "*" * 61])
async def test_bad_code_is_refused_before_any_request(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    code: str,
) -> None:
    before = dinstar_simulator.sim.gate.request_counts["/api/send_ussd"]
    with pytest.raises(ServiceValidationError) as caught:
        await runtime_of(init_integration).ussd.exchange(1, code)
    assert caught.value.translation_key == "ussd_invalid_code"
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == before


async def test_unknown_port_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await runtime_of(init_integration).ussd.exchange(8, "*100#")
    assert caught.value.translation_key == "unknown_port"
    assert str(caught.value) == "The gateway has no port 8"
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == 0


async def test_pushed_reply_ends_the_waiting_exchange(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    events = async_capture_events(hass, EVENT_USSD_REPLY)
    # Polling alone would take a minute: only the push can end this exchange in time.
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 60):
        exchange = asyncio.ensure_future(ussd.exchange(5, "*100#"))
        await wait_until(lambda: 5 in dinstar_simulator.sim.ussd.sessions)
        ussd.handle_push_reply(5, "Pushed: 1 DH")
        # The gateway may push the same reply again while the exchange winds down.
        ussd.handle_push_reply(5, "Pushed: 1 DH")
        reply = await asyncio.wait_for(exchange, 5)
    await hass.async_block_till_done()

    assert reply == "Pushed: 1 DH"
    assert [(event.data["code"], event.data["text"]) for event in events] == [
        ("*100#", "Pushed: 1 DH")
    ]


async def test_gateway_push_reaches_the_exchange_through_the_webhook(
    hass: HomeAssistant,
    hass_client_no_auth: Any,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
) -> None:
    client = await hass_client_no_auth()
    webhook_url = str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    await sim_control(dinstar_simulator, "push-url", {"url": webhook_url})
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    # Polling is off for a minute: the simulator's `ussd` push is what answers.
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 60):
        reply = await asyncio.wait_for(runtime_of(init_integration).ussd.exchange(1, "*100#"), 5)
    await hass.async_block_till_done()

    assert reply == "Solde: 19.75 DH. Valable jusqu'au 2026-12-31"
    assert [(event.data["code"], event.data["text"]) for event in events] == [("*100#", reply)]
    assert dinstar_simulator.sim.gate.request_counts["/api/query_ussd_reply"] == 0


async def test_unsolicited_push_is_recorded_with_no_code(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    ussd = runtime_of(init_integration).ussd
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    ussd.handle_push_reply(1, None)
    ussd.handle_push_reply(1, "  ")
    ussd.handle_push_reply(1, "Your bonus: 100 SMS\nvalid 7 days")
    await hass.async_block_till_done()

    assert [event.data for event in events] == [
        {
            "entry_id": init_integration.entry_id,
            "port": 1,
            "device_id": port_device_id(hass, 1),
            "code": None,
            "text": "Your bonus: 100 SMS\nvalid 7 days",
        }
    ]
    state = hass.states.get(REPLY_SENSOR.format(1))
    assert state is not None
    assert state.state == "Your bonus: 100 SMS valid 7 days"
    assert state.attributes["code"] is None
    assert state.attributes["text"] == "Your bonus: 100 SMS\nvalid 7 days"


async def test_late_push_of_a_polled_reply_fires_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    reply = await ussd.exchange(0, "*100#")
    ussd.handle_push_reply(0, reply)
    ussd.handle_push_reply(0, "Another message")
    await hass.async_block_till_done()

    assert [(event.data["code"], event.data["text"]) for event in events] == [
        ("*100#", reply),
        (None, "Another message"),
    ]


async def test_long_reply_state_is_cut_attribute_is_whole(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    text = "Offre " + "x" * 400
    await sim_control(dinstar_simulator, "ussd-replies", {"port": 0, "text": text})

    await runtime_of(init_integration).ussd.exchange(0, "*123#")
    await hass.async_block_till_done()

    state = hass.states.get(REPLY_SENSOR.format(0))
    assert state is not None
    assert state.state == text[:255]
    assert state.attributes["text"] == text


async def test_reply_sensor_follows_gateway_availability_only(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    entity_id = REPLY_SENSOR.format(0)
    ussd = runtime_of(init_integration).ussd
    ports = runtime_of(init_integration).ports
    ussd.handle_push_reply(0, "Hello")
    await hass.async_block_till_done()
    writes: list[Event[Any]] = []

    @callback
    def is_reply_sensor(data: Mapping[str, Any]) -> bool:
        return bool(data["entity_id"] == entity_id)

    @callback
    def heard(event: Event[Any]) -> None:  # in the loop, at once: a plain listener is not
        writes.append(event)

    for kind in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED):
        hass.bus.async_listen(kind, heard, event_filter=is_reply_sensor)

    # A poll that changes another field of the port does not rewrite the reply.
    await sim_control(dinstar_simulator, "ports/0", {"signal": 5})
    await ports.async_refresh()
    await hass.async_block_till_done()
    signal = hass.states.get("sensor.dinstar_2817_port_0_signal_strength")
    assert signal is not None
    assert signal.state == "-103"
    assert writes == []

    # The gateway goes away: unavailable; it comes back: the reply shows again.
    await sim_control(
        dinstar_simulator, "faults", {"drop_connection_paths": ["/api/get_port_info"]}
    )
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE  # type: ignore[union-attr]

    await sim_control(dinstar_simulator, "faults", {"drop_connection_paths": []})
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == "Hello"  # type: ignore[union-attr]
    assert len(writes) == 2


async def test_device_id_is_none_for_a_port_without_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_USSD_REPLY)
    dr.async_get(hass).async_remove_device(port_device_id(hass, 2))

    runtime_of(init_integration).ussd.handle_push_reply(2, "Hi")
    await hass.async_block_till_done()

    assert events[0].data["device_id"] is None
