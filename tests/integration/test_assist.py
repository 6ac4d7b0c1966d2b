"""SMS to Assist against the simulators, with Home Assistant's own conversation agent.

An SMS from an allowed number turns a (template) light on and the agent's answer goes back by SMS
through the port or account it came in on; any other number never reaches the agent.
"""

from collections.abc import AsyncIterator, Iterator
import logging
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.components import conversation
from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.assist.agent import RateLimit, sms_reply
from custom_components.sms_gateway.const import (
    EVENT_ASSIST,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_SENT,
)
from custom_components.sms_gateway.diagnostics import async_get_config_entry_diagnostics
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink
from tests.integration.cloud_setups import link_state, set_up_over_smpp, wait_until
from tests.integration.conftest import wind_down
from tests.integration.setups import entry_with
from tests.integration.test_send import push_to_home_assistant, send_bodies, sim_control, until

ALLOWED = "+40712345678"
STRANGER = "+40799999999"
COMMAND = "turn on the kitchen light"
ANSWER = "Turned on the light"
LIGHT = "light.kitchen_light"


def assist(**changes: Any) -> dict[str, Any]:
    """SMS to Assist options: on, for ALLOWED, with the default agent."""
    return {
        "enabled": True,
        "numbers": [ALLOWED],
        "agent_id": conversation.HOME_ASSISTANT_AGENT,
        "rate_limit": 10,
        **changes,
    }


@pytest.fixture
def assist_options() -> dict[str, Any] | None:
    """The entry's SMS to Assist options; a test parametrizes it to change them."""
    return assist()


def with_assist(options: dict[str, Any] | None) -> dict[str, Any]:
    """Entry options that hold these SMS to Assist options, or none at all."""
    return {} if options is None else {"assist": options}


@pytest.fixture
def dinstar_entry(
    dinstar_entry: MockConfigEntry, assist_options: dict[str, Any] | None
) -> MockConfigEntry:
    """The simulated gateway, with the test's SMS to Assist options."""
    return entry_with(dinstar_entry, options=with_assist(assist_options))


@pytest.fixture
def smslink_entry(
    smslink_entry: MockConfigEntry, assist_options: dict[str, Any] | None
) -> MockConfigEntry:
    """The SMSLink account, with the test's SMS to Assist options."""
    return entry_with(smslink_entry, options=with_assist(assist_options))


@pytest.fixture
async def kitchen(hass: HomeAssistant) -> None:
    """A light the default agent knows by name, and the agent itself (before HTTP starts)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass,
        "template",
        {"template": [{"light": [{"name": "Kitchen light", "turn_on": [], "turn_off": []}]}]},
    )
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    assert hass.states.get(LIGHT) is not None


@pytest.fixture
def converse() -> Iterator[AsyncMock]:
    """Watch every call to a conversation agent (they still reach it)."""
    with patch(
        "homeassistant.components.conversation.async_converse",
        wraps=conversation.async_converse,
    ) as spy:
        yield spy


@pytest.fixture
async def gateway(
    hass: HomeAssistant,
    kitchen: None,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> AsyncIterator[MockConfigEntry]:
    """The gateway set up and pushing to Home Assistant, next to the kitchen light."""
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    return init_integration


async def sms_arrives(
    hass: HomeAssistant,
    sim: RunningDinstar,
    sender: str,
    text: str,
    port: int = 1,
    *,
    commands: list[Event] | None = None,
) -> None:
    """Make an SMS arrive on the gateway; with `commands`, wait until it fired one more.

    The agent is asked in a background task (an AI agent may take long), which
    async_block_till_done does not wait for: the command's event says it is over.
    """
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    before = None if commands is None else len(commands)
    await sim_control(sim, "incoming", {"port": port, "sender": sender, "text": text})
    await until(lambda: bool(received))
    await hass.async_block_till_done()
    if commands is not None and before is not None:
        await until(lambda: len(commands) > before, limit=30)


@pytest.fixture
def commands(hass: HomeAssistant) -> list[Event]:
    """Every SMS to Assist command event of the test."""
    events: list[Event] = async_capture_events(hass, EVENT_ASSIST)
    return events


def outcomes(events: list[Event]) -> list[str]:
    return [event.data["outcome"] for event in events]


# --- a gateway ------------------------------------------------------------------------------


async def test_an_allowed_number_turns_the_light_on_and_gets_the_answer_from_the_same_port(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
) -> None:
    sent = async_capture_events(hass, EVENT_SMS_SENT)

    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, port=3, commands=commands)

    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == "on"
    assert converse.call_count == 1
    assert converse.call_args.args[1] == COMMAND
    assert converse.call_args.kwargs["agent_id"] == conversation.HOME_ASSISTANT_AGENT
    [body] = await send_bodies(dinstar_simulator)
    assert body["text"] == ANSWER
    assert body["port"] == [3]
    assert [item["number"] for item in body["param"]] == [ALLOWED]
    [event] = commands
    assert event.data == {
        "entry_id": gateway.entry_id,
        "provider": "dinstar",
        "device_id": event.data["device_id"],
        "sender": ALLOWED,
        "port": 3,
        "text": COMMAND,
        "reply": ANSWER,
        "outcome": "answered",
        "agent_id": conversation.HOME_ASSISTANT_AGENT,
    }
    assert event.data["device_id"] is not None
    assert [event.data["text"] for event in sent] == [ANSWER]


async def test_the_same_number_written_nationally_is_recognised(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
) -> None:
    """The gateway may write the sender as a national number: Home Assistant's country's."""
    hass.config.country = "RO"

    await sms_arrives(hass, dinstar_simulator, "0712345678", COMMAND, commands=commands)

    assert outcomes(commands) == ["answered"]
    [body] = await send_bodies(dinstar_simulator)
    assert [item["number"] for item in body["param"]] == [ALLOWED]


async def test_a_number_continues_its_conversation(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
) -> None:
    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)
    await sms_arrives(
        hass, dinstar_simulator, ALLOWED, "turn off the kitchen light", commands=commands
    )

    conversation_ids = [call.args[2] for call in converse.call_args_list]
    assert conversation_ids[0] is None
    assert conversation_ids[1] is not None
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == "off"


async def test_sms_that_came_while_stopped_are_not_run(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
) -> None:
    """The catch-up at start-up announces them; a command hours old is not run."""
    await hass.config_entries.async_unload(gateway.entry_id)
    await sim_control(
        dinstar_simulator, "incoming", {"port": 1, "sender": ALLOWED, "text": COMMAND}
    )
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)

    assert await hass.config_entries.async_setup(gateway.entry_id)
    await hass.async_block_till_done()

    assert [event.data["text"] for event in received] == [COMMAND]
    converse.assert_not_called()


@pytest.mark.parametrize("sender", [STRANGER, "Vodafone", "0712345678"])
async def test_other_senders_never_reach_the_agent(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
    sender: str,
) -> None:
    """Not on the list, a name, or a national number with no country to read it by."""
    hass.config.country = None

    await sms_arrives(hass, dinstar_simulator, sender, COMMAND)

    converse.assert_not_called()
    assert commands == []
    assert await send_bodies(dinstar_simulator) == []
    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state != "on"


@pytest.mark.parametrize(
    "assist_options", [None, assist(enabled=False)], ids=["no options", "switched off"]
)
async def test_off_by_default(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
) -> None:
    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND)

    converse.assert_not_called()
    assert await send_bodies(dinstar_simulator) == []


@pytest.mark.parametrize("assist_options", [assist(rate_limit=2)])
async def test_over_the_rate_no_agent_and_no_answer(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    converse: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for _ in range(4):
        await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)

    assert outcomes(commands) == ["answered", "answered", "rate_limited", "rate_limited"]
    assert commands[2].data["reply"] is None
    assert converse.call_count == 2
    assert len(await send_bodies(dinstar_simulator)) == 2
    warnings = [r for r in caplog.records if "in an hour" in r.getMessage()]
    assert [r.levelno for r in warnings] == [logging.WARNING]  # once, not per SMS
    assert ALLOWED not in caplog.text


async def test_an_answer_that_cannot_be_sent_is_not_repeated(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A send that may have gone out is never sent again; the log names no number."""
    with patch(
        "custom_components.sms_gateway.assist.agent.async_send",
        side_effect=HomeAssistantError("The SMS may or may not have been queued"),
    ) as send:
        await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)

    assert send.call_count == 1
    assert outcomes(commands) == ["not_sent"]
    assert commands[0].data["reply"] == ANSWER
    assert "Could not answer an SMS to Assist from +40*******78" in caplog.text
    assert ALLOWED not in caplog.text


@pytest.mark.parametrize("assist_options", [assist(agent_id="conversation.nobody")])
async def test_a_missing_agent_gives_no_answer(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)

    assert outcomes(commands) == ["no_answer"]
    assert await send_bodies(dinstar_simulator) == []
    assert "conversation.nobody failed on an SMS from +40*******78" in caplog.text


async def test_an_empty_answer_sends_nothing(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
) -> None:
    result = conversation.ConversationResult(response=AsyncMock(speech={}))
    with patch("homeassistant.components.conversation.async_converse", return_value=result):
        await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)

    assert outcomes(commands) == ["no_answer"]
    assert await send_bodies(dinstar_simulator) == []


async def test_without_the_conversation_integration_nothing_is_asked(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    commands: list[Event],
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)

    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)
    await sms_arrives(hass, dinstar_simulator, ALLOWED, COMMAND, commands=commands)

    assert outcomes(commands) == ["no_answer", "no_answer"]
    assert caplog.text.count("needs the conversation integration") == 1
    assert await send_bodies(dinstar_simulator) == []


async def test_only_this_entrys_sms_from_a_number_are_heard(
    hass: HomeAssistant, gateway: MockConfigEntry, converse: AsyncMock
) -> None:
    """An SMS with no sender, or another entry's SMS, reaches no agent."""
    hass.bus.async_fire(
        EVENT_SMS_RECEIVED, {"entry_id": gateway.entry_id, "sender": None, "text": COMMAND}
    )
    hass.bus.async_fire(EVENT_SMS_RECEIVED, {"entry_id": "other", "sender": ALLOWED, "text": "x"})
    await hass.async_block_till_done()

    converse.assert_not_called()


async def test_diagnostics_hide_the_allowed_numbers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    shown = await async_get_config_entry_diagnostics(hass, init_integration)

    assert shown["entry"]["options"]["assist"]["numbers"] == REDACTED
    assert ALLOWED not in str(shown)


async def test_commands_stop_with_the_entry(
    hass: HomeAssistant, gateway: MockConfigEntry, converse: AsyncMock
) -> None:
    await hass.config_entries.async_unload(gateway.entry_id)
    await hass.async_block_till_done()

    hass.bus.async_fire(
        EVENT_SMS_RECEIVED, {"entry_id": gateway.entry_id, "sender": ALLOWED, "text": COMMAND}
    )
    await hass.async_block_till_done()

    converse.assert_not_called()


# --- an SMSLink account ---------------------------------------------------------------------


async def test_an_smslink_2_way_sms_is_answered_from_the_account(
    hass: HomeAssistant,
    kitchen: None,
    smslink_account: MockConfigEntry,
    commands: list[Event],
    smslink_simulator: RunningSmsLink,
    converse: AsyncMock,
) -> None:
    """SMSLink writes Romanian senders nationally; the account's country reads them."""
    sim = smslink_simulator.sim
    fields = {"sender": "0712345678", "receiver": "1847", "message": COMMAND, "timestamp": "1"}

    assert sim.callbacks.incoming(fields)
    await until(lambda: bool(commands))

    state = hass.states.get(LIGHT)
    assert state is not None
    assert state.state == "on"
    assert outcomes(commands) == ["answered"]
    assert commands[0].data["sender"] == ALLOWED
    assert "port" not in commands[0].data
    [message] = sim.account.messages.values()
    assert (message.to, message.text) == ("0712345678", ANSWER)

    # Another number: no agent, no answer.
    assert sim.callbacks.incoming({**fields, "sender": "0799999999", "timestamp": "2"})
    await until(lambda: len(sim.callbacks.history) >= 2)
    await hass.async_block_till_done()
    assert converse.call_count == 1
    assert len(sim.account.messages) == 1


async def test_a_plasgate_sms_over_smpp_is_answered_over_smpp(
    hass: HomeAssistant,
    kitchen: None,
    plasgate_entry: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
    commands: list[Event],
) -> None:
    """The sender comes international (TON 1) from abroad; the answer goes back to it."""
    entry = entry_with(plasgate_entry, options=with_assist(assist()))
    await set_up_over_smpp(hass, entry, plasgate_smpp_simulator)
    await wait_until(lambda: link_state(hass, entry) == "bound")
    smpp = plasgate_smpp_simulator.sim.smpp

    await smpp.deliver(ALLOWED[1:], "1234", COMMAND)
    await until(lambda: bool(commands), limit=30)

    assert outcomes(commands) == ["answered"]
    assert commands[0].data["provider"] == "plasgate"
    assert commands[0].data["sender"] == ALLOWED
    [answer] = smpp.snapshot()["submitted"]
    assert (answer["to"], answer["text"]) == (ALLOWED[1:], ANSWER)
    await wind_down(hass, entry, plasgate_smpp_simulator)


# --- the pieces -----------------------------------------------------------------------------


def test_the_rate_is_per_number_and_per_hour() -> None:
    rate = RateLimit(2)

    assert [rate.allow("a", now) for now in (0, 10, 20)] == [True, True, False]
    assert rate.allow("b", 20)
    assert not rate.allow("a", 3599)
    assert rate.allow("a", 3600)  # the first one is an hour old
    assert not rate.allow("a", 3601)


def test_an_answer_becomes_a_short_sms() -> None:
    assert sms_reply("  Turned on the light \n") == "Turned on the light"
    assert sms_reply("a\x00b\tc\nd") == "a b c\nd"
    assert sms_reply("") == ""
    long = " ".join(["word"] * 200)
    cut = sms_reply(long)
    assert cut.endswith("word...")
    assert 400 < len(cut) <= 3 * 153
    assert sms_reply(long, segments=1) == ("word " * 31).strip() + "..."
    assert len(sms_reply("ț" * 500)) <= 3 * 67  # Unicode: 67 a segment
    assert sms_reply("x" * 2000).endswith("x...")
