"""The client-side sliding-window limiter, on a fake clock: it waits, never drops."""

import asyncio

import pytest

from custom_components.sms_gateway.providers.plasgate.limiter import SlidingWindowLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_waits_for_the_window_to_slide():
    time = FakeTime()
    limiter = SlidingWindowLimiter(3, 60, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        await limiter.acquire()
        time.now += 1
    assert time.sleeps == []
    await limiter.acquire()
    assert time.sleeps == [57.0]
    assert time.now == 1060.0


async def test_pause_holds_every_acquisition():
    time = FakeTime()
    limiter = SlidingWindowLimiter(10, 60, clock=time.clock, sleep=time.sleep)
    limiter.pause(5)
    limiter.pause(2)  # a shorter pause never shortens a longer one
    limiter.pause(-1)
    assert limiter.delay() == 5
    await limiter.acquire()
    assert time.sleeps == [5.0]
    assert limiter.delay() == 0


async def test_concurrent_callers_are_served_within_the_limit():
    time = FakeTime()
    limiter = SlidingWindowLimiter(2, 60, clock=time.clock, sleep=time.sleep)
    stamps: list[float] = []

    async def take() -> None:
        await limiter.acquire()
        stamps.append(time.now)

    await asyncio.gather(*(take() for _ in range(5)))
    assert stamps == [1000.0, 1000.0, 1060.0, 1060.0, 1120.0]


async def test_real_clock_default():
    limiter = SlidingWindowLimiter(1, 0.05)
    await limiter.acquire()
    await limiter.acquire()
    assert limiter.delay() > 0


@pytest.mark.parametrize(("limit", "window"), [(0, 60), (1, 0)])
def test_refuses_nonsense(limit, window):
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit, window)


async def test_a_slot_counts_from_when_its_answer_came_back():
    """The service counts a request on arrival: a slow request holds its slot longer."""
    time = FakeTime()
    limiter = SlidingWindowLimiter(1, 60, clock=time.clock, sleep=time.sleep)
    slot = await limiter.acquire()
    time.now += 2  # the request travels, the service answers
    limiter.settle(slot)

    await limiter.acquire()

    assert time.sleeps == [60.0]
