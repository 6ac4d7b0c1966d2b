"""SMSLink delivery reports and 2-Way calls to the customer's URL (spec §2.8, §2.9, §3.6)."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import json
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
import httpx
import pytest

from simulators.server import serve
from tests.conftest import RunningSmsLink
from tests.simulators.conftest import wait_until

INDEX = "/sms/gateway/communicate/index.php"
SEND = {"connection_id": "demo", "password": "demo", "to": "0712345678", "message": "Hi"}


@dataclass
class Receiver:
    """Records each call (method, query, content type, decoded body); answers from a script."""

    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        raw = (await request.read()).decode()
        if request.content_type == "application/json":
            body: Any = json.loads(raw)
        else:
            body = dict(parse_qsl(raw))
        self.calls.append(
            {
                "method": request.method,
                "query": dict(request.query),
                "type": request.content_type,
                "body": body,
            }
        )
        status, text = self.answers.pop(0) if self.answers else (200, "")
        return web.Response(status=status, text=text)


@pytest.fixture
async def receiver(
    socket_enabled: None, smslink_simulator: RunningSmsLink
) -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_route("*", "/hook", receiver.handle)
    server = await serve(app)
    receiver.url = f"{server.url}/hook"
    smslink_simulator.sim.callbacks.url = receiver.url
    try:
        yield receiver
    finally:
        await server.stop()


async def calls(receiver: Receiver, count: int) -> list[dict[str, Any]]:
    await wait_until(lambda: len(receiver.calls) >= count)
    return receiver.calls


async def test_dlr_by_get_with_the_three_fields(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    await api.get(INDEX, params=SEND)
    (call,) = await calls(receiver, 1)
    assert call["method"] == "GET"
    assert set(call["query"]) == {"message_id", "status", "timestamp"}
    assert call["query"]["message_id"] == "220000000"
    assert call["query"]["status"] == "1"
    assert sim.account.messages[220000000].state == "delivered"


async def test_dlr_extended_post_form_and_forced_failure(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    sim.faults.update(dlr_method="POST", dlr_extended=True, dlr_delay_s=1.0)
    await api.get(INDEX, params={**SEND, "message": "x" * 200})
    forced = await api.post("/_sim/dlr-outcome", json={"message_id": 220000000, "status": 0})
    assert forced.status_code == 200
    (call,) = await calls(receiver, 1)
    assert (call["method"], call["type"]) == ("POST", "application/x-www-form-urlencoded")
    body = call["body"]
    assert (body["status"], body["message_count"], body["connection_id"]) == ("0", "2", "demo")
    assert {"network_id", "network_type", "delivery_report"} <= set(body)
    assert sim.account.messages[220000000].state == "undelivered"


async def test_dlr_post_json_with_retries(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    sim.faults.update(dlr_method="POST", dlr_post_format="json", dlr_retries=1)
    sim.faults["dlr_undelivered_rate"] = 1.0
    receiver.answers = [(503, "")]
    await api.get(INDEX, params=SEND)
    first, second = await calls(receiver, 2)
    assert first["type"] == second["type"] == "application/json"
    assert second["body"]["status"] == "0"
    history = (await api.get("/_sim/state")).json()["callbacks"]
    assert [entry["status"] for entry in history] == [503, 200]


async def test_no_dlr_in_test_mode_nor_without_url(api: httpx.AsyncClient, sim: Any) -> None:
    await api.get(INDEX, params={**SEND, "test": "1"})
    await api.get(INDEX, params=SEND)
    await asyncio.sleep(0.2)
    assert list(sim.callbacks.history) == []
    assert [m.state for m in sim.account.messages.values()] == ["test", "delivered"]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("GET", ("GET", "application/octet-stream")),
        ("POST", ("POST", "application/x-www-form-urlencoded")),
        ("POST_JSON", ("POST", "application/json")),
    ],
)
async def test_incoming_sms_in_each_method(
    api: httpx.AsyncClient,
    sim: Any,
    receiver: Receiver,
    method: str,
    expected: tuple[str, str],
) -> None:
    sim.faults["mo_method"] = method
    answer = await api.post("/_sim/incoming", json={"sender": "0712345678", "text": "Salut; ă"})
    assert answer.json()["called"] is True
    (call,) = await calls(receiver, 1)
    assert (call["method"], call["type"]) == expected
    fields = call["query"] if method == "GET" else call["body"]
    assert fields["sender"] == "0712345678"
    assert fields["receiver"] == "1847"
    assert fields["message"] == "Salut; ă"
    assert (fields["network_id"], fields["network_name"]) == ("2", "Orange RO")
    assert fields["timestamp"].isdigit()


async def test_incoming_retries_twice_on_failure_then_stops(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    sim.faults["mo_retry_window_s"] = 0.1
    receiver.answers = [(500, ""), (404, ""), (500, "")]
    await api.post("/_sim/incoming", json={"sender": "0712345678", "text": "x", "network_id": 5})
    await calls(receiver, 3)
    await asyncio.sleep(0.2)
    assert len(receiver.calls) == 3
    assert receiver.calls[0]["query"]["network_name"] == "Digimobil"


async def test_incoming_retries_on_a_connection_error(api: httpx.AsyncClient, sim: Any) -> None:
    sim.faults["mo_retry_window_s"] = 0.02
    sim.callbacks.url = "http://127.0.0.1:9/unreachable"
    await api.post("/_sim/incoming", json={"sender": "0712345678", "text": "x"})
    await wait_until(lambda: len(sim.callbacks.history) == 3)
    assert all(entry["error"] for entry in sim.callbacks.history)


async def test_respond_with_script_output(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    sim.faults["mo_respond_with_output"] = True
    receiver.answers = [(200, "Message Successfuly Received.\n"), (200, "  ")]
    await api.post("/_sim/incoming", json={"sender": "0712345678", "text": "x"})
    await api.post("/_sim/incoming", json={"sender": "0799999999", "text": "y"})
    await calls(receiver, 2)
    await wait_until(lambda: len(sim.callbacks.history) == 2)
    state = (await api.get("/_sim/state")).json()
    assert state["replies"] == [{"to": "0712345678", "text": "Message Successfuly Received."}]


async def test_incoming_without_url_is_not_called(api: httpx.AsyncClient) -> None:
    answer = await api.post("/_sim/incoming", json={"sender": "0712345678", "text": "x"})
    assert answer.json()["called"] is False


async def test_scheduled_message_reports_only_after_release(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    await api.get(INDEX, params={**SEND, "timestamp": str(sim.account.now() + 3600)})
    await asyncio.sleep(0.2)
    assert receiver.calls == []
    await api.post("/_sim/clock", json={"advance_s": 3600})
    await calls(receiver, 1)


async def test_scheduled_message_goes_out_on_its_own(
    api: httpx.AsyncClient, sim: Any, receiver: Receiver
) -> None:
    await api.get(INDEX, params={**SEND, "timestamp": str(sim.account.now() + 1)})
    (call,) = await calls(receiver, 1)
    assert call["query"]["message_id"] == "220000000"
