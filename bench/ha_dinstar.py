"""What the integration costs inside Home Assistant, against a simulated 32-port Dinstar.

Starts the simulator and an in-process Home Assistant (the test harness's, outside pytest), sets
the gateway up, then prints:

- requests the gateway receives per refresh (the simulator's own counters; must be 1);
- state writes in a refresh where nothing changed (`state_changed` + `state_reported`; must be 0),
  and in one where a single port's signal changed, as a ratio to the entities whose state or
  attributes changed (must be 1.0: only what changed is written);
- the webhook handler's cost for 1000 SMS pushes, as a ratio to a no-op webhook registered in the
  same Home Assistant and to one doing only the work Home Assistant requires per SMS (one bus
  event, one event entity state write), all posted through Home Assistant's own HTTP app.

    .venv/bin/python -m bench.ha_dinstar
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator
import contextlib
import logging
import os
import statistics
import tempfile
import time
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from homeassistant import loader
from homeassistant.components import webhook
from homeassistant.components.event import DATA_COMPONENT as EVENT_COMPONENT
from homeassistant.components.sensor import DATA_COMPONENT as SENSOR_COMPONENT
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import frame
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.sms_gateway.const import (
    CONF_PROVIDER,
    DOMAIN,
    EVENT_SMS_RECEIVED,
    PROVIDER_DINSTAR,
)
from custom_components.sms_gateway.event import (
    EVENT_ATTRIBUTES,
    EVENT_SMS_RECEIVED_TYPE,
    DinstarIncomingSmsEvent,
)
from custom_components.sms_gateway.gateway.sms_sensor import DinstarLastSmsSensor
from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.dinstar.state import IncomingSms, gateway_time
from simulators.server import serve

PORTS = 32
PUSHES = int(os.environ.get("BENCH_PUSHES", "1000"))
CHUNK = 100  # pushes per timed chunk; chunks of the three webhooks take turns, so drift hits all
WARM_UP = 50
SMS_WEBHOOK_ID = "bench-sms-gateway-webhook"
NOOP_WEBHOOK_ID = "bench-noop-webhook"
REQUIRED_WEBHOOK_ID = "bench-required-work-webhook"


class WriteCounter:
    """Counts state writes: changes (`state_changed`) and same-state reports (`state_reported`)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen until close()."""
        self.changed = 0
        self.reported = 0

        @callback
        def any_state(_data: Any) -> bool:
            return True

        @callback
        def count_changed(_event: Event[Any]) -> None:
            self.changed += 1

        @callback
        def count_reported(_event: Event[Any]) -> None:
            self.reported += 1

        self._unsubscribes = [
            hass.bus.async_listen(EVENT_STATE_CHANGED, count_changed),
            hass.bus.async_listen(EVENT_STATE_REPORTED, count_reported, event_filter=any_state),
        ]

    def close(self) -> None:
        """Stop listening."""
        for unsubscribe in self._unsubscribes:
            unsubscribe()


@contextlib.asynccontextmanager
async def running_home_assistant() -> AsyncIterator[HomeAssistant]:
    """Run an in-process Home Assistant with custom integrations allowed, in a throw-away dir."""
    with tempfile.TemporaryDirectory(prefix="bench-ha-") as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)  # let custom_components/ load
            frame.async_setup(hass)  # as the test harness does: usage reports are logged
            yield hass
            await hass.async_block_till_done()


async def set_up_gateway(
    hass: HomeAssistant,
    simulator_url: str,
    sn: str,
    *,
    webhook_id: str = SMS_WEBHOOK_ID,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Add and set up the entry as the config and options flows would have stored it."""
    assert await async_setup_component(hass, "http", {"http": {"server_host": "127.0.0.1"}})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Dinstar {sn}",
        unique_id=sn,
        data={
            CONF_PROVIDER: PROVIDER_DINSTAR,
            CONF_HOST: simulator_url,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "admin",
            CONF_VERIFY_SSL: False,
            CONF_WEBHOOK_ID: webhook_id,
        },
        options=options or {},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def requests_per_refresh(session: aiohttp.ClientSession, url: str, entry: Any) -> int:
    """Reset the simulator's counters, refresh once, read them back."""
    async with session.post(f"{url}/_sim/requests-reset"):
        pass
    await entry.runtime_data.ports.async_refresh()
    async with session.get(f"{url}/_sim/state") as response:
        counts: dict[str, int] = (await response.json())["requests"]["counts"]
    total = sum(counts.values())
    print(f"Requests per refresh, {PORTS}-port gateway (must be 1): {total}  {counts}")
    return total


def shown_states(hass: HomeAssistant) -> dict[str, tuple[str, Any]]:
    """Return what every entity shows: state and attributes."""
    return {state.entity_id: (state.state, state.attributes) for state in hass.states.async_all()}


async def writes_per_refresh(hass: HomeAssistant, entry: Any, label: str) -> tuple[int, int]:
    """Count the state writes one refresh causes, and the entities whose shown state changed."""
    before = shown_states(hass)
    counter = WriteCounter(hass)
    try:
        await entry.runtime_data.ports.async_refresh()
        await hass.async_block_till_done()
    finally:
        counter.close()
    after = shown_states(hass)
    changed = sum(before.get(entity_id) != shown for entity_id, shown in after.items())
    writes = counter.changed + counter.reported
    print(
        f"State writes in a refresh {label}: {writes} "
        f"({counter.changed} state_changed, {counter.reported} state_reported) "
        f"for {changed} changed entities"
    )
    return writes, changed


def sms_push(sn: str, incoming_sms_id: int) -> dict[str, Any]:
    """Build an `sms` push as the gateway sends it (the simulator's wire shape)."""
    message = IncomingSms(
        incoming_sms_id=incoming_sms_id,
        port=incoming_sms_id % PORTS,
        number="+40712345678",
        smsc="+40770000053",
        timestamp=gateway_time(),
        text=f"Benchmark message {incoming_sms_id}",
        imsi="226100000000001",
    )
    return {"sn": sn, "sms": [message.as_wire(include_imsi=True)]}


async def post_all(
    client: TestClient[web.Request, web.Application],
    webhook_id: str,
    payloads: list[dict[str, Any]],
) -> float:
    """POST each payload in turn; the seconds it took. Every answer must be 200."""
    start = time.perf_counter()
    for payload in payloads:
        async with client.post(f"/api/webhook/{webhook_id}", json=payload) as response:
            assert response.status == 200, response.status
            await response.read()
    return time.perf_counter() - start


async def no_op(_hass: HomeAssistant, _webhook_id: str, _request: web.Request) -> None:
    """Answer 200 and do nothing: what any webhook costs in this Home Assistant."""


class RequiredWork:
    """A webhook doing only what Home Assistant itself costs per SMS, whoever handles it.

    That is what the README promises per SMS: read the body, fire one `sms_gateway_sms_received`
    event with data of the shape ours has, and write the states the port shows it on: its event
    entity and its Last SMS and Last SMS from sensors (ours, told directly). Its data is built
    before the clock starts: no parsing, no dedupe.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Find our event entities, one per port."""
        self._hass = hass
        self._prepared: deque[tuple[dict[str, Any], dict[str, Any]]] = deque()
        self._entities = {
            entity.port: entity
            for entity in hass.data[EVENT_COMPONENT].entities
            if isinstance(entity, DinstarIncomingSmsEvent)
        }
        self._sensors: dict[int, list[DinstarLastSmsSensor]] = {}
        for entity in hass.data[SENSOR_COMPONENT].entities:
            if isinstance(entity, DinstarLastSmsSensor):
                self._sensors.setdefault(entity.port, []).append(entity)
        self.fired = 0

    def prepare(self, template: dict[str, Any], chunk: list[dict[str, Any]]) -> None:
        """Build, for each push to come, the data ours would fire (shaped as template)."""
        for payload in chunk:
            sms = payload["sms"][0]
            data = {
                **template,
                "message_id": sms["incoming_sms_id"],
                "port": sms["port"],
                "text": sms["text"],
            }
            self._prepared.append((data, {key: data.get(key) for key in EVENT_ATTRIBUTES}))

    async def handle(self, _hass: HomeAssistant, _webhook_id: str, request: web.Request) -> None:
        """Read the body, fire the event, write the entity's state."""
        await request.read()
        data, attributes = self._prepared.popleft()
        self._hass.bus.async_fire(EVENT_SMS_RECEIVED, data)
        self.fired += 1
        entity = self._entities[data["port"]]
        entity._trigger_event(EVENT_SMS_RECEIVED_TYPE, attributes)  # noqa: SLF001 - as ours does
        entity.async_write_ha_state()
        for sensor in self._sensors[data["port"]]:
            sensor.source.received[data["port"]] = data  # as the inbox keeps it
            sensor._handle_port_news()  # noqa: SLF001 - as the inbox's listeners are told


async def webhook_cost(hass: HomeAssistant, sn: str) -> None:
    """Time PUSHES SMS pushes to ours, a no-op webhook and a required-work-only one.

    Chunks of the three take turns in a rotating order, so drift hits all alike; the ratios are
    medians over chunks.
    """
    required = RequiredWork(hass)
    for webhook_id, handler in ((NOOP_WEBHOOK_ID, no_op), (REQUIRED_WEBHOOK_ID, required.handle)):
        webhook.async_register(
            hass,
            "bench",
            webhook_id,
            webhook_id,
            handler,
            local_only=True,
            allowed_methods=["POST"],
        )
    received: list[Event[Any]] = []

    @callback
    def count_sms(event: Event[Any]) -> None:
        """Run on the loop: a plain function would be sent to the executor, and timed with us."""
        received.append(event)

    unsubscribe = hass.bus.async_listen(EVENT_SMS_RECEIVED, count_sms)
    webhooks = (NOOP_WEBHOOK_ID, REQUIRED_WEBHOOK_ID, SMS_WEBHOOK_ID)
    seconds: dict[str, list[float]] = {webhook_id: [] for webhook_id in webhooks}
    async with TestClient(TestServer(hass.http.app)) as client:
        warm_up = [sms_push(sn, 1 + i) for i in range(WARM_UP)]
        await post_all(client, SMS_WEBHOOK_ID, warm_up)
        template = received[0].data
        required.prepare(template, warm_up)
        await post_all(client, NOOP_WEBHOOK_ID, warm_up)
        await post_all(client, REQUIRED_WEBHOOK_ID, warm_up)
        for turn in range(PUSHES // CHUNK):
            chunk = [sms_push(sn, 1 + WARM_UP + turn * CHUNK + i) for i in range(CHUNK)]
            required.prepare(template, chunk)
            for webhook_id in (*webhooks[turn % 3 :], *webhooks[: turn % 3]):
                seconds[webhook_id].append(await post_all(client, webhook_id, chunk))
        await hass.async_block_till_done()
    unsubscribe()
    for webhook_id in (NOOP_WEBHOOK_ID, REQUIRED_WEBHOOK_ID):
        webhook.async_unregister(hass, webhook_id)
    print_webhook_costs(*(seconds[webhook_id] for webhook_id in webhooks))
    print(f"  {len(received) - required.fired - WARM_UP} {EVENT_SMS_RECEIVED} events fired by ours")


def print_webhook_costs(noop: list[float], required: list[float], ours: list[float]) -> None:
    """Print the medians over chunks: per push, and the three ratios."""

    def per_push(times: list[float]) -> str:
        return f"{1e6 * statistics.median(times) / CHUNK:.0f} us"

    def ratio(slower: list[float], faster: list[float]) -> str:
        return f"{statistics.median(a / b for a, b in zip(slower, faster, strict=True)):.2f}x"

    print(
        f"Webhook, {len(ours) * CHUNK} SMS pushes (medians over {len(ours)} chunks of {CHUNK}, "
        f"per push through HA's HTTP app): no-op {per_push(noop)}, required work only "
        f"{per_push(required)}, ours {per_push(ours)}"
    )
    print(f"  ours / no-op (the issue's goal: at most 1.25x): {ratio(ours, noop)}")
    print(f"  required work only / no-op (what Home Assistant costs): {ratio(required, noop)}")
    print(f"  ours / required work only (what our own code adds): {ratio(ours, required)}")


async def main() -> int:
    """Run every measurement once and print it; exit status 1 when a count is not as it must be."""
    logging.basicConfig(level=logging.ERROR)
    sim = DinstarSimulator(DinstarSettings(ports=PORTS))
    server = await serve(sim.create_app())
    try:
        async with running_home_assistant() as hass, aiohttp.ClientSession() as session:
            entry = await set_up_gateway(hass, server.url, sim.settings.sn)
            requests = await requests_per_refresh(session, server.url, entry)
            idle_writes, _ = await writes_per_refresh(
                hass, entry, "where nothing changed (must be 0)"
            )
            async with session.post(f"{server.url}/_sim/ports/3", json={"signal": 5}):
                pass
            signal_writes, signal_changed = await writes_per_refresh(
                hass, entry, "where one port's signal changed"
            )
            write_ratio = signal_writes / max(signal_changed, 1)
            print(f"Writes per changed entity (must be 1.0): {write_ratio:.1f}")
            await webhook_cost(hass, sim.settings.sn)
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    finally:
        await server.stop()
    return 0 if requests == 1 and idle_writes == 0 and write_ratio == 1 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
