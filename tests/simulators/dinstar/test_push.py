"""Pushes to the configured URL: shapes of spec §2.11, switches of §3.8/§3.9, robustness."""

import asyncio

from aiohttp import web
import pytest

from simulators.dinstar.faults import PUSH_TYPES
from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.server import serve
from tests.simulators.conftest import wait_until

SN = "da00-0030-1901-2817"


async def test_every_push_has_sn_one_type_key_and_no_error_code(api, raw, receiver, sim):
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "0611", "text": "hi"})
    await api.post("/api/send_sms", json={"text": "x", "param": [{"number": "1", "user_id": 4}]})
    await api.post("/api/send_ussd", json={"port": [1], "text": "*100#"})
    await raw.post("/_sim/ports/2", json={"reg": "UNREGISTER"})
    for kind in ("cdr", "device", "exception_info"):
        assert (await raw.post(f"/_sim/push/{kind}", json={})).status_code == 200
    await wait_until(lambda: {k for body in receiver.received for k in body} >= {*PUSH_TYPES})
    for body in receiver.received:
        assert body["sn"] == SN
        assert "error_code" not in body
        assert len(body) == 2
        (kind,) = set(body) - {"sn"}
        assert isinstance(body[kind], dict if kind in {"device", "exception_info"} else list)
    assert receiver.content_type == "application/json"


async def test_sms_push_shape(raw, receiver, sim):
    await raw.post("/_sim/incoming", json={"port": 2, "sender": "0611", "text": "Ça va"})
    ((message,),) = await receiver.wait_for("sms")
    assert message == {
        "incoming_sms_id": 1,
        "port": 2,
        "number": "0611",
        "smsc": sim.ports[2].smsc,
        "timestamp": message["timestamp"],
        "text": "Ça va",
        "imsi": sim.ports[2].imsi,
    }


async def test_sms_result_and_delivery_push_shapes(api, raw, receiver, sim):
    await api.post("/api/send_sms", json={"text": "x", "param": [{"number": "1", "user_id": 4}]})
    ((result,),) = await receiver.wait_for("sms_result")
    assert set(result) == {
        "port", "number", "time", "status", "count", "succ_count", "ref_id", "imsi"
    }  # fmt: skip
    assert result["status"] == "SENT_OK"
    ((report,),) = await receiver.wait_for("sms_deliver_status")
    assert set(report) == {"port", "number", "time", "ref_id", "status_code", "imsi"}
    assert report["ref_id"] == result["ref_id"]
    await raw.post("/_sim/faults", json={"sms_result_push_user_id": True})
    await api.post("/api/send_sms", json={"text": "y", "param": [{"number": "2", "user_id": 5}]})
    results = await receiver.wait_for("sms_result", 2)
    assert results[1][0]["user_id"] == 5


async def test_control_pushes_take_overrides(raw, receiver, sim):
    device = await raw.post("/_sim/push/device", json={"status": "power_off"})
    assert device.json()["event"]["status"] == "power_off"
    (event,) = await receiver.wait_for("device")
    assert event == {
        "port_number": 8,
        "IP": "192.168.1.100",
        "MAC": "F8-A0-3D-48-E5-19",
        "status": "power_off",
    }
    await raw.post("/_sim/push/exception_info", json={"port": 3})
    assert (await receiver.wait_for("exception_info"))[0] == {
        "port": 3,
        "type": "call_fail",
        "action": "reset",
    }
    await raw.post("/_sim/faults", json={"bcch_key": "bech"})
    await raw.post("/_sim/push/cdr", json={"port": 5, "duration": 7})
    ((cdr,),) = await receiver.wait_for("cdr")
    assert (cdr["port"], cdr["duration"], cdr["bech"]) == (5, 7, "")
    assert sim.state.cdrs[-1]["port"] == 5
    await raw.post("/_sim/push/register", json={"port": 7})
    await raw.post("/_sim/push/register", json={"port": 0, "status": "down"})
    events = await receiver.wait_for("register", 2)
    assert [e[0]["status"] for e in events] == ["down", "down"]
    for path, body in (
        ("/_sim/push/sms", {}),
        ("/_sim/push/register", {"port": 0, "status": "sideways"}),
        ("/_sim/push/register", {"port": 99}),
    ):
        assert (await raw.post(path, json=body)).status_code == 400


async def test_push_switches_per_type(raw, receiver, sim):
    await raw.post("/_sim/faults", json={"push_device": False})
    response = await raw.post("/_sim/push/device", json={})
    assert response.status_code == 200
    await raw.post("/_sim/push/exception_info", json={})
    await receiver.wait_for("exception_info")
    assert receiver.of("device") == []


async def test_push_duplicate_sends_twice(raw, receiver):
    await raw.post("/_sim/faults", json={"push_duplicate": True})
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "dup"})
    first, second = await receiver.wait_for("sms", 2)
    assert first == second


async def test_push_retries_on_non_2xx(raw, receiver, sim):
    receiver.statuses = [500, 503, 200]
    await raw.post("/_sim/faults", json={"push_retries": 2})
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "retry"})
    await receiver.wait_for("sms", 3)
    await wait_until(lambda: len(sim.pushes) == 3)
    assert [entry["status"] for entry in sim.pushes] == [500, 503, 200]
    assert [entry["attempt"] for entry in sim.pushes] == [1, 2, 3]


async def test_no_retry_by_default(raw, receiver, sim):
    receiver.statuses = [500]
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "once"})
    await receiver.wait_for("sms")
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "twice"})
    await receiver.wait_for("sms", 2)
    await wait_until(lambda: len(sim.pushes) == 2)
    assert [entry["status"] for entry in sim.pushes] == [500, 200]


async def test_receiver_down_never_breaks_the_simulator(api, raw, sim, unused_tcp_port):
    url = f"http://127.0.0.1:{unused_tcp_port}/hook"
    assert (await raw.post("/_sim/push-url", json={"url": url})).json() == {"url": url}
    await raw.post("/_sim/faults", json={"push_retries": 1})
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "lost"})
    await wait_until(lambda: len(sim.pushes) == 2)
    assert all(entry["error"] == "ClientConnectorError" for entry in sim.pushes)
    assert (await api.get("/api/query_incoming_sms")).json()["sms"][0]["text"] == "lost"
    await raw.post("/_sim/push-url", json={"url": None})
    await raw.post("/_sim/incoming", json={"port": 0, "sender": "1", "text": "nowhere"})
    await asyncio.sleep(0.05)
    assert len(sim.pushes) == 2
    assert (await raw.post("/_sim/push-url", json={"url": 5})).status_code == 400


class TestPushUrlSetting:
    @pytest.fixture
    def dinstar_settings(self):
        return DinstarSettings(push_url="http://127.0.0.1:9/unused")

    async def test_push_url_comes_from_settings(self, raw):
        assert (await raw.get("/_sim/state")).json()["push_url"] == "http://127.0.0.1:9/unused"


async def test_pushes_in_flight_are_cancelled_on_stop(socket_enabled, receiver_app_that_hangs):
    sim = DinstarSimulator(DinstarSettings(push_url=receiver_app_that_hangs))
    server = await serve(sim.create_app())
    sim.inbox.receive(0, "1", "stuck")
    await asyncio.sleep(0.1)
    assert len(sim.tasks) == 1
    await server.stop()
    assert len(sim.tasks) == 0


@pytest.fixture
async def receiver_app_that_hangs(socket_enabled):
    release = asyncio.Event()

    async def hang(_request):
        await release.wait()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hang)
    server = await serve(app)
    yield f"{server.url}/hook"
    release.set()
    await server.stop()
