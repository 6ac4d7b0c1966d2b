"""Fixtures for the tests that run Home Assistant with the integration against the simulator."""

from collections.abc import AsyncIterator, Iterator
from unittest.mock import PropertyMock, patch

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway import PLATFORMS
from custom_components.sms_gateway.const import CONF_PROVIDER, DOMAIN, PROVIDER_DINSTAR
from tests.conftest import RunningDinstar

SERIAL = "da00-0030-1901-2817"
WEBHOOK_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/sms_gateway in every integration test."""


@pytest.fixture
def dinstar_entry(dinstar_simulator: RunningDinstar) -> MockConfigEntry:
    """A config entry for the simulated gateway, as the config flow would create it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Dinstar {SERIAL}",
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
    with patch("custom_components.sms_gateway.PLATFORMS", platforms or PLATFORMS):
        assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
        await hass.async_block_till_done()
        yield dinstar_entry
        if dinstar_entry.state.recoverable:
            await hass.config_entries.async_unload(dinstar_entry.entry_id)
            await hass.async_block_till_done()


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default (diagnostics) too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise registry entries and states the way Home Assistant's own tests do."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
