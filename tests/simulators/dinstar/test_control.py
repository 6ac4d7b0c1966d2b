"""The control API under /_sim/ (DESIGN.md "Simulators: how they are started and steered")."""

import pytest

from simulators.dinstar.faults import default_faults, validate_fault

SPEC_SWITCHES = {
    "accept_basic": False,
    "drop_empty_post_probe": True,
    "flaky_auth_rate": 0,
    "error_http_status": 200,
    "trailing_commas": False,
    "remain_key_style": "response",
    "stk_input_type_as_string": False,
    "stk_accept_cancel": True,
    "stop_sms_not_found_code": 404,
    "ussd_result_key": "result",
    "ussd_blank_reply": " ",
    "sms_include_imsi": True,
    "sms_result_push_user_id": False,
    "signal_unknown_99": False,
    "gprs_values": ["attached", "detached"],
    "callforward_key": "CallForwarding",
    "cdr_key": "cdr",
    "bcch_key": "bcch",
    "port_info_smsc": False,
    "allow_wrong_method": False,
    "push_retries": 0,
    "push_duplicate": False,
    "incoming_id_reset": None,
    "latency_ms": 0,
    "timeout_paths": [],
    "drop_connection_paths": [],
    "fail_500_paths": [],
}


def test_every_spec_switch_has_the_tables_default(sim):
    assert {name: sim.faults[name] for name in SPEC_SWITCHES} == SPEC_SWITCHES
    fresh = default_faults()
    fresh["timeout_paths"].append("/x")
    assert default_faults()["timeout_paths"] == []


async def test_state_holds_everything_but_the_password(api, raw, sim):
    await api.get("/api/get_port_info", params={"info_type": "reg"})
    state = (await raw.get("/_sim/state")).json()
    assert state["sn"] == "da00-0030-1901-2817"
    assert "password" not in state["settings"]
    assert "admin" not in str(state["requests"]["log"])
    assert len(state["ports"]) == 8
    assert state["faults"] == sim.faults
    assert state["requests"]["counts"] == {"/api/get_port_info": 2}
    assert state["requests"]["handled"] == {"/api/get_port_info": 1}
    first, second = state["requests"]["log"]
    assert (first["status"], first["auth"]) == (401, None)
    assert (second["status"], second["auth"]) == (200, "Digest")
    assert second["query"] == {"info_type": "reg"}
    assert set(state) >= {
        "queue", "results", "deliveries", "inbox", "cdrs", "ussd", "stk", "pushes", "tasks"
    }  # fmt: skip
    assert (await raw.post("/_sim/requests-reset")).status_code == 200
    assert (await raw.get("/_sim/state")).json()["requests"]["counts"] == {}


async def test_sent_messages_and_bodies_are_visible(api, raw):
    await api.post("/api/send_sms", json={"text": "visible", "param": [{"number": "1"}]})
    await api.post("/api/send_sms", content=b"not json")
    state = (await raw.get("/_sim/state")).json()
    bodies = [entry["body"] for entry in state["requests"]["log"]]
    assert {"text": "visible", "param": [{"number": "1"}]} in bodies
    assert "not json" in bodies


async def test_faults_are_checked_before_any_is_applied(raw, sim):
    response = await raw.post("/_sim/faults", json={"accept_basic": True, "no_such_switch": 1})
    assert response.status_code == 400
    assert "no_such_switch" in response.json()["error"]
    assert sim.faults["accept_basic"] is False
    for body in (
        {"accept_basic": "yes"},
        {"flaky_auth_rate": 1.5},
        {"error_http_status": 201},
        {"stop_sms_not_found_code": True},
        {"gprs_values": ["a"]},
        {"timeout_paths": ["api/x"]},
        {"push_retries": 11},
        {"ussd_too_long_code": 200},
        {"nonce_lifetime": 0},
    ):
        assert (await raw.post("/_sim/faults", json=body)).status_code == 400, body
    applied = await raw.post("/_sim/faults", json={"accept_basic": True, "latency_ms": 0})
    assert applied.json()["accept_basic"] is True


def test_validate_fault_names_and_values():
    validate_fault("trailing_commas", True)
    with pytest.raises(KeyError):
        validate_fault("nope", True)
    with pytest.raises(ValueError, match="remain_key_style"):
        validate_fault("remain_key_style", "both")


async def test_control_needs_json_objects(raw):
    assert (await raw.post("/_sim/faults", content=b"[]")).status_code == 400
    assert (await raw.post("/_sim/faults")).status_code == 200
