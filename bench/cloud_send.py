"""How many requests SMSLink and Plasgate take for 1000 recipients, and how long the limiter waits.

Runs the real clients against their simulators on 127.0.0.1 and counts requests where the
simulators receive them. Ratios are to one request per recipient. Scenarios:

1. SMSLink, `send_bulk` to 1000 Romanian mobiles: one BULK v3 package (must be 1 request).
2. Plasgate, `send_batch` to 1000 numbers with the defaults (100 numbers a request, at most 100
   batch requests a minute), on the real clock.
3. Plasgate, one number a request (batch size 1): 1000 requests against the 100-a-minute limit.
   The limiter runs on the simulator's clock and its sleep moves that clock on, so the minutes
   it waits are simulated and cost no wall time. The sleep ends exactly at the window's edge;
   the limiter dates a request from when its answer came back, never earlier than the service
   counted it, so no request may be answered 429 (must be 0).
4. Plasgate, a shared account: another client of the same key, whose limiter is not ours, made
   95 batch requests 50 s (simulated) earlier, so the service answers 429 and the limiter pauses.

    .venv/bin/python -m bench.cloud_send
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass
import time

import aiohttp
from aiohttp import web

from custom_components.sms_gateway.providers.plasgate import PlasgateClient
from custom_components.sms_gateway.providers.plasgate.limiter import (
    BATCH_PER_MINUTE,
    SlidingWindowLimiter,
    Slot,
)
from custom_components.sms_gateway.providers.smslink import SmsLinkClient
from simulators.plasgate.clock import SimClock
from simulators.plasgate.simulator import PlasgateSimulator
from simulators.server import serve
from simulators.smslink.simulator import SmsLinkSettings, SmsLinkSimulator

RECIPIENTS = 1000
TEXT = "Benchmark message"
OTHER_CLIENT_REQUESTS = 95  # scenario 4: the share of the minute another client already used
OTHER_CLIENT_LEAD_S = 50.0  # and how long before ours it used it


class TimedLimiter(SlidingWindowLimiter):
    """The client's limiter, summing the time (on its own clock) spent in acquire()."""

    def __init__(
        self,
        limit: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Measure on the clock the limiter itself runs on."""
        super().__init__(limit, clock=clock, sleep=sleep)
        self.clock = clock
        self.waited = 0.0
        self.acquisitions = 0

    async def acquire(self) -> Slot:
        """Take a slot as the limiter does, adding the time it took to `waited`."""
        start = self.clock()
        slot = await super().acquire()
        self.waited += self.clock() - start
        self.acquisitions += 1
        return slot


def simulated_limiter(clock: SimClock) -> TimedLimiter:
    """Make a batch limiter on the simulator's clock whose sleep moves that clock, not waits."""

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    return TimedLimiter(BATCH_PER_MINUTE, clock=clock.monotonic, sleep=sleep)


@contextlib.asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    """Serve app on 127.0.0.1 and yield its base URL."""
    server = await serve(app)
    try:
        yield server.url
    finally:
        await server.stop()


def numbers(prefix: str, count: int) -> list[str]:
    """Count distinct numbers: prefix and a 6-digit serial."""
    return [f"{prefix}{i:06d}" for i in range(count)]


def ratio(requests: int) -> str:
    """Show requests as a ratio to one request per recipient."""
    return f"{requests} request(s), ratio {requests / RECIPIENTS:.3f}"


async def smslink_bulk(session: aiohttp.ClientSession) -> bool:
    """Scenario 1; whether it made exactly 1 request and every message was accepted."""
    sim = SmsLinkSimulator(SmsLinkSettings(national_credit=RECIPIENTS))
    async with served(sim.create_app()) as url:
        client = SmsLinkClient(session, "demo", "demo", base_url=url)
        receipt = await client.send_bulk(numbers("+40720", RECIPIENTS), TEXT)
    requests = sum(sim.request_counts.values())
    sent = sum(result.sent for result in receipt.results)
    accepted = len(sim.account.messages)
    print(
        f"1. SMSLink send_bulk, {RECIPIENTS} recipients: {ratio(requests)} (must be 1); "
        f"{sent} sent in the receipt, {accepted} messages held by the simulator"
    )
    return requests == 1 and sent == accepted == RECIPIENTS


@dataclass
class PlasgateRun:
    """What one send_batch cost, as the simulator and the limiter saw it."""

    requests: int
    refused: int  # requests the service answered 429 and the client sent again
    accepted: int
    waited: float
    wall: float

    def summary(self) -> str:
        """Tell the requests, 429s, accepted messages and the limiter's wait."""
        return (
            f"{ratio(self.requests)} ({self.refused} answered 429 and were sent again); "
            f"{self.accepted} messages accepted; limiter waited {self.waited:.1f} s"
        )


async def plasgate_batch(
    session: aiohttp.ClientSession,
    url: str,
    sim: PlasgateSimulator,
    recipients: list[str],
    *,
    limiter: TimedLimiter,
    batch_size: int = 100,
) -> PlasgateRun:
    """Send one text to recipients with send_batch; count requests and messages on the simulator."""
    requests_before = sum(sim.api.request_counts.values())
    messages_before = len(sim.api.messages)
    client = PlasgateClient(
        session, "demo", "demo", base_url=url, batch_limiter=limiter, batch_size=batch_size
    )
    start = time.perf_counter()
    receipts = await client.send_batch(recipients, TEXT)
    wall = time.perf_counter() - start
    requests = sum(sim.api.request_counts.values()) - requests_before
    new_messages = sim.api.messages[messages_before:]
    return PlasgateRun(
        requests=requests,
        refused=requests - len(receipts),
        accepted=sum(message.rejection is None for message in new_messages),
        waited=limiter.waited,
        wall=wall,
    )


async def plasgate_scenarios(session: aiohttp.ClientSession) -> bool:
    """Scenarios 2 to 4; whether every message was accepted in each."""
    recipients = numbers("85512", RECIPIENTS)

    sim = PlasgateSimulator()
    async with served(sim.create_app()) as url:
        run = await plasgate_batch(
            session, url, sim, recipients, limiter=TimedLimiter(BATCH_PER_MINUTE)
        )
    print(f"2. Plasgate send_batch, defaults, real clock: {run.summary()}")
    ok = run.accepted == RECIPIENTS

    sim = PlasgateSimulator()
    async with served(sim.create_app()) as url:
        limiter = simulated_limiter(sim.clock)
        run = await plasgate_batch(session, url, sim, recipients, limiter=limiter, batch_size=1)
    print(
        f"3. Plasgate send_batch, 1 number a request, simulated clock: {run.summary()} "
        f"simulated, in {run.wall:.1f} s of wall time (429s must be 0)"
    )
    ok = ok and run.accepted == RECIPIENTS and run.refused == 0

    sim = PlasgateSimulator()
    async with served(sim.create_app()) as url:
        others = numbers("85598", OTHER_CLIENT_REQUESTS)
        other_limiter = simulated_limiter(sim.clock)
        await plasgate_batch(session, url, sim, others, limiter=other_limiter, batch_size=1)
        sim.clock.advance(OTHER_CLIENT_LEAD_S)
        run = await plasgate_batch(
            session, url, sim, recipients, limiter=simulated_limiter(sim.clock)
        )
    print(
        f"4. Plasgate send_batch, defaults, after another client's {OTHER_CLIENT_REQUESTS} "
        f"requests {OTHER_CLIENT_LEAD_S:.0f} s earlier, simulated clock: {run.summary()} simulated"
    )
    return ok and run.accepted == RECIPIENTS


async def main() -> int:
    """Print every scenario once; exit status 1 when a "must" fails or a message was not sent."""
    async with aiohttp.ClientSession() as session:
        smslink_ok = await smslink_bulk(session)
        plasgate_ok = await plasgate_scenarios(session)
    return 0 if smslink_ok and plasgate_ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
