"""Dinstar models' from_wire: lenient about spelling and absence, InvalidResponseError otherwise."""

import contextlib
from datetime import datetime
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.dinstar.models import (
    CallRecord,
    CallState,
    DeliveryOutcome,
    DeliveryStatus,
    DeviceStats,
    DeviceStatus,
    ExceptionInfo,
    InboxPage,
    IncomingSms,
    NetworkType,
    PortInfo,
    RegisterChange,
    RegisterStatus,
    RegState,
    SendReceipt,
    SmsResult,
    SmsStatus,
    StkView,
    UssdReply,
    UssdSendStatus,
)
from custom_components.sms_gateway.providers.errors import InvalidResponseError

MODELS = (
    PortInfo,
    IncomingSms,
    SmsResult,
    DeliveryStatus,
    UssdReply,
    RegisterChange,
    CallRecord,
    DeviceStatus,
    ExceptionInfo,
    DeviceStats,
    SendReceipt,
    UssdSendStatus,
    InboxPage,
    StkView,
)


def test_port_info_full_response_spelling() -> None:
    info = PortInfo.from_wire(
        {
            "port": 3,
            "type": "LTE",
            "imei": "863070017005173",
            "imsi": "460004642148063",
            "iccid": "89860040191844710023",
            "number": "",
            "reg": "REGISTER_OK",
            "slot": 255,
            "callstate": "Call Waiting",
            "signal": 23,
            "gprs": "attached",
            "remain_credit": "12.5",
            "remain_monthly_credit": "",
            "remain_daily_credit": "3",
            "remain_daily_call_time": "60",
            "remain_hourly_call_time": "5",
            "remain_daily_connected": "7",
            "brand_new_key": {"ignored": True},
        }
    )
    assert info.port == 3
    assert info.type is NetworkType.LTE
    assert info.reg is RegState.REGISTER_OK
    assert info.registered
    assert info.callstate is CallState.CALL_WAITING
    assert info.signal == 23
    assert info.slot == 255
    assert info.number is None  # empty means unknown
    assert info.remain_credit == "12.5"
    assert info.remain_monthly_credit is None
    assert (info.remain_daily_call_time, info.remain_hourly_call_time) == ("60", "5")
    assert info.remain_daily_connected == "7"


def test_port_info_request_spelling_of_remain_keys() -> None:
    info = PortInfo.from_wire(
        {
            "port": 0,
            "remain_daily_calltime": "61",
            "remain_hourly_calltime": "6",
            "remain_daily_connect": "8",
        }
    )
    assert info.remain_daily_call_time == "61"
    assert info.remain_hourly_call_time == "6"
    assert info.remain_daily_connected == "8"


def test_port_info_only_requested_keys_and_unknown_values() -> None:
    info = PortInfo.from_wire({"port": "5", "reg": "SOMETHING_NEW", "type": "5G", "signal": "99"})
    assert info.port == 5
    assert info.reg is RegState.UNKNOWN
    assert not info.registered
    assert info.type is NetworkType.UNKNOWN
    assert info.signal == 99
    assert info.imei is None
    assert info.call_forwarding is None


@pytest.mark.parametrize("key", ["CallForwarding", "CallForward"])
def test_port_info_call_forwarding_both_keys(key: str) -> None:
    info = PortInfo.from_wire({"port": 8, key: {"Unconditional": "15013828917", "Busy": ""}})
    assert info.call_forwarding == {"Unconditional": "15013828917"}


def test_incoming_sms_doc_example_and_imsi() -> None:
    sms = IncomingSms.from_wire(
        {
            "incoming_sms_id": 1,
            "port": 2,
            "number": "123456789",
            "smsc": "+8613800123456",
            "timestamp": "2014-12-09 17:11:18",
            "text": " This is a test ",
            "imsi": "25501123322342",
        }
    )
    assert sms.sender == "123456789"
    assert sms.timestamp == datetime(2014, 12, 9, 17, 11, 18)  # noqa: DTZ001 - naive on purpose
    assert sms.timestamp.tzinfo is None
    assert sms.text == " This is a test "  # text is not stripped
    assert sms.imsi == "25501123322342"


def test_incoming_sms_missing_optional_fields() -> None:
    sms = IncomingSms.from_wire({"incoming_sms_id": 7, "port": 0})
    assert sms.sender is None
    assert sms.smsc is None
    assert sms.timestamp is None
    assert sms.text == ""
    assert sms.imsi is None


def test_sms_result_without_user_id_and_unknown_status() -> None:
    result = SmsResult.from_wire(
        {
            "port": 1,
            "number": "10086",
            "time": "2016-07-12 01:46:02",
            "status": "QUEUED_SOMEWHERE",
            "count": 1,
            "succ_count": 1,
            "ref_id": 215,
            "imsi": "460004642148063",
        }
    )
    assert result.user_id is None
    assert result.status is SmsStatus.UNKNOWN
    assert not result.status.is_final
    assert SmsResult.from_wire({"port": 0, "number": "1", "status": "SENT_OK"}).status.is_final


def test_delivery_status_typo_time_and_trailing_space_imsi() -> None:
    status = DeliveryStatus.from_wire(
        {
            "port": 1,
            "number": "10086",
            "time": "2016-07-1215:46:53",
            "ref_id": 215,
            "status_code": 0,
            "imsi": "460004642148063 ",
        }
    )
    assert status.time == datetime(2016, 7, 12, 15, 46, 53)  # noqa: DTZ001
    assert status.imsi == "460004642148063"
    assert status.outcome is DeliveryOutcome.DELIVERED


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (0, DeliveryOutcome.DELIVERED),
        (1, DeliveryOutcome.PENDING),
        (31, DeliveryOutcome.PENDING),
        (32, DeliveryOutcome.TEMPORARY_ERROR),
        (63, DeliveryOutcome.TEMPORARY_ERROR),
        (64, DeliveryOutcome.FAILED),
        (255, DeliveryOutcome.FAILED),
    ],
)
def test_delivery_outcome_ranges(code: int, outcome: DeliveryOutcome) -> None:
    status = DeliveryStatus.from_wire({"port": 0, "number": "1", "status_code": code})
    assert status.outcome is outcome


def test_unreadable_time_is_dropped_not_fatal() -> None:
    result = SmsResult.from_wire({"port": 0, "number": "1", "status": "SENT_OK", "time": "soon"})
    assert result.time is None


@pytest.mark.parametrize("blank", [" ", "", "  \n"])
def test_ussd_reply_blank_is_none(blank: str) -> None:
    assert UssdReply.from_wire({"port": 1, "text": blank}).text is None


def test_ussd_reply_keeps_text() -> None:
    assert UssdReply.from_wire({"port": 2, "text": "Solde: 12.5 DH"}).text == "Solde: 12.5 DH"


def test_register_down_null_sentinel_and_no_slot() -> None:
    change = RegisterChange.from_wire(
        {
            "port": 8,
            "iccid": "<NULL>",
            "imsi": "<NULL>",
            "number": "13714637674",
            "status": "down",
            "sequence": 1,
        }
    )
    assert change.iccid is None
    assert change.imsi is None
    assert change.status is RegisterStatus.DOWN
    assert change.slot is None
    assert change.sequence == 1


def test_call_record_bech_spelling() -> None:
    record = CallRecord.from_wire(
        {
            "port": 2,
            "start_date": "2015-07-21 16:35:20",
            "answer_date": "2015-07-21 16:35:31",
            "duration": 3,
            "source_number": "1010",
            "destination_number": "6717",
            "direction": "ip->gsm",
            "ip": "172.16.100.136",
            "codec": "G.711U",
            "hangup": "called",
            "gsm_code": 16,
            "bech": "12",
        }
    )
    assert record.bcch == "12"
    assert record.duration == 3
    assert record.answer_date == datetime(2015, 7, 21, 16, 35, 31)  # noqa: DTZ001
    assert CallRecord.from_wire({"port": 2, "bcch": ""}).bcch is None


def test_device_status_upper_case_keys() -> None:
    device = DeviceStatus.from_wire(
        {
            "port_number": 32,
            "IP": "172.18.55.142",
            "MAC": "F8-A0-3D-48-E5-19",
            "status": "power_off",
        }
    )
    assert device == DeviceStatus(32, "172.18.55.142", "F8-A0-3D-48-E5-19", "power_off")


def test_exception_info() -> None:
    info = ExceptionInfo.from_wire({"port": 0, "type": "call_fail", "action": "reset"})
    assert info == ExceptionInfo(0, "call_fail", "reset")


def test_device_stats_strings_to_ints_whole_body_or_inner() -> None:
    inner = {
        "cpu_used": "39",
        "flash_total": "27648",
        "flash_used": "17428",
        "memory_total": "109448",
        "memory_cached": "34192",
        "memory_buffers": "0",
        "memory_free": "58928",
        "memory_used": "50520",
    }
    stats = DeviceStats.from_wire({"performance": inner})
    assert stats.cpu_used == 39
    assert stats.memory_buffers == 0
    assert stats.flash_total == 27648
    assert DeviceStats.from_wire(inner) == stats


def test_send_receipt_and_ussd_status() -> None:
    receipt = SendReceipt.from_wire({"error_code": 202, "sms_in_queue": 2, "task_id": 1284})
    assert receipt == SendReceipt(task_id=1284, sms_in_queue=2)
    assert UssdSendStatus.from_wire({"port": 0, "status": 486}).sent is False
    assert UssdSendStatus.from_wire({"port": 2, "status": 200}).sent is True


def test_inbox_page() -> None:
    page = InboxPage.from_wire(
        {
            "error_code": 200,
            "sms": [
                {"incoming_sms_id": 4, "port": 2, "number": "1", "text": "a"},
                {"incoming_sms_id": 9, "port": 2, "number": "1", "text": "b"},
            ],
            "read": 1,
            "unread": 0,
        }
    )
    assert [m.incoming_sms_id for m in page.messages] == [4, 9]
    assert page.last_id == 9
    assert (page.read, page.unread) == (1, 0)
    empty = InboxPage.from_wire({"error_code": 200})
    assert empty.messages == ()
    assert empty.last_id is None


@pytest.mark.parametrize("input_type", ["2", 2])
def test_stk_view_input_type_string_or_int(input_type: object) -> None:
    view = StkView.from_wire(
        {
            "title": "神州行天地 ",
            "item": [
                {"item_id": 1, "item_string": "item1_text"},
                {"item_id": 2, "item_string": "itme2_text"},
            ],
            "input_type": input_type,
            "frame_id": 750,
        }
    )
    assert view.input_type == 2
    assert view.frame_id == 750
    assert [item.item_id for item in view.items] == [1, 2]
    assert view.items[1].text == "itme2_text"
    assert view.title == "神州行天地 "


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (PortInfo, {"type": "GSM"}),  # no port
        (PortInfo, {"port": "zero"}),
        (PortInfo, {"port": True}),
        (PortInfo, {"port": 1, "CallForwarding": ["x"]}),
        (IncomingSms, {"port": 1}),  # no id
        (IncomingSms, {"incoming_sms_id": 1, "port": 1, "text": ["x"]}),
        (SmsResult, {"port": 1, "number": "1"}),  # no status
        (SmsResult, {"port": 1, "status": "SENT_OK"}),  # no number
        (DeliveryStatus, {"port": 1, "number": "1", "status_code": 1.5}),
        (UssdReply, {"text": "x"}),
        (RegisterChange, {"port": 1}),
        (SendReceipt, {"sms_in_queue": 1}),
        (UssdSendStatus, {"port": 1, "status": None}),
        (InboxPage, {"sms": {"incoming_sms_id": 1}}),
        (InboxPage, {"sms": [1, 2]}),
        (StkView, {"item": [{"item_string": "x"}]}),
        (DeviceStats, {"performance": "busy"}),
        (DeviceStatus, {"IP": {"a": 1}}),
    ],
)
def test_refusals_are_invalid_response(model: Any, data: dict[str, Any]) -> None:
    with pytest.raises(InvalidResponseError):
        model.from_wire(data)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("data", [None, [], "x", 3])
def test_non_objects_are_invalid_response(model: Any, data: object) -> None:
    with pytest.raises(InvalidResponseError):
        model.from_wire(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
KEYS = st.sampled_from(
    [
        "port",
        "number",
        "status",
        "status_code",
        "text",
        "time",
        "incoming_sms_id",
        "task_id",
        "sms",
        "item",
        "input_type",
        "CallForwarding",
        "performance",
        "reg",
        "slot",
        "user_id",
    ]
)


@given(model=st.sampled_from(MODELS), data=st.dictionaries(KEYS, JSON, max_size=8))
def test_from_wire_raises_only_invalid_response(model: Any, data: dict[str, Any]) -> None:
    with contextlib.suppress(InvalidResponseError):
        model.from_wire(data)
