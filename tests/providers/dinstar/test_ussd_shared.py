"""SharedRequests: ports asking at the same time share one request; its end is everyone's end."""

import asyncio

import pytest

from custom_components.sms_gateway.providers.dinstar.ussd import SharedRequests


async def test_ports_asking_together_share_one_request_per_text() -> None:
    requests: list[tuple[list[int], str]] = []

    async def request(ports: list[int], text: str) -> list[str]:
        requests.append((ports, text))
        return [f"{port}:{text}" for port in ports]

    shared = SharedRequests(request)
    answers = list(
        await asyncio.gather(shared.ask(2, "*100#"), shared.ask(0, "*100#"), shared.ask(1, "*101#"))
    )

    assert requests == [([0, 2], "*100#"), ([1], "*101#")]
    assert answers == [["0:*100#", "2:*100#"], ["0:*100#", "2:*100#"], ["1:*101#"]]


async def test_ports_asking_while_a_request_is_out_go_in_the_next_one() -> None:
    requests: list[list[int]] = []
    sent, release = asyncio.Event(), asyncio.Event()

    async def request(ports: list[int], _text: str) -> list[int]:
        requests.append(ports)
        sent.set()
        await release.wait()
        return ports

    shared = SharedRequests(request)
    first = asyncio.create_task(shared.ask(0))
    await sent.wait()
    later = [asyncio.create_task(shared.ask(port)) for port in (3, 1)]
    await asyncio.sleep(0)
    release.set()

    assert await first == [0]
    assert [await task for task in later] == [[1, 3], [1, 3]]
    assert requests == [[0], [1, 3]]


async def test_a_cancelled_request_cancels_the_ports_waiting_for_it() -> None:
    started = asyncio.Event()
    calls = 0

    async def hang_once(ports: list[int], _text: str) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            started.set()
            await asyncio.Event().wait()
        return ports

    shared = SharedRequests(hang_once)
    asking = asyncio.create_task(shared.ask(0))
    await started.wait()
    queued = asyncio.create_task(shared.ask(1))
    await asyncio.sleep(0)
    (runner,) = [task for task in asyncio.all_tasks() if task.get_name().startswith("Dinstar")]

    runner.cancel()

    for task in (asking, queued):
        with pytest.raises(asyncio.CancelledError):
            await task
    # Nothing is left behind: the next ask gets a request of its own.
    assert await shared.ask(2) == [2]
