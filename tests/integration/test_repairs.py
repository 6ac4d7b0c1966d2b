"""The push repair: the stored issue names the gateway only, its fix flow shows the address.

The address holds the webhook id, and issues are stored and copied into diagnostics downloads.
"""

import json
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import DOMAIN, SLOW_POLL_INTERVAL
from custom_components.sms_gateway.gateway.inbox import push_issue_id
from tests.conftest import RunningDinstar
from tests.integration.setups import sim_control_via as sim_control

from .conftest import WEBHOOK_ID

pytestmark = pytest.mark.usefixtures("event_platform_only")

FIX_URL = "/api/repairs/issues/fix"


@pytest.fixture
async def client(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, init_integration: MockConfigEntry
) -> Any:
    """An admin's client of the repairs API: what registers views comes before the server."""
    assert await async_setup_component(hass, "repairs", {})
    return await hass_client()


async def polled_only(
    hass: HomeAssistant, sim: RunningDinstar, entry: MockConfigEntry
) -> ir.IssueEntry:
    """An SMS that arrives only by polling raises the push issue; return it."""
    session = async_get_clientsession(hass)
    body = {"port": 0, "sender": "+40733280416", "text": "polled"}
    async with session.post(f"{sim.url}/_sim/incoming", json=body) as response:
        assert response.status == 200
    async_fire_time_changed(hass, dt_util.utcnow() + SLOW_POLL_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, push_issue_id(entry.entry_id))
    assert issue is not None
    return issue


async def start_fix(client: Any, issue_id: str) -> dict[str, Any]:
    response = await client.post(FIX_URL, json={"handler": DOMAIN, "issue_id": issue_id})
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def test_the_issue_keeps_no_address_and_the_flow_shows_it(
    hass: HomeAssistant,
    client: Any,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
) -> None:
    issue = await polled_only(hass, dinstar_simulator, init_integration)

    assert issue.is_fixable
    assert issue.translation_key == "push_not_configured"
    assert issue.translation_placeholders == {"gateway": init_integration.title}
    assert WEBHOOK_ID not in json.dumps(issue.to_json())

    shown = await start_fix(client, issue.issue_id)
    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
    placeholders = shown["description_placeholders"]
    assert placeholders["gateway"] == init_integration.title
    assert placeholders["webhook_url"].endswith(f"/api/webhook/{WEBHOOK_ID}")

    with patch("custom_components.sms_gateway.repairs.PUSH_WAIT", 0.01):
        response = await client.post(f"{FIX_URL}/{shown['flow_id']}", json={})
        assert response.status == 200
        waiting = await response.json()
        assert (waiting["type"], waiting["progress_action"]) == ("progress", "wait_push")
        await hass.async_block_till_done()
    # No push came: the flow says what to check, then shows the address again.
    no_push = await (await client.get(f"{FIX_URL}/{shown['flow_id']}")).json()
    assert (no_push["type"], no_push["step_id"]) == ("form", "no_push")
    again = await (await client.post(f"{FIX_URL}/{shown['flow_id']}", json={})).json()
    assert (again["type"], again["step_id"]) == ("form", "confirm")
    # Read and acted on: the issue stays; it goes with the first push.
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue.issue_id) is not None


async def test_the_flow_ends_when_the_first_push_arrives(
    hass: HomeAssistant,
    client: Any,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
) -> None:
    issue = await polled_only(hass, dinstar_simulator, init_integration)
    shown = await start_fix(client, issue.issue_id)
    waiting = await (await client.post(f"{FIX_URL}/{shown['flow_id']}", json={})).json()
    assert waiting["type"] == "progress"

    # The user saves the gateway's push settings and sends an SMS to one of its SIMs.
    push_url = str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    await sim_control(hass, dinstar_simulator, "push-url", {"url": push_url})
    await sim_control(
        hass, dinstar_simulator, "incoming", {"port": 0, "sender": "+40733280416", "text": "x"}
    )
    await hass.async_block_till_done()

    done = await (await client.get(f"{FIX_URL}/{shown['flow_id']}")).json()
    assert done["type"] == "create_entry"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue.issue_id) is None


async def test_a_flow_for_an_unloaded_gateway_only_shows_the_address(
    hass: HomeAssistant,
    client: Any,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
) -> None:
    issue = await polled_only(hass, dinstar_simulator, init_integration)
    shown = await start_fix(client, issue.issue_id)
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    response = await client.post(f"{FIX_URL}/{shown['flow_id']}", json={})

    assert (await response.json())["type"] == "create_entry"


async def test_the_flow_falls_back_to_the_path_without_a_known_url(
    hass: HomeAssistant,
    client: Any,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
) -> None:
    issue = await polled_only(hass, dinstar_simulator, init_integration)

    with patch("homeassistant.components.webhook.get_url", side_effect=NoURLAvailableError):
        shown = await start_fix(client, issue.issue_id)

    assert shown["description_placeholders"]["webhook_url"] == f"/api/webhook/{WEBHOOK_ID}"


async def test_the_flow_ends_when_the_gateway_was_removed(
    hass: HomeAssistant,
    client: Any,
    dinstar_simulator: RunningDinstar,
    init_integration: MockConfigEntry,
) -> None:
    issue = await polled_only(hass, dinstar_simulator, init_integration)
    # An issue that outlived its entry (the store keeps issues across restarts).
    ir.async_create_issue(
        hass,
        DOMAIN,
        "push_not_configured_gone",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=issue.translation_key,
        translation_placeholders=issue.translation_placeholders,
        data={"entry_id": "gone"},
    )

    shown = await start_fix(client, "push_not_configured_gone")

    assert (shown["type"], shown["reason"]) == ("abort", "entry_removed")


async def test_other_issues_only_ask_for_a_confirmation(
    hass: HomeAssistant, client: Any, init_integration: MockConfigEntry
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        "callback_url_changed_x",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="callback_url_changed",
        translation_placeholders={"account": "SMSLink"},
    )

    shown = await start_fix(client, "callback_url_changed_x")

    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
