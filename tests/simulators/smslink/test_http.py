"""SMSLink index.php and json.php (spec §2.2, §2.3, §3.3, §3.4), checked with raw httpx."""

import time
from typing import Any

import httpx
import pytest

INDEX = "/sms/gateway/communicate/index.php"
JSON = "/sms/gateway/communicate/json.php"
AUTH = {"connection_id": "demo", "password": "demo"}


async def test_get_send_answers_the_documented_line(api: httpx.AsyncClient, sim: Any) -> None:
    response = await api.get(INDEX, params={**AUTH, "to": "0712345678", "message": "Hi"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == (
        "MESSAGE;1;Message sent to 0712345678 from numeric with ID 220000000!;"
        "220000000,0712345678,numeric"
    )
    assert sim.account.national_credit == 999
    assert sim.account.messages[220000000].via == "http"


async def test_post_form_send_and_international_charge(api: httpx.AsyncClient, sim: Any) -> None:
    text = "x" * 161  # two GSM segments
    response = await api.post(INDEX, data={**AUTH, "to": "00441234567890", "message": text})
    parts = response.text.split(";")
    assert parts[0] == "MESSAGE"
    assert parts[3].split(",")[1] == "00441234567890"
    assert sim.account.international_credit == 98
    unicode_text = "ă" * 71  # two UCS-2 segments
    await api.post(INDEX, data={**AUTH, "to": "0040712345678", "message": unicode_text})
    assert sim.account.national_credit == 998


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"connection_id": "demo", "password": "nope", "to": "0712345678", "message": "x"}, 2),
        ({"password": "demo", "to": "0712345678", "message": "x"}, 2),
        ({**AUTH, "message": "x"}, 3),
        ({**AUTH, "to": "0712345678"}, 3),
        ({**AUTH, "to": "071234567", "message": "x"}, 5),
        ({**AUTH, "to": "+40712345678", "message": "x"}, 5),
        ({**AUTH, "to": "0712345678", "message": "x", "sender": "Unknown"}, 6),
    ],
)
async def test_business_errors(api: httpx.AsyncClient, params: dict[str, str], code: int) -> None:
    response = await api.get(INDEX, params=params)
    assert response.status_code == 200
    kind, answered_code, text = response.text.split(";")
    assert (kind, int(answered_code)) == ("ERROR", code)
    assert text


async def test_no_credit(api: httpx.AsyncClient, sim: Any) -> None:
    sim.account.national_credit = 0
    response = await api.get(INDEX, params={**AUTH, "to": "0712345678", "message": "x"})
    assert response.text.startswith("ERROR;7;")


async def test_switches_for_plus_numbers_error_codes_and_status(
    api: httpx.AsyncClient, sim: Any
) -> None:
    sim.faults["accept_plus_numbers"] = True
    sim.faults["error_codes"] = {"auth": [42, "Bad login."]}
    sim.faults["business_error_http_status"] = 401
    ok = await api.get(INDEX, params={**AUTH, "to": "+40712345678", "message": "x"})
    assert ok.text.split(";")[3] == "220000000,0040712345678,numeric"
    refused = await api.get(INDEX, params={"connection_id": "demo", "password": "x"})
    assert (refused.status_code, refused.text) == (401, "ERROR;42;Bad login.")
    missing = await api.get(INDEX, params=AUTH)
    assert missing.text.startswith("ERROR;3;")


async def test_sender_states(api: httpx.AsyncClient, sim: Any) -> None:
    sim.account.senders.update({"Shop": "not_activated", "Bad": "rejected"})
    base = {**AUTH, "to": "0712345678", "message": "x"}
    approved = await api.get(INDEX, params={**base, "sender": "SMSGateway"})
    assert approved.text.endswith(",SMSGateway")
    fallback = await api.get(INDEX, params={**base, "sender": "Shop"})
    assert fallback.text.endswith(",numeric")
    rejected = await api.get(INDEX, params={**base, "sender": "Bad"})
    assert rejected.text.startswith("ERROR;6;")
    test_sender = await api.get(INDEX, params={**base, "sender": "SMSLink.ro"})
    assert test_sender.text.endswith(",SMSLink.ro")


async def test_sender_is_decoded_once(api: httpx.AsyncClient) -> None:
    """The PHP client double-encodes; the server decodes once, so `.` arrives as `%2E`."""
    url = f"{INDEX}?connection_id=demo&password=demo&to=0712345678&message=x&sender=SMSLink%252Ero"
    assert (await api.get(url)).text.startswith("ERROR;6;")
    url = f"{INDEX}?connection_id=demo&password=demo&to=0712345678&message=x&sender=SMSLink%2Ero"
    assert (await api.get(url)).text.endswith(",SMSLink.ro")


async def test_balance_and_credit_layouts(api: httpx.AsyncClient, sim: Any) -> None:
    sim.account.national_credit, sim.account.international_credit = 150, 3
    balance = await api.get(INDEX, params={**AUTH, "mode": "account-balance"})
    kind, code, text, variables = balance.text.split(";")
    assert (kind, code) == ("MESSAGE", "4")
    assert text == "Account balance is 150 national SMS and 3 international SMS"
    national, international, stamp = variables.split(",")
    assert (national, international) == ("150", "3")
    assert abs(int(stamp) - time.time()) < 5
    credit = await api.get(INDEX, params={**AUTH, "mode": "credit"})
    assert len(credit.text.split(";")[3].split(",")) == 2
    assert credit.text.split(";")[3].startswith("153,")
    sim.faults["credit_mode_layout"] = "national,international,timestamp"
    credit = await api.get(INDEX, params={**AUTH, "mode": "credit"})
    assert credit.text.split(";")[3].startswith("150,3,")


async def test_test_mode_variants(api: httpx.AsyncClient, sim: Any) -> None:
    params = {**AUTH, "to": "0712345678", "message": "x", "test": "1", "version": "WOO_1.0.1"}
    response = await api.get(INDEX, params=params)
    assert response.text.endswith("with ID 0!;0,0712345678,numeric")
    assert sim.account.national_credit == 1000
    assert [m.state for m in sim.account.messages.values()] == ["test"]
    sim.faults["test_mode_message_id"] = "real"
    response = await api.get(INDEX, params=params)
    assert response.text.endswith(";220000001,0712345678,numeric")
    sim.faults["test_mode_on_http"] = "ignored"
    await api.get(INDEX, params=params)
    assert sim.account.national_credit == 999


async def test_timestamp_schedules_until_the_clock_moves(api: httpx.AsyncClient, sim: Any) -> None:
    future = str(int(time.time()) + 3600)
    params = {**AUTH, "to": "0712345678", "message": "x", "timestamp": future}
    await api.get(INDEX, params=params)
    await api.get(INDEX, params={**params, "timestamp": "0"})
    states = [m.state for m in sim.account.messages.values()]
    assert states == ["scheduled", "sent"]
    moved = await api.post("/_sim/clock", json={"advance_s": 3601})
    assert moved.json()["released"] == [220000000]
    assert sim.account.messages[220000000].state == "sent"


async def test_json_get_and_post(api: httpx.AsyncClient) -> None:
    got = await api.get(JSON, params={**AUTH, "to": "0712345678", "message": "Test SMS"})
    assert got.json() == {
        "response_type": "MESSAGE",
        "response_id": "1",
        "response_message": "Message sent to 0712345678 from numeric with ID 220000000!",
        "message_id": "220000000",
    }
    posted = await api.post(JSON, json={**AUTH, "to": "0712345678", "message": "Test", "test": 1})
    assert posted.json()["message_id"] == "0"
    refused = await api.post(JSON, json={"connection_id": "demo", "password": "bad"})
    assert refused.json() == {
        "response_type": "ERROR",
        "response_id": "2",
        "response_message": "Invalid connection_id or password.",
    }
    junk = await api.post(JSON, content=b"{not json", headers={"Content-Type": "application/json"})
    assert junk.json()["response_type"] == "ERROR"
    empty = await api.post(JSON, params=AUTH, content=b"")
    assert empty.json()["response_id"] == "3"


async def test_json_switches_and_credit(api: httpx.AsyncClient, sim: Any) -> None:
    credit = (await api.get(JSON, params={**AUTH, "mode": "Credit"})).json()
    assert credit["response_message"].startswith("Account balance is 1000 national SMS")
    assert "credit" not in credit
    assert "message_id" not in credit
    sim.faults.update(json_ids_as_numbers=True, json_credit_key=True)
    credit = (await api.get(JSON, params={**AUTH, "mode": "Credit"})).json()
    assert (credit["response_id"], credit["credit"]) == (4, 1100)
    sent = (await api.get(JSON, params={**AUTH, "to": "0712345678", "message": "x"})).json()
    assert sent["message_id"] == 220000000


async def test_unknown_paths_and_methods(api: httpx.AsyncClient) -> None:
    assert (await api.get("/sms/gateway/communicate/nothing.php")).status_code == 404
    assert (await api.get("/sms/gateway/communicate/bulk-v3.php")).status_code == 405
