"""The SMSLink simulator's control API, transport faults and CLI row."""

from typing import Any

import httpx
import pytest

from simulators.cli import COMMANDS, build_parser
from simulators.smslink.faults import validate_fault
from simulators.smslink.simulator import SmsLinkSimulator

INDEX = "/sms/gateway/communicate/index.php"
SEND = {"connection_id": "demo", "password": "demo", "to": "0712345678", "message": "Hi"}


async def test_state_holds_everything_but_the_password(api: httpx.AsyncClient) -> None:
    await api.get(INDEX, params=SEND)
    state = (await api.get("/_sim/state")).json()
    assert "password" not in state["settings"]
    assert state["settings"]["connection_id"] == "demo"
    (message,) = state["account"]["messages"]
    assert (message["to"], message["text"], message["segments"]) == ("0712345678", "Hi", 1)
    (logged,) = state["requests"]["log"]
    assert "password" not in logged["query"]
    assert logged["query"]["connection_id"] == "demo"
    assert state["requests"]["counts"] == {INDEX: 1}


async def test_credit_blacklist_senders_and_callback_url(api: httpx.AsyncClient, sim: Any) -> None:
    credit = await api.post("/_sim/credit", json={"national": 5, "international": 0})
    assert credit.json() == {"national": 5, "international": 0}
    assert (await api.post("/_sim/credit", json={"national": 7})).json()["national"] == 7
    await api.post("/_sim/blacklist", json={"numbers": ["0712345678"]})
    assert sim.account.is_blacklisted("0040712345678")
    await api.post("/_sim/senders", json={"Shop": "not_activated"})
    assert sim.account.sender_to_use("Shop") == "numeric"
    url = await api.post("/_sim/callback-url", json={"url": "http://127.0.0.1:1/x"})
    assert url.json() == {"url": "http://127.0.0.1:1/x"}
    assert (await api.post("/_sim/callback-url", json={})).json() == {"url": None}


async def test_faults_are_validated(api: httpx.AsyncClient, sim: Any) -> None:
    ok = await api.post("/_sim/faults", json={"dlr_retries": 2, "error_codes": {"auth": [9, "x"]}})
    assert ok.json()["dlr_retries"] == 2
    for body in (
        {"nope": 1},
        {"dlr_retries": True},
        {"drop_rate": 2},
        {"error_codes": {"auth": [1, "a;b"]}},
        {"bulk_success_text": "a\nb"},
        {"dlr_method": "PUT"},
    ):
        assert (await api.post("/_sim/faults", json=body)).status_code == 400
    assert sim.faults["dlr_method"] == "GET"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("credit", {"national": -1}),
        ("credit", {"national": True}),
        ("blacklist", {"numbers": "0712345678"}),
        ("senders", {"Shop": "maybe"}),
        ("senders", {"a;b": "approved"}),
        ("dlr-outcome", {"message_id": 1, "status": 1}),
        ("dlr-outcome", {"message_id": [1], "status": 1}),
        ("clock", {"advance_s": -1}),
        ("clock", {}),
        ("incoming", {"sender": "0712345678"}),
        ("incoming", {"sender": "0712345678", "text": "x", "network_id": 4}),
        ("callback-url", {"url": 5}),
    ],
)
async def test_control_refusals(api: httpx.AsyncClient, path: str, body: dict[str, Any]) -> None:
    response = await api.post(f"/_sim/{path}", json=body)
    assert response.status_code == 400
    assert response.json()["error"]


async def test_control_refuses_non_objects(api: httpx.AsyncClient) -> None:
    assert (await api.post("/_sim/credit", content=b"[1]")).status_code == 400
    assert (await api.post("/_sim/credit", content=b"{oops")).status_code == 400


async def test_dlr_outcome_needs_zero_or_one(api: httpx.AsyncClient) -> None:
    await api.get(INDEX, params=SEND)
    bad = await api.post("/_sim/dlr-outcome", json={"message_id": 220000000, "status": 2})
    assert bad.status_code == 400


async def test_transport_faults(api: httpx.AsyncClient, sim: Any) -> None:
    sim.faults["malformed"] = True
    malformed = await api.get(INDEX, params=SEND)
    assert malformed.headers["content-type"].startswith("text/html")
    sim.faults.update(malformed=False, http_5xx_rate=1.0)
    assert (await api.get(INDEX, params=SEND)).status_code == 500
    sim.faults.update(http_5xx_rate=0.0, down=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get(INDEX, params=SEND)
    sim.faults.update(down=False, latency_ms=300)
    with pytest.raises(httpx.ReadTimeout):
        await api.get(INDEX, params=SEND, timeout=0.05)
    assert sim.account.messages == {}


def test_validate_fault_names_unknown_switches() -> None:
    with pytest.raises(KeyError):
        validate_fault("nope", 1)


def test_cli_row_builds_the_app_with_flags() -> None:
    args = build_parser().parse_args(
        ["smslink", "--listen", "127.0.0.1:0", "--callback-url", "http://h/cb", "--password", "p"]
    )
    assert args.listen == ("127.0.0.1", 0)
    app = COMMANDS["smslink"].build_app(args)
    assert app.router is not None
    sim = SmsLinkSimulator()
    assert (sim.settings.connection_id, sim.settings.password) == ("demo", "demo")
