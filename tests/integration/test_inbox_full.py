"""A full gateway inbox: it drops its oldest SMS to take new ones; none of that fires twice.

The spec does not say what a full Dinstar inbox does; the simulator's `inbox_capacity` switch
plays the common answer, the oldest message giving way. An SMS dropped before anything heard of it
is gone on the gateway too; everything else fires exactly once.
"""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import EVENT_SMS_RECEIVED, SLOW_POLL_INTERVAL
from tests.conftest import RunningDinstar
from tests.integration.conftest import WEBHOOK_ID, wait_until

CAPACITY = 20

pytestmark = pytest.mark.usefixtures("event_platform_only")


@pytest.fixture(autouse=True)
def frozen_before_set_up(freezer: FrozenDateTimeFactory) -> None:
    """Freeze the clock before Home Assistant starts, so that it only moves when a test says."""


class FullGateway:
    """The simulated gateway with a small inbox, and Home Assistant reading it."""

    def __init__(
        self, hass: HomeAssistant, sim: RunningDinstar, freezer: FrozenDateTimeFactory
    ) -> None:
        self.hass = hass
        self.sim = sim
        self.freezer = freezer

    async def control(self, path: str, body: Any) -> None:
        session = async_get_clientsession(self.hass)
        async with session.post(f"{self.sim.url}/_sim/{path}", json=body) as response:
            assert response.status == 200, await response.text()

    async def receive(self, text: str, *, pushed: bool) -> None:
        await self.control("faults", {"push_sms": pushed})
        await self.control("incoming", {"port": 1, "sender": "+40712345678", "text": text})

    async def catch_up(self) -> None:
        self.freezer.tick(SLOW_POLL_INTERVAL)
        async_fire_time_changed(self.hass)
        await self.hass.async_block_till_done(wait_background_tasks=True)

    def on_gateway(self) -> list[str]:
        return [message.text for message in self.sim.sim.state.inbox]


@pytest.fixture
async def gateway(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, freezer: FrozenDateTimeFactory
) -> FullGateway:
    full = FullGateway(hass, dinstar_simulator, freezer)
    await full.control("faults", {"inbox_capacity": CAPACITY})
    for n in range(CAPACITY):
        await full.receive(f"old {n}", pushed=False)
    return full


async def test_a_full_inbox_at_set_up_stays_silent_then_news_fires_once(
    hass: HomeAssistant,
    gateway: FullGateway,
    dinstar_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    dinstar_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    await gateway.control("push-url", {"url": str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))})

    # Every new SMS pushes an old one out; every third push is lost.
    for n in range(2 * CAPACITY):
        await gateway.receive(f"new {n}", pushed=n % 3 != 0)
        if n % 7 == 6:
            await gateway.catch_up()
    await wait_until(lambda: len(events) >= 2 * CAPACITY * 2 // 3 - 1)
    await gateway.catch_up()
    await gateway.catch_up()

    fired = [event.data["text"] for event in events]
    assert len(fired) == len(set(fired)), "an SMS fired twice"
    assert not [text for text in fired if text.startswith("old")]
    assert set(gateway.on_gateway()) <= set(fired)
    pushed = {f"new {n}" for n in range(2 * CAPACITY) if n % 3 != 0}
    assert pushed <= set(fired)
    assert gateway.on_gateway() == [f"new {n}" for n in range(CAPACITY, 2 * CAPACITY)]
    assert await hass.config_entries.async_unload(dinstar_entry.entry_id)


async def test_sms_that_overflow_the_inbox_while_stopped_fire_once_after_start(
    hass: HomeAssistant,
    gateway: FullGateway,
    dinstar_entry: MockConfigEntry,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    dinstar_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    for n in range(CAPACITY + 5):  # the 5 first are dropped before Home Assistant is back
        await gateway.receive(f"while away {n}", pushed=False)
    assert await hass.config_entries.async_setup(dinstar_entry.entry_id)
    await hass.async_block_till_done()
    await gateway.catch_up()
    await gateway.catch_up()

    fired = [event.data["text"] for event in events]
    assert fired == [f"while away {n}" for n in range(5, CAPACITY + 5)]
    assert fired == gateway.on_gateway()
    assert await hass.config_entries.async_unload(dinstar_entry.entry_id)
