"""A SIM swapped in a port raises a repair, even across a restart; its fix keeps or drops the
port's balance settings."""

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import CONF_BALANCE, DOMAIN
from custom_components.sms_gateway.gateway.sim_watch import sim_swapped_issue_id
from tests.conftest import RunningDinstar
from tests.integration.setups import with_balance

from .test_repairs import FIX_URL, start_fix
from .test_send import sim_state
from .test_state_writes import refresh_ports, sim_post

pytestmark = pytest.mark.usefixtures("event_platform_only")

NEW_ICCID = "8921201234567890123"


def swap_issue(hass: HomeAssistant, entry: MockConfigEntry, port: int) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, sim_swapped_issue_id(entry.entry_id, port))


async def iccids(sim: RunningDinstar) -> dict[int, str]:
    state = await sim_state(sim)
    return {port["port"]: port["iccid"] for port in state["ports"]}


async def test_a_new_iccid_raises_a_repair_naming_the_port_only(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    assert swap_issue(hass, init_integration, 3) is None

    await sim_post(dinstar_simulator, "ports/3", {"iccid": NEW_ICCID})
    await refresh_ports(hass, init_integration)

    issue = swap_issue(hass, init_integration, 3)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"gateway": "Dinstar 2817", "port": "3"}
    assert NEW_ICCID not in str(issue.to_json())
    assert [port for port in range(8) if swap_issue(hass, init_integration, port)] == [3]


async def test_a_sim_pulled_then_another_put_in_is_a_swap(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    before = (await iccids(dinstar_simulator))[2]
    await sim_post(dinstar_simulator, "ports/2", {"reg": "NO_SIM", "iccid": ""})
    await refresh_ports(hass, init_integration)
    assert swap_issue(hass, init_integration, 2) is None

    await sim_post(dinstar_simulator, "ports/2", {"reg": "REGISTER_OK", "iccid": before})
    await refresh_ports(hass, init_integration)
    assert swap_issue(hass, init_integration, 2) is None  # the same SIM back

    await sim_post(dinstar_simulator, "ports/2", {"iccid": NEW_ICCID})
    await refresh_ports(hass, init_integration)
    assert swap_issue(hass, init_integration, 2) is not None


async def test_a_swap_while_home_assistant_was_stopped_shows_at_set_up(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_storage: dict[str, Any],
) -> None:
    seen = {str(port): iccid for port, iccid in (await iccids(dinstar_simulator)).items()}
    seen["1"] = "8921209999999999999"
    hass_storage[f"{DOMAIN}.{dinstar_entry.entry_id}.sims"] = {
        "version": 1,
        "key": f"{DOMAIN}.{dinstar_entry.entry_id}.sims",
        "data": {"iccids": seen},
    }
    dinstar_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    assert [port for port in range(8) if swap_issue(hass, dinstar_entry, port)] == [1]
    assert await hass.config_entries.async_unload(dinstar_entry.entry_id)


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    """The gateway with a balance code on port 3."""
    return with_balance(dinstar_entry, {"3": {"code": "*100#"}})


@pytest.mark.parametrize(("reset", "kept"), [(True, {}), (False, {"3": {"code": "*100#"}})])
async def test_the_fix_keeps_or_drops_the_ports_balance_settings(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client: ClientSessionGenerator,
    reset: bool,
    kept: dict[str, Any],
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    await sim_post(dinstar_simulator, "ports/3", {"iccid": NEW_ICCID})
    await refresh_ports(hass, init_integration)

    shown = await start_fix(client, sim_swapped_issue_id(init_integration.entry_id, 3))
    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
    assert shown["description_placeholders"] == {"gateway": "Dinstar 2817", "port": "3"}
    response = await client.post(f"{FIX_URL}/{shown['flow_id']}", json={"reset_balance": reset})
    assert response.status == 200, await response.text()
    await hass.async_block_till_done()

    assert (await response.json())["type"] == "create_entry"
    assert init_integration.options[CONF_BALANCE] == kept
    assert swap_issue(hass, init_integration, 3) is None
    assert init_integration.state is ConfigEntryState.LOADED


async def test_a_port_without_balance_settings_only_asks_to_confirm(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client: ClientSessionGenerator,
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    await sim_post(dinstar_simulator, "ports/4", {"iccid": NEW_ICCID})
    await refresh_ports(hass, init_integration)

    shown = await start_fix(client, sim_swapped_issue_id(init_integration.entry_id, 4))
    assert (shown["type"], shown["step_id"]) == ("form", "confirm_no_balance")
    response = await client.post(f"{FIX_URL}/{shown['flow_id']}", json={})

    assert (await response.json())["type"] == "create_entry"
    assert init_integration.options[CONF_BALANCE] == {"3": {"code": "*100#"}}
    assert swap_issue(hass, init_integration, 4) is None


async def test_the_fix_ends_when_the_gateway_was_removed(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    ir.async_create_issue(
        hass,
        DOMAIN,
        "sim_swapped_gone_1",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="sim_swapped",
        translation_placeholders={"gateway": "Gone", "port": "1"},
        data={"entry_id": "gone", "port": 1},
    )

    shown = await start_fix(client, "sim_swapped_gone_1")

    assert (shown["type"], shown["reason"]) == ("abort", "entry_removed")
