"""The inbox: query_incoming_sms (spec §2.8.5, §3.7) and the control API that fills it."""

import json
from typing import Any

import httpx

SN = "da00-0030-1901-2817"


async def deliver(raw: httpx.AsyncClient, port: int, sender: str, text: str, **extra: Any) -> Any:
    response = await raw.post(
        "/_sim/incoming", json={"port": port, "sender": sender, "text": text, **extra}
    )
    assert response.status_code == 200
    return response.json()["incoming_sms_id"]


async def inbox(api: httpx.AsyncClient, **params: Any) -> Any:
    body = (await api.get("/api/query_incoming_sms", params=params)).json()
    assert body["error_code"] == 200
    return body


async def test_unread_is_the_default_and_marks_messages_read(api, raw, sim):
    first = await deliver(raw, 2, "0612345678", "Salam")
    second = await deliver(raw, 3, "0698765432", "Ça va ?", smsc="+212600000999")
    assert (first, second) == (1, 2)
    body = await inbox(api)
    assert body["read"] == 2
    assert body["unread"] == 0
    one, two = body["sms"]
    assert one == {
        "incoming_sms_id": 1,
        "port": 2,
        "number": "0612345678",
        "smsc": sim.ports[2].smsc,
        "timestamp": one["timestamp"],
        "text": "Salam",
        "imsi": sim.ports[2].imsi,
    }
    assert len(one["timestamp"]) == 19
    assert two["smsc"] == "+212600000999"
    assert (await inbox(api))["sms"] == []


async def test_flags_cursor_and_port_filter(api, raw):
    for port, text in ((0, "a"), (1, "b"), (0, "c"), (1, "d")):
        await deliver(raw, port, "100", text)
    assert [m["text"] for m in (await inbox(api, flag="all"))["sms"]] == ["a", "b", "c", "d"]
    assert [m["text"] for m in (await inbox(api, flag="unread", port="1"))["sms"]] == ["b", "d"]
    after_one = await inbox(api, flag="read")
    assert [m["text"] for m in after_one["sms"]] == ["b", "d"]
    assert (after_one["read"], after_one["unread"]) == (2, 2)
    cursor = await inbox(api, flag="all", incoming_sms_id="2", port="0,1")
    assert [m["incoming_sms_id"] for m in cursor["sms"]] == [3, 4]
    assert [m["text"] for m in (await inbox(api, flag="unread"))["sms"]] == ["a", "c"]


async def test_bad_parameters_answer_400(api):
    for params in ({"flag": "unreat"}, {"incoming_sms_id": "x"}, {"port": "[0]"}, {"port": "9"}):
        response = await api.get("/api/query_incoming_sms", params=params)
        assert response.json()["error_code"] == 400, params


async def test_imsi_switch_and_trailing_commas(api, raw):
    await deliver(raw, 0, "100", "hi")
    await raw.post("/_sim/faults", json={"sms_include_imsi": False, "trailing_commas": True})
    response = await api.get("/api/query_incoming_sms", params={"flag": "all"})
    assert '"text":"hi"},],"read":0' in response.text
    body = json.loads(response.text.replace("},]", "}]"))
    assert "imsi" not in body["sms"][0]
    assert body["sn"] == SN


async def test_post_with_json_body_when_wrong_method_allowed(api, raw):
    await deliver(raw, 0, "100", "hi")
    assert (await api.post("/api/query_incoming_sms", json={"flag": "all"})).status_code == 403
    await raw.post("/_sim/faults", json={"allow_wrong_method": True})
    body = (await api.post("/api/query_incoming_sms", json={"flag": "read", "port": [0]})).json()
    assert body["sms"] == []
    body = (await api.post("/api/query_incoming_sms", json={"flag": "unread"})).json()
    assert [m["text"] for m in body["sms"]] == ["hi"]


async def test_incoming_id_reset_restarts_ids(api, raw, sim):
    await deliver(raw, 0, "100", "old")
    await deliver(raw, 0, "100", "older")
    reset = await raw.post("/_sim/incoming-id-reset")
    assert reset.json() == {"next_incoming_sms_id": 1}
    assert await deliver(raw, 0, "100", "new") == 1
    assert (await inbox(api, flag="all", incoming_sms_id="1"))["sms"] == []
    await raw.post("/_sim/faults", json={"incoming_id_reset": False})
    assert len(sim.state.inbox) == 1
    await raw.post("/_sim/faults", json={"incoming_id_reset": True})
    assert sim.state.inbox == []
    assert sim.faults["incoming_id_reset"] is None


async def test_control_refuses_bad_incoming(raw):
    for body in (
        {"port": 8, "sender": "1", "text": "x"},
        {"port": "0", "sender": "1", "text": "x"},
        {"port": 0, "sender": 1, "text": "x"},
        {"port": 0, "sender": "1"},
        {"port": 0, "sender": "1", "text": "x", "smsc": 5},
    ):
        response = await raw.post("/_sim/incoming", json=body)
        assert response.status_code == 400, body
        assert "error" in response.json()
    assert (await raw.post("/_sim/incoming", content=b"[1]")).status_code == 400
    assert (await raw.post("/_sim/incoming", content=b"{oops")).status_code == 400


async def test_a_full_inbox_drops_its_oldest_messages(api, raw):
    assert (await raw.post("/_sim/faults", json={"inbox_capacity": 2})).status_code == 200
    ids = [await deliver(raw, 0, "100", text) for text in ("a", "b", "c")]
    assert ids == [1, 2, 3]  # ids keep rising; only storage is bounded
    body = await inbox(api, flag="all")
    assert [m["text"] for m in body["sms"]] == ["b", "c"]
    assert (body["read"], body["unread"]) == (0, 2)
