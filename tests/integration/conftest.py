"""Fixtures for the tests that run Home Assistant with the integration against the simulator."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

from aiohttp import web
from aiohttp.test_utils import TestClient
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.accounts.catalog import plasgate_unique_id
from custom_components.sms_gateway.const import (
    CONF_CONNECTION_ID,
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SECRET,
    CONF_SENDER,
    CONF_TEST_MODE,
    DOMAIN,
    PROVIDER_DINSTAR,
    PROVIDER_PLASGATE,
    PROVIDER_SMSLINK,
)
from custom_components.sms_gateway.gateway import setup as gateway_setup
from custom_components.sms_gateway.gateway.devices import port_identifier
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink

type WebClient = TestClient[web.Request, web.Application]

SERIAL = "da00-0030-1901-2817"
WEBHOOK_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


GATEWAY_PLATFORMS = "custom_components.sms_gateway.gateway.setup.GATEWAY_PLATFORMS"
"""What a test patches to set up only some of a gateway's platforms."""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/sms_gateway in every integration test."""


@pytest.fixture
def dinstar_entry(dinstar_simulator: RunningDinstar) -> MockConfigEntry:
    """A config entry for the simulated gateway, as the config flow would create it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Dinstar 2817",
        unique_id=SERIAL,
        data={
            CONF_PROVIDER: PROVIDER_DINSTAR,
            CONF_HOST: dinstar_simulator.url,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "admin",
            CONF_VERIFY_SSL: False,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
        },
    )


@pytest.fixture
def platforms() -> list[Platform] | None:
    """Platforms to set up; None for all. Snapshot tests override it with their own."""
    return None


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, platforms: list[Platform] | None
) -> AsyncIterator[MockConfigEntry]:
    """The gateway set up in Home Assistant, unloaded after the test.

    A restricted platform list stays patched until the unload, which must unload the same list.
    """
    dinstar_entry.add_to_hass(hass)
    with patch(GATEWAY_PLATFORMS, platforms or gateway_setup.GATEWAY_PLATFORMS):
        assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
        await hass.async_block_till_done()
        yield dinstar_entry
        if dinstar_entry.state.recoverable:
            await hass.config_entries.async_unload(dinstar_entry.entry_id)
            await hass.async_block_till_done()


@pytest.fixture
def event_platform_only() -> Iterator[None]:
    """Set up the event platform alone, for init_integration and entries a test sets up itself.

    Use it as `pytestmark = pytest.mark.usefixtures("event_platform_only")`; the patch spans the
    unload, which must unload the same platforms.
    """
    with patch(GATEWAY_PLATFORMS, [Platform.EVENT]):
        yield


async def wait_until(condition: Callable[[], bool], rounds: int = 50_000) -> None:
    """Let a simulator's push reach Home Assistant: loop turns, not time (tests may freeze it)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the push never arrived")


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default (diagnostics) too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


def registered_device(hass: HomeAssistant, identifier: tuple[str, str]) -> dr.DeviceEntry:
    """Find a device of ours by identifier, through its entry, as every supported release allows."""
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if identifier in device.identifiers:
                return device
    raise AssertionError(f"no device {identifier}")


def port_device_id(hass: HomeAssistant, port: int) -> str:
    """The device id of a port of the test gateway."""
    return registered_device(hass, port_identifier(SERIAL, port)).id


OWN_ENTITY_FIELDS = (
    "entity_id",
    "unique_id",
    "original_name",
    "translation_key",
    "original_icon",
    "original_device_class",
    "entity_category",
    "disabled_by",
    "unit_of_measurement",
    "capabilities",
    "supported_features",
)
"""What the integration decides of a registry entry. Home Assistant adds or reshapes the others
between releases (aliases, object id bases, display-precision options), so snapshots leave them
out and read the same on every leg."""


def _plain_keys(mapping: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return the mapping keyed by plain strings, in order, or None."""
    return None if mapping is None else {str(key): mapping[key] for key in sorted(mapping)}


def snapshot_entities(hass: HomeAssistant, snapshot: SnapshotAssertion, entry_id: str) -> None:
    """Snapshot each entity of an entry: its own registry fields, its state and attributes.

    Capability and attribute names are plain strings: newer releases key them by enum members.
    """
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    assert entities, "the entry has no entities"
    for entity in sorted(entities, key=lambda entity: entity.entity_id):
        own = {field: getattr(entity, field) for field in OWN_ENTITY_FIELDS}
        own["capabilities"] = _plain_keys(entity.capabilities)
        assert own == snapshot(name=f"{entity.entity_id}-entry")
        state = hass.states.get(entity.entity_id)
        assert state is not None, entity.entity_id
        shown = {
            "state": state.state,
            "attributes": _plain_keys(state.attributes),
        }
        assert shown == snapshot(name=f"{entity.entity_id}-state")


@pytest.fixture
async def mock_setup_entry(hass: HomeAssistant) -> AsyncIterator[AsyncMock]:
    """Keep a flow test about the flow: a created or changed entry is not set up.

    A saved options form schedules a reload; it runs before the patch ends, so no real set-up
    starts while Home Assistant stops after the test.
    """
    with patch("custom_components.sms_gateway.async_setup_entry", return_value=True) as setup:
        yield setup
        await hass.async_block_till_done()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise registry entries and states the way Home Assistant's own tests do."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


# --- cloud accounts -------------------------------------------------------------------------

SMSLINK_WEBHOOK_ID = "5a1c0de5a1c0de5a1c0de5a1c0de5a1c"
PLASGATE_WEBHOOK_ID = "9a5ca7e9a5ca7e9a5ca7e9a5ca7e9a5c"
SMSLINK_DEFAULT_RECIPIENT = "+40712345678"
PLASGATE_DEFAULT_RECIPIENT = "+85512345678"
PLASGATE_KEY = "demo"


@pytest.fixture
def smslink_entry(smslink_simulator: RunningSmsLink) -> MockConfigEntry:
    """An SMSLink account on the simulator, as the config flow would create it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="SMSLink",
        unique_id="demo",
        data={
            CONF_PROVIDER: PROVIDER_SMSLINK,
            CONF_CONNECTION_ID: "demo",
            CONF_PASSWORD: "demo",
            CONF_WEBHOOK_ID: SMSLINK_WEBHOOK_ID,
            CONF_URL: smslink_simulator.url,
        },
        options={
            CONF_SENDER: "numeric",
            CONF_COUNTRY: "RO",
            CONF_DEFAULT_RECIPIENTS: [SMSLINK_DEFAULT_RECIPIENT],
            CONF_TEST_MODE: False,
        },
    )


@pytest.fixture
def plasgate_entry(plasgate_simulator: RunningPlasgate) -> MockConfigEntry:
    """A Plasgate account on the simulator, as the config flow would create it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Plasgate",
        unique_id=plasgate_unique_id(PLASGATE_KEY),
        data={
            CONF_PROVIDER: PROVIDER_PLASGATE,
            CONF_PRIVATE_KEY: PLASGATE_KEY,
            CONF_SECRET: "demo",
            CONF_WEBHOOK_ID: PLASGATE_WEBHOOK_ID,
            CONF_URL: plasgate_simulator.url,
        },
        options={
            CONF_SENDER: "SMS Info",
            CONF_COUNTRY: "KH",
            CONF_DEFAULT_RECIPIENTS: [PLASGATE_DEFAULT_RECIPIENT],
        },
    )


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add an entry and set it up for real against its simulator."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def web_client(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> WebClient:
    """Home Assistant's HTTP server on 127.0.0.1, also its external URL (callbacks reach it).

    The test server freezes the router: what registers views (notify, diagnostics) comes first.
    """
    for component in ("webhook", "notify", "diagnostics"):
        assert await async_setup_component(hass, component, {})
    client: WebClient = await hass_client_no_auth()
    await async_process_ha_core_config(
        hass, {"external_url": str(client.make_url("/")).rstrip("/")}
    )
    return client


async def wind_down(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: RunningSmsLink | RunningPlasgate
) -> None:
    """Unload an account a test left running, then stop its simulator calling back.

    Before any server closes: a refresh still scheduled (the balance read after a send) or a
    delivery report still on its way would otherwise connect to a server as it closes, which
    trips CPython's asyncio.Server race (gh-109564) on either side.
    """
    if entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    await simulator.sim.tasks.aclose()


@pytest.fixture
async def smslink_account(
    hass: HomeAssistant,
    smslink_entry: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
) -> AsyncIterator[MockConfigEntry]:
    """The SMSLink account set up, its simulator calling back to the entry's webhook."""
    smslink_simulator.sim.callbacks.url = str(
        web_client.make_url(f"/api/webhook/{SMSLINK_WEBHOOK_ID}")
    )
    yield await set_up(hass, smslink_entry)
    await wind_down(hass, smslink_entry, smslink_simulator)


@pytest.fixture
async def plasgate_account(
    hass: HomeAssistant,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> AsyncIterator[MockConfigEntry]:
    """The Plasgate account set up, with an external URL for its delivery reports."""
    yield await set_up(hass, plasgate_entry)
    await wind_down(hass, plasgate_entry, plasgate_simulator)
