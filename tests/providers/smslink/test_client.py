"""SmsLinkClient against the SMSLink simulator: sends, BULK v3, balance, errors, secrets."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
import logging
from typing import Any

import aiohttp
import pytest

from custom_components.sms_gateway.providers.errors import (
    AuthError,
    InvalidInputError,
    InvalidResponseError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RejectedError,
    ServiceError,
)
from custom_components.sms_gateway.providers.smslink import (
    BulkStatus,
    SmsLinkClient,
)
from simulators.smslink.connection import Outcome
from simulators.smslink.settings import SmsLinkSettings
from tests.conftest import RunningSmsLink

PASSWORD = "s3cret-Pa55"
NUMBER = "+40 712 345 678"


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    return SmsLinkSettings(connection_id="conn", password=PASSWORD)


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def sim(smslink_simulator: RunningSmsLink) -> Any:
    return smslink_simulator.sim


@pytest.fixture
def client(smslink_simulator: RunningSmsLink, http_session: aiohttp.ClientSession) -> SmsLinkClient:
    return SmsLinkClient(
        http_session, "conn", PASSWORD, base_url=smslink_simulator.url + "/", timeout=2
    )


async def test_send_posts_a_form_and_returns_the_message_id(
    client: SmsLinkClient, sim: Any
) -> None:
    sent = await client.send(NUMBER, "Salut; ce faci?\nBine.")
    assert (sent.message_id, sent.to, sent.sender) == (220000000, "0712345678", "numeric")
    message = sim.account.messages[220000000]
    assert message.text == "Salut; ce faci?\nBine."
    (logged,) = sim.log
    assert logged["method"] == "POST"
    assert logged["query"] == {}  # the password never travels in the URL


async def test_send_reports_the_sender_used(client: SmsLinkClient, sim: Any) -> None:
    sim.account.senders["Shop"] = "not_activated"
    sent = await client.send("0712345678", "x", sender="Shop")
    assert sent.sender == "numeric"


async def test_send_schedule_and_test_mode(client: SmsLinkClient, sim: Any) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    await client.send("0712345678", "later", scheduled_at=later)
    assert sim.account.messages[220000000].state == "scheduled"
    assert sim.account.messages[220000000].scheduled_at == int(later.timestamp())
    trial = await client.send("0712345678", "trial", test=True)
    assert trial.message_id == 0
    with pytest.raises(InvalidInputError):
        await client.send("0712345678", "x", scheduled_at=datetime(2030, 1, 1))  # noqa: DTZ001


async def test_balance(client: SmsLinkClient, sim: Any) -> None:
    sim.account.national_credit, sim.account.international_credit = 150, 2
    balance = await client.balance()
    assert (balance.national, balance.international) == (150, 2)
    assert balance.checked_at is not None
    assert abs((balance.checked_at - datetime.now(UTC)).total_seconds()) < 5


async def test_bulk_one_package_with_a_result_per_recipient(
    client: SmsLinkClient, sim: Any
) -> None:
    sim.account.blacklist = {"0722222222"}
    receipt = await client.send_bulk(
        ["0712345678", "+40 722 222 222", "+44 7700 900123", "0733333333"], "Hi;\nall"
    )
    assert receipt.package_id == "1"
    assert [(r.to, r.status, r.message_id) for r in receipt.results] == [
        ("0712345678", BulkStatus.SENT, 220000000),
        ("0722222222", BulkStatus.INTERNAL_ERROR_OR_BLACKLISTED, None),
        ("00447700900123", BulkStatus.SENT, 220000001),
        ("0733333333", BulkStatus.SENT, 220000002),
    ]
    assert [r.sent for r in receipt.results] == [True, False, True, True]
    assert sim.account.messages[220000001].text == "Hi;\nall"
    assert sim.bulk.packages == [{"package_id": 1, "test": False, "lines": 4}]
    (logged,) = sim.log
    assert logged["content_type"] == "multipart/form-data"
    assert set(logged["query"]) == {"timestamp"}


async def test_bulk_statuses_for_sender_and_credit(client: SmsLinkClient, sim: Any) -> None:
    sim.account.national_credit = 1
    receipt = await client.send_bulk(["0712345678", "0712345679"], "x", test=False)
    assert [r.status for r in receipt.results] == [BulkStatus.SENT, BulkStatus.INSUFFICIENT_CREDIT]
    receipt = await client.send_bulk(["0712345678"], "x", sender="Nobody", test=True)
    assert receipt.results[0].status is BulkStatus.SENDER_FAILED
    scheduled = await client.send_bulk(
        ["00447700900123"], "x", scheduled_at=datetime.now(UTC) + timedelta(days=1)
    )
    assert scheduled.results[0].sent
    assert sim.account.messages[scheduled.results[0].message_id].state == "scheduled"


async def test_bulk_tolerates_every_documented_variant(client: SmsLinkClient, sim: Any) -> None:
    sim.faults.update(
        bulk_success_code=9,
        bulk_success_text="OK",
        bulk_size_plain="bytes",
        bulk_reject_remote_id="",
        business_error_http_status=400,
    )
    receipt = await client.send_bulk(["0712345678", "+40 21 234 5678"], "ăîșț âĂ")
    assert [(r.status, r.message_id) for r in receipt.results] == [
        (BulkStatus.SENT, 220000000),
        (BulkStatus.NUMBER_FAILED, None),
    ]


async def test_bulk_with_missing_statuses(client: SmsLinkClient, sim: Any) -> None:
    sim.faults["bulk_success_text"] = "OK"

    def drop_second(fields: Any) -> Any:
        outcome = original(fields)
        if outcome.kind == "MESSAGE":
            outcome.variables[1] = outcome.variables[1].split(",")[0]
        return outcome

    original = sim.bulk.answer
    sim.bulk.answer = drop_second
    receipt = await client.send_bulk(["0712345678", "0712345679"], "x")
    assert [r.status for r in receipt.results] == [BulkStatus.SENT, None]


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"down": True}, ProviderConnectionError),
        ({"http_5xx_rate": 1.0}, ServiceError),
        ({"malformed": True}, InvalidResponseError),
        ({"latency_ms": 5000}, ProviderTimeoutError),
    ],
)
async def test_transport_faults(
    client: SmsLinkClient, sim: Any, faults: dict[str, Any], error: type[Exception]
) -> None:
    sim.faults.update(faults)
    with pytest.raises(error):
        await client.send("0712345678", "x")
    with pytest.raises(error):
        await client.send_bulk(["0712345678"], "x")
    with pytest.raises(error):
        await client.balance()


async def test_business_errors(
    smslink_simulator: RunningSmsLink, http_session: aiohttp.ClientSession, sim: Any
) -> None:
    wrong = SmsLinkClient(http_session, "conn", "wrong-password", base_url=smslink_simulator.url)
    with pytest.raises(AuthError):
        await wrong.balance()
    with pytest.raises(AuthError):  # the default text names the connection_id
        await wrong.send("0712345678", "x")
    right = SmsLinkClient(http_session, "conn", PASSWORD, base_url=smslink_simulator.url)
    sim.account.national_credit = 0
    with pytest.raises(RejectedError) as rejected:
        await right.send("0712345678", "x")
    assert rejected.value.code == 7
    sim.faults["business_error_http_status"] = 402
    with pytest.raises(AuthError):
        await wrong.send_bulk(["0712345678"], "x")
    with pytest.raises(RejectedError) as rejected:
        await right.send("+40 21 234 5678", "x")  # 0040 but not a mobile: the server refuses
    assert rejected.value.code == 5
    sim.faults["error_codes"] = {"auth": [77, "Denied."]}
    with pytest.raises(AuthError, match="77"):
        await wrong.balance()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"connection_id": ""},
        {"base_url": "ftp://x"},
        {"base_url": "not a url"},
        {"sender": "a;b"},
        {"calling_code": "RO"},
    ],
)
def test_constructor_refusals(http_session: aiohttp.ClientSession, kwargs: dict[str, str]) -> None:
    options: dict[str, Any] = {"connection_id": "c", "password": "p", **kwargs}
    connection_id, password = options.pop("connection_id"), options.pop("password")
    with pytest.raises(InvalidInputError):
        SmsLinkClient(http_session, connection_id, password, **options)


async def test_inputs_refused_before_any_request(client: SmsLinkClient, sim: Any) -> None:
    for call in (
        client.send("12", "x"),
        client.send("0712345678", " "),
        client.send("0712345678", "x", sender="bad;sender"),
        client.send_bulk([], "x"),
        client.send_bulk(["0712345678"], "50%0A off"),
    ):
        with pytest.raises(InvalidInputError):
            await call
    assert sim.log == type(sim.log)(maxlen=sim.log.maxlen)


async def test_no_secret_or_number_in_logs_or_errors(
    smslink_simulator: RunningSmsLink,
    http_session: aiohttp.ClientSession,
    sim: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = SmsLinkClient(
        http_session, "conn", PASSWORD, base_url=smslink_simulator.url, timeout=1.5
    )
    wrong = SmsLinkClient(http_session, "conn", "x" + PASSWORD, base_url=smslink_simulator.url)
    sim.faults["error_codes"] = {
        "bad_number": [5, f"Bad number 0712345678 for {PASSWORD}"],
        "auth": [2, f"Wrong password x{PASSWORD}"],
    }
    messages: list[str] = []
    scenarios: list[tuple[dict[str, Any], Any]] = [
        ({}, lambda: client.send("0712345678", "x", sender="Nobody")),
        ({}, lambda: wrong.send("0712345678", "x")),
        ({}, lambda: wrong.balance()),
        ({}, lambda: client.send("+40212345678", "x")),
        ({"down": True}, lambda: client.send("0712345678", "x")),
        ({"down": False, "http_5xx_rate": 1.0}, lambda: client.send_bulk(["0712345678"], "x")),
        ({"http_5xx_rate": 0.0, "malformed": True}, lambda: client.balance()),
        ({"malformed": False, "latency_ms": 5000}, lambda: client.send("0712345678", "x")),
        ({"latency_ms": 0}, lambda: client.send("0712345678x", "x")),
    ]
    for faults, call in scenarios:
        sim.faults.update(faults)
        with pytest.raises(ProviderError) as caught:
            await call()
        messages.append(str(caught.value))
    sim.faults["error_codes"] = {"bad_number": [5, "Bad number 0712345678"]}
    with pytest.raises(RejectedError) as rejected:
        await client.send("0040212345678", "x")
    messages.append(str(rejected.value))
    await client.send("0712345678", "ok")
    await client.send_bulk(["0712345678"], "ok")
    everything = caplog.text + "\n".join(messages)
    assert PASSWORD not in everything
    assert "712345678" not in everything
    assert len(messages) == 10


async def test_odd_success_lines(client: SmsLinkClient, sim: Any) -> None:
    answers = iter(
        [
            Outcome("MESSAGE", 4, "Balance", ["150", "2"]),
            Outcome("MESSAGE", 4, "Balance", ["150", "lots"]),
            Outcome("MESSAGE", 1, "Sent"),
            Outcome("MESSAGE", 1, "Sent", ["42"]),
        ]
    )
    sim.single.answer = lambda _params: next(answers)
    balance = await client.balance()
    assert (balance.national, balance.international, balance.checked_at) == (150, 2, None)
    with pytest.raises(InvalidResponseError):
        await client.balance()
    with pytest.raises(InvalidResponseError):
        await client.send("0712345678", "x")
    sent = await client.send("0712345678", "x", sender="SMSGateway")
    assert (sent.message_id, sent.sender) == (42, "SMSGateway")
