"""The push webhook against the simulated gateway: every push type, and what it refuses."""

import json
import logging
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from homeassistant.components.webhook import DOMAIN as WEBHOOK_DOMAIN
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_USSD_REPLY,
)
from custom_components.sms_gateway.gateway.devices import port_identifier
from custom_components.sms_gateway.providers.dinstar import RegState
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, WEBHOOK_ID, registered_device, wait_until
from tests.integration.setups import client_fixture, sim_control_via as sim_control

type Client = TestClient[web.Request, web.Application]
WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"
SENDER = "+40712345678"


pytestmark = pytest.mark.usefixtures("event_platform_only")


client = client_fixture()


@pytest.fixture
async def pushing(
    hass: HomeAssistant, client: Client, dinstar_simulator: RunningDinstar
) -> RunningDinstar:
    """The simulator with its push URL set to this entry's webhook."""
    url = str(client.make_url(WEBHOOK_PATH))
    await sim_control(hass, dinstar_simulator, "push-url", {"url": url})
    return dinstar_simulator


def delivered(sim: RunningDinstar, kind: str) -> list[dict[str, Any]]:
    return [push for push in sim.sim.pushes if push["type"] == kind and push["status"]]


async def test_sms_push_fires_the_event(
    hass: HomeAssistant,
    pushing: RunningDinstar,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    answer = await sim_control(
        hass, pushing, "incoming", {"port": 2, "sender": SENDER, "text": "Salut, ce faci?"}
    )
    await wait_until(lambda: bool(delivered(pushing, "sms")))

    assert delivered(pushing, "sms")[0]["status"] == 200
    assert len(events) == 1
    data = events[0].data
    message = pushing.sim.state.inbox[-1]
    device = registered_device(hass, port_identifier(SERIAL, 2))
    assert data == {
        "entry_id": init_integration.entry_id,
        "provider": "dinstar",
        "sender": SENDER,
        "text": "Salut, ce faci?",
        "received_at": data["received_at"],
        "port": 2,
        "message_id": answer["incoming_sms_id"],
        "imsi": message.imsi,
        "smsc": message.smsc,
        "receiver": pushing.sim.ports[2].number,
        "device_id": device.id,
    }
    # The gateway's clock has no zone: it is read in Home Assistant's zone.
    assert data["received_at"].startswith(message.timestamp.replace(" ", "T"))
    assert data["received_at"][-6] in "+-"


async def test_a_push_delivered_twice_fires_once(
    hass: HomeAssistant, pushing: RunningDinstar
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await sim_control(hass, pushing, "faults", {"push_duplicate": True})
    await sim_control(hass, pushing, "incoming", {"port": 0, "sender": SENDER, "text": "one"})
    await sim_control(hass, pushing, "incoming", {"port": 1, "sender": SENDER, "text": "two"})
    await wait_until(lambda: len(delivered(pushing, "sms")) == 4)
    await hass.async_block_till_done()

    assert [event.data["text"] for event in events] == ["one", "two"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"sms": []}',
        b'{"sn": "' + SERIAL.encode() + b'"}',
        b'{"sn": "' + SERIAL.encode() + b'", "sms": {"port": 1}}',
        b'{"sn": "' + SERIAL.encode() + b'", "sms": [{"port": 1, "text": "secret 4242"}]}',
    ],
    ids=[
        "empty",
        "not-json",
        "not-utf8",
        "array",
        "no-serial",
        "no-type",
        "sms-not-array",
        "sms-without-id",
    ],
)
async def test_malformed_push_is_refused(
    hass: HomeAssistant, client: Client, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")

    response = await client.post(WEBHOOK_PATH, data=body)

    assert response.status == 400
    assert not events
    assert "Refused a push that is not a Dinstar push" in caplog.text
    assert "secret 4242" not in caplog.text
    assert "Error handling webhook" not in caplog.text


async def test_push_from_another_gateway_is_refused(hass: HomeAssistant, client: Client) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    body = {
        "sn": "ffff-0000-1111-2222",
        "sms": [{"incoming_sms_id": 1, "port": 0, "number": SENDER, "text": "hi"}],
    }

    response = await client.post(WEBHOOK_PATH, data=json.dumps(body))

    assert response.status == 400
    assert not events


async def test_only_post_is_accepted(client: Client) -> None:
    response = await client.get(WEBHOOK_PATH)

    assert response.status == 405


async def test_register_push_updates_the_port_at_once(
    hass: HomeAssistant, pushing: RunningDinstar, init_integration: MockConfigEntry
) -> None:
    ports = init_integration.runtime_data.ports
    registered_before = ports.data[1].reg
    assert registered_before is RegState.REGISTER_OK
    requests_before = pushing.sim.request_counts.get("/api/get_port_info", 0)

    await sim_control(hass, pushing, "push/register", {"port": 1, "status": "down"})
    await wait_until(lambda: bool(delivered(pushing, "register")))
    await hass.async_block_till_done()

    assert ports.data[1].reg is RegState.UNREGISTER
    assert ports.data[1].imsi is None
    # No poll was needed to learn it.
    assert pushing.sim.request_counts.get("/api/get_port_info", 0) == requests_before


async def test_sms_result_and_delivery_report_reach_the_send_tracker(
    hass: HomeAssistant, client: Client
) -> None:
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    result = {
        "sn": SERIAL,
        "sms_result": [
            {
                "port": 1,
                "number": "10086",
                "time": "2016-07-12 01:46:02",
                "status": "SENT_OK",
                "count": 1,
                "succ_count": 1,
                "ref_id": 215,
                "imsi": "460004642148063",
            }
        ],
    }
    delivery = {
        "sn": SERIAL,
        "sms_deliver_status": [
            {
                "port": 1,
                "number": "10086",
                "time": "2016-07-1215:46:53",
                "ref_id": 215,
                "status_code": 0,
                "imsi": "460004642148063 ",
            }
        ],
    }

    assert (await client.post(WEBHOOK_PATH, data=json.dumps(result))).status == 200
    assert (await client.post(WEBHOOK_PATH, data=json.dumps(delivery))).status == 200
    await hass.async_block_till_done()

    assert [(event.data["status"], event.data["recipient"]) for event in reports] == [
        ("sent", "10086"),
        ("delivered", "10086"),
    ]


async def test_ussd_push_reaches_the_ussd_manager(hass: HomeAssistant, client: Client) -> None:
    replies = async_capture_events(hass, EVENT_USSD_REPLY)
    body = {"sn": SERIAL, "ussd": [{"port": 3, "text": "Credit: 12.50 EUR"}]}

    response = await client.post(WEBHOOK_PATH, data=json.dumps(body))
    await hass.async_block_till_done()

    assert response.status == 200
    assert [(event.data["port"], event.data["text"]) for event in replies] == [
        (3, "Credit: 12.50 EUR")
    ]


async def test_cdr_push_is_only_logged(
    hass: HomeAssistant, pushing: RunningDinstar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")

    await sim_control(hass, pushing, "push/cdr", {"port": 2, "duration": 3})
    await wait_until(lambda: bool(delivered(pushing, "cdr")))
    await hass.async_block_till_done()

    assert delivered(pushing, "cdr")[0]["status"] == 200
    assert "The gateway pushed 1 call records" in caplog.text


@pytest.mark.parametrize(
    ("kind", "body", "logged"),
    [
        ("device", {"status": "power_on"}, "The gateway reports its chassis power_on"),
        (
            "exception_info",
            {"port": 4, "type": "call_fail", "action": "reset"},
            "The gateway reports call_fail on port 4 and did reset",
        ),
    ],
)
async def test_device_and_fault_pushes_refresh_the_gateway(
    hass: HomeAssistant,
    pushing: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    body: dict[str, Any],
    logged: str,
) -> None:
    counts_before = pushing.sim.request_counts

    await sim_control(hass, pushing, f"push/{kind}", body)
    await wait_until(lambda: bool(delivered(pushing, kind)))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert delivered(pushing, kind)[0]["status"] == 200
    assert logged in caplog.text
    counts = pushing.sim.request_counts
    for path in ("/api/get_port_info", "/api/get_status"):
        assert counts.get(path, 0) > counts_before.get(path, 0), path


async def test_webhook_is_unregistered_on_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert WEBHOOK_ID in hass.data[WEBHOOK_DOMAIN]

    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert WEBHOOK_ID not in hass.data[WEBHOOK_DOMAIN]


async def test_entry_without_webhook_id_still_sets_up(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    data = {key: value for key, value in dinstar_entry.data.items() if key != CONF_WEBHOOK_ID}
    entry = MockConfigEntry(domain=DOMAIN, title="No hook", unique_id=SERIAL, data=data)
    entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert "SMS arrive by polling only" in caplog.text
    assert WEBHOOK_ID not in hass.data.get(WEBHOOK_DOMAIN, {})
    assert await hass.config_entries.async_unload(entry.entry_id)
