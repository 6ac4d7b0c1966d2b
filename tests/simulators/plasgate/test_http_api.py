"""Plasgate simulator, /api/send (spec §3.5), certificates, balance and transport faults."""

import httpx
import pytest

from simulators.cli import build_parser

FORM = {
    "to": "855123456789",
    "sender": "SMS Info",
    "content": "Hello from +Gate SMS Cloud",
    "username": "demo",
    "password": "demo",
}


async def faults(api: httpx.AsyncClient, **switches) -> None:
    response = await api.post("/_sim/faults", json=switches)
    assert response.status_code == 200, response.text


async def messages(api: httpx.AsyncClient) -> list[dict]:
    return (await api.get("/_sim/state")).json()["messages"]


async def test_urlencoded_form_answers_jasmin_text(api):
    response = await api.post("/api/send", data=FORM)
    assert response.status_code == 200
    [stored] = await messages(api)
    assert response.text == f'Success "{stored["id"]}"'
    assert stored["endpoint"] == "/api/send"
    assert stored["content"] == FORM["content"]


async def test_multipart_form_as_in_the_docs_curl(api):
    response = await api.post("/api/send", data=FORM, files={"dummy": ("", b"")})
    assert response.request.headers["content-type"].startswith("multipart/form-data")
    assert response.status_code == 200
    assert (await messages(api))[0]["to"] == "855123456789"


async def test_json_shape_switch(api):
    await faults(api, http_api_response_shape="json")
    response = await api.post("/api/send", data=FORM)
    [stored] = await messages(api)
    assert response.json() == {"queue_id": stored["id"], "message_count": 1}


async def test_bad_login_is_403_error_text(api):
    response = await api.post("/api/send", data={**FORM, "password": "wrong"})
    assert response.status_code == 403
    assert response.text == 'Error "Authentication failure"'


async def test_bad_login_status_switch_and_json_errors(api):
    await faults(api, http_api_auth_status=401, http_api_response_shape="json")
    response = await api.post("/api/send", data={**FORM, "username": "x"})
    assert response.status_code == 401
    assert response.json()["message"] == "Authentication failure"


async def test_validation_error_text_and_dlr_fields(api):
    response = await api.post("/api/send", data={**FORM, "to": "+855"})
    assert (response.status_code, response.text) == (400, 'Error "to is not a valid number"')
    response = await api.post(
        "/api/send",
        data={**FORM, "dlr": "yes", "dlr_url": "http://127.0.0.1:9/", "dlr_level": "2"},
    )
    assert response.status_code == 200
    assert (await messages(api))[0]["dlr"] == {
        "url": "http://127.0.0.1:9/",
        "level": 2,
        "method": "GET",
    }


async def test_rate_limit_200_per_minute(api):
    for _ in range(200):
        assert (await api.post("/api/send", data=FORM)).status_code == 200
    limited = await api.post("/api/send", data=FORM)
    assert (limited.status_code, limited.text) == (429, 'Error "Too many requests"')


async def test_certificates_need_the_rest_credentials(api):
    response = await api.get(
        "/sms/public/certificates", params={"private_key": "demo"}, headers={"X-Secret": "demo"}
    )
    assert response.status_code == 200
    assert response.text.startswith("-----BEGIN CERTIFICATE-----")
    refused = await api.get("/sms/public/certificates", params={"private_key": "demo"})
    assert refused.status_code == 401


async def test_balance_routes_only_with_jasmin_balance(api):
    assert (await api.get("/balance")).status_code == 404
    assert (await api.get("/secure/balance")).status_code == 404
    await faults(api, jasmin_balance=True)
    await api.post("/api/send", data={**FORM, "content": "x" * 200})
    by_login = await api.get("/balance", params={"username": "demo", "password": "demo"})
    assert by_login.json() == {"balance": 100.0, "sms_count": 2}
    by_key = await api.get(
        "/secure/balance", params={"private_key": "demo"}, headers={"X-Secret": "demo"}
    )
    assert by_key.status_code == 200
    assert (await api.get("/balance", params={"username": "demo"})).status_code == 403


async def test_unknown_path_and_wrong_method_are_404(api):
    assert (await api.get("/rest/send")).status_code == 404
    assert (await api.post("/nowhere")).status_code == 404


async def test_down_drops_the_connection(api):
    await faults(api, down=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("/api/send", data=FORM)


async def test_slow_answers_after_the_latency(api):
    await faults(api, latency_ms=300)
    with pytest.raises(httpx.ReadTimeout):
        await api.post("/api/send", data=FORM, timeout=0.1)


async def test_http_5xx_rate_one_always_fails(api):
    await faults(api, http_5xx_rate=1.0)
    response = await api.post("/api/send", data=FORM)
    assert response.status_code == 500
    assert await messages(api) == []


async def test_malformed_answers_keep_the_status(api):
    await faults(api, malformed_answers=True)
    response = await api.post(
        "/rest/send",
        params={"private_key": "demo"},
        headers={"X-Secret": "demo"},
        json={"sender": "SMS Info", "to": "85512345678", "content": "x"},
    )
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_cli_has_a_plasgate_command():
    args = build_parser().parse_args(
        ["plasgate", "--listen", "127.0.0.1:0", "--private-key", "k", "--secret", "s"]
    )
    app = __import__("simulators.cli", fromlist=["COMMANDS"]).COMMANDS["plasgate"].build_app(args)
    assert app.router is not None
    defaults = build_parser().parse_args(["plasgate"])
    assert (defaults.private_key, defaults.secret, defaults.listen) == (
        "demo",
        "demo",
        ("127.0.0.1", 8082),
    )
