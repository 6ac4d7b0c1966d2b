"""Ports read their balances in parallel, one exchange per port at a time, sharing requests.

Proved at the simulated gateway without timing anything: it counts the USSD sessions open at once
(ports served one after another never get past one) and logs every request, so the steps of each
port can be read back in order.
"""

import asyncio
from collections.abc import Iterator
import re
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.gateway.runtime import GatewayData
from simulators.dinstar.settings import DinstarSettings
from simulators.dinstar.ussd import default_balance_reply
from tests.conftest import RunningDinstar
from tests.integration.conftest import wait_until
from tests.integration.setups import with_balance

REGISTERED_PORTS = range(6)  # the simulator leaves port 6 unregistered and port 7 without SIM
CODES = {port: "*100#" if port < 3 else "*101#" for port in REGISTERED_PORTS}


def quick_gateway(ussd_delay: float) -> DinstarSettings:
    """A gateway whose replies take ussd_delay seconds, and everything else a moment."""
    return DinstarSettings(
        ussd_delay=ussd_delay, register_delay=0.05, send_delay=0.05, deliver_delay=0.05
    )


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for replies every 20 ms so tests do not wait the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    """The simulated gateway with a balance code on every registered port, two operators' codes."""
    return with_balance(dinstar_entry, {str(port): {"code": code} for port, code in CODES.items()})


def runtime_of(entry: MockConfigEntry) -> GatewayData:
    return entry.runtime_data  # type: ignore[no-any-return]


def ussd_steps(sim: RunningDinstar) -> list[tuple[str, list[int]]]:
    """Each USSD request the gateway handled, in order: (cancel, send or query, its ports)."""
    steps: list[tuple[str, list[int]]] = []
    for request in sim.sim.gate.log:
        if request["status"] != 200:
            continue  # the Digest challenge before the first request
        if request["path"] == "/api/send_ussd":
            steps.append((request["body"]["command"], request["body"]["port"]))
        elif request["path"] == "/api/query_ussd_reply":
            steps.append(("query", [int(port) for port in request["query"]["port"].split(",")]))
    return steps


ONE_EXCHANGE_AFTER_ANOTHER = re.compile(r"(cancel send (query )*cancel )*")


def assert_one_exchange_per_port_at_a_time(steps: list[tuple[str, list[int]]]) -> None:
    """Every port goes cancel, send, polls, cancel, and only then starts again."""
    ports = {port for _, listed in steps for port in listed}
    for port in ports:
        own = "".join(f"{step} " for step, listed in steps if port in listed)
        assert ONE_EXCHANGE_AFTER_ANOTHER.fullmatch(own), (port, own)


async def sim_faults(sim: RunningDinstar, faults: dict[str, Any]) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sim.url}/_sim/faults", json=faults) as response,
    ):
        assert response.status == 200, await response.text()


@pytest.mark.parametrize("dinstar_settings", [quick_gateway(0.05)])
async def test_every_balance_at_once_shares_requests(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    balance = runtime_of(init_integration).balance
    dinstar_simulator.sim.gate.reset_counts()

    readings = await asyncio.gather(*(balance.async_refresh(port) for port in REGISTERED_PORTS))

    assert [reading.reply for reading in readings] == [
        default_balance_reply(port) for port in REGISTERED_PORTS
    ]
    # Every port's session was open at the same time: the waits overlapped.
    assert dinstar_simulator.sim.ussd.peak_sessions == len(REGISTERED_PORTS)
    steps = ussd_steps(dinstar_simulator)
    # One cancel for all, one send per code (a send lists ports that send the same text).
    assert steps[:3] == [
        ("cancel", list(REGISTERED_PORTS)),
        ("send", [0, 1, 2]),
        ("send", [3, 4, 5]),
    ]
    assert_one_exchange_per_port_at_a_time(steps)
    assert dinstar_simulator.sim.ussd.sessions == {}


@pytest.mark.parametrize("dinstar_settings", [quick_gateway(0.05)])
async def test_a_port_never_runs_two_exchanges_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    dinstar_simulator.sim.ussd.code_replies.update({"*100#": "Credit 3", "*200#": "Data 2 GB"})
    dinstar_simulator.sim.gate.reset_counts()

    replies = list(
        await asyncio.gather(
            ussd.exchange(4, "*100#"), ussd.exchange(4, "*200#"), ussd.exchange(5, "*200#")
        )
    )

    assert replies == ["Credit 3", "Data 2 GB", "Data 2 GB"]
    steps = ussd_steps(dinstar_simulator)
    assert_one_exchange_per_port_at_a_time(steps)
    assert [step for step, listed in steps if 4 in listed].count("send") == 2
    # Port 5 did not wait for port 4's two exchanges: it ran beside the first one.
    assert dinstar_simulator.sim.ussd.peak_sessions == 2


@pytest.mark.parametrize("dinstar_settings", [quick_gateway(60)])
async def test_a_port_that_stops_waiting_leaves_the_others_their_request(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    first = hass.async_create_task(ussd.exchange(0, "*100#"))
    second = hass.async_create_task(ussd.exchange(1, "*100#"))
    await wait_until(lambda: len(dinstar_simulator.sim.ussd.sessions) == 2)  # both sent

    first.cancel()
    dinstar_simulator.sim.ussd.sessions[1].ready_at = 0  # port 1's operator answers now
    reply = await second

    assert reply == default_balance_reply(1)
    with pytest.raises(asyncio.CancelledError):
        await first
    await hass.async_block_till_done()
    assert dinstar_simulator.sim.ussd.sessions == {}
    assert_one_exchange_per_port_at_a_time(ussd_steps(dinstar_simulator))


async def test_a_refused_shared_request_fails_every_port_in_it(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    ussd = runtime_of(init_integration).ussd
    await sim_faults(dinstar_simulator, {"fail_500_paths": ["/api/send_ussd"]})

    results = await asyncio.gather(
        ussd.exchange(0, "*100#"), ussd.exchange(1, "*100#"), return_exceptions=True
    )

    assert [type(result) for result in results] == [HomeAssistantError, HomeAssistantError]
    assert [
        (result.translation_key, str(result).startswith(f"USSD on port {port} failed: "))
        for port, result in enumerate(results)
        if isinstance(result, HomeAssistantError)
    ] == [("ussd_failed", True), ("ussd_failed", True)]
    # Both ports were in the one request that failed: nothing was sent twice.
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] <= 3
