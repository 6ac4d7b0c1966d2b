"""USSD: send_ussd, query_ussd_reply and cancel (spec §2.8.7, §2.8.8, §2.10, §3.6)."""

import asyncio
from typing import Any

import httpx

SN = "da00-0030-1901-2817"


async def send_ussd(api: httpx.AsyncClient, **body: Any) -> Any:
    response = await api.post("/api/send_ussd", json=body)
    assert response.status_code == 200
    return response.json()


async def replies(api: httpx.AsyncClient, ports: str) -> dict[int, str]:
    body = (await api.get("/api/query_ussd_reply", params={"port": ports})).json()
    assert body["error_code"] == 200
    return {row["port"]: row["text"] for row in body["reply"]}


async def test_per_port_status_and_delayed_reply(api, sim):
    sim.settings.ussd_delay = 0.3
    answer = await send_ussd(api, port=[0, 6, 7], command="send", text="*100#")
    assert answer == {
        "error_code": 202,
        "sn": SN,
        "result": [
            {"port": 0, "status": 200},
            {"port": 6, "status": 503},
            {"port": 7, "status": 503},
        ],
    }
    assert await replies(api, "0,6") == {0: " ", 6: " "}
    await asyncio.sleep(0.35)
    ready = await replies(api, "0,6")
    assert ready[0] == "Solde: 12.50 DH. Valable jusqu'au 2026-12-31"
    assert ready[6] == " "
    await send_ussd(api, port=[1], text="*100#")
    await asyncio.sleep(0.35)
    assert (await replies(api, "1"))[1] == "Solde: 19.75 DH. Valable jusqu'au 2026-12-31"


async def test_busy_port_answers_486(api, raw):
    await raw.post("/_sim/ports/2", json={"busy": True})
    answer = await send_ussd(api, port=[2], text="*100#")
    assert answer["result"] == [{"port": 2, "status": 486}]


async def test_sending_sms_makes_the_port_busy(api, sim):
    sim.settings.send_delay = 0.5
    await api.post("/api/send_sms", json={"text": "x", "param": [{"number": "1"}], "port": [3]})
    answer = await send_ussd(api, port=[3], text="*100#")
    assert answer["result"] == [{"port": 3, "status": 486}]


async def test_cancel_clears_the_session(api):
    await send_ussd(api, port=[0], text="*100#")
    await asyncio.sleep(0.1)
    assert (await replies(api, "0"))[0].startswith("Solde")
    cancel = await send_ussd(api, port=[0, 7], command="cancel", text="")
    assert cancel["result"] == [{"port": 0, "status": 200}, {"port": 7, "status": 503}]
    assert await replies(api, "0") == {0: " "}
    assert (await send_ussd(api, port=[0], command="cancel"))["error_code"] == 202


async def test_validation(api, raw):
    assert (await send_ussd(api, port=[0]))["error_code"] == 400
    assert (await send_ussd(api, port=[0], text=""))["error_code"] == 400
    assert (await send_ussd(api, port=[0], text=5))["error_code"] == 400
    assert (await send_ussd(api, text="*100#"))["error_code"] == 400
    assert (await send_ussd(api, port=[8], text="*100#"))["error_code"] == 400
    assert (await send_ussd(api, port=[0], text="*100#", command="go"))["error_code"] == 400
    assert (await send_ussd(api, port=[0], text="*" * 61))["error_code"] == 400
    assert (await send_ussd(api, port=[0], text="*" * 60))["error_code"] == 202
    await raw.post("/_sim/faults", json={"ussd_too_long_code": 413})
    assert (await send_ussd(api, port=[0], text="*" * 61))["error_code"] == 413
    assert (await api.get("/api/query_ussd_reply", params={"port": "x"})).json()[
        "error_code"
    ] == 400


async def test_switches_result_key_and_blank(api, raw):
    await raw.post("/_sim/faults", json={"ussd_result_key": "result:", "ussd_blank_reply": ""})
    answer = await send_ussd(api, port=[6], text="*100#")
    assert answer["result:"] == [{"port": 6, "status": 503}]
    assert "result" not in answer
    assert await replies(api, "6") == {6: ""}


async def test_configured_replies_and_menu_steps(api, raw):
    await raw.post("/_sim/ussd-replies", json={"port": 1, "text": "Port one says hi"})
    await raw.post("/_sim/ussd-replies", json={"code": "*555#", "text": "1. Internet\n2. Voix"})
    await send_ussd(api, port=[0, 1], text="*555#")
    await asyncio.sleep(0.1)
    assert await replies(api, "0,1") == {0: "1. Internet\n2. Voix", 1: "1. Internet\n2. Voix"}
    await send_ussd(api, port=[0], text="1")
    await asyncio.sleep(0.1)
    assert (await replies(api, "0"))[0] == "Option 1: demande prise en compte."
    await send_ussd(api, port=[1], command="cancel")
    await send_ussd(api, port=[1], text="*100#")
    await asyncio.sleep(0.1)
    assert (await replies(api, "1"))[1] == "Port one says hi"
    state = (await raw.post("/_sim/ussd-replies", json={"port": 1, "text": None})).json()
    assert state["port_replies"] == {}
    state = (await raw.post("/_sim/ussd-replies", json={"code": "*555#"})).json()
    assert state["code_replies"] == {}
    for bad in ({"text": "x"}, {"port": 9, "text": "x"}, {"code": 5, "text": "x"}):
        assert (await raw.post("/_sim/ussd-replies", json=bad)).status_code == 400


async def test_port_leaving_the_network_loses_its_session(api, raw, sim):
    await send_ussd(api, port=[0], text="*100#")
    assert 0 in sim.ussd.sessions
    await raw.post("/_sim/ports/0", json={"reg": "SEARCHING_NETWORK"})
    assert 0 not in sim.ussd.sessions


async def test_ussd_push_when_ready_and_not_after_cancel(api, receiver, sim):
    await send_ussd(api, port=[0], text="*100#")
    (push,) = await receiver.wait_for("ussd")
    assert push == [{"port": 0, "text": "Solde: 12.50 DH. Valable jusqu'au 2026-12-31"}]
    sim.settings.ussd_delay = 0.2
    await send_ussd(api, port=[1], text="*100#")
    await send_ussd(api, port=[1], command="cancel")
    await asyncio.sleep(0.3)
    assert len(receiver.of("ussd")) == 1
