"""Reading Plasgate DLRs and batch callbacks, alone and as the simulator sends them."""

from collections.abc import AsyncIterator
from datetime import datetime

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.errors import InvalidPushError
from custom_components.sms_gateway.providers.plasgate import (
    DLR_ACK,
    BatchCallback,
    DeliveryState,
    DlrOptions,
    PlasgateClient,
    parse_batch_callback,
    parse_delivery_report,
)
from simulators.server import serve
from tests.conftest import RunningPlasgate
from tests.simulators.conftest import wait_until


@pytest.mark.parametrize(
    ("status", "level", "state"),
    [
        ("ESME_ROK", "1", DeliveryState.ACCEPTED),
        ("ESME_RINVNUMDESTS", "1", DeliveryState.REJECTED),
        ("ESME_ROK", "2", DeliveryState.DELIVERED),
        ("ESME_RDELIVERYFAILURE", "2", DeliveryState.UNDELIVERED),
        ("DELIVRD", "2", DeliveryState.DELIVERED),
        ("delivrd", "2", DeliveryState.DELIVERED),
        ("EXPIRED", "2", DeliveryState.EXPIRED),
        ("UNDELIV", "2", DeliveryState.UNDELIVERED),
        ("REJECTD", "2", DeliveryState.REJECTED),
        ("ACCEPTD", "2", DeliveryState.ACCEPTED),
        ("SOMETHING", "2", DeliveryState.UNKNOWN),
        ("ESME_ROK", None, DeliveryState.DELIVERED),
    ],
)
def test_status_values_of_both_kinds(status, level, state):
    fields = {"id": "m1", "message_status": status}
    if level is not None:
        fields["level"] = level
    report = parse_delivery_report(fields)
    assert report.state is state
    assert report.status == status
    assert report.level == (None if level is None else int(level))


def test_level_2_fields():
    report = parse_delivery_report(
        {
            "id": "m1",
            "message_status": "DELIVRD",
            "level": "2",
            "id_smsc": "abc",
            "subdate": "2611220305",
            "donedate": "bad",
            "err": "000",
            "text": "Hello *** there",
        }
    )
    assert report.smsc_id == "abc"
    assert report.submitted == datetime(2026, 11, 22, 3, 5)  # noqa: DTZ001
    assert report.done is None
    assert report.error == "000"
    assert report.text == "Hello *** there"


@pytest.mark.parametrize(
    "fields", [{}, {"id": "m1"}, {"message_status": "DELIVRD"}, {"id": " ", "message_status": "X"}]
)
def test_reports_without_id_or_status_are_refused(fields):
    with pytest.raises(InvalidPushError):
        parse_delivery_report(fields)


def test_batch_callbacks():
    assert parse_batch_callback(
        {"batchId": "b1", "status": "1", "statusText": 'Success "m1"'}
    ) == BatchCallback("b1", success=True, message_id="m1", reason=None)
    assert parse_batch_callback(
        {"batchId": "b1", "status": "0", "statusText": 'Error "Invalid destination address"'}
    ) == BatchCallback("b1", success=False, message_id=None, reason="Invalid destination address")
    assert parse_batch_callback({"batchId": "b1", "status": "0"}).reason is None
    for bad in ({"status": "1"}, {"batchId": "b1", "status": "2"}):
        with pytest.raises(InvalidPushError):
            parse_batch_callback(bad)


class Receiver:
    """A webhook that parses with the client's readers and answers ACK/Jasmin."""

    def __init__(self) -> None:
        self.url = ""
        self.reports = []
        self.batches = []

    async def dlr(self, request: web.Request) -> web.Response:
        fields = dict(request.query) if request.method == "GET" else dict(await request.post())
        self.reports.append(parse_delivery_report(fields))
        return web.Response(text=DLR_ACK)

    async def batch(self, request: web.Request) -> web.Response:
        self.batches.append(parse_batch_callback(dict(request.query)))
        return web.Response(text=DLR_ACK)


@pytest.fixture
async def receiver(socket_enabled) -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_route("*", "/dlr", receiver.dlr)
    app.router.add_get("/batch", receiver.batch)
    server = await serve(app)
    receiver.url = server.url
    yield receiver
    await server.stop()


@pytest.fixture
async def client(plasgate_simulator: RunningPlasgate) -> AsyncIterator[PlasgateClient]:
    async with aiohttp.ClientSession() as session:
        yield PlasgateClient(session, "demo", "demo", base_url=plasgate_simulator.url)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_end_to_end_reports_with_the_jasmin_ack(client, receiver, plasgate_simulator, method):
    plasgate_simulator.sim.switches["require_jasmin_ack"] = True
    receipt = await client.send(
        "085512345", "Code #ma#777#ma#", dlr=DlrOptions(f"{receiver.url}/dlr", 3, method)
    )
    await wait_until(lambda: len(receiver.reports) == 2)
    first, second = receiver.reports
    assert {first.message_id, second.message_id} == {receipt.queue_id}
    assert (first.level, first.state) == (1, DeliveryState.ACCEPTED)
    assert (second.level, second.state) == (2, DeliveryState.DELIVERED)
    assert second.text == "Code ***"
    history = plasgate_simulator.sim.callbacks.history
    await wait_until(lambda: [entry["acknowledged"] for entry in history] == [True, True])


async def test_end_to_end_batch_callbacks(client, receiver, plasgate_simulator):
    plasgate_simulator.sim.delivery.outcomes_by_number["85512345671"] = "rejected"
    [receipt] = await client.send_batch(
        ["85512345670", "85512345671"],
        "x",
        callback_url=f"{receiver.url}/batch",
        errback_url=f"{receiver.url}/batch",
    )
    await wait_until(lambda: len(receiver.batches) == 2)
    assert {b.batch_id for b in receiver.batches} == {receipt.queue_id}
    assert sorted(b.success for b in receiver.batches) == [False, True]
