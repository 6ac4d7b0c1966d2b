"""Helpers for checking the simulators against the specs with independent HTTP clients."""

import asyncio
from collections.abc import Callable


async def wait_until(predicate: Callable[[], bool], within: float = 3) -> None:
    """Poll predicate until true; fail the test after `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition still false after {within} s")
        await asyncio.sleep(0.01)
