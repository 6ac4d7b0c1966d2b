"""SMSLink callbacks read by the client: real calls from the simulator, and hostile bodies."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.errors import InvalidPushError
from custom_components.sms_gateway.providers.smslink import SmsLinkClient
from custom_components.sms_gateway.providers.smslink.callbacks import (
    DeliveryReport,
    IncomingSms,
    callback_fields,
    parse_callback,
    parse_delivery_report,
    parse_incoming_sms,
)
from simulators.server import serve
from tests.conftest import RunningSmsLink
from tests.simulators.conftest import wait_until


class Webhook:
    """What the integration's webhook will do: merge the fields, parse, keep the event."""

    def __init__(self) -> None:
        self.events: list[DeliveryReport | IncomingSms] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        fields = callback_fields(request.query, await request.read(), request.content_type)
        self.events.append(parse_callback(fields))
        return web.Response(text="")


@pytest.fixture
async def webhook(
    socket_enabled: None, smslink_simulator: RunningSmsLink
) -> AsyncIterator[Webhook]:
    hook = Webhook()
    app = web.Application()
    app.router.add_route("*", "/hook", hook.handle)
    server = await serve(app)
    hook.url = f"{server.url}/hook"
    smslink_simulator.sim.callbacks.url = hook.url
    try:
        yield hook
    finally:
        await server.stop()


@pytest.fixture
async def client(smslink_simulator: RunningSmsLink) -> AsyncIterator[SmsLinkClient]:
    async with aiohttp.ClientSession() as session:
        yield SmsLinkClient(session, "demo", "demo", base_url=smslink_simulator.url)


@pytest.mark.parametrize(
    "faults",
    [
        {},
        {"dlr_method": "POST", "dlr_extended": True},
        {"dlr_method": "POST", "dlr_post_format": "json", "dlr_extended": True},
    ],
)
async def test_delivery_reports_in_every_shape(
    client: SmsLinkClient, webhook: Webhook, smslink_simulator: RunningSmsLink, faults: Any
) -> None:
    smslink_simulator.sim.faults.update(faults)
    sent = await client.send("0712345678", "x" * 170)
    await wait_until(lambda: len(webhook.events) == 1)
    (report,) = webhook.events
    assert isinstance(report, DeliveryReport)
    assert (report.message_id, report.delivered, report.raw_status) == (sent.message_id, True, "1")
    assert abs((report.reported_at - datetime.now(UTC)).total_seconds()) < 5
    if faults.get("dlr_extended"):
        assert (report.connection_id, report.message_count) == ("demo", 2)
        assert report.network_id is not None
        assert report.delivery_report == "DELIVRD"
    else:
        assert report.message_count is None


async def test_failed_delivery_of_a_bulk_message(
    client: SmsLinkClient, webhook: Webhook, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["dlr_undelivered_rate"] = 1.0
    receipt = await client.send_bulk(["0712345678", "0722222222"], "x")
    await wait_until(lambda: len(webhook.events) == 2)
    reports = {
        event.message_id: event for event in webhook.events if isinstance(event, DeliveryReport)
    }
    assert set(reports) == {result.message_id for result in receipt.results}
    assert not any(report.delivered for report in reports.values())


@pytest.mark.parametrize("method", ["GET", "POST", "POST_JSON"])
async def test_incoming_sms_in_every_method(
    webhook: Webhook, smslink_simulator: RunningSmsLink, method: str
) -> None:
    sim = smslink_simulator.sim
    sim.faults["mo_method"] = method
    async with aiohttp.ClientSession() as session:
        body = {"sender": "0712345678", "text": "Salut; ce faci?\nă", "network_id": 3}
        async with session.post(f"{smslink_simulator.url}/_sim/incoming", json=body) as answer:
            assert answer.status == 200
    await wait_until(lambda: len(webhook.events) == 1)
    (sms,) = webhook.events
    assert isinstance(sms, IncomingSms)
    assert (sms.sender, sms.receiver, sms.text) == ("0712345678", "1847", "Salut; ce faci?\nă")
    assert (sms.network_id, sms.network_name) == (3, "Telekom RO")


def test_json_values_may_be_numbers() -> None:
    report = parse_delivery_report(
        {"message_id": 220000000, "status": 0, "timestamp": 1740878151, "message_count": ""}
    )
    assert (report.message_id, report.delivered, report.message_count) == (220000000, False, None)
    sms = parse_incoming_sms(
        {"sender": "0712345678", "receiver": 1847, "message": "x", "timestamp": "1740878151"}
    )
    assert (sms.receiver, sms.network_id) == ("1847", None)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"message_id": "1"},
        {"message_id": "x", "status": "1", "timestamp": "1"},
        {"message_id": "1", "status": "2", "timestamp": "1"},
        {"message_id": "1", "status": "1"},
        {"message_id": "1", "status": "1", "timestamp": "99999999999999999"},
        {"message_id": "1", "status": True, "timestamp": "1"},
        {"message_id": "1", "status": "1", "timestamp": "1", "message_count": "two"},
        {"message_id": "\u0661", "status": "1", "timestamp": "1"},
        {"sender": "0712345678", "message": "x", "timestamp": "1"},
        {"sender": ["0712345678"], "receiver": "1", "message": "x", "timestamp": "1"},
    ],
)
def test_hostile_fields_are_refused_without_echo(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidPushError) as caught:
        parse_callback(fields)
    assert "0712345678" not in str(caught.value)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{oops", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"a=1&&=", "application/x-www-form-urlencoded"),
        (b"\xff=1", "application/x-www-form-urlencoded"),
    ],
)
def test_unreadable_bodies(body: bytes, content_type: str) -> None:
    with pytest.raises(InvalidPushError):
        callback_fields({}, body, content_type)


def test_fields_merge_query_and_body() -> None:
    assert callback_fields({"a": "1"}, b"", "") == {"a": "1"}
    assert callback_fields({"a": "1"}, b"b=2", "application/x-www-form-urlencoded") == {
        "a": "1",
        "b": "2",
    }
    assert callback_fields({}, b' {"b": 2}', "text/plain") == {"b": 2}
