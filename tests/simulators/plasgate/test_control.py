"""Plasgate simulator control API (spec §3.8) and its switch table (spec §3.7)."""

import pytest

from simulators.plasgate.faults import default_switches, validate_switch


def test_every_spec_switch_has_a_default():
    switches = default_switches()
    for name in (
        "rest_response_shape",
        "http_api_response_shape",
        "auth_error_status",
        "non_authoritative_203",
        "rate_limit_scope",
        "rate_limit_status",
        "enforce_client_limits",
        "accept_plus_in_to",
        "mask_style",
        "dlr_text_masked",
        "dlr_status_style",
        "require_jasmin_ack",
        "dlr_retries",
        "dlr_retry_interval_s",
        "schedule_tz",
        "accept_configs_key",
        "jasmin_balance",
        "latency_ms",
        "http_5xx_rate",
    ):
        assert name in switches
    assert switches["dlr_retries"] == 3
    assert switches["dlr_retry_interval_s"] == 30.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("rest_response_shape", "xml"),
        ("auth_error_status", 200),
        ("auth_error_status", True),
        ("http_5xx_rate", 2),
        ("mask_style", "none"),
        ("down", "yes"),
        ("auth_error_body", 5),
    ],
)
def test_bad_switch_values_are_refused(name, value):
    with pytest.raises(ValueError, match=name):
        validate_switch(name, value)


async def test_faults_endpoint_validates_before_applying(api):
    response = await api.post("/_sim/faults", json={"mask_style": "length", "nope": 1})
    assert response.status_code == 400
    assert response.json() == {"error": "unknown switch 'nope'"}
    response = await api.post("/_sim/faults", json={"mask_style": "length", "dlr_retries": -1})
    assert response.status_code == 400
    assert (await api.get("/_sim/state")).json()["faults"]["mask_style"] == "fixed"


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("faults", b"{", "body is not JSON"),
        ("faults", b"[]", "body is not a JSON object"),
        ("credentials", b'{"secret": ""}', "secret must be a non-empty string"),
        ("senders", b'{"senders": "SMS Info"}', "senders must be a list of strings"),
        ("outcomes", b'{"outcome": "lost", "to": "1"}', "outcome must be one of"),
        ("outcomes", b'{"outcome": "expired"}', "give an id or a to"),
        ("clock", b'{"advance_s": -1}', "advance_s must be a number of seconds >= 0"),
        ("clock", b'{"advance_s": true}', "advance_s must be a number of seconds >= 0"),
    ],
)
async def test_control_refusals(api, path, body, error):
    response = await api.post(f"/_sim/{path}", content=body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)


async def test_credentials_change_what_is_accepted(api):
    await api.post("/_sim/credentials", json={"username": "me@example.com", "password": "pw"})
    form = {"to": "85512345678", "sender": "SMS Info", "content": "x"}
    assert (
        await api.post("/api/send", data={**form, "username": "demo", "password": "demo"})
    ).status_code == 403
    ok = await api.post("/api/send", data={**form, "username": "me@example.com", "password": "pw"})
    assert ok.status_code == 200


async def test_state_lists_outcomes_clock_and_reset_clears(api):
    await api.post("/_sim/outcomes", json={"to": "85512345678", "outcome": "rejected"})
    await api.post("/_sim/outcomes", json={"id": "abc", "outcome": "expired"})
    await api.post("/_sim/clock", json={"advance_s": 5})
    await api.post("/_sim/clock", content=b"")
    state = (await api.get("/_sim/state")).json()
    assert state["outcomes"] == {
        "by_id": {"abc": "expired"},
        "by_number": {"85512345678": "rejected"},
    }
    assert state["clock_offset_s"] == 5
    assert state["settings"]["senders"] == ["SMS Info"]
    await api.post(
        "/rest/send",
        params={"private_key": "demo"},
        headers={"X-Secret": "demo"},
        json={"sender": "SMS Info", "to": "85512345678", "content": "x"},
    )
    assert len((await api.get("/_sim/state")).json()["messages"]) == 1
    assert (await api.post("/_sim/reset")).status_code == 200
    state = (await api.get("/_sim/state")).json()
    assert (state["messages"], state["rate_windows"]) == ([], {})
