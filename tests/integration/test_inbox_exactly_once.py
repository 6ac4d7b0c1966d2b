"""Every incoming SMS fires exactly once, whatever happens to its push: a property test.

Hypothesis draws histories of a gateway and Home Assistant: SMS arriving with their push delivered,
lost or delivered twice, old pushes replayed late, catch-ups, Home Assistant restarts, messages
deleted on the gateway, an inbox that fills up and drops its oldest messages, and factory resets
that number SMS from 1 again. Each history runs against the simulator and a fresh entry; at its end
no SMS has fired twice, every SMS still on the gateway has fired, and so has every SMS whose push
arrived.
"""

import asyncio
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Literal

from aiohttp.test_utils import TestClient
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import EVENT_SMS_RECEIVED
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL, wait_until

type Step = tuple[str, ...] | tuple[str, str, int] | tuple[str, int]

STEPS = st.one_of(
    st.tuples(st.just("arrive"), st.sampled_from(["pushed", "lost", "twice"]), st.integers(0, 3)),
    st.tuples(st.just("replay"), st.integers(0, 20)),
    st.tuples(st.sampled_from(["catch_up", "restart", "delete", "full", "reset"])),
)


pytestmark = pytest.mark.usefixtures("event_platform_only")


@dataclass
class History:
    """What one drawn history did, to check against what Home Assistant fired."""

    entry: MockConfigEntry
    webhook: str
    texts: list[str] = field(default_factory=list)
    pushed: set[str] = field(default_factory=set)
    pushes: list[dict[str, Any]] = field(default_factory=list)


class Histories:
    """Plays drawn histories on one Home Assistant, each with a fresh entry and an empty inbox."""

    def __init__(
        self,
        hass: HomeAssistant,
        sim: RunningDinstar,
        template: MockConfigEntry,
        client: TestClient,
    ) -> None:
        self.hass = hass
        self.sim = sim
        self.template = template
        self.client = client
        self.numbers = count()

    async def control(self, path: str, body: dict[str, Any]) -> None:
        session = self.client.session
        async with session.post(f"{self.sim.url}/_sim/{path}", json=body) as response:
            assert response.status == 200, await response.text()

    async def run(self, steps: list[Step]) -> None:
        history = await self.start()
        events = async_capture_events(self.hass, EVENT_SMS_RECEIVED)
        try:
            for step in steps:
                await self.play(step, history)
                await self.hass.async_block_till_done(wait_background_tasks=True)
            for _ in range(2):
                await history.entry.runtime_data.inbox.catch_up()
            await self.hass.async_block_till_done(wait_background_tasks=True)
            self.check(history, events)
        finally:
            assert await self.hass.config_entries.async_remove(history.entry.entry_id)
            await self.hass.async_block_till_done(wait_background_tasks=True)

    async def start(self) -> History:
        await self.control("incoming-id-reset", {})
        await self.control("faults", {"inbox_capacity": 0})
        webhook_id = f"exactly-once-{next(self.numbers)}"
        entry = MockConfigEntry(
            domain=self.template.domain,
            unique_id=self.template.unique_id,
            data={**self.template.data, CONF_WEBHOOK_ID: webhook_id},
            options=self.template.options,
        )
        entry.add_to_hass(self.hass)
        webhook = f"/api/webhook/{webhook_id}"
        await self.control("push-url", {"url": str(self.client.make_url(webhook))})
        assert await self.hass.config_entries.async_setup(entry.entry_id)
        await self.hass.async_block_till_done(wait_background_tasks=True)
        return History(entry=entry, webhook=webhook)

    async def play(self, step: Step, history: History) -> None:
        sim = self.sim.sim
        match step:
            case ("arrive", str(mode), int(port)):
                await self.arrive(history, mode, port)
            case ("replay", int(index)) if history.pushes:
                old = history.pushes[index % len(history.pushes)]
                body = {"sn": SERIAL, "sms": [old]}
                response = await self.client.post(history.webhook, json=body)
                assert response.status == 200
            case ("catch_up",):
                await history.entry.runtime_data.inbox.catch_up()
            case ("restart",):
                assert await self.hass.config_entries.async_reload(history.entry.entry_id)
            case ("delete",) if sim.state.inbox:
                del sim.state.inbox[-1]
            case ("full",):  # from now on the inbox holds 2 SMS; older ones give way
                await self.control("faults", {"inbox_capacity": 2})
            case ("reset",):
                await self.control("incoming-id-reset", {})

    async def arrive(self, history: History, mode: str, port: int) -> None:
        sim = self.sim.sim
        text = f"sms {len(history.texts)}"
        history.texts.append(text)
        switches = {"push_sms": mode != "lost", "push_duplicate": mode == "twice"}
        await self.control("faults", switches)
        attempts = len(sim.pushes)
        await self.control("incoming", {"port": port, "sender": "+40712345678", "text": text})
        if mode == "lost":
            return
        await wait_until(lambda: len(sim.pushes) > attempts)
        history.pushed.add(text)
        history.pushes.append(sim.state.inbox[-1].as_wire(include_imsi=False))

    def check(self, history: History, events: list[Event]) -> None:
        entry_id = history.entry.entry_id
        fired = [event.data["text"] for event in events if event.data["entry_id"] == entry_id]
        on_gateway = {message.text for message in self.sim.sim.state.inbox}
        assert len(fired) == len(set(fired)), f"fired twice: {fired}"
        assert set(fired) <= set(history.texts)
        assert on_gateway <= set(fired), f"on the gateway, never fired: {on_gateway - set(fired)}"
        assert history.pushed <= set(fired), f"pushed, never fired: {history.pushed - set(fired)}"


async def test_every_sms_fires_exactly_once(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    assert await async_setup_component(hass, "webhook", {})  # the HTTP server the pushes reach
    histories = Histories(hass, dinstar_simulator, dinstar_entry, await hass_client_no_auth())
    loop = asyncio.get_running_loop()

    @settings(
        max_examples=100,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(steps=st.lists(STEPS, max_size=14))
    def every_history(steps: list[Step]) -> None:
        asyncio.run_coroutine_threadsafe(histories.run(steps), loop).result(timeout=120)

    # Not hass.async_add_executor_job: Home Assistant would count the thread among the tasks that
    # each history's async_block_till_done waits for, and wait for itself.
    await loop.run_in_executor(None, every_history)


def test_histories_cover_every_kind_of_step() -> None:
    kinds: set[Literal["arrive", "replay", "catch_up", "restart", "delete", "full", "reset"]] = {
        "arrive",
        "replay",
        "catch_up",
        "restart",
        "delete",
        "full",
        "reset",
    }
    drawn: set[str] = set()

    @settings(max_examples=300, database=None)
    @given(step=STEPS)
    def collect(step: Step) -> None:
        drawn.add(str(step[0]))

    collect()
    assert drawn == kinds
