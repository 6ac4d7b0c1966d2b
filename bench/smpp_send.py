"""How fast 1000 recipients go over a Plasgate SMPP link, and whether the link stays in bounds.

Runs the integration's SmppSubmitter over a real SmppLink bound to the simulator's SMPP server on
127.0.0.1, with the link's default timings (a throttled answer pauses the link 1 s), and counts
PDUs where the server receives them. The server answers each submit_sm 20 ms late (its latency).
Elapsed time runs from the submit to its return, the link already bound.

The floor is the least time any client needs under both the throttle and the window. The
server's sliding one-second window lets the first second's worth (R) go at once, and every later
submit waits for a slot, so 1000 at R a second take (1000 - R) / R seconds after the first second's
worth is out (4 s at 200/s, 9 s at 100/s; 5 s and 10 s if that first second is counted too); and
the window lets at most window / latency submits a second through (500/s for 10 at 20 ms), so the
first second's worth itself takes R / (window / latency) (0.4 s). When the window lets fewer
through than the throttle, the floor is 1000 / (window / latency) (20 s for a window of 1).

1. Account throttle 200/s on both sides, window 10: elapsed/floor must be within 1.15; the most
   submit_sm in flight (link and server) must reach the window and never pass it; no
   ESME_RTHROTTLED; exactly 1000 submit_sm, every recipient queued with the server's message id.
2. The same with a window of 1: what the window buys (must be slower than 1).
3. The server throttles at 100/s while the link believes 200/s: ESME_RTHROTTLED answers come
   (must be some), each refused submit goes again (submit_sm = 1000 + throttled), and the server
   still records exactly 1000 messages, one per recipient; the ratio to its floor (9.2 s) is shown.

    .venv/bin/python -m bench.smpp_send
"""

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass
import time

from custom_components.sms_gateway.accounts.sender import CloudSms, Outgoing
from custom_components.sms_gateway.accounts.smpp_sender import SmppSubmitter
from custom_components.sms_gateway.providers.plasgate import DeliveryReport
from custom_components.sms_gateway.providers.plasgate.smpp import (
    IncomingMemory,
    IncomingSms,
    LinkState,
    SmppLink,
    SmppSettings,
)
from custom_components.sms_gateway.sending import STATUS_QUEUED
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.simulator import PlasgateSimulator

RECIPIENTS = 1000
TEXT = "Benchmark message"
SENDER = "SMS Info"
LATENCY_S = 0.02
BIND_WAIT_S = 5.0
WITHIN_FLOOR = 1.15


@dataclass(frozen=True)
class Scenario:
    """The throttles on each side, the link's window."""

    server_rate: int
    link_rate: int
    window: int

    @property
    def rate(self) -> int:
        """The tighter throttle, submits a second."""
        return min(self.server_rate, self.link_rate)

    @property
    def throttle_floor(self) -> float:
        """Seconds the throttle alone needs once the first second's worth is out."""
        return (RECIPIENTS - self.rate) / self.rate

    @property
    def window_rate(self) -> float:
        """The most submits a second the window lets through at the server's latency."""
        return self.window / LATENCY_S

    @property
    def floor(self) -> float:
        """Seconds any client needs at least under both the throttle and the window."""
        if self.window_rate <= self.rate:
            return RECIPIENTS / self.window_rate
        return self.throttle_floor + self.rate / self.window_rate


class Listener:
    """Tells when the link is bound; receipts and incoming SMS are not this bench's concern."""

    def __init__(self) -> None:
        """Not bound yet."""
        self.bound = asyncio.Event()

    def state_changed(self, state: LinkState, /) -> None:
        """Note the bind."""
        if state is LinkState.BOUND:
            self.bound.set()

    def report(self, report: DeliveryReport, /) -> None:
        """Ignore a receipt."""

    def incoming(self, sms: IncomingSms, /) -> None:
        """Ignore an incoming SMS."""

    def memory_changed(self) -> None:
        """Nothing kept."""


@dataclass
class Run:
    """What one send of 1000 cost, as the link and the server saw it."""

    scenario: Scenario
    elapsed: float
    link_most: int
    left_in_flight: int
    server_most: int
    throttled: int
    submit_sm: int
    recorded: int  # whole messages the server holds
    recorded_numbers: int  # distinct recipients among them
    queued: int  # recipients queued with the id the server gave their message
    told: int  # recipients handed to `accepted`

    @property
    def ratio(self) -> float:
        """Elapsed time to the floor."""
        return self.elapsed / self.scenario.floor

    def summary(self) -> str:
        """Tell the time, the window, the throttled answers and the counts."""
        s = self.scenario
        return (
            f"{self.elapsed:.2f} s, floor {s.floor:.2f} s, ratio {self.ratio:.3f} (throttle alone "
            f"{s.throttle_floor:.1f} s, ratio {self.elapsed / s.throttle_floor:.3f}); most in "
            f"flight {self.link_most} (link) / {self.server_most} (server) of window {s.window}; "
            f"{self.throttled} ESME_RTHROTTLED; {self.submit_sm} submit_sm; {self.recorded} "
            f"messages recorded; {self.queued} recipients queued with their message id"
        )

    def all_sent_once(self) -> bool:
        """Every recipient queued with its id, told once, one message each, nothing in flight."""
        return (
            self.recorded == self.recorded_numbers == self.queued == self.told == RECIPIENTS
            and self.submit_sm == RECIPIENTS + self.throttled
            and self.left_in_flight == 0
        )


@contextlib.asynccontextmanager
async def bound_link(sim: PlasgateSimulator, scenario: Scenario) -> AsyncIterator[SmppLink]:
    """Run a link with the integration's defaults against sim until the block ends."""
    host, port = await sim.smpp.start("127.0.0.1", 0)
    settings = SmppSettings(
        host=host,
        port=port,
        system_id=sim.settings.smpp_system_id,
        password=sim.settings.smpp_password,
        throughput=float(scenario.link_rate),
        window=scenario.window,
    )
    listener = Listener()
    link = SmppLink(settings, listener, IncomingMemory())
    task = asyncio.create_task(link.run())
    try:
        await asyncio.wait_for(listener.bound.wait(), BIND_WAIT_S)
        yield link
    finally:
        await link.stop()
        await asyncio.wait_for(task, BIND_WAIT_S)
        await sim.smpp.stop()


async def send(scenario: Scenario) -> Run:
    """Send one text to 1000 numbers through SmppSubmitter; count on both sides."""
    sim = PlasgateSimulator(PlasgateSettings(smpp_throughput=scenario.server_rate))
    sim.switches["smpp_resp_delay_s"] = LATENCY_S
    numbers = [f"85512{i:06d}" for i in range(RECIPIENTS)]
    told: list[CloudSms] = []
    async with bound_link(sim, scenario) as link:
        start = time.perf_counter()
        outcome = await SmppSubmitter(link, SENDER).submit(
            Outgoing(numbers, TEXT, None, delivery_report=True), told.extend
        )
        elapsed = time.perf_counter() - start
        left_in_flight = link.in_flight
    state = sim.smpp.snapshot()
    recorded = {message["to"]: message["message_id"] for message in state["submitted"]}
    queued = sum(
        sms.status == STATUS_QUEUED
        and sms.message_id is not None
        and recorded.get(sms.number) == sms.message_id
        for sms in outcome.recipients
    )
    return Run(
        scenario=scenario,
        elapsed=elapsed,
        link_most=link.most_in_flight,
        left_in_flight=left_in_flight,
        server_most=int(state["max_in_flight"]),
        throttled=int(state["throttled"]),
        submit_sm=int(state["counts"].get("submit_sm", 0)),
        recorded=len(state["submitted"]),
        recorded_numbers=len(recorded),
        queued=queued,
        told=len(told),
    )


def check(name: str, *, ok: bool) -> bool:
    """Print a goal missed."""
    if not ok:
        print(f"   MISSED: {name}")
    return ok


async def main() -> int:
    """Print every scenario once; exit status 1 when a goal is missed."""
    windowed = await send(Scenario(server_rate=200, link_rate=200, window=10))
    window = windowed.scenario.window
    print(f"1. 200/s both sides, window {window}, {LATENCY_S * 1000:.0f} ms: {windowed.summary()}")
    ok = all(
        [
            check(f"elapsed/floor within {WITHIN_FLOOR}", ok=windowed.ratio <= WITHIN_FLOOR),
            check("in flight reaches the window", ok=windowed.link_most == window),
            check("the server sees the window, no more", ok=windowed.server_most == window),
            check("no ESME_RTHROTTLED", ok=windowed.throttled == 0),
            check("exactly 1000 submit_sm", ok=windowed.submit_sm == RECIPIENTS),
            check("every recipient sent once, with its id", ok=windowed.all_sent_once()),
        ]
    )

    single = await send(Scenario(server_rate=200, link_rate=200, window=1))
    print(
        f"2. same, window 1: {single.summary()}; "
        f"{single.elapsed / windowed.elapsed:.2f}x the windowed run's time"
    )
    ok = all(
        [
            ok,
            check("window 1 is slower than window 10", ok=single.elapsed > windowed.elapsed),
            check("one in flight at a time", ok=single.link_most == single.server_most == 1),
            check("every recipient sent once, with its id", ok=single.all_sent_once()),
        ]
    )

    harder = await send(Scenario(server_rate=100, link_rate=200, window=10))
    print(f"3. server 100/s, link 200/s, window 10: {harder.summary()}")
    ok = all(
        [
            ok,
            check("the server throttled some", ok=harder.throttled > 0),
            check("never past the window", ok=max(harder.link_most, harder.server_most) <= window),
            check("each throttled one sent again, 1000 recorded", ok=harder.all_sent_once()),
        ]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
