"""The logbook shows received SMS, delivery reports and USSD replies, read through its own API.

The recorder and logbook run for real; the events come from the simulated gateway (a push, a
send and its reports, a USSD exchange), and the lines are read back as the frontend reads them.
"""

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.sms_gateway.const import DOMAIN
from custom_components.sms_gateway.logbook import PREVIEW_LENGTH, preview
from tests.conftest import RunningDinstar
from tests.integration.conftest import port_device_id, wait_until
from tests.integration.test_send import (
    NUMBER,
    push_to_home_assistant,
    send_sms,
    sim_control,
    until,
)

LONG_TEXT = "Your parcel 4711 is waiting at the depot on Main Street.\n" + "Open 9-17. " * 12


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """The recorder must start before Home Assistant: ask for it ahead of the integration."""


@pytest.fixture
def platforms() -> list[Platform]:
    return [Platform.EVENT, Platform.SENSOR]


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


async def logbook_lines(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    *,
    all_domains: bool = False,
    **query: Any,
) -> list[dict[str, Any]]:
    await async_wait_recording_done(hass)
    client = await hass_ws_client()
    start = dt_util.utcnow().replace(year=2000).isoformat()
    await client.send_json({"id": 1, "type": "logbook/get_events", "start_time": start, **query})
    answer = await client.receive_json()
    assert answer["success"], answer
    return [line for line in answer["result"] if all_domains or line.get("domain") == DOMAIN]


async def test_received_sms_reports_and_ussd_are_readable_in_the_logbook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "logbook", {})
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    await sim_control(dinstar_simulator, "ussd-replies", {"port": 2, "text": "Solde: 5,00 DH"})
    fired = async_capture_events(hass, f"{DOMAIN}_sms_received")

    await sim_control(
        dinstar_simulator, "incoming", {"port": 1, "sender": "+40712345678", "text": LONG_TEXT}
    )
    await wait_until(lambda: bool(fired))
    await init_integration.runtime_data.ussd.exchange(2, "*100#")
    answer = await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi", ports=[3])
    assert answer is not None
    message_id = answer["recipients"][0]["user_id"]
    reports = async_capture_events(hass, f"{DOMAIN}_delivery_report")
    await until(lambda: "delivered" in [report.data["status"] for report in reports])
    await hass.async_block_till_done()

    lines = await logbook_lines(hass, hass_ws_client)
    messages = {line["message"] for line in lines}
    assert {line["name"] for line in lines} == {init_integration.title}
    assert f"received an SMS from +40712345678 on port 1: “{preview(LONG_TEXT)}”" in messages, (
        messages
    )
    # A USSD reply shows once, as the change of the port's Last USSD reply sensor.
    every_line = await logbook_lines(hass, hass_ws_client, all_domains=True)
    ussd = [line for line in every_line if "Solde: 5,00 DH" in str(line.values())]
    assert [line.get("entity_id") for line in ussd] == [
        "sensor.dinstar_2817_port_2_last_ussd_reply"
    ]
    assert f"SMS to {NUMBER} on port 3 delivered (message {message_id})" in messages, messages
    assert f"sent an SMS to {NUMBER}: “Hi”" in messages, messages

    # The port's device page shows its own lines only.
    on_port_1 = await logbook_lines(hass, hass_ws_client, device_ids=[port_device_id(hass, 1)])
    assert [line["message"] for line in on_port_1] == [
        f"received an SMS from +40712345678 on port 1: “{preview(LONG_TEXT)}”"
    ]


async def test_a_send_to_many_names_the_first_few(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "logbook", {})
    numbers = [f"+4071234560{index}" for index in range(5)]

    await send_sms(hass, init_integration, recipients=numbers, message=LONG_TEXT)
    await hass.async_block_till_done()

    [line] = await logbook_lines(hass, hass_ws_client)
    assert line["message"] == (
        f"sent an SMS to {', '.join(numbers[:3])} and 2 more: “{preview(LONG_TEXT)}”"
    )
    assert line["icon"] == "mdi:message-arrow-right"


def test_a_preview_is_one_line_cut_at_a_word() -> None:
    shown = preview(LONG_TEXT)

    assert "\n" not in shown
    assert len(shown) <= PREVIEW_LENGTH + 1
    assert shown.endswith("…")
    assert LONG_TEXT.replace("\n", " ").startswith(shown[:-1])
    assert not shown[:-1].endswith(" ")
    assert preview("  short\ttext ") == "short text"
    assert preview(None) == ""
    assert preview("x" * 100, 10) == "x" * 10 + "…"
