"""Plasgate simulator, /rest/send (spec §3.3): auth, shapes, validation, masking, rate limits."""

import json
import re

import httpx
import pytest

KEY = {"private_key": "demo"}
SECRET = {"X-Secret": "demo"}
GOOD = {"sender": "SMS Info", "to": "85512345678", "content": "Hello"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


async def faults(api: httpx.AsyncClient, **switches) -> None:
    response = await api.post("/_sim/faults", json=switches)
    assert response.status_code == 200, response.text


async def send(api: httpx.AsyncClient, body=None, **kwargs) -> httpx.Response:
    kwargs.setdefault("params", KEY)
    kwargs.setdefault("headers", SECRET)
    return await api.post("/rest/send", json=GOOD if body is None else body, **kwargs)


async def messages(api: httpx.AsyncClient) -> list[dict]:
    return (await api.get("/_sim/state")).json()["messages"]


async def test_success_answers_queue_id_and_segments(api):
    response = await send(api, {**GOOD, "content": "x" * 161})
    assert response.status_code == 200
    body = response.json()
    assert UUID.match(body["queue_id"])
    assert body["message_count"] == 2
    [stored] = await messages(api)
    assert stored["id"] == body["queue_id"]
    assert stored["to"] == "85512345678"
    assert stored["sender"] == "SMS Info"


async def test_unicode_content_counts_ucs2_segments(api):
    response = await send(api, {**GOOD, "content": "ស" * 71})
    assert response.json()["message_count"] == 2


async def test_header_name_is_case_insensitive(api):
    response = await send(api, headers={"x-secret": "demo"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "headers"),
    [({}, SECRET), ({"private_key": "nope"}, SECRET), (KEY, {}), (KEY, {"X-Secret": "nope"})],
)
async def test_bad_key_or_secret_is_401_invalid_key(api, params, headers):
    response = await send(api, params=params, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "Invalid key"}
    assert await messages(api) == []


async def test_auth_status_and_body_are_switches(api):
    await faults(api, auth_error_status=403, auth_error_body="Forbidden")
    response = await send(api, headers={"X-Secret": "nope"})
    assert (response.status_code, response.text) == (403, "Forbidden")


@pytest.mark.parametrize(
    ("shape", "check"),
    [
        ("jasmin_rest", lambda r, i: r.json() == {"data": {"batchId": i, "messageCount": 1}}),
        ("jasmin_text", lambda r, i: r.text == f'Success "{i}"'),
        (
            '{"ok":true,"ref":"{id}","n":{count}}',
            lambda r, i: r.json() == {"ok": True, "ref": i, "n": 1},
        ),
    ],
)
async def test_response_shape_switch(api, shape, check):
    await faults(api, rest_response_shape=shape)
    response = await send(api)
    assert response.status_code == 200
    [stored] = await messages(api)
    assert check(response, stored["id"])


async def test_non_authoritative_203_accepts_nothing(api):
    await faults(api, non_authoritative_203=True)
    response = await send(api)
    assert response.status_code == 203
    assert "Non-Authoritative" in response.json()["message"]
    assert await messages(api) == []


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"sender": None}, 400, "sender is required"),
        ({"to": None}, 400, "to is required"),
        ({"content": None}, 400, "content is required"),
        ({"to": "+85512345678"}, 400, "to is not a valid number"),
        ({"to": "12345"}, 400, "to is not a valid number"),
        ({"to": "1234567890123456"}, 400, "to is not a valid number"),
        ({"to": "855-1234567"}, 400, "to is not a valid number"),
        ({"sender": "TwelveChars!"}, 400, "sender is longer than 11 characters"),
        ({"sender": "Other"}, 400, "sender is not approved"),
        ({"content": "x" * 1501}, 400, "content is longer than 1500 characters"),
        ({"dlr": "yes"}, 400, "dlr_url is required with dlr or dlr_level"),
        ({"dlr_level": 2}, 400, "dlr_url is required with dlr or dlr_level"),
        ({"dlr": "maybe"}, 400, "dlr must be yes or no"),
        (
            {"dlr": "yes", "dlr_url": "http://x/", "dlr_level": 4},
            400,
            "dlr_level must be 1, 2 or 3",
        ),
        (
            {"dlr": "yes", "dlr_url": "http://x/", "dlr_method": "PUT"},
            400,
            "dlr_method must be GET or POST",
        ),
    ],
)
async def test_validation_refusals(api, change, status, reason):
    body = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    response = await send(api, body)
    assert response.status_code == status
    assert response.json()["message"] == reason
    assert response.json()["error"] == reason
    assert await messages(api) == []


async def test_body_must_be_a_json_object(api):
    for raw in (b"not json", b"[1, 2]"):
        response = await api.post("/rest/send", params=KEY, headers=SECRET, content=raw)
        assert response.status_code == 400


async def test_plus_in_to_is_a_switch(api):
    await faults(api, accept_plus_in_to=True)
    response = await send(api, {**GOOD, "to": "+85512345678"})
    assert response.status_code == 200
    assert (await messages(api))[0]["to"] == "85512345678"


async def test_client_limits_can_be_switched_off(api):
    await faults(api, enforce_client_limits=False)
    api_senders = await api.post("/_sim/senders", json={"senders": ["TwelveChars!"]})
    assert api_senders.status_code == 200
    body = {**GOOD, "sender": "TwelveChars!", "content": "y" * 1501}
    assert (await send(api, body)).status_code == 200


async def test_unapproved_sender_status_is_a_switch(api):
    await faults(api, bad_sender_status=403)
    assert (await send(api, {**GOOD, "sender": "Other"})).status_code == 403


@pytest.mark.parametrize(
    ("style", "report"),
    [("fixed", "Code *** and ***!"), ("length", "Code ****** and **!")],
)
async def test_masking_strips_markers_and_masks_the_report(api, style, report):
    await faults(api, mask_style=style)
    await send(api, {**GOOD, "content": "Code #ma#123456#ma# and #ma#ab#ma#!"})
    [stored] = await messages(api)
    assert stored["content"] == "Code 123456 and ab!"
    assert stored["report_content"] == report


async def test_unpaired_marker_masks_nothing(api):
    await send(api, {**GOOD, "content": "Pin #ma#1234"})
    [stored] = await messages(api)
    assert stored["content"] == stored["report_content"] == "Pin 1234"


async def test_rate_limit_200_per_minute_then_429_until_the_window_slides(api):
    for _ in range(200):
        assert (await send(api)).status_code == 200
    limited = await send(api)
    assert limited.status_code == 429
    assert limited.json()["message"] == "Too many requests"
    assert len(await messages(api)) == 200
    state = (await api.get("/_sim/state")).json()
    assert state["rate_windows"] == {"send:demo": 200}
    await api.post("/_sim/clock", json={"advance_s": 60})
    assert (await send(api)).status_code == 200


async def test_rate_limit_counts_per_credential_by_default(api, plasgate_simulator):
    for _ in range(200):
        await send(api)
    await api.post("/_sim/credentials", json={"private_key": "other", "secret": "s2"})
    other = await send(api, params={"private_key": "other"}, headers={"X-Secret": "s2"})
    assert other.status_code == 200


@pytest.mark.parametrize("scope", ["ip", "global"])
async def test_rate_limit_scope_and_status_are_switches(api, scope):
    await faults(api, rate_limit_scope=scope, rate_limit_status=503)
    for _ in range(200):
        await send(api)
    assert (await send(api)).status_code == 503
    state = (await api.get("/_sim/state")).json()
    assert list(state["rate_windows"].values()) == [201 - 1]


async def test_unauthenticated_requests_are_not_counted(api):
    for _ in range(5):
        await send(api, headers={})
    state = (await api.get("/_sim/state")).json()
    assert state["rate_windows"] == {}
    assert state["requests"] == {"/rest/send": 5}


async def test_secrets_never_appear_in_the_state(api):
    await send(api)
    state = json.dumps((await api.get("/_sim/state")).json())
    assert '"private_key"' not in state
    assert '"secret"' not in state
    assert '"password"' not in state
