"""`python -m demo sms`: an SMS arrives at a simulator, then Home Assistant shows it.

The gateway's shows on its port's Incoming SMS entity; SMSLink's and Plasgate's (over SMPP) as a
`sms_gateway_sms_received` event on the bus.
"""

import asyncio
import contextlib
from typing import Any

import aiohttp

from .console import say
from .events import watch_events
from .home_assistant import DemoError, HomeAssistantApi
from .runtime_file import DemoRuntime
from .settings import GATEWAY_TITLE, PLASGATE_SHORT_CODE, RUNTIME_FILE

SHOW_TIMEOUT = 15.0
# const.EVENT_SMS_RECEIVED and PROVIDER_SMSLINK/PLASGATE, written out: importing the integration's
# package would load Home Assistant (seconds) into a command that only talks HTTP.
EVENT_SMS_RECEIVED = "sms_gateway_sms_received"
_SMSLINK = "smslink"
_PLASGATE = "plasgate"
_POLL_PAUSE = 0.3


def incoming_sms_entity(port: int) -> str:
    """Name the port's "Incoming SMS" event entity."""
    device = GATEWAY_TITLE.lower().replace(" ", "_")
    return f"event.{device}_port_{port}_incoming_sms"


async def entity_state(api: HomeAssistantApi, entity_id: str) -> dict[str, Any] | None:
    """Read the entity's state object; None when Home Assistant does not have it (yet)."""
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        return dict(await api.get(f"/api/states/{entity_id}"))
    return None


async def wait_until_shown(
    api: HomeAssistantApi, entity_id: str, before: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Wait until the event entity's state moves on from before; None after SHOW_TIMEOUT."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SHOW_TIMEOUT):
            while True:
                after = await entity_state(api, entity_id)
                if after is not None and (before is None or after["state"] != before["state"]):
                    return after
                await asyncio.sleep(_POLL_PAUSE)
    return None


def describe(entity_id: str, state: dict[str, Any]) -> str:
    """One line saying what Home Assistant shows for an SMS."""
    attributes = state["attributes"]
    return (
        f"Home Assistant: {entity_id} = {state['state']} "
        f"(sender {attributes.get('sender')}, text {attributes.get('text')!r})"
    )


async def _post_incoming(
    session: aiohttp.ClientSession, simulator_url: str, name: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST a simulator's /_sim/incoming; its answer, DemoError when it is gone or refuses."""
    try:
        async with session.post(f"{simulator_url}/_sim/incoming", json=body) as response:
            answer = dict(await response.json())
    except aiohttp.ClientError as err:
        raise DemoError(
            f"the demo's {name} simulator does not answer: is `make demo` running?"
        ) from err
    if response.status != 200:  # noqa: PLR2004
        raise DemoError(f"the {name} simulator refused the SMS: {answer.get('error')}")
    return answer


async def inject_sms(port: int, sender: str, text: str) -> int:
    """POST /_sim/incoming, then wait until the port's Incoming SMS entity changes."""
    runtime = DemoRuntime.load(RUNTIME_FILE)
    entity_id = incoming_sms_entity(port)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, runtime.ha_url, runtime.access_token)
        before = await entity_state(api, entity_id)
        answer = await _post_incoming(
            session,
            runtime.simulator_url,
            "Dinstar",
            {"port": port, "sender": sender, "text": text},
        )
        say(f"Port {port} received SMS #{answer['incoming_sms_id']} from {sender}")
        shown = await wait_until_shown(api, entity_id, before)
    if shown is None:
        say(f"Home Assistant did not show it on {entity_id} within {SHOW_TIMEOUT:.0f} s")
        return 1
    say(describe(entity_id, shown))
    return 0


async def smslink_round_trip(
    api: HomeAssistantApi, smslink_url: str, sender: str, text: str
) -> dict[str, Any] | None:
    """Let an SMS reach the SMSLink account; the data of the event it fires, or None."""

    def is_it(data: dict[str, Any]) -> bool:
        return data.get("provider") == _SMSLINK and data.get("text") == text

    async with watch_events(api, EVENT_SMS_RECEIVED) as events:
        body = {"sender": sender, "text": text}
        if not (await _post_incoming(api.session, smslink_url, "SMSLink", body))["called"]:
            raise DemoError("the SMSLink simulator has no callback URL to call")
        return await events.next(is_it, SHOW_TIMEOUT)


async def plasgate_round_trip(
    api: HomeAssistantApi, plasgate_url: str, sender: str, text: str
) -> dict[str, Any] | None:
    """Let an SMS reach the Plasgate account over SMPP; the data of the event it fires, or None.

    The simulator writes it to the account's bound SMPP session as a deliver_sm.
    """

    def is_it(data: dict[str, Any]) -> bool:
        return data.get("provider") == _PLASGATE and data.get("text") == text

    async with watch_events(api, EVENT_SMS_RECEIVED) as events:
        body = {"from": sender, "to": PLASGATE_SHORT_CODE, "text": text}
        if not (await _post_incoming(api.session, plasgate_url, "Plasgate", body))["delivered_to"]:
            raise DemoError("the Plasgate simulator has no bound SMPP receiver to deliver it to")
        return await events.next(is_it, SHOW_TIMEOUT)


def describe_event(data: dict[str, Any]) -> str:
    """One line saying what Home Assistant fired for an SMS."""
    return (
        f"Home Assistant: {EVENT_SMS_RECEIVED} from {data.get('provider')} "
        f"(sender {data.get('sender')}, text {data.get('text')!r})"
    )


def _said(fired: dict[str, Any] | None, state_url: str) -> int:
    """Say what Home Assistant fired for an SMS, or that it fired nothing; the exit status."""
    if fired is None:
        say(
            f"Home Assistant fired no {EVENT_SMS_RECEIVED} for it within {SHOW_TIMEOUT:.0f} s "
            f"(the simulator's state: {state_url})"
        )
        return 1
    say(describe_event(fired))
    return 0


async def inject_cloud_sms(provider: str, sender: str, text: str) -> int:
    """POST the SMSLink or Plasgate simulator's /_sim/incoming, then wait for the event.

    SMSLink calls the account's webhook; Plasgate writes a deliver_sm to its bound SMPP session.
    """
    runtime = DemoRuntime.load(RUNTIME_FILE)
    url, round_trip = (
        (runtime.smslink_url, smslink_round_trip)
        if provider == _SMSLINK
        else (runtime.plasgate_url, plasgate_round_trip)
    )
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, runtime.ha_url, runtime.access_token)
        fired = await round_trip(api, url, sender, text)
    return _said(fired, f"{url}/_sim/state")
