"""Plasgate simulator callbacks (spec §3.4, §3.6): DLR levels, methods, styles, acks, batches."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import re

from aiohttp import web
import pytest

from simulators.server import serve
from tests.simulators.conftest import wait_until

KEY = {"private_key": "demo"}
SECRET = {"X-Secret": "demo"}
DATE = re.compile(r"^\d{10}$")


@dataclass
class Recorder:
    """Records every callback (method, path, fields) and answers from a script."""

    url: str = ""
    calls: list[dict] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        fields = dict(request.query) if request.method == "GET" else dict(await request.post())
        self.calls.append({"method": request.method, "path": request.path, "fields": fields})
        status, text = self.answers.pop(0) if self.answers else (200, "ACK/Jasmin")
        return web.Response(status=status, text=text)


@pytest.fixture
async def recorder(socket_enabled) -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    server = await serve(app)
    recorder.url = server.url
    yield recorder
    await server.stop()


async def send(api, recorder, content="Hello #ma#secret-code#ma# there", **dlr) -> str:
    body = {"sender": "SMS Info", "to": "85512345678", "content": content}
    body.update({"dlr": "yes", "dlr_url": f"{recorder.url}/dlr", **dlr})
    response = await api.post("/rest/send", params=KEY, headers=SECRET, json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["queue_id"])


async def test_level_1_get(api, recorder):
    message_id = await send(api, recorder, dlr_level=1)
    await wait_until(lambda: len(recorder.calls) == 1)
    [call] = recorder.calls
    assert call["method"] == "GET"
    assert call["path"] == "/dlr"
    assert call["fields"] == {"id": message_id, "message_status": "ESME_ROK", "level": "1"}


async def test_dlr_yes_alone_means_level_1(api, recorder):
    await send(api, recorder)
    await wait_until(lambda: len(recorder.calls) == 1)
    assert recorder.calls[0]["fields"]["level"] == "1"


async def test_level_2_post_form_with_receipt_fields(api, recorder):
    message_id = await send(api, recorder, dlr_level="2", dlr_method="post")
    await wait_until(lambda: len(recorder.calls) == 1)
    [call] = recorder.calls
    assert call["method"] == "POST"
    fields = call["fields"]
    assert fields["id"] == message_id
    assert fields["message_status"] == "DELIVRD"
    assert fields["level"] == "2"
    assert (fields["sub"], fields["dlvrd"], fields["err"]) == ("001", "001", "000")
    assert DATE.match(fields["subdate"])
    assert DATE.match(fields["donedate"])
    assert fields["id_smsc"]
    assert fields["text"] == "Hello *** there"


async def test_level_3_sends_both(api, recorder):
    await send(api, recorder, dlr_level=3)
    await wait_until(lambda: len(recorder.calls) == 2)
    assert [c["fields"]["level"] for c in recorder.calls] == ["1", "2"]


async def test_dlr_text_in_clear_and_first_20_characters(api, recorder):
    await api.post("/_sim/faults", json={"dlr_text_masked": False})
    await send(api, recorder, dlr_level=2)
    await wait_until(lambda: len(recorder.calls) == 1)
    assert recorder.calls[0]["fields"]["text"] == "Hello secret-code th"


@pytest.mark.parametrize(
    ("outcome", "stat", "esme", "level_1"),
    [
        ("expired", "EXPIRED", "ESME_RDELIVERYFAILURE", "ESME_ROK"),
        ("undelivered", "UNDELIV", "ESME_RDELIVERYFAILURE", "ESME_ROK"),
        ("rejected", "REJECTD", "ESME_RINVNUMDESTS", "ESME_RINVNUMDESTS"),
    ],
)
async def test_forced_outcomes_by_number_and_status_styles(
    api, recorder, outcome, stat, esme, level_1
):
    forced = await api.post("/_sim/outcomes", json={"to": "85512345678", "outcome": outcome})
    assert forced.status_code == 200
    await send(api, recorder, dlr_level=3)
    await wait_until(lambda: len(recorder.calls) == 2)
    assert recorder.calls[0]["fields"]["message_status"] == level_1
    assert recorder.calls[1]["fields"]["message_status"] == stat
    assert recorder.calls[1]["fields"]["dlvrd"] == "000"
    await api.post("/_sim/faults", json={"dlr_status_style": "esme"})
    await send(api, recorder, dlr_level=2)
    await wait_until(lambda: len(recorder.calls) == 3)
    assert recorder.calls[2]["fields"]["message_status"] == esme


async def test_forced_outcome_by_id_before_the_dlr(api, recorder):
    await api.post("/_sim/faults", json={"dlr_delay_s": 0.3})
    message_id = await send(api, recorder, dlr_level=2)
    await api.post("/_sim/outcomes", json={"id": message_id, "outcome": "expired"})
    await wait_until(lambda: len(recorder.calls) == 1)
    assert recorder.calls[0]["fields"]["message_status"] == "EXPIRED"
    state = (await api.get("/_sim/state")).json()
    assert state["messages"][0]["state"] == "expired"


async def test_jasmin_ack_required_retries_then_gives_up(api, recorder):
    await api.post(
        "/_sim/faults",
        json={"require_jasmin_ack": True, "dlr_retries": 2, "dlr_retry_interval_s": 0.01},
    )
    recorder.answers = [(200, "OK"), (500, "ACK/Jasmin"), (200, "nope")]
    await send(api, recorder, dlr_level=1)
    await wait_until(lambda: len(recorder.calls) == 3)
    await asyncio.sleep(0.1)
    assert len(recorder.calls) == 3
    history = (await api.get("/_sim/state")).json()["callbacks"]
    assert [(h["attempt"], h["acknowledged"]) for h in history] == [
        (1, False),
        (2, False),
        (3, False),
    ]


async def test_jasmin_ack_accepted_stops_retrying(api, recorder):
    await api.post("/_sim/faults", json={"require_jasmin_ack": True, "dlr_retry_interval_s": 0.01})
    recorder.answers = [(200, "OK"), (200, "ACK/Jasmin\n")]
    await send(api, recorder, dlr_level=1)
    await wait_until(lambda: len(recorder.calls) == 2)
    await asyncio.sleep(0.1)
    assert len(recorder.calls) == 2


async def test_any_2xx_is_an_ack_by_default(api, recorder):
    recorder.answers = [(204, "")]
    await send(api, recorder, dlr_level=1)
    await wait_until(lambda: len(recorder.calls) == 1)
    await asyncio.sleep(0.1)
    assert len(recorder.calls) == 1


async def test_unreachable_receiver_is_recorded(api, socket_enabled):
    await api.post("/_sim/faults", json={"dlr_retries": 0})
    body = {"sender": "SMS Info", "to": "85512345678", "content": "x"}
    body.update(dlr="yes", dlr_url="http://127.0.0.1:9/dlr")
    await api.post("/rest/send", params=KEY, headers=SECRET, json=body)

    async def history() -> list:
        return (await api.get("/_sim/state")).json()["callbacks"]

    for _ in range(300):
        if await history():
            break
        await asyncio.sleep(0.01)
    [entry] = await history()
    assert entry["error"] == "ClientConnectorError"
    assert entry["acknowledged"] is False


async def test_batch_callbacks_per_message_and_dlr_from_globals(api, recorder):
    body = {
        "globals": {
            "sender": "SMS Info",
            "dlr": "yes",
            "dlr_url": f"{recorder.url}/dlr",
            "dlr_level": 1,
        },
        "messages": [{"to": ["85512345678", "123"], "content": "x"}],
        "batch_config": {"callback_url": f"{recorder.url}/ok", "errback_url": f"{recorder.url}/ko"},
    }
    response = await api.post("/rest/batch-send", params=KEY, headers=SECRET, json=body)
    batch_id = response.json()["queue_id"]
    await wait_until(lambda: len(recorder.calls) == 4)
    by_path = {}
    for call in recorder.calls:
        by_path.setdefault(call["path"], []).append(call)
    [ok] = by_path["/ok"]
    [ko] = by_path["/ko"]
    messages = (await api.get("/_sim/state")).json()["messages"]
    assert ok["method"] == "GET"
    assert ok["fields"] == {
        "batchId": batch_id,
        "status": "1",
        "statusText": f'Success "{messages[0]["id"]}"',
    }
    assert ko["fields"] == {
        "batchId": batch_id,
        "status": "0",
        "statusText": 'Error "Invalid destination address"',
    }
    statuses = sorted(call["fields"]["message_status"] for call in by_path["/dlr"])
    assert statuses == ["ESME_RINVNUMDESTS", "ESME_ROK"]


async def test_batch_without_errback_sends_nothing_for_failures(api, recorder):
    body = {
        "globals": {"sender": "SMS Info"},
        "messages": [{"to": ["123"], "content": "x"}],
        "batch_config": {"callback_url": f"{recorder.url}/ok"},
    }
    await api.post("/rest/batch-send", params=KEY, headers=SECRET, json=body)
    await asyncio.sleep(0.2)
    assert recorder.calls == []
