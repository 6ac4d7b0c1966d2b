"""send_sms and its lifecycle, results, delivery reports and stop_sms (spec §2.8.1-2.8.6, §3.5)."""

from typing import Any

import httpx
import pytest

from simulators.dinstar.simulator import DinstarSimulator
from simulators.gsm_segments import GSM7, UNICODE, segment_count
from tests.simulators.conftest import wait_until

SN = "da00-0030-1901-2817"


async def send(api: httpx.AsyncClient, body: Any) -> Any:
    response = await api.post("/api/send_sms", json=body)
    assert response.status_code == 200
    assert response.reason_phrase == "Data follows"
    return response.json()


async def results(api: httpx.AsyncClient, **filters: Any) -> Any:
    body = (await api.post("/api/query_sms_result", json=filters)).json()
    assert body["error_code"] == 200
    return body["result"]


async def deliveries(api: httpx.AsyncClient, **filters: Any) -> Any:
    body = (await api.post("/api/query_sms_deliver_status", json=filters)).json()
    assert body["error_code"] == 200
    return body["result"]


def statuses(sim: DinstarSimulator) -> list[str]:
    return [record.status for record in sim.state.results]


async def test_send_is_queued_then_sent_then_delivered(api, sim):
    sim.settings.send_delay = 0.3
    answer = await send(api, {"text": "Hello", "param": [{"number": "0612345678", "user_id": 9}]})
    assert answer == {"error_code": 202, "sn": SN, "sms_in_queue": 1, "task_id": 1}
    await wait_until(lambda: statuses(sim) == ["SENDING"])
    (sending,) = await results(api, user_id=[9])
    assert sending["status"] == "SENDING"
    await wait_until(lambda: statuses(sim) == ["DELIVERED"])
    (row,) = await results(api, user_id=[9])
    assert set(row) == {
        "port",
        "user_id",
        "number",
        "time",
        "status",
        "count",
        "succ_count",
        "ref_id",
        "imsi",
    }
    assert row["status"] == "DELIVERED"
    assert (row["count"], row["succ_count"], row["user_id"]) == (1, 1, 9)
    assert row["imsi"] == sim.ports[row["port"]].imsi
    (report,) = await deliveries(api)
    assert report == {
        "port": row["port"],
        "number": "0612345678",
        "time": row["time"],
        "ref_id": row["ref_id"],
        "status_code": 0,
        "imsi": row["imsi"],
    }
    second = await send(api, {"text": "again", "param": [{"number": "1"}]})
    assert second["task_id"] == 2


async def test_limits_answer_413(api):
    too_many = [{"number": str(n)} for n in range(129)]
    assert (await send(api, {"text": "x", "param": too_many}))["error_code"] == 413
    assert (await send(api, {"text": "é" * 751, "param": [{"number": "1"}]}))["error_code"] == 413
    limit = await send(api, {"text": "é" * 750, "param": [{"number": "1"}] * 128})
    assert limit["error_code"] == 202


@pytest.mark.parametrize(
    "body",
    [
        {"param": [{"number": "1"}]},
        {"text": "x"},
        {"text": "x", "param": []},
        {"text": "x", "param": {"number": "1"}},
        {"text": "x", "param": ["1"]},
        {"text": "x", "param": [{"user_id": 1}]},
        {"text": "x", "param": [{"number": "1" * 25}]},
        {"text": "x", "param": [{"number": "1", "user_id": -1}]},
        {"text": "x", "param": [{"number": "1", "text_param": "a"}]},
        {"text": "x", "param": [{"number": "1"}], "encoding": "gsm7"},
        {"text": "x", "param": [{"number": "1"}], "request_status_report": "yes"},
        {"text": "x", "param": [{"number": "1"}], "port": [8]},
        {"text": "x", "param": [{"number": "1"}], "port": 1},
        ["text"],
    ],
)
async def test_malformed_requests_answer_400(api, body):
    assert (await send(api, body))["error_code"] == 400


async def test_bad_json_answers_400(api):
    response = await api.post("/api/send_sms", content=b"{not json")
    assert response.json()["error_code"] == 400


async def test_no_registered_port_answers_550(api, sim):
    assert not sim.ports[6].registered
    assert not sim.ports[7].registered
    body = {"text": "x", "param": [{"number": "1"}], "port": [6, 7]}
    assert (await send(api, body))["error_code"] == 550


async def test_full_queue_answers_500(api, sim):
    sim.settings.send_delay = 30
    batch = [{"number": str(n)} for n in range(128)]
    assert (await send(api, {"text": "x", "param": batch}))["sms_in_queue"] == 128
    assert (await send(api, {"text": "x", "param": batch}))["sms_in_queue"] == 256
    assert (await send(api, {"text": "x", "param": [{"number": "1"}]}))["error_code"] == 500
    queue = (await api.get("/api/query_sms_in_queue")).json()
    assert queue == {"error_code": 200, "sn": SN, "in_queue": 256}


async def test_unknown_keys_are_ignored(api, sim):
    body = {
        "text": "x",
        "param": [{"number": "1", "sn": SN, "port": "2", "encoding": "unicode"}],
        "extra": True,
    }
    assert (await send(api, body))["error_code"] == 202


async def test_failure_rate_one_fails_every_send(api, sim):
    sim.settings.failure_rate = 1.0
    await send(api, {"text": "x", "param": [{"number": "1"}]})
    await wait_until(lambda: statuses(sim) == ["FAILED"])
    (row,) = await results(api)
    assert row["succ_count"] == 0
    assert await deliveries(api) == []


async def test_failed_delivery_report_keeps_sent_ok(api, sim, raw):
    await raw.post("/_sim/faults", json={"delivery_failure_rate": 1.0})
    await send(api, {"text": "x", "param": [{"number": "1"}]})
    await wait_until(lambda: len(sim.state.deliveries) == 1)
    (report,) = await deliveries(api)
    assert report["status_code"] in {34, 65}
    assert statuses(sim) == ["SENT_OK"]


async def test_no_status_report_means_no_delivery_record(api, sim):
    await send(api, {"text": "x", "param": [{"number": "1"}], "request_status_report": False})
    await wait_until(lambda: statuses(sim) == ["SENT_OK"])
    await wait_until(lambda: len(sim.tasks) == 0)
    assert sim.state.deliveries == []


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, GSM7, 1),
        ("a" * 161, GSM7, 2),
        ("a" * 306, GSM7, 2),
        ("a" * 307, GSM7, 3),
        ("€" * 80, GSM7, 1),
        ("€" * 81, GSM7, 2),
        ("é" * 70, UNICODE, 1),
        ("é" * 71, UNICODE, 2),
        ("😀" * 35, UNICODE, 1),
        ("😀" * 36, UNICODE, 2),
        ("a" * 670, UNICODE, 10),
        ("", GSM7, 1),
    ],
)
def test_segment_count(text, encoding, segments):
    assert segment_count(text, encoding) == segments


async def test_count_segments_and_placeholders_and_default_unicode(api, sim):
    await send(
        api,
        {
            "text": "#param# owes #param# #param#",
            "param": [{"number": "1", "text_param": ["Ali", "12 DH"]}],
        },
    )
    await send(api, {"text": "a" * 161, "param": [{"number": "2"}], "encoding": "gsm-7bit"})
    await send(api, {"text": "a" * 161, "param": [{"number": "3"}]})
    await wait_until(lambda: len(sim.state.results) == 3)
    texts = {record.number: record for record in sim.state.results}
    assert texts["1"].text == "Ali owes 12 DH #param#"
    assert (texts["2"].count, texts["2"].encoding) == (2, "gsm-7bit")
    assert (texts["3"].count, texts["3"].encoding) == (3, "unicode")


async def test_ref_id_wraps_at_256_and_user_id_string_is_read(api, sim):
    sim.state.next_ref_id = 254
    await send(
        api,
        {
            "text": "a" * 200,
            "param": [{"number": "1", "user_id": "7"}],
            "port": [0],
            "encoding": "gsm-7bit",
        },
    )
    await wait_until(lambda: statuses(sim) == ["DELIVERED"])
    await send(api, {"text": "b", "param": [{"number": "2"}], "port": [0]})
    await wait_until(lambda: len(sim.state.results) == 2)
    assert [(r.ref_id, r.count) for r in sim.state.results] == [(254, 2), (0, 1)]
    assert sim.state.results[0].user_id == 7
    (row,) = await results(api, number=["2"])
    assert "user_id" not in row


async def test_query_filters_combine_with_and(api, sim):
    await send(api, {"text": "x", "param": [{"number": "111", "user_id": 1}], "port": [0]})
    await send(api, {"text": "y", "param": [{"number": "222", "user_id": 2}], "port": [1]})
    await wait_until(lambda: statuses(sim) == ["DELIVERED", "DELIVERED"])
    assert [r["number"] for r in await results(api, number=["111"])] == ["111"]
    assert [r["number"] for r in await results(api, port=[1])] == ["222"]
    assert [r["number"] for r in await results(api, user_id=[2])] == ["222"]
    assert await results(api, number=["111"], user_id=[2]) == []
    assert await results(api, time_after="2999-01-01 00:00:00") == []
    assert await results(api, time_before="2000-01-01 00:00:00") == []
    assert len(await results(api, time_after="2000-01-01 00:00:00")) == 2
    assert [r["number"] for r in await deliveries(api, number=["222"])] == ["222"]
    assert [r["number"] for r in await deliveries(api, port=[0], user_id=[2])] == ["111"]
    assert await deliveries(api, time_after="2999-01-01 00:00:00") == []
    # No body at all means no filter.
    assert len((await api.post("/api/query_sms_result")).json()["result"]) == 2


@pytest.mark.parametrize("path", ["/api/query_sms_result", "/api/query_sms_deliver_status"])
async def test_query_limits_and_bad_filters(api, path):
    numbers = [str(n) for n in range(33)]
    assert (await api.post(path, json={"number": numbers})).json()["error_code"] == 413
    assert (await api.post(path, json={"number": numbers[:32]})).json()["error_code"] == 200
    for bad in ({"number": "1"}, {"port": [9]}, {"time_after": 5}, {"number": [1]}):
        assert (await api.post(path, json=bad)).json()["error_code"] == 400, bad


async def test_query_result_bad_user_id_filter(api):
    response = await api.post("/api/query_sms_result", json={"user_id": 3})
    assert response.json()["error_code"] == 400


async def test_stop_sms_drops_waiting_messages(api, sim, raw):
    sim.settings.send_delay = 30
    answer = await send(
        api, {"text": "x", "param": [{"number": str(n)} for n in range(3)], "port": [0]}
    )
    assert answer["sms_in_queue"] == 3
    stop = await api.get("/api/stop_sms", params={"task_id": answer["task_id"]})
    assert stop.json() == {"error_code": 200, "sn": SN}
    assert (await api.get("/api/query_sms_in_queue")).json()["in_queue"] == 1
    assert (await api.get("/api/stop_sms", params={"task_id": 99})).json()["error_code"] == 404
    await raw.post("/_sim/faults", json={"stop_sms_not_found_code": 486})
    assert (await api.get("/api/stop_sms", params={"task_id": 99})).json()["error_code"] == 486
    assert (await api.get("/api/stop_sms")).json()["error_code"] == 400


async def test_recipients_spread_over_idle_ports(api, sim):
    sim.settings.send_delay = 0.3
    await send(api, {"text": "x", "param": [{"number": "1"}, {"number": "2"}], "port": [0, 1]})
    await wait_until(lambda: len(sim.state.results) == 2)
    assert sorted(record.port for record in sim.state.results) == [0, 1]
    assert sim.ports[0].busy
    assert sim.ports[1].busy
    await wait_until(lambda: not sim.ports[0].busy and not sim.ports[1].busy)


async def test_port_going_down_fails_waiting_and_sending_messages(api, sim, raw):
    sim.settings.send_delay = 0.3
    await send(api, {"text": "x", "param": [{"number": "1"}, {"number": "2"}], "port": [0]})
    await wait_until(lambda: statuses(sim) == ["SENDING"])
    await raw.post("/_sim/ports/0", json={"reg": "UNREGISTER"})
    await wait_until(lambda: statuses(sim) == ["SENDING", "FAILED"])
    await wait_until(lambda: statuses(sim) == ["FAILED", "FAILED"])


async def test_wrong_method_answers_403_unless_allowed(api, raw):
    assert (await api.get("/api/send_sms")).status_code == 403
    assert (await api.post("/api/query_sms_in_queue")).status_code == 403
    await raw.post("/_sim/faults", json={"allow_wrong_method": True})
    assert (await api.post("/api/query_sms_in_queue")).json()["error_code"] == 200
    assert (await api.get("/api/send_sms")).json()["error_code"] == 400
