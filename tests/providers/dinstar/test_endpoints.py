"""DinstarClient against the real simulator: every endpoint and the wire variants of spec §3.9."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import aiohttp
import pytest

from custom_components.sms_gateway.providers.dinstar import (
    ALL_INFO_TYPES,
    CallForwardCondition,
    DinstarClient,
    StkAction,
)
from custom_components.sms_gateway.providers.dinstar.models import (
    DeliveryOutcome,
    InboxFlag,
    RegState,
    SmsRecipient,
    SmsResult,
    SmsStatus,
)
from custom_components.sms_gateway.providers.errors import BadRequestError, NotFoundError
from custom_components.sms_gateway.providers.text import Encoding
from simulators.dinstar.settings import DinstarSettings

from ..conftest import SimControl

SN = "da00-0030-1901-2817"


async def eventually[T](probe: Callable[[], Awaitable[T | None]], seconds: float = 5.0) -> T:
    """Poll until probe returns something truthy (the simulator works in the background)."""
    async with asyncio.timeout(seconds):
        while not (value := await probe()):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return value


async def test_send_sms_queues_and_reports_through_result_and_delivery(
    client: DinstarClient, sim: SimControl
) -> None:
    receipt = await client.send_sms(
        "Salut #param#",
        [SmsRecipient("+40 712-345-678", user_id=41, text_param=("Ana",))],
        ports=[1],
        encoding=Encoding.GSM7,
        request_status_report=True,
    )
    assert receipt.task_id >= 0
    assert receipt.sms_in_queue is not None
    assert client.serial == SN
    (sent,) = [e for e in await sim.log("/api/send_sms") if e["status"] == 200]
    assert sent["body"] == {
        "text": "Salut #param#",
        "param": [{"number": "+40712345678", "user_id": 41, "text_param": ["Ana"]}],
        "port": [1],
        "encoding": "gsm-7bit",
        "request_status_report": True,
    }

    async def delivered() -> list[SmsResult] | None:
        results = await client.query_sms_result(user_ids=[41])
        return results if results and results[0].status is SmsStatus.DELIVERED else None

    (result,) = await eventually(delivered)
    assert result.user_id == 41
    assert result.number == "+40712345678"
    assert result.port == 1
    assert result.count == 1
    assert isinstance(result.time, datetime)
    reports = await client.query_sms_deliver_status(numbers=["+40712345678"], ports=[1])
    assert [r.outcome for r in reports] == [DeliveryOutcome.DELIVERED]
    assert reports[0].ref_id == result.ref_id
    assert (await sim.state())["results"][0]["text"] == "Salut Ana"


async def test_query_sms_result_filters_by_time_and_number(
    client: DinstarClient, sim: SimControl
) -> None:
    await client.send_sms("one", ["0711111111", "0722222222"])
    now = datetime.now()  # noqa: DTZ005 - the simulator's clock is local wall time too
    after = await eventually(lambda: client.query_sms_result(numbers=["0722222222"]))
    assert [r.number for r in after] == ["0722222222"]
    assert await client.query_sms_result(time_after=now + timedelta(hours=1)) == []
    window = await client.query_sms_result(
        time_after=now - timedelta(hours=1), time_before=now + timedelta(hours=1)
    )
    assert {r.number for r in window} == {"0711111111", "0722222222"}
    bodies = [e["body"] for e in await sim.log("/api/query_sms_result") if e["body"]]
    assert any(len(b.get("time_after", "")) == len("2025-01-01 00:00:00") for b in bodies)


async def test_query_sms_result_splits_long_filters_into_32s(
    client: DinstarClient, sim: SimControl
) -> None:
    numbers = [f"0700{i:06d}" for i in range(70)]
    assert await client.query_sms_result(numbers=numbers, user_ids=list(range(40))) == []
    bodies = [e["body"] for e in await sim.log("/api/query_sms_result")]
    # 3 number chunks (32, 32, 6) x 2 user_id chunks (32, 8), none over the limit.
    assert len(bodies) == 6
    assert sorted(len(b["number"]) for b in bodies) == [6, 6, 32, 32, 32, 32]
    assert {n for b in bodies for n in b["number"]} == set(numbers)
    assert {u for b in bodies for u in b["user_id"]} == set(range(40))
    statuses = await client.query_sms_deliver_status(numbers=numbers)
    assert statuses == []
    assert len(await sim.log("/api/query_sms_deliver_status")) == 3


async def test_query_sms_in_queue(client: DinstarClient, sim: SimControl) -> None:
    await sim.port(0, busy=True)
    await client.send_sms("wait", ["0711111111"], ports=[0])
    assert await client.query_sms_in_queue() == 1
    await sim.port(0, busy=False)
    await client.send_sms("nudge", ["0711111112"], ports=[0])  # dispatch runs on a send
    assert await eventually(lambda: _queue_empty(client))


async def _queue_empty(client: DinstarClient) -> bool:
    return await client.query_sms_in_queue() == 0


async def test_stop_sms_known_and_unknown_task(client: DinstarClient, sim: SimControl) -> None:
    await sim.port(2, busy=True)
    receipt = await client.send_sms("later", ["0711111111"], ports=[2])
    await client.stop_sms(receipt.task_id)
    with pytest.raises(NotFoundError) as caught:
        await client.stop_sms(receipt.task_id + 1000)
    assert caught.value.code == 404
    await sim.faults(stop_sms_not_found_code=486)
    with pytest.raises(NotFoundError) as caught:
        await client.stop_sms(receipt.task_id + 1000)
    assert caught.value.code == 486


async def test_inbox_cursor_flags_and_imsi(client: DinstarClient, sim: SimControl) -> None:
    first = await sim.incoming(2, "+212600000001", "Bonjour")
    second = await sim.incoming(3, "+212600000002", "Ça va ? ٱلسَّلَامُ")
    page = await client.query_incoming_sms()
    assert [m.incoming_sms_id for m in page.messages] == [first, second]
    assert page.messages[1].text == "Ça va ? ٱلسَّلَامُ"
    assert page.messages[0].sender == "+212600000001"
    assert page.messages[0].port == 2
    assert page.messages[0].imsi
    assert page.messages[0].timestamp is not None
    assert page.unread == 2  # flag=all leaves read marks alone

    after = await client.query_incoming_sms(after_id=first)
    assert [m.incoming_sms_id for m in after.messages] == [second]
    only_port_2 = await client.query_incoming_sms(ports=[2])
    assert [m.port for m in only_port_2.messages] == [2]

    unread = await client.query_incoming_sms(flag=InboxFlag.UNREAD)
    assert len(unread.messages) == 2
    assert (await client.query_incoming_sms(flag=InboxFlag.UNREAD)).messages == ()
    assert (await client.query_incoming_sms(flag=InboxFlag.READ)).read == 2
    await sim.faults(sms_include_imsi=False)
    assert (await client.query_incoming_sms()).messages[0].imsi is None


async def test_inbox_with_trailing_commas(client: DinstarClient, sim: SimControl) -> None:
    await sim.incoming(1, "+212600000001", "one")
    await sim.incoming(1, "+212600000001", "two")
    await sim.faults(trailing_commas=True)
    page = await client.query_incoming_sms()
    assert [m.text for m in page.messages] == ["one", "two"]


async def test_get_port_info_one_request_for_every_port_and_type(
    client: DinstarClient, sim: SimControl
) -> None:
    infos = await client.get_port_info()
    state = await sim.state()
    assert await sim.handled("/api/get_port_info") == 1
    (entry,) = [e for e in await sim.log("/api/get_port_info") if e["status"] == 200]
    assert entry["query"] == {"info_type": ",".join(ALL_INFO_TYPES)}
    assert [i.port for i in infos] == list(range(8))
    for info, port in zip(infos, state["ports"], strict=True):
        assert info.imei == port["imei"]
        assert info.reg is RegState(port["reg"])
        assert info.signal == port["signal"]
        assert info.slot == 255
    assert infos[0].registered
    assert infos[7].reg is RegState.NO_SIM
    assert infos[6].reg is RegState.UNREGISTER


async def test_get_port_info_subset_and_remain_spellings(
    client: DinstarClient, sim: SimControl
) -> None:
    remain = {
        "remain_daily_calltime": "61",
        "remain_hourly_calltime": "6",
        "remain_daily_connect": "8",
    }
    await sim.port(1, remain=remain)
    for style in ("response", "request"):
        await sim.faults(remain_key_style=style)
        (info,) = await client.get_port_info([1], ["imsi", *remain])
        assert (info.remain_daily_call_time, info.remain_hourly_call_time) == ("61", "6")
        assert info.remain_daily_connected == "8"
        assert info.imsi
        assert info.imei is None  # not requested, not sent


async def test_power_reset_and_slot_actions(client: DinstarClient, sim: SimControl) -> None:
    await client.power(3, on=False)
    (info,) = await client.get_port_info([3], ["reg"])
    assert info.reg is RegState.POWER_OFF
    await client.power(3, on=True)
    await client.reset_module(4)
    log = await sim.log("/api/set_port_info")
    assert [e["query"] for e in log if e["status"] == 200] == [
        {"port": "3", "action": "power", "param": "off"},
        {"port": "3", "action": "power", "param": "on"},
        {"port": "4", "action": "reset"},
    ]
    with pytest.raises(BadRequestError):  # a single-SIM gateway has no slot to pick
        await client.select_slot(0, 1)
    assert (await sim.log("/api/set_port_info"))[-1]["query"]["param"] == "1"


@pytest.mark.parametrize("key", ["CallForwarding", "CallForward"])
async def test_call_forwarding_set_check_read(
    client: DinstarClient, sim: SimControl, key: str
) -> None:
    await sim.faults(callforward_key=key)
    await client.set_call_forward(5, CallForwardCondition.UNCONDITIONAL, "+40 712 345 678")
    await client.check_call_forward(5)
    assert await client.get_call_forward(5) == {"Unconditional": "+40712345678"}
    await client.set_call_forward(5, CallForwardCondition.CANCEL_ALL)
    assert await client.get_call_forward(5) == {}


@pytest.mark.parametrize(("cdr_key", "bcch_key"), [("cdr", "bcch"), ("info", "bech")])
async def test_get_cdr_both_spellings(
    client: DinstarClient, sim: SimControl, cdr_key: str, bcch_key: str
) -> None:
    await sim.faults(cdr_key=cdr_key, bcch_key=bcch_key)
    before = await client.get_cdr()
    await sim.push("cdr", {"port": 2, "duration": 42, "bcch": "77"})
    await sim.push("cdr", {"port": 3, "duration": 5})
    records = await client.get_cdr(ports=[2])
    assert (2, 42, "77") in [(r.port, r.duration, r.bcch) for r in records]
    assert {r.port for r in records} == {2}
    assert len(await client.get_cdr()) == len(before) + 2


async def test_get_status_bare_array_body(client: DinstarClient, sim: SimControl) -> None:
    stats = await client.get_status()
    assert stats.memory_total is not None
    assert stats.memory_total > 0
    assert stats.cpu_used is not None
    (entry,) = [e for e in await sim.log("/api/get_status") if e["status"] == 200]
    assert entry["body"] == ["performance"]


@pytest.mark.parametrize("as_string", [False, True])
async def test_stk_walk(client: DinstarClient, sim: SimControl, *, as_string: bool) -> None:
    await sim.faults(stk_input_type_as_string=as_string, stk_accept_cancel=False)
    view = await client.get_stk_view(0)
    assert view.input_type == 1
    assert [item.text for item in view.items][:2] == ["Mon solde", "Forfaits"]
    frame = await client.get_stk_frame_index(0)
    assert frame == view.frame_id
    await client.stk_go(0, item=2)
    menu = await client.get_stk_view(0)
    assert menu.title == "Forfaits"
    assert menu.input_type == 2
    assert await client.get_stk_frame_index(0) != frame
    await client.stk_go(0, action=StkAction.CANCEL)  # sent as "cancle", the only one accepted
    assert (await client.get_stk_view(0)).title == "Services SIM"
    await client.stk_go(0, item=3)
    await client.stk_go(0, param="1234")
    assert (await client.get_stk_view(0)).text == "Demande prise en compte"
    await client.stk_go(0, action=StkAction.HOME)
    assert [e["body"] for e in await sim.log("/STKGo") if e["status"] == 200][1] == {
        "port": 0,
        "action": "cancle",
    }
    with pytest.raises(BadRequestError):
        await client.stk_go(0, item=99)


async def test_send_ussd_and_reply_with_result_colon_key(
    client: DinstarClient, sim: SimControl
) -> None:
    await sim.faults(ussd_result_key="result:")
    statuses = await client.send_ussd([0, 6], "*100#")
    assert [(s.port, s.status, s.sent) for s in statuses] == [(0, 200, True), (6, 503, False)]

    async def replied() -> str | None:
        (reply,) = await client.query_ussd_reply([0])
        return reply.text

    assert (await eventually(replied)).startswith("Solde: 12.50 DH")
    cancelled = await client.cancel_ussd([0])
    assert [s.port for s in cancelled] == [0]
    assert [r.text for r in await client.query_ussd_reply([0])] == [None]


async def test_ussd_blank_reply_variant(client: DinstarClient, sim: SimControl) -> None:
    await sim.faults(ussd_blank_reply="")
    assert [r.text for r in await client.query_ussd_reply([0, 1])] == [None, None]


async def test_host_without_scheme_defaults_to_https(http_session: aiohttp.ClientSession) -> None:
    client = DinstarClient(http_session, "192.0.2.10:8443/", "admin", "admin")
    assert client.host == "https://192.0.2.10:8443"
    plain = DinstarClient(http_session, "http://gw.local/", "admin", "admin")
    assert plain.host == "http://gw.local"


class TestMultiSim:
    @pytest.fixture
    def dinstar_settings(self) -> DinstarSettings:
        return DinstarSettings(send_delay=0.05, deliver_delay=0.05, multi_sim=True)

    async def test_select_slot(self, client: DinstarClient) -> None:
        await client.select_slot(1, 2)
        (info,) = await client.get_port_info([1], ["slot"])
        assert info.slot == 2
