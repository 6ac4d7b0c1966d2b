"""PlasgateClient against the Plasgate simulator: sends, batches, answer shapes, errors, limits."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
import re

import aiohttp
from aiohttp import web
import httpx
import pytest

from custom_components.sms_gateway.providers.errors import (
    AuthError,
    BadRequestError,
    InvalidInputError,
    InvalidResponseError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitedError,
    RejectedError,
    ServiceError,
)
from custom_components.sms_gateway.providers.plasgate import (
    DlrOptions,
    PlasgateClient,
    SendReceipt,
    ca_bundle_context,
)
from custom_components.sms_gateway.providers.plasgate.limiter import SlidingWindowLimiter
from tests.conftest import RunningPlasgate


class Control:
    """The simulator's /_sim/ API through httpx (independent of the client under test)."""

    def __init__(self, url: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=5)

    async def faults(self, **switches) -> None:
        response = await self.http.post("/_sim/faults", json=switches)
        assert response.status_code == 200, response.text

    async def messages(self) -> list[dict]:
        return (await self.http.get("/_sim/state")).json()["messages"]

    async def requests(self) -> dict[str, int]:
        return (await self.http.get("/_sim/state")).json()["requests"]

    async def advance(self, seconds: float) -> None:
        await self.http.post("/_sim/clock", json={"advance_s": seconds})


@pytest.fixture
async def sim(plasgate_simulator: RunningPlasgate) -> AsyncIterator[Control]:
    control = Control(plasgate_simulator.url)
    yield control
    await control.http.aclose()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def client(plasgate_simulator: RunningPlasgate, session) -> PlasgateClient:
    return PlasgateClient(session, "demo", "demo", base_url=plasgate_simulator.url, timeout=2)


async def test_send_normalises_and_returns_the_queue_id(client, sim):
    receipt = await client.send("012 345 678", "Your code is #ma#4321#ma#")
    [stored] = await sim.messages()
    assert receipt == SendReceipt(queue_id=stored["id"], message_count=1)
    assert stored["to"] == "85512345678"
    assert stored["sender"] == "SMS Info"
    assert stored["content"] == "Your code is 4321"
    assert stored["report_content"] == "Your code is ***"


async def test_send_with_dlr_options(client, sim):
    await client.send("+85512345678", "x", dlr=DlrOptions("http://127.0.0.1:9/dlr", 3, "GET"))
    [stored] = await sim.messages()
    assert stored["dlr"] == {"url": "http://127.0.0.1:9/dlr", "level": 3, "method": "GET"}


@pytest.mark.parametrize(
    ("shape", "expected_count"),
    [("jasmin_rest", 1), ("jasmin_text", None), ('{"batchId":"{id}"}', None)],
)
async def test_every_success_shape_yields_the_id(client, sim, shape, expected_count):
    await sim.faults(rest_response_shape=shape)
    receipt = await client.send("85512345678", "x")
    [stored] = await sim.messages()
    assert receipt == SendReceipt(stored["id"], expected_count)


async def test_a_json_success_without_an_id_is_still_a_success(client, sim):
    await sim.faults(rest_response_shape='{"ok":"{id}"}')
    assert await client.send("85512345678", "x") == SendReceipt(None, None)


async def test_an_error_body_with_200_is_a_rejection(client, sim):
    await sim.faults(rest_response_shape='{"status":"error","ref":"{id}"}')
    with pytest.raises(RejectedError) as caught:
        await client.send("85512345678", "x")
    assert caught.value.code == 200


async def test_203_is_a_failure(client, sim):
    await sim.faults(non_authoritative_203=True)
    with pytest.raises(RejectedError) as caught:
        await client.send("85512345678", "x")
    assert caught.value.code == 203


@pytest.mark.parametrize("status", [401, 403])
async def test_bad_secret_is_an_auth_error(plasgate_simulator, session, sim, status):
    await sim.faults(auth_error_status=status)
    client = PlasgateClient(session, "demo", "wrong", base_url=plasgate_simulator.url)
    with pytest.raises(AuthError):
        await client.send("85512345678", "x")


async def test_unapproved_sender_403_is_not_an_auth_error(client, sim):
    await sim.faults(bad_sender_status=403)
    with pytest.raises(BadRequestError) as caught:
        await client.send("85512345678", "x", sender="Other")
    assert caught.value.code == 403
    assert "sender is not approved" in str(caught.value)


async def test_service_validation_is_a_bad_request(client, sim):
    with pytest.raises(BadRequestError, match="sender is not approved"):
        await client.send("85512345678", "x", sender="Unknown")


@pytest.mark.parametrize(
    ("switches", "error"),
    [
        ({"http_5xx_rate": 1.0}, ServiceError),
        ({"down": True}, ProviderConnectionError),
        ({"latency_ms": 3000}, ProviderTimeoutError),
        ({"malformed_answers": True}, InvalidResponseError),
    ],
)
async def test_transport_faults(client, sim, switches, error):
    await sim.faults(**switches)
    with pytest.raises(error):
        await client.send("85512345678", "x")


async def test_a_send_is_not_repeated_after_a_failure(client, sim):
    await sim.faults(http_5xx_rate=1.0)
    with pytest.raises(ServiceError):
        await client.send("85512345678", "x")
    assert (await sim.requests())["/rest/send"] == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to": "12ab"}, "characters other than digits"),
        ({"to": "+123"}, "6 to 15 digits"),
        ({"text": "  "}, "text is empty"),
        ({"text": "x" * 1501}, "longer than 1500"),
        ({"sender": "TwelveChars!"}, "longer than 11"),
        ({"dlr": DlrOptions("ftp://x")}, "http(s) URL"),
        ({"dlr": DlrOptions("http://x", level=4)}, "1, 2 or 3"),
        ({"dlr": DlrOptions("http://x", method="PUT")}, "GET or POST"),
    ],
)
async def test_send_checks_before_any_request(client, sim, kwargs, message):
    arguments = {"to": "85512345678", "text": "x", **kwargs}
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        await client.send(arguments.pop("to"), arguments.pop("text"), **arguments)
    assert await sim.requests() == {}


def test_constructor_checks(session):
    with pytest.raises(InvalidInputError):
        PlasgateClient(session, "", "s")
    with pytest.raises(InvalidInputError):
        PlasgateClient(session, "k", "s", sender=" ")
    with pytest.raises(InvalidInputError):
        PlasgateClient(session, "k", "s", batch_size=101)
    with pytest.raises(InvalidInputError):
        PlasgateClient(session, "k", "s", calling_code="abc")


async def test_batch_is_chunked_deduplicated_and_configured(plasgate_simulator, session, sim):
    client = PlasgateClient(session, "demo", "demo", base_url=plasgate_simulator.url, batch_size=40)
    numbers = [f"0{10000000 + n}" for n in range(90)] + ["+85510000000"]
    due = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    receipts = await client.send_batch(
        numbers,
        "Batch #ma#x#ma#",
        dlr=DlrOptions("http://127.0.0.1:9/dlr", 1),
        callback_url="http://127.0.0.1:9/ok",
        errback_url="http://127.0.0.1:9/ko",
        schedule_at=due,
    )
    assert [r.message_count for r in receipts] == [40, 40, 10]
    stored = await sim.messages()
    assert len(stored) == 90
    assert [m["to"] for m in stored] == [f"855{10000000 + n}" for n in range(90)]
    assert [m["batch_id"] for m in stored[::40]] == [r.queue_id for r in receipts]
    assert stored[0]["schedule_at"] == "2030-01-02T10:04:05+07:00"
    assert stored[0]["callback_url"] == "http://127.0.0.1:9/ok"
    assert stored[0]["dlr"]["level"] == 1
    assert stored[0]["report_content"] == "Batch ***"


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ([], {}, "no recipients"),
        (["85512345678", "1"], {}, "phone number"),
        (["85512345678"], {"callback_url": "x"}, "callback URL"),
        (["85512345678"], {"errback_url": "x"}, "errback URL"),
        (["85512345678"], {"schedule_at": datetime(2030, 1, 1)}, "time zone"),  # noqa: DTZ001
    ],
)
async def test_batch_checks_before_any_request(client, sim, args, kwargs, message):
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        await client.send_batch(args, "x", **kwargs)
    assert await sim.requests() == {}


async def test_batch_schedule_in_another_zone(client, sim):
    moment = datetime(2030, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    await client.send_batch(["85512345678"], "x", schedule_at=moment)
    assert (await sim.messages())[0]["schedule_at"] == "2030-01-02T00:00:00+07:00"


async def test_client_throttle_keeps_under_the_service_limit(plasgate_simulator, session, sim):
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await sim.advance(seconds)

    limiter = SlidingWindowLimiter(2, 60, clock=lambda: now[0], sleep=sleep)
    client = PlasgateClient(
        session,
        "demo",
        "demo",
        base_url=plasgate_simulator.url,
        batch_limiter=limiter,
        batch_size=1,
    )
    receipts = await client.send_batch(["85512345670", "85512345671", "85512345672"], "x")
    assert len(receipts) == 3
    assert now[0] == 60


async def use_the_minute_up(sim):
    """Send the 200 messages a minute the service allows, past the client's own limiter."""
    for _ in range(200):
        await sim.http.post(
            "/rest/send",
            params={"private_key": "demo"},
            headers={"X-Secret": "demo"},
            json={"sender": "SMS Info", "to": "85512345678", "content": "x"},
        )


async def test_429_pauses_the_limiter_then_retries(plasgate_simulator, session, sim):
    await use_the_minute_up(sim)
    now = [0.0]
    pauses = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds
        await sim.advance(60)

    limiter = SlidingWindowLimiter(200, 60, clock=lambda: now[0], sleep=sleep)
    client = PlasgateClient(
        session, "demo", "demo", base_url=plasgate_simulator.url, send_limiter=limiter
    )
    receipt = await client.send("85512345678", "x")
    assert receipt.queue_id is not None
    assert pauses == [5.0]
    assert (await sim.requests())["/rest/send"] == 202


async def test_429_after_the_retries_is_rate_limited(plasgate_simulator, session, sim):
    await sim.faults(rate_limit_scope="global")
    await use_the_minute_up(sim)
    client = PlasgateClient(
        session, "demo", "demo", base_url=plasgate_simulator.url, rate_limit_retries=0
    )
    with pytest.raises(RateLimitedError) as caught:
        await client.send("85512345678", "x")
    assert caught.value.code == 429


async def test_retry_after_header_is_obeyed(socket_enabled, session):
    answers = [
        web.json_response({"message": "slow down"}, status=429, headers={"Retry-After": "0.05"}),
        web.json_response({"message": "slow down"}, status=429, headers={"Retry-After": "soon"}),
        web.json_response({"queue_id": "q1", "message_count": "2"}),
    ]

    async def handle(_request: web.Request) -> web.Response:
        return answers.pop(0)

    app = web.Application()
    app.router.add_post("/rest/send", handle)
    from simulators.server import serve

    server = await serve(app)
    pauses = []
    now = [0.0]

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    limiter = SlidingWindowLimiter(200, 60, clock=lambda: now[0], sleep=sleep)
    try:
        client = PlasgateClient(session, "k", "s", base_url=server.url, send_limiter=limiter)
        assert await client.send("85512345678", "x") == SendReceipt("q1", 2)
    finally:
        await server.stop()
    assert pauses == [pytest.approx(0.05), 5.0]


async def test_certificates_bundle_makes_an_ssl_context(client):
    pem = await client.certificates()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    context = ca_bundle_context(pem)
    assert context.cert_store_stats()["x509_ca"] >= 1
    with pytest.raises(InvalidInputError):
        ca_bundle_context("not a certificate")
