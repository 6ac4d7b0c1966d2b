"""get_cdr, get_status, STK (spec §2.8.12-2.8.14) and the transport-level fault switches."""

import asyncio
import json
from typing import Any

import aiohttp
import httpx
import pytest

from simulators.dinstar.wire import to_json

SN = "da00-0030-1901-2817"


async def test_get_cdr_filters_and_key_switches(api, raw):
    body = (await api.post("/api/get_cdr", json={"port": [2]})).json()
    assert body["error_code"] == 200
    (call,) = body["cdr"]
    assert call["direction"] == "ip->gsm"
    assert call["bcch"] == ""
    assert set(call) >= {"start_date", "answer_date", "duration", "codec", "hangup", "gsm_code"}
    assert len((await api.post("/api/get_cdr")).json()["cdr"]) == 2
    window = {"time_after": "2025-07-22 00:00:00", "time_before": "2025-07-23 00:00:00"}
    assert [c["port"] for c in (await api.post("/api/get_cdr", json=window)).json()["cdr"]] == [0]
    await raw.post("/_sim/faults", json={"cdr_key": "info", "bcch_key": "bech"})
    switched = (await api.post("/api/get_cdr", json={"port": [2]})).json()
    assert "cdr" not in switched
    assert "bech" in switched["info"][0]
    assert "bcch" not in switched["info"][0]
    assert (await api.post("/api/get_cdr", json={"port": [40]})).json()["error_code"] == 400


async def test_get_status_has_no_envelope_and_string_values(api):
    response = await api.post("/api/get_status", json=["performance"])
    assert response.reason_phrase == "Data follows"
    body = response.json()
    assert list(body) == ["performance"]
    performance = body["performance"]
    assert all(isinstance(value, str) for value in performance.values())
    assert int(performance["memory_used"]) + int(performance["memory_free"]) == int(
        performance["memory_total"]
    )
    assert (await api.post("/api/get_status", json=["other"])).json() == {}
    bad = (await api.post("/api/get_status", json={"maximum": 10})).json()
    assert bad == {"error_code": 400, "sn": SN}


async def stk_view(api: httpx.AsyncClient, port: int = 0) -> Any:
    response = await api.get("/GetSTKView", params={"port": port})
    assert response.status_code == 200
    return response.json()


async def stk_go(api: httpx.AsyncClient, **body: Any) -> Any:
    return (await api.post("/STKGo", json=body)).json()


async def frame_id(api: httpx.AsyncClient, port: int = 0) -> Any:
    return (await api.get("/GetSTKCurrFrameIndex", params={"port": port})).json()["frame_id"]


async def test_stk_menu_walk(api):
    main = await stk_view(api)
    assert set(main) == {"title", "text", "item", "input_type", "frame_id"}
    assert main["input_type"] == 1
    assert [item["item_id"] for item in main["item"]] == [1, 2, 3]
    assert await frame_id(api) == main["frame_id"]
    assert await stk_go(api, port=0, item=2) == {"error_code": 200, "sn": SN}
    bundles = await stk_view(api)
    assert bundles["input_type"] == 2
    assert bundles["frame_id"] != main["frame_id"]
    assert (await stk_go(api, port=0, item=1))["error_code"] == 200
    confirm = await stk_view(api)
    assert confirm["input_type"] == 3
    assert "item" not in confirm
    assert (await stk_go(api, port=0, action="ok"))["error_code"] == 200
    assert (await stk_view(api))["text"] == "Demande prise en compte"
    assert (await stk_go(api, port=0, action="home"))["error_code"] == 200
    await stk_go(api, port=0, item=3)
    assert (await stk_view(api))["input_type"] == 8
    assert (await stk_go(api, port=0, item=1))["error_code"] == 400
    assert (await stk_go(api, port=0, param="abc"))["error_code"] == 400
    assert (await stk_go(api, port=0, param="1234"))["error_code"] == 200
    await stk_go(api, port=0, action="home")
    await stk_go(api, port=0, item=1)
    assert (await stk_view(api))["text"].startswith("Solde")
    assert (await stk_go(api, port=0, action="cancle"))["error_code"] == 200
    assert (await stk_view(api))["input_type"] == 1
    # Other ports have their own frame.
    assert (await stk_view(api, port=1))["input_type"] == 1


async def test_stk_cancel_spelling_and_switches(api, raw):
    await stk_go(api, port=0, item=1)
    assert (await stk_go(api, port=0, action="cancel"))["error_code"] == 200
    await raw.post(
        "/_sim/faults", json={"stk_accept_cancel": False, "stk_input_type_as_string": True}
    )
    await stk_go(api, port=0, item=1)
    assert (await stk_go(api, port=0, action="cancel"))["error_code"] == 400
    assert (await stk_go(api, port=0, action="back"))["error_code"] == 400
    assert (await stk_view(api))["input_type"] == "0"
    assert (await stk_go(api, port="x", action="ok"))["error_code"] == 400
    assert (await stk_go(api, port=9, action="ok"))["error_code"] == 400
    response = await api.get("/GetSTKView", params={"port": "9"})
    assert response.json() == {"error_code": 400, "sn": SN}


async def test_stk_paths_have_no_api_prefix(api):
    assert (await api.get("/api/GetSTKView", params={"port": 0})).status_code == 404


async def test_error_http_status_switch(api, raw):
    ok = await api.post("/api/send_sms", json={"text": "x"})
    assert (ok.status_code, ok.json()["error_code"]) == (200, 400)
    await raw.post("/_sim/faults", json={"error_http_status": "error_code"})
    bad = await api.post("/api/send_sms", json={"text": "x"})
    assert (bad.status_code, bad.json()["error_code"]) == (400, 400)
    full = await api.post("/api/send_sms", json={"text": "x", "param": [{"number": "1"}]})
    assert (full.status_code, full.json()["error_code"]) == (200, 202)
    none = await api.post(
        "/api/send_sms", json={"text": "x", "param": [{"number": "1"}], "port": [7]}
    )
    assert none.status_code == 550


async def test_unknown_path_is_a_plain_404(api, raw, sim):
    for client in (api, raw):
        response = await client.get("/api/query_sms_queue")
        assert response.status_code == 404
        assert response.text == "404: Not Found"
    assert sim.request_counts["/api/query_sms_queue"] == 2


async def test_fail_500_paths_and_latency(api, raw):
    await raw.post("/_sim/faults", json={"fail_500_paths": ["/api/query_sms_in_queue"]})
    body = (await api.get("/api/query_sms_in_queue")).json()
    assert body == {"error_code": 500, "sn": SN}
    await raw.post("/_sim/faults", json={"latency_ms": 200, "fail_500_paths": []})
    start = asyncio.get_running_loop().time()
    assert (await api.get("/api/query_sms_in_queue")).json()["in_queue"] == 0
    assert asyncio.get_running_loop().time() - start >= 0.2


async def test_drop_connection_paths(dinstar_simulator, raw):
    await raw.post("/_sim/faults", json={"drop_connection_paths": ["/api/query_sms_in_queue"]})
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await session.get(f"{dinstar_simulator.url}/api/query_sms_in_queue")


async def test_timeout_paths_hang_until_shutdown(dinstar_simulator, raw, api):
    await raw.post("/_sim/faults", json={"timeout_paths": ["/api/query_sms_in_queue"]})
    with pytest.raises(httpx.ReadTimeout):
        await api.get("/api/query_sms_in_queue", timeout=0.3)
    # Other paths still answer while one hangs.
    assert (await api.get("/api/get_port_info?info_type=reg")).status_code == 200
    hung = asyncio.create_task(api.get("/api/query_sms_in_queue", timeout=10))
    await asyncio.sleep(0.1)
    start = asyncio.get_running_loop().time()
    await dinstar_simulator.server.stop()
    assert asyncio.get_running_loop().time() - start < 0.9
    with pytest.raises(httpx.RemoteProtocolError):
        await hung


def test_trailing_commas_only_after_objects():
    value = {"a": [{"b": [1, 2]}, {"c": "},]"}], "d": [], "e": ["x"]}
    text = to_json(value, trailing_commas=True)
    assert text == '{"a":[{"b":[1,2]},{"c":"},]"},],"d":[],"e":["x"]}'
    assert json.loads(to_json(value, trailing_commas=False)) == value
