"""Whether the SMSLink and Plasgate accounts came up: a warning line each, never a failure.

The gateway part of the demo is worth running even when a cloud entry does not set up, so what is
missing goes into the banner instead of stopping everything. The Plasgate account sends and
receives over SMPP: it works only once its SMPP link sensor shows bound.
"""

import asyncio
from collections.abc import Sequence
import contextlib
from typing import Any

import aiohttp
from homeassistant.util import slugify

from custom_components.sms_gateway.const import DOMAIN

from .console import say
from .dashboard import dashboard_entity_ids
from .entries import PLASGATE_TITLE, SMSLINK_TITLE
from .home_assistant import DemoError, HomeAssistantApi, wait_for_entities
from .inject import describe_event, entity_state, smslink_round_trip
from .settings import SMSLINK_WELCOME_SMS

_LOADED = "loaded"
# The SMPP link sensor's state once the account is logged in (providers/plasgate/smpp LinkState).
_BOUND = "bound"
# States an entry passes through before it settles on loaded, setup_error, setup_retry ...
_STARTING = frozenset({"not_loaded", "setup_in_progress"})
_POLL_PAUSE = 0.5


def _settled(entry: dict[str, Any] | None) -> bool:
    return entry is not None and entry["state"] not in _STARTING


async def _settled_entries(
    api: HomeAssistantApi, titles: Sequence[str], within: float
) -> dict[str, dict[str, Any]]:
    """Poll the integration's entries until none of titles is still starting; by title."""
    entries: dict[str, dict[str, Any]] = {}
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(within):
            while True:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    entries = {entry["title"]: entry for entry in await api.config_entries(DOMAIN)}
                if all(_settled(entries.get(title)) for title in titles):
                    return entries
                await asyncio.sleep(_POLL_PAUSE)
    return entries


def _entry_problem(title: str, entry: dict[str, Any] | None) -> str | None:
    if entry is None:
        return f"Home Assistant has no {title} entry"
    if entry["state"] == _LOADED:
        return None
    reason = f": {entry['reason']}" if entry.get("reason") else ""
    return f"the {title} entry did not set up ({entry['state']}{reason})"


async def _smslink_problems(api: HomeAssistantApi, smslink_url: str, within: float) -> list[str]:
    """Check the entities the dashboard shows, then a first 2-Way SMS through the callback."""
    missing = await wait_for_entities(api, dashboard_entity_ids(SMSLINK_TITLE), within)
    if missing:
        return [f"not in Home Assistant: {', '.join(missing)}"]
    try:
        fired = await smslink_round_trip(api, smslink_url, *SMSLINK_WELCOME_SMS)
    except DemoError as err:
        return [f"SMSLink 2-Way: {err}"]
    if fired is None:
        return ["the SMSLink welcome SMS fired no event in Home Assistant"]
    say(describe_event(fired))
    return []


def smpp_link_entity(title: str) -> str:
    """Name an account's "SMPP link" sensor: its device is named after the entry's title."""
    return f"sensor.{slugify(title)}_smpp_link"


async def _smpp_problems(api: HomeAssistantApi, title: str, within: float) -> list[str]:
    """Wait until the account's SMPP link sensor shows bound; a line saying where it stopped."""
    entity_id = smpp_link_entity(title)
    state: dict[str, Any] | None = None
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(within):
            while True:
                state = await entity_state(api, entity_id)
                if state is not None and state["state"] == _BOUND:
                    say(f"Home Assistant: {entity_id} = {_BOUND}")
                    return []
                await asyncio.sleep(_POLL_PAUSE)
    if state is None:
        return [f"not in Home Assistant: {entity_id}, so the {title} account has no SMPP link"]
    return [f"the {title} account's SMPP link is {state['state']}, not {_BOUND}"]


async def cloud_problems(api: HomeAssistantApi, smslink_url: str, within: float) -> list[str]:
    """Say what of the SMSLink and Plasgate accounts is not working, one line each."""
    entries = await _settled_entries(api, (SMSLINK_TITLE, PLASGATE_TITLE), within)
    problems: list[str] = []
    smslink = _entry_problem(SMSLINK_TITLE, entries.get(SMSLINK_TITLE))
    if smslink is None:
        problems += await _smslink_problems(api, smslink_url, within)
    else:
        problems.append(f"{smslink}, so no {', '.join(dashboard_entity_ids(SMSLINK_TITLE))}")
    plasgate = _entry_problem(PLASGATE_TITLE, entries.get(PLASGATE_TITLE))
    if plasgate is not None:
        problems.append(plasgate)
        return problems
    if missing := await wait_for_entities(api, dashboard_entity_ids(PLASGATE_TITLE), within):
        problems.append(f"not in Home Assistant: {', '.join(missing)}")
    return problems + await _smpp_problems(api, PLASGATE_TITLE, within)
