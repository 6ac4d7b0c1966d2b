"""Every SMS to Assist command shows in the logbook as one line, with its answer or why none."""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.sms_gateway.const import DOMAIN, EVENT_ASSIST
from tests.conftest import RunningDinstar

from .test_assist import (  # noqa: F401 - fixtures
    ALLOWED,
    ANSWER,
    COMMAND,
    assist,
    assist_options,
    dinstar_entry,
    gateway,
    kitchen,
    sms_arrives,
)
from .test_logbook import logbook_lines


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """The recorder must start before Home Assistant: ask for it ahead of the integration."""


@pytest.fixture(autouse=True)
async def logbook(hass: HomeAssistant, auto_enable_custom_integrations: None) -> None:
    """The logbook registers views: before anything starts the HTTP server."""
    assert await async_setup_component(hass, "logbook", {})


@pytest.mark.parametrize("assist_options", [assist(rate_limit=1)])
async def test_a_command_its_answer_and_one_over_the_rate(
    hass: HomeAssistant,
    gateway: MockConfigEntry,  # noqa: F811
    dinstar_simulator: RunningDinstar,
    hass_ws_client: WebSocketGenerator,
) -> None:
    commands = async_capture_events(hass, EVENT_ASSIST)

    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, port=2, commands=commands)
    await sms_arrives(hass, dinstar_simulator, ALLOWED, "and the hall", commands=commands)

    lines = await logbook_lines(hass, hass_ws_client)
    assist_lines = [line for line in lines if line["message"].startswith("Assist")]
    assert [line["message"] for line in assist_lines] == [
        f"Assist: “{COMMAND}” from {ALLOWED} → “{ANSWER}”",
        f"Assist: “and the hall” from {ALLOWED} not passed on (over the hourly limit)",
    ]
    assert {line["name"] for line in assist_lines} == {gateway.title}
    assert {line["icon"] for line in assist_lines} == {"mdi:robot-outline"}
    # The answer is also an SMS sent, with its own line.
    assert f"sent an SMS to {ALLOWED}: “{ANSWER}”" in {line["message"] for line in lines}


@pytest.mark.parametrize(
    ("outcome", "reply", "shown"),
    [
        ("not_sent", "Done", " → “Done” (the answer could not be sent)"),
        ("no_answer", None, " got no answer from the agent"),
        ("something new", None, ""),
    ],
)
async def test_the_lines_say_why_no_answer_came(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    outcome: str,
    reply: str | None,
    shown: str,
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})  # its logbook platform
    hass.bus.async_fire(
        EVENT_ASSIST,
        {"entry_id": "gone", "sender": ALLOWED, "text": "hi", "reply": reply, "outcome": outcome},
    )
    await hass.async_block_till_done()

    [line] = await logbook_lines(hass, hass_ws_client)
    assert line["name"] == "SMS Gateway"
    assert line["message"] == f"Assist: “hi” from {ALLOWED}{shown}"
