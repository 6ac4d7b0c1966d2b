"""What a port's device page shows: its name, its SIM, its operator, its last SMS in and out."""

import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import DOMAIN
from custom_components.sms_gateway.gateway.devices import port_identifier
from custom_components.sms_gateway.gateway.last_sent import LastSentByPort
from simulators.dinstar.settings import DinstarSettings
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID, registered_device

from .test_send import NUMBER, push_to_home_assistant, send_sms, sim_state, until
from .test_state_writes import refresh_ports, sim_post

type Client = TestClient[web.Request, web.Application]
LAST_SMS = "sensor.dinstar_2817_port_5_last_sms"
LAST_SMS_FROM = "sensor.dinstar_2817_port_5_last_sms_from"


@pytest.fixture
def dinstar_settings() -> DinstarSettings:
    """Fast sending and reports."""
    return DinstarSettings(send_delay=0.05, deliver_delay=0.05, register_delay=0.05)


def port_device(hass: HomeAssistant, port: int) -> dr.DeviceEntry:
    return registered_device(hass, port_identifier(SERIAL, port))


async def push_sms(client: Client, message_id: int, text: str, sender: str = NUMBER) -> None:
    message = {
        "incoming_sms_id": message_id,
        "port": 5,
        "number": sender,
        "smsc": "+40770000050",
        "timestamp": "2025-05-01 10:11:12",
        "text": text,
    }
    body = json.dumps({"sn": SERIAL, "sms": [message]})
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body)
    assert response.status == 200


# --- the port's device --------------------------------------------------------------------------


async def test_port_devices_are_named_after_their_gateway(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    """Two gateways' ports never share a name; the SIM and the module show as hardware."""
    state = await sim_state_ports(dinstar_simulator)
    for port in range(8):
        device = port_device(hass, port)
        assert device.name == f"Dinstar 2817 port {port}"
        assert device.serial_number == (state[port]["iccid"] or None)
        assert device.hw_version == state[port]["type"]
        assert device.model == "SIM port"
    gateway = registered_device(hass, (DOMAIN, SERIAL))
    assert gateway.model == "GSM gateway, 8 ports"
    assert port_device(hass, 0).via_device_id == gateway.id


async def test_a_swapped_sim_shows_on_its_device_at_the_next_poll(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_post(dinstar_simulator, "ports/3", {"iccid": "8921201234567890123", "type": "GSM"})

    await refresh_ports(hass, init_integration)

    device = port_device(hass, 3)
    assert device.serial_number == "8921201234567890123"
    assert device.hw_version == "GSM"
    assert hass.states.get("sensor.dinstar_2817_port_3_iccid").state == "8921201234567890123"  # type: ignore[union-attr]


async def test_a_pulled_sim_leaves_no_serial_number(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_post(dinstar_simulator, "ports/3", {"reg": "NO_SIM", "iccid": "", "imsi": ""})

    await refresh_ports(hass, init_integration)

    assert port_device(hass, 3).serial_number is None


@pytest.mark.parametrize(
    ("number", "operator"),
    [
        ("+40722000111", "Vodafone"),
        ("+85512345678", "Cellcard"),
        # A national number names no country; an unknown one names no operator.
        ("0722000111", "unknown"),
        ("+999123", "unknown"),
        ("", "unknown"),
    ],
)
async def test_operator_comes_from_the_sim_number(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    number: str,
    operator: str,
) -> None:
    await sim_post(dinstar_simulator, "ports/3", {"number": number})

    await refresh_ports(hass, init_integration)

    assert hass.states.get("sensor.dinstar_2817_port_3_operator").state == operator  # type: ignore[union-attr]


async def sim_state_ports(sim: RunningDinstar) -> dict[int, dict[str, Any]]:
    state = await sim_state(sim)
    return {port["port"]: port for port in state["ports"]}


# --- last SMS in --------------------------------------------------------------------------------


async def test_the_last_sms_shows_its_text_and_sender(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client: Client = await hass_client_no_auth()
    assert hass.states.get(LAST_SMS).state == "unknown"  # type: ignore[union-attr]

    await push_sms(client, 1, "First")
    await push_sms(client, 2, "Second\nline", sender="+40700000002")
    await hass.async_block_till_done()

    text = hass.states.get(LAST_SMS)
    sender = hass.states.get(LAST_SMS_FROM)
    assert text is not None
    assert sender is not None
    assert text.state == "Second line"
    assert text.attributes["text"] == "Second\nline"
    assert text.attributes["sender"] == "+40700000002"
    assert text.attributes["received_at"].startswith("2025-05-01T10:11:12")
    assert sender.state == "+40700000002"
    # Other ports are untouched.
    assert hass.states.get("sensor.dinstar_2817_port_4_last_sms").state == "unknown"  # type: ignore[union-attr]


async def test_a_long_sms_is_cut_in_the_state_and_whole_in_the_attribute(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client: Client = await hass_client_no_auth()
    long_text = "word " * 100

    await push_sms(client, 1, long_text)
    await hass.async_block_till_done()

    state = hass.states.get(LAST_SMS)
    assert state is not None
    assert len(state.state) == 255
    assert state.attributes["text"] == long_text


async def test_the_last_sms_survives_a_restart(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    mock_restore_cache(
        hass,
        (
            State(
                LAST_SMS,
                "Before the restart",
                {"sender": NUMBER, "text": "Before the restart", "received_at": "x", "odd": 1},
            ),
            State(LAST_SMS_FROM, NUMBER, {"received_at": "x"}),
            State("sensor.dinstar_2817_port_5_last_sent_sms", "delivered", {"recipient": NUMBER}),
            State("sensor.dinstar_2817_port_4_last_sms", "unavailable", {}),
        ),
    )
    dinstar_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    text = hass.states.get(LAST_SMS)
    assert text is not None
    assert text.state == "Before the restart"
    assert text.attributes["sender"] == NUMBER
    assert "odd" not in text.attributes
    assert hass.states.get(LAST_SMS_FROM).state == NUMBER  # type: ignore[union-attr]
    sent = hass.states.get("sensor.dinstar_2817_port_5_last_sent_sms")
    assert sent is not None
    assert sent.state == "delivered"
    assert sent.attributes["recipient"] == NUMBER
    assert hass.states.get("sensor.dinstar_2817_port_4_last_sms").state == "unknown"  # type: ignore[union-attr]
    await hass.config_entries.async_unload(dinstar_entry.entry_id)


# --- last SMS out -------------------------------------------------------------------------------


async def test_the_last_sent_sms_follows_its_reports(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)

    response = await send_sms(
        hass, init_integration, recipients=[NUMBER], message="Hi", ports=[2], wait=True
    )

    assert response is not None
    [recipient] = response["recipients"]
    entity_id = "sensor.dinstar_2817_port_2_last_sent_sms"
    await until(lambda: hass.states.get(entity_id).state == "delivered")  # type: ignore[union-attr]
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.attributes["recipient"] == NUMBER
    assert state.attributes["message_id"] == recipient["user_id"]
    assert hass.states.get("sensor.dinstar_2817_port_1_last_sent_sms").state == "unknown"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("reports", "shown", "changes"),
    [
        # The same SMS only moves forward: a late "sent" does not undo "delivered".
        ([("sent", 7), ("delivered", 7), ("sent", 7)], ("delivered", 7), 2),
        # A late report of an older SMS does not hide the newer one.
        ([("sent", 8), ("delivered", 7)], ("sent", 8), 1),
        ([("sent", 7), ("failed", 8)], ("failed", 8), 2),
        # An SMS sent outside Home Assistant has no id: it is the newest one heard of.
        ([("delivered", 8), ("sent", None)], ("sent", None), 2),
        ([("sent", None), ("delivered", 3)], ("delivered", 3), 2),
    ],
)
def test_last_sent_keeps_the_newest_sms(
    reports: list[tuple[str, int | None]], shown: tuple[str, int | None], changes: int
) -> None:
    board = LastSentByPort()
    heard: list[int] = []
    board.listeners.async_add(0, lambda: heard.append(0))

    for status, message_id in reports:
        board.record(0, status, NUMBER, message_id)

    sms = board.sms[0]
    assert (sms.status, sms.message_id) == shown
    assert len(heard) == changes
