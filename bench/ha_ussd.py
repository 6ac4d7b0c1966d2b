"""How long reading the SIM balance of every port takes, against a simulated 32-port Dinstar.

The gateway's USSD replies come a delay D after the request. Ports run in parallel (one exchange
per port at a time), so reading all 32 balances should take about one D, not 32. Prints the ratio
elapsed / D twice: with the gateway's `ussd` pushes reaching Home Assistant's webhook, and with
pushes off, where replies are polled every USSD_POLL_INTERVAL seconds. Also prints the requests
the gateway received. Every request takes BENCH_GATEWAY_LATENCY_MS at the gateway, and the client
puts one request on the wire at a time (Digest nonce counts): ports that each made their own
requests would queue behind each other.

    .venv/bin/python -m bench.ha_ussd
"""

import asyncio
import logging
import os
import time

import aiohttp
from aiohttp.test_utils import TestServer

from bench.ha_dinstar import running_home_assistant, set_up_gateway
from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    CONF_BALANCE_CODE,
)
from custom_components.sms_gateway.gateway.balance import BalanceManager, BalanceReading
from custom_components.sms_gateway.gateway.ussd import USSD_POLL_INTERVAL
from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.server import serve

PORTS = 32
REPLY_DELAY = float(os.environ.get("BENCH_USSD_DELAY", "3.0"))
LATENCY_MS = int(os.environ.get("BENCH_GATEWAY_LATENCY_MS", "50"))
"""How long the gateway takes to answer any request: an embedded web server is not quick."""
WEBHOOK_ID = "bench-ussd-webhook"
GOAL = 2.0  # elapsed / D must stay under this; about 1 is what parallel ports give


async def read_balances(
    session: aiohttp.ClientSession, sim_url: str, balance: BalanceManager, ports: list[int]
) -> tuple[float, list[BalanceReading], dict[str, int]]:
    """Read these ports' balances at once: seconds taken, readings, requests the gateway got."""
    async with session.post(f"{sim_url}/_sim/requests-reset"):
        pass
    start = time.perf_counter()
    readings = await asyncio.gather(*(balance.async_refresh(port) for port in ports))
    elapsed = time.perf_counter() - start
    async with session.get(f"{sim_url}/_sim/state") as response:
        counts: dict[str, int] = (await response.json())["requests"]["counts"]
    return elapsed, readings, counts


async def measure(
    session: aiohttp.ClientSession, sim_url: str, balance: BalanceManager, label: str
) -> float:
    """Read one port's balance, then every port's at once; print and return elapsed / D."""
    one, _, _ = await read_balances(session, sim_url, balance, [0])
    elapsed, readings, counts = await read_balances(session, sim_url, balance, list(range(PORTS)))
    ratio = elapsed / REPLY_DELAY
    read = sum(reading.value is not None for reading in readings)
    print(
        f"Balance of {PORTS} ports, reply delay {REPLY_DELAY:g} s, gateway latency "
        f"{LATENCY_MS} ms, {label}: {ratio:.2f}x one reply delay (goal about 1, must be < "
        f"{GOAL:g}), {elapsed / one:.2f}x one port alone; {read} amounts read; "
        f"{sum(counts.values())} requests {counts}"
    )
    return ratio


async def main() -> int:
    """Measure with pushes, then with polling alone; exit status 1 when a ratio misses the goal."""
    logging.basicConfig(level=logging.ERROR)
    sim = DinstarSimulator(DinstarSettings(ports=PORTS, ussd_delay=REPLY_DELAY))
    server = await serve(sim.create_app())
    ratios: list[float] = []
    try:
        async with running_home_assistant() as hass, aiohttp.ClientSession() as session:
            for port in range(PORTS):  # the simulator leaves a few ports without SIM
                body = {"reg": "REGISTER_OK", "sim_inserted": True}
                async with session.post(f"{server.url}/_sim/ports/{port}", json=body):
                    pass
            balance_codes = {str(port): {CONF_BALANCE_CODE: "*100#"} for port in range(PORTS)}
            entry = await set_up_gateway(
                hass,
                server.url,
                sim.settings.sn,
                webhook_id=WEBHOOK_ID,
                options={CONF_BALANCE: balance_codes},
            )
            async with session.post(f"{server.url}/_sim/faults", json={"latency_ms": LATENCY_MS}):
                pass
            balance: BalanceManager = entry.runtime_data.balance
            webhook_server = TestServer(hass.http.app)
            await webhook_server.start_server()
            try:
                push_url = str(webhook_server.make_url(f"/api/webhook/{WEBHOOK_ID}"))
                async with session.post(f"{server.url}/_sim/push-url", json={"url": push_url}):
                    pass
                ratios.append(await measure(session, server.url, balance, "pushed"))
                async with session.post(f"{server.url}/_sim/push-url", json={"url": None}):
                    pass
                label = f"polled every {USSD_POLL_INTERVAL:g} s"
                ratios.append(await measure(session, server.url, balance, label))
            finally:
                await webhook_server.close()
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    finally:
        await server.stop()
    return 0 if all(ratio < GOAL for ratio in ratios) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
