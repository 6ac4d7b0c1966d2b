"""examples/dashboard.yaml names only entities the integration creates for the demo's setup.

The demo stores that file as its dashboard and the README shows it: an entity renamed or dropped
would show there, and in users' copies, as "Entity not available". The demo's entries are set up
as it writes them, the Plasgate one over SMPP.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from demo.cloud_check import smpp_link_entity
from demo.dashboard import dashboard_config, dashboard_entity_ids, referenced_entity_ids
from demo.entries import PLASGATE_TITLE, config_entries
from demo.settings import CloudEndpoint, DemoEndpoints, SmppEndpoint
from demo.simulator import build_simulator, start_simulator
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink

from .cloud_setups import wait_until
from .conftest import PLASGATE_WEBHOOK_ID, SMSLINK_WEBHOOK_ID, WEBHOOK_ID, WebClient, set_up

# What every release from the floor (2025.4) on draws without a custom card.
CORE_CARDS = frozenset({"heading", "glance", "entities"})


@pytest.fixture
async def demo_gateway(socket_enabled: None) -> AsyncIterator[RunningDinstar]:
    """The demo's gateway: 8 ports, six registered, one searching, one without a SIM."""
    sim = build_simulator()
    server = await start_simulator(sim)
    try:
        yield RunningDinstar(url=server.url, sim=sim, server=server)
    finally:
        await server.stop()


@pytest.fixture
async def demo_entries(
    hass: HomeAssistant,
    demo_gateway: RunningDinstar,
    smslink_simulator: RunningSmsLink,
    plasgate_smpp_simulator: RunningPlasgate,
    web_client: WebClient,
) -> AsyncIterator[list[MockConfigEntry]]:
    """The demo's three entries (gateway, SMSLink, Plasgate) set up against the simulators.

    Unloaded before the simulators stop: the Plasgate account's SMPP link unbinds first.
    """
    host, port = plasgate_smpp_simulator.sim.smpp.address
    endpoints = DemoEndpoints(
        simulator_url=demo_gateway.url,
        ha_port=8123,
        webhook_id=WEBHOOK_ID,
        smslink=CloudEndpoint(url=smslink_simulator.url, webhook_id=SMSLINK_WEBHOOK_ID),
        plasgate=CloudEndpoint(url=plasgate_smpp_simulator.url, webhook_id=PLASGATE_WEBHOOK_ID),
        plasgate_smpp=SmppEndpoint(host=host, port=port),
    )
    entries = [
        MockConfigEntry(
            domain=DOMAIN,
            title=stored["title"],
            unique_id=stored["unique_id"],
            data=stored["data"],
            options=stored["options"],
            source=stored["source"],
        )
        for stored in config_entries(endpoints, demo_gateway.sim.settings.sn)
        if stored["domain"] == DOMAIN
    ]
    loaded = [await set_up(hass, entry) for entry in entries]
    yield loaded
    for entry in loaded:
        if entry.state is ConfigEntryState.LOADED:
            await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_the_demo_plasgate_account_binds_over_smpp(
    hass: HomeAssistant,
    demo_entries: list[MockConfigEntry],
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    """The demo's start-up check reads the SMPP link sensor it names, and it comes to bound."""
    entity_id = smpp_link_entity(PLASGATE_TITLE)

    def bound() -> bool:
        state = hass.states.get(entity_id)
        return state is not None and state.state == "bound"

    await wait_until(bound)
    binds = plasgate_smpp_simulator.sim.smpp.snapshot()["binds"]
    assert [bind["system_id"] for bind in binds] == ["demo"]


async def test_every_entity_the_example_names_exists(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry]
) -> None:
    """Each id in the YAML is one of the demo entries' entities, enabled and with a state."""
    registry = er.async_get(hass)
    ours = {
        entity.entity_id
        for entry in demo_entries
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if hass.states.get(entity.entity_id) is not None
    }
    named = referenced_entity_ids(dashboard_config())
    assert named, "the example names no entity"
    missing = [entity_id for entity_id in named if entity_id not in ours]
    assert not missing, f"examples/dashboard.yaml names entities the demo does not have: {missing}"


async def test_the_demo_checks_every_entity_the_example_names(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry]
) -> None:
    """The demo's start-up checks, by entry title, together cover the whole example once."""
    checked = [
        entity_id for entry in demo_entries for entity_id in dashboard_entity_ids(entry.title)
    ]
    assert sorted(checked) == sorted(referenced_entity_ids(dashboard_config()))


def _cards(node: Any) -> Iterator[dict[str, Any]]:
    """Every card of a view or section, nested ones too."""
    for card in node.get("cards", []):
        yield card
        yield from _cards(card)


async def test_the_example_uses_core_cards_only(hass: HomeAssistant) -> None:
    """No custom card, and one aligned row per SIM: five columns, Balance last when there."""
    for view in dashboard_config()["views"]:
        for section in view.get("sections", []):
            for card in _cards(section):
                assert card["type"] in CORE_CARDS, card["type"]
                if card["type"] == "glance":
                    assert card["columns"] >= len(card["entities"]), card
                    ids = [row["entity"] for row in card["entities"]]
                    assert all(not entity_id.endswith("_balance") for entity_id in ids[:-1]), ids
