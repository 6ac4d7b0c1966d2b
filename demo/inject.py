"""`python -m demo sms`: an SMS arrives at the simulated gateway, then Home Assistant shows it."""

import asyncio
import contextlib
from typing import Any

import aiohttp

from .console import say
from .home_assistant import DemoError, HomeAssistantApi
from .runtime_file import DemoRuntime
from .settings import RUNTIME_FILE

SHOW_TIMEOUT = 15.0
_POLL_PAUSE = 0.3


def incoming_sms_entity(port: int) -> str:
    """Name the port's "Incoming SMS" event entity."""
    return f"event.port_{port}_incoming_sms"


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


async def inject_sms(port: int, sender: str, text: str) -> int:
    """POST /_sim/incoming, then wait until the port's Incoming SMS entity changes."""
    runtime = DemoRuntime.load(RUNTIME_FILE)
    entity_id = incoming_sms_entity(port)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, runtime.ha_url, runtime.access_token)
        before = await entity_state(api, entity_id)
        try:
            async with session.post(
                f"{runtime.simulator_url}/_sim/incoming",
                json={"port": port, "sender": sender, "text": text},
            ) as response:
                answer = await response.json()
        except aiohttp.ClientError as err:
            raise DemoError(
                "the demo's simulator does not answer: is `make demo` running?"
            ) from err
        if response.status != 200:  # noqa: PLR2004
            raise DemoError(f"the simulator refused the SMS: {answer.get('error')}")
        say(f"Port {port} received SMS #{answer['incoming_sms_id']} from {sender}")
        shown = await wait_until_shown(api, entity_id, before)
    if shown is None:
        say(f"Home Assistant did not show it on {entity_id} within {SHOW_TIMEOUT:.0f} s")
        return 1
    say(describe(entity_id, shown))
    return 0
