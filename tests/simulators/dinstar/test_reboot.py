"""A gateway that reboots (mid-send or on demand) and answers half its JSON: the fault switches."""

import aiohttp
import httpx
import pytest

from tests.conftest import RunningDinstar

SEND = {"text": "hi", "param": [{"number": "0711111111", "user_id": 7}]}


async def _dropped(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await session.get(f"{url}/api/query_sms_in_queue")


async def test_a_send_that_reboots_the_gateway_is_queued_then_dropped(
    dinstar_simulator: RunningDinstar, api: httpx.AsyncClient, raw: httpx.AsyncClient
) -> None:
    await raw.post("/_sim/faults", json={"reboot_during_send": True})

    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("/api/send_sms", json=SEND)

    state = (await raw.get("/_sim/state")).json()
    queued = [item["user_id"] for item in state["queue"]] + [r["user_id"] for r in state["results"]]
    assert queued == [7]
    assert state["faults"]["reboot_during_send"] is False  # one reboot, not one per send
    await _dropped(dinstar_simulator.url)


async def test_boot_answers_again_and_forgets_the_old_nonces(
    dinstar_simulator: RunningDinstar, api: httpx.AsyncClient, raw: httpx.AsyncClient
) -> None:
    assert (await api.get("/api/query_sms_in_queue")).status_code == 200
    assert (await raw.post("/_sim/reboot")).status_code == 200
    await _dropped(dinstar_simulator.url)

    assert (await raw.post("/_sim/boot")).status_code == 200
    assert dinstar_simulator.sim.verifier.nonce_count == 0
    assert (await api.get("/api/query_sms_in_queue")).json()["error_code"] == 200


async def test_malformed_paths_cut_the_json_in_half(
    api: httpx.AsyncClient, raw: httpx.AsyncClient
) -> None:
    whole = (await api.get("/api/query_sms_in_queue")).text
    await raw.post("/_sim/faults", json={"malformed_paths": ["/api/query_sms_in_queue"]})

    cut = (await api.get("/api/query_sms_in_queue")).text

    assert cut == whole[: len(whole) // 2]
