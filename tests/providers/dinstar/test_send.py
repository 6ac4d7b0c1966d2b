"""send_sms_to (plan, normalise, split by 128, per-recipient outcome) and input checks."""

import aiohttp
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.dinstar.models import RecipientState, SmsRecipient
from custom_components.sms_gateway.providers.errors import (
    InvalidInputError,
    ProviderConnectionError,
    ServiceError,
)
from custom_components.sms_gateway.providers.text import Encoding
from simulators.dinstar.settings import DinstarSettings

from ..conftest import SimControl, fault_from_the_second_send


class TestLargeQueue:
    @pytest.fixture
    def dinstar_settings(self) -> DinstarSettings:
        return DinstarSettings(send_delay=0.05, deliver_delay=0.05, queue_capacity=1000)

    async def test_300_recipients_three_requests(
        self, client: DinstarClient, sim: SimControl
    ) -> None:
        numbers = [f"+40 7{i:08d}" for i in range(300)]
        outcome = await client.send_sms_to(numbers, "Bună ziua", first_user_id=1000)
        bodies = [e["body"] for e in await sim.log("/api/send_sms") if e["status"] == 200]
        assert [len(b["param"]) for b in bodies] == [128, 128, 44]
        assert all(b["encoding"] == "unicode" for b in bodies)  # "ă" is not GSM 03.38
        sent_ids = [p["user_id"] for b in bodies for p in b["param"]]
        assert sent_ids == list(range(1000, 1300))
        assert [p["number"] for b in bodies for p in b["param"]] == [
            n.replace(" ", "") for n in numbers
        ]
        assert outcome.all_queued
        assert [r.user_id for r in outcome.recipients] == sent_ids
        assert len({r.task_id for r in outcome.recipients}) == 3
        assert {(r.segments, r.encoding) for r in outcome.recipients} == {(1, Encoding.UCS2)}
        assert outcome.plan.encoding is Encoding.UCS2


class TestSmallQueue:
    @pytest.fixture
    def dinstar_settings(self) -> DinstarSettings:
        return DinstarSettings(send_delay=30, deliver_delay=30, queue_capacity=200)

    async def test_a_later_request_failing_is_reported_per_recipient(
        self, client: DinstarClient
    ) -> None:
        numbers = [f"07{i:08d}" for i in range(300)]
        outcome = await client.send_sms_to(numbers, "hi", first_user_id=1)
        states = [r.state for r in outcome.recipients]
        # The full queue answers 500: a server error may come after queueing, so it is uncertain.
        assert (
            states
            == [RecipientState.QUEUED] * 128
            + [RecipientState.UNCERTAIN] * 128
            + [RecipientState.SKIPPED] * 44
        )
        assert isinstance(outcome.recipients[200].error, ServiceError)
        assert outcome.recipients[299].task_id is None
        assert not outcome.all_queued

    async def test_the_first_request_failing_raises(self, client: DinstarClient) -> None:
        numbers = [f"07{i:08d}" for i in range(201)]
        filled = await client.send_sms_to(numbers[:200], "x", first_user_id=1)
        assert filled.all_queued
        with pytest.raises(ServiceError):
            await client.send_sms_to(numbers[200:], "x", first_user_id=201)


async def test_dropped_second_request_is_uncertain(
    client: DinstarClient, sim: SimControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = [f"07{i:08d}" for i in range(129)]
    await client.query_sms_in_queue()
    fault_from_the_second_send(client, sim, monkeypatch, drop_connection_paths=["/api/send_sms"])
    outcome = await client.send_sms_to(numbers, "x", first_user_id=1)
    assert outcome.recipients[0].state is RecipientState.QUEUED
    assert outcome.recipients[128].state is RecipientState.UNCERTAIN
    assert isinstance(outcome.recipients[128].error, ProviderConnectionError)
    assert len(await sim.log("/api/send_sms")) == 2  # never re-sent


async def test_gsm_text_long_message_segments(client: DinstarClient, sim: SimControl) -> None:
    outcome = await client.send_sms_to(["0711111111", "0711111111"], "a" * 161, first_user_id=5)
    assert len(outcome.recipients) == 1  # the same number once
    assert (outcome.recipients[0].segments, outcome.recipients[0].encoding) == (2, Encoding.GSM7)
    (body,) = [e["body"] for e in await sim.log("/api/send_sms") if e["status"] == 200]
    assert body["encoding"] == "gsm-7bit"
    assert body["request_status_report"] is True


async def test_bad_numbers_all_listed_before_any_request(
    client: DinstarClient, sim: SimControl
) -> None:
    recipients = ["0711111111", "07a1111111", "0722222222", "", "+40 (712) 345-678", "call me"]
    with pytest.raises(InvalidInputError) as caught:
        await client.send_sms_to(recipients, "hi", first_user_id=1)
    message = str(caught.value)
    assert "#2" in message
    assert "#4" in message
    assert "#6" in message
    assert "#1" not in message
    assert "#5" not in message
    assert "07a1111111" not in message
    assert (await sim.state())["requests"]["counts"] == {}


@pytest.mark.parametrize(
    ("text", "kwargs"),
    [
        ("", {}),
        ("   ", {}),
        ("ok", {"ports": [32]}),
        ("ok", {"ports": [-1]}),
        ("ok", {"ports": [True]}),
        ("ok", {"ports": []}),
        ("ok", {"first_user_id": -1}),
        ("é" * 1600, {}),  # over 1500 bytes: caught by the plan, not by the gateway
        ("ăîșț", {"encoding": Encoding.GSM7}),
    ],
)
async def test_send_sms_to_bad_input_sends_nothing(
    client: DinstarClient, sim: SimControl, text: str, kwargs: dict[str, object]
) -> None:
    options: dict[str, object] = {"first_user_id": 1} | kwargs
    with pytest.raises(InvalidInputError):
        await client.send_sms_to(["0711111111"], text, **options)  # type: ignore[arg-type]
    assert (await sim.state())["requests"]["counts"] == {}


async def test_raw_send_sms_input_checks(client: DinstarClient, sim: SimControl) -> None:
    with pytest.raises(InvalidInputError):
        await client.send_sms("hi", ["07ab"])
    with pytest.raises(InvalidInputError):
        await client.send_sms("", ["0711111111"])
    with pytest.raises(InvalidInputError):
        await client.send_sms("hi", [])
    with pytest.raises(InvalidInputError):
        await client.send_sms("hi", [SmsRecipient("0711111111", user_id=-3)])
    with pytest.raises(InvalidInputError):
        await client.send_sms("hi", ["0711111111"], ports=[0, 40])
    assert (await sim.state())["requests"]["counts"] == {}


async def test_other_input_checks_send_nothing(
    client: DinstarClient, sim: SimControl, http_session: aiohttp.ClientSession
) -> None:
    bad_calls = [
        client.get_port_info([0], ["imei", "favourite_colour"]),
        client.get_port_info([99]),
        client.query_ussd_reply([]),
        client.send_ussd([0], "*" * 61),
        client.send_ussd([0], ""),
        client.send_ussd([0], "*100#", command="dial"),
        client.ussd_exchange(0, "*100#", timeout=0),
        client.query_incoming_sms(after_id=-1),
        client.stop_sms(-1),
        client.set_call_forward(0, "Busy"),  # type: ignore[arg-type]
        client.select_slot(0, 4),
        client.stk_go(0),
        client.stk_go(0, item=1, param="1"),
        client.query_sms_result(numbers=["12ab"]),
        client.query_sms_result(user_ids=[-1]),
    ]
    for call in bad_calls:
        with pytest.raises(InvalidInputError):
            await call
    with pytest.raises(InvalidInputError):
        DinstarClient(http_session, "ftp://gw", "admin", "admin")
    with pytest.raises(InvalidInputError):
        DinstarClient(http_session, "  ", "admin", "admin")
    assert (await sim.state())["requests"]["counts"] == {}
