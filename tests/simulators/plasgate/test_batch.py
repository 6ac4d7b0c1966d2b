"""Plasgate simulator, /rest/batch-send (spec §3.4): body, config block, schedule, rate limit."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

KEY = {"private_key": "demo"}
SECRET = {"X-Secret": "demo"}
BATCH = {
    "globals": {"sender": "SMS Info"},
    "messages": [
        {"to": ["855123456780", "855123456781"], "content": "Hello #ma#42#ma#"},
        {"to": ["85597123456"], "content": "Second"},
    ],
}


async def batch(api: httpx.AsyncClient, body=None, **kwargs) -> httpx.Response:
    kwargs.setdefault("params", KEY)
    kwargs.setdefault("headers", SECRET)
    return await api.post("/rest/batch-send", json=BATCH if body is None else body, **kwargs)


async def state(api: httpx.AsyncClient) -> dict:
    return (await api.get("/_sim/state")).json()


async def states_become(api: httpx.AsyncClient, wanted: list[str]) -> None:
    """Poll the stored message states until they are `wanted`, in order."""
    for _ in range(300):
        if [m["state"] for m in (await state(api))["messages"]] == wanted:
            return
        await asyncio.sleep(0.01)
    raise AssertionError([m["state"] for m in (await state(api))["messages"]])


async def test_each_to_entry_becomes_one_message(api):
    response = await batch(api)
    assert response.status_code == 200
    body = response.json()
    assert body["message_count"] == 3
    stored = (await state(api))["messages"]
    assert [m["to"] for m in stored] == ["855123456780", "855123456781", "85597123456"]
    assert {m["batch_id"] for m in stored} == {body["queue_id"]}
    assert len({m["id"] for m in stored}) == 3
    assert stored[0]["content"] == "Hello 42"
    assert stored[0]["report_content"] == "Hello ***"


async def test_jasmin_rest_shape(api):
    await api.post("/_sim/faults", json={"rest_response_shape": "jasmin_rest"})
    data = (await batch(api)).json()["data"]
    assert data["messageCount"] == 3
    assert (await state(api))["messages"][0]["batch_id"] == data["batchId"]


async def test_missing_content_type_is_accepted(api):
    import json

    response = await api.post(
        "/rest/batch-send", params=KEY, headers=SECRET, content=json.dumps(BATCH).encode()
    )
    assert response.status_code == 200
    assert "content-type" not in {k.lower() for k in response.request.headers}


async def test_bad_key_is_refused(api):
    response = await batch(api, headers={"X-Secret": "bad"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"messages": BATCH["messages"]}, "globals is required"),
        ({"globals": {}, "messages": BATCH["messages"]}, "sender is required"),
        ({"globals": {"sender": "SMS Info"}}, "messages must be a non-empty list"),
        ({"globals": {"sender": "SMS Info"}, "messages": []}, "messages must be a non-empty list"),
        (
            {
                "globals": {"sender": "SMS Info"},
                "messages": [{"to": "85512345678", "content": "x"}],
            },
            "each message needs a list `to` and a `content`",
        ),
        (
            {"globals": {"sender": "SMS Info"}, "messages": [{"to": [], "content": "x"}]},
            "to must not be empty",
        ),
        (
            {"globals": {"sender": "SMS Info"}, "messages": [{"to": ["85512345678"]}]},
            "content is required",
        ),
        ({**BATCH, "batch_config": "x"}, "batch_config must be an object"),
        (
            {**BATCH, "batch_config": {"callback_url": "ftp://x"}},
            "callback_url must be an http(s) URL",
        ),
        (
            {**BATCH, "batch_config": {"schedule_at": "tomorrow"}},
            "schedule_at must be YYYY-MM-DD HH:MM:SS",
        ),
        ({**BATCH, "batch_config": {"schedule_at": 5}}, "schedule_at must be YYYY-MM-DD HH:MM:SS"),
        (
            {**BATCH, "globals": {"sender": "SMS Info", "dlr": "yes"}},
            "dlr_url is required with dlr or dlr_level",
        ),
    ],
)
async def test_refusals(api, body, reason):
    response = await batch(api, body)
    assert response.status_code == 400
    assert response.json()["message"] == reason
    assert (await state(api))["messages"] == []


async def test_invalid_numbers_are_accepted_then_rejected(api):
    body = {"globals": {"sender": "SMS Info"}, "messages": [{"to": ["12", 5], "content": "x"}]}
    assert (await batch(api, body)).status_code == 200
    stored = (await state(api))["messages"]
    assert [m["to"] for m in stored] == ["12", "5"]
    await states_become(api, ["rejected", "rejected"])


@pytest.mark.parametrize("key", ["batch_config", "configs"])
async def test_config_block_under_either_key(api, key):
    body = {
        **BATCH,
        key: {"callback_url": "http://127.0.0.1:9/cb", "errback_url": "http://127.0.0.1:9/eb"},
    }
    assert (await batch(api, body)).status_code == 200
    stored = (await state(api))["messages"][0]
    assert stored["callback_url"] == "http://127.0.0.1:9/cb"
    assert stored["errback_url"] == "http://127.0.0.1:9/eb"


async def test_configs_key_can_be_switched_off(api):
    await api.post("/_sim/faults", json={"accept_configs_key": False})
    body = {**BATCH, "configs": {"callback_url": "http://127.0.0.1:9/cb"}}
    assert (await batch(api, body)).status_code == 200
    assert (await state(api))["messages"][0]["callback_url"] is None


@pytest.mark.parametrize(("zone", "hours"), [("UTC+7", 7), ("UTC", 0)])
async def test_scheduled_messages_are_held_until_due(api, zone, hours):
    await api.post("/_sim/faults", json={"schedule_tz": zone})
    due = datetime.now(UTC) + timedelta(hours=1)
    local = (due + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")
    assert (await batch(api, {**BATCH, "batch_config": {"schedule_at": local}})).status_code == 200
    await asyncio.sleep(0.1)
    stored = (await state(api))["messages"]
    assert stored[0]["schedule_at"].startswith(local.replace(" ", "T"))
    assert {m["state"] for m in stored} == {"scheduled"}
    await api.post("/_sim/clock", json={"advance_s": 3601})
    await states_become(api, ["delivered"] * 3)


async def test_unscheduled_messages_are_delivered_at_once(api):
    await batch(api)
    await states_become(api, ["delivered"] * 3)


async def test_rate_limit_100_per_minute_separate_from_single_sends(api):
    small = {
        "globals": {"sender": "SMS Info"},
        "messages": [{"to": ["85512345678"], "content": "x"}],
    }
    for _ in range(100):
        assert (await batch(api, small)).status_code == 200
    assert (await batch(api, small)).status_code == 429
    single = await api.post(
        "/rest/send",
        params=KEY,
        headers=SECRET,
        json={"sender": "SMS Info", "to": "85512345678", "content": "x"},
    )
    assert single.status_code == 200
