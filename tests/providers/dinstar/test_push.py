"""Dinstar push parsing: every example of specs/dinstar.md §2.11, the quirks, and hostile bodies."""

from datetime import datetime
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.sms_gateway.providers.dinstar.models import (
    CallRecord,
    DeliveryStatus,
    DeviceStatus,
    ExceptionInfo,
    IncomingSms,
    RegisterChange,
    RegisterStatus,
    SmsResult,
    SmsStatus,
    UssdReply,
)
from custom_components.sms_gateway.providers.dinstar.push import (
    DinstarPush,
    PushKind,
    parse_push,
)
from custom_components.sms_gateway.providers.errors import (
    InvalidPushError,
    InvalidResponseError,
)

SN = "xxxx-xxxx-xxxx-xxxx"

# Copied from specs/dinstar.md §2.11 "Payloads".
SPEC_SMS = '{"sn":"xxxx-xxxx-xxxx-xxxx","sms":[{"incoming_sms_id":1,"port":1,"number":"6717","smsc":"+8613800757511","timestamp":"2016-07-12 15:46:18","text":"test"}]}'  # noqa: E501
SPEC_SMS_RESULT = '{"sn":"xxxx-xxxx-xxxx-xxxx","sms_result":[{"port":1,"number":"10086","time":"2016-07-12 01:46:02","status":"DELIVERED","count":1,"succ_count":1,"ref_id":215,"imsi":"460004642148063"}]}'  # noqa: E501
SPEC_DELIVER = '{"sn":"xxxx-xxxx-xxxx-xxxx","sms_deliver_status":[{"port":1,"number":"10086","time":"2016-07-12 15:46:53","ref_id":215,"status_code":0,"imsi":"460004642148063"}]}'  # noqa: E501
SPEC_USSD = '{"sn":"xxxx-xxxx-xxxx-xxxx","ussd":[{"port":1,"text":"Thank you!"}]}'
SPEC_REGISTER_UP = '{"sn":"xxxx-xxxx-xxxx-xxxx","register":[{"port":8,"iccid":"89860040191844710023","imsi":"460004642148063","number":"13714637674","status":"up","sequence":2,"slot":2}]}'  # noqa: E501
SPEC_REGISTER_DOWN = '{"sn":"xxxx-xxxx-xxxx-xxxx","register":[{"port":8,"iccid":"<NULL>","imsi":"<NULL>","number":"13714637674","status":"down","sequence":1,"slot":2}]}'  # noqa: E501
SPEC_CDR = '{"sn":"xxxx-xxxx-xxxx-xxxx","cdr":[{"port":2,"start_date":"2015-07-21 16:35:20","answer_date":"2015-07-21 16:35:31","duration":3,"source_number":"1010","destination_number":"6717","direction":"ip->gsm","ip":"172.16.100.136","codec":"G.711U","hangup":"called","gsm_code":16,"bcch":""}]}'  # noqa: E501
SPEC_DEVICE = '{"sn":"xxxx-xxxx-xxxx-xxxx","device":{"port_number":32,"IP":"172.18.55.142","MAC":"F8-A0-3D-48-E5-19","status":"power_off"}}'  # noqa: E501
SPEC_EXCEPTION = (
    '{"sn":"xxxx-xxxx-xxxx-xxxx","exception_info":{"port":0,"type":"call_fail","action":"reset"}}'
)

SPEC_EXPECTED: list[tuple[str, DinstarPush]] = [
    (
        SPEC_SMS,
        DinstarPush(
            SN,
            PushKind.SMS,
            (
                IncomingSms(
                    incoming_sms_id=1,
                    port=1,
                    sender="6717",
                    smsc="+8613800757511",
                    timestamp=datetime(2016, 7, 12, 15, 46, 18),  # noqa: DTZ001
                    text="test",
                    imsi=None,
                ),
            ),
        ),
    ),
    (
        SPEC_SMS_RESULT,
        DinstarPush(
            SN,
            PushKind.SMS_RESULT,
            (
                SmsResult(
                    port=1,
                    user_id=None,
                    number="10086",
                    time=datetime(2016, 7, 12, 1, 46, 2),  # noqa: DTZ001
                    status=SmsStatus.DELIVERED,
                    count=1,
                    succ_count=1,
                    ref_id=215,
                    imsi="460004642148063",
                ),
            ),
        ),
    ),
    (
        SPEC_DELIVER,
        DinstarPush(
            SN,
            PushKind.SMS_DELIVER_STATUS,
            (
                DeliveryStatus(
                    port=1,
                    number="10086",
                    time=datetime(2016, 7, 12, 15, 46, 53),  # noqa: DTZ001
                    ref_id=215,
                    status_code=0,
                    imsi="460004642148063",
                ),
            ),
        ),
    ),
    (SPEC_USSD, DinstarPush(SN, PushKind.USSD, (UssdReply(port=1, text="Thank you!"),))),
    (
        SPEC_REGISTER_UP,
        DinstarPush(
            SN,
            PushKind.REGISTER,
            (
                RegisterChange(
                    port=8,
                    status=RegisterStatus.UP,
                    iccid="89860040191844710023",
                    imsi="460004642148063",
                    number="13714637674",
                    sequence=2,
                    slot=2,
                ),
            ),
        ),
    ),
    (
        SPEC_REGISTER_DOWN,
        DinstarPush(
            SN,
            PushKind.REGISTER,
            (
                RegisterChange(
                    port=8,
                    status=RegisterStatus.DOWN,
                    iccid=None,
                    imsi=None,
                    number="13714637674",
                    sequence=1,
                    slot=2,
                ),
            ),
        ),
    ),
    (
        SPEC_CDR,
        DinstarPush(
            SN,
            PushKind.CDR,
            (
                CallRecord(
                    port=2,
                    start_date=datetime(2015, 7, 21, 16, 35, 20),  # noqa: DTZ001
                    answer_date=datetime(2015, 7, 21, 16, 35, 31),  # noqa: DTZ001
                    duration=3,
                    source_number="1010",
                    destination_number="6717",
                    direction="ip->gsm",
                    ip="172.16.100.136",
                    codec="G.711U",
                    hangup="called",
                    gsm_code=16,
                    bcch=None,
                ),
            ),
        ),
    ),
    (
        SPEC_DEVICE,
        DinstarPush(
            SN,
            PushKind.DEVICE,
            (
                DeviceStatus(
                    port_number=32, ip="172.18.55.142", mac="F8-A0-3D-48-E5-19", status="power_off"
                ),
            ),
        ),
    ),
    (
        SPEC_EXCEPTION,
        DinstarPush(
            SN,
            PushKind.EXCEPTION_INFO,
            (ExceptionInfo(port=0, type="call_fail", action="reset"),),
        ),
    ),
]


@pytest.mark.parametrize(("body", "expected"), SPEC_EXPECTED, ids=lambda v: str(v)[:40])
def test_spec_examples(body: str, expected: DinstarPush) -> None:
    assert parse_push(body) == expected
    assert parse_push(body.encode()) == expected
    assert parse_push(b"\xef\xbb\xbf" + body.encode()) == expected
    assert parse_push("\ufeff" + body) == expected


def test_every_kind_has_a_spec_example() -> None:
    assert {push.kind for _, push in SPEC_EXPECTED} == set(PushKind)


def test_documented_deliver_status_typos() -> None:
    # The doc's own example lost the space in the time and has a trailing space in imsi.
    body = (
        '{"sn":"xxxx-xxxx-xxxx-xxxx","sms_deliver_status":[{"port":1,"number":"10086",'
        '"time":"2016-07-1215:46:53","ref_id":215,"status_code":0,"imsi":"460004642148063 "}]}'
    )
    (event,) = parse_push(body).events
    assert isinstance(event, DeliveryStatus)
    assert event.time == datetime(2016, 7, 12, 15, 46, 53)  # noqa: DTZ001
    assert event.imsi == "460004642148063"


def test_trailing_commas_are_tolerated() -> None:
    body = (
        '{"sn":"da00-0030-1901-2817","sms":[\n'
        '  {"incoming_sms_id":7,"port":0,"number":"+40712345678","smsc":"+40744000000",'
        '"timestamp":"2024-01-02 03:04:05","text":"see you,] at {5},}",},\n'
        '  {"incoming_sms_id":8,"port":1,"number":"1234","timestamp":"2024-01-02 03:04:06",'
        '"text":"quote \\" then ,}",} ,\n'
        "],}"
    )
    push = parse_push(body)
    assert push.sn == "da00-0030-1901-2817"
    assert [event.incoming_sms_id for event in push.events if isinstance(event, IncomingSms)] == [
        7,
        8,
    ]
    texts = [event.text for event in push.events if isinstance(event, IncomingSms)]
    # Commas inside message texts are not touched by the repair.
    assert texts == ["see you,] at {5},}", 'quote " then ,}']


def test_sms_without_imsi_and_with_imsi() -> None:
    with_imsi = json.loads(SPEC_SMS)
    with_imsi["sms"][0]["imsi"] = "460004642148063"
    (event,) = parse_push(json.dumps(with_imsi)).events
    assert isinstance(event, IncomingSms)
    assert event.imsi == "460004642148063"
    (event,) = parse_push(SPEC_SMS).events
    assert isinstance(event, IncomingSms)
    assert event.imsi is None


def test_unknown_keys_are_ignored() -> None:
    payload = json.loads(SPEC_REGISTER_UP)
    payload["firmware"] = {"version": "2.0", "build": [1, 2]}
    payload["register"][0]["operator"] = "Orange RO"
    payload["register"].append({"port": 9, "status": "down", "new_field": None})
    push = parse_push(json.dumps(payload))
    assert push.kind is PushKind.REGISTER
    assert [event.port for event in push.events if isinstance(event, RegisterChange)] == [8, 9]


def test_several_events_keep_their_order_and_empty_array_is_no_events() -> None:
    body = json.dumps({"sn": SN, "ussd": [{"port": p, "text": f"r{p}"} for p in (3, 1, 2)]})
    push = parse_push(body)
    assert [event.port for event in push.events if isinstance(event, UssdReply)] == [3, 1, 2]
    assert parse_push(json.dumps({"sn": SN, "cdr": []})).events == ()


def test_push_kind_values_are_the_wire_keys() -> None:
    assert [kind.value for kind in PushKind] == [
        "sms",
        "sms_result",
        "sms_deliver_status",
        "ussd",
        "register",
        "cdr",
        "device",
        "exception_info",
    ]


SMS_ELEMENT = {"incoming_sms_id": 1, "port": 1, "number": "6717", "text": "t"}

MALFORMED: list[tuple[str, bytes | str, str]] = [
    ("empty", b"", "not JSON"),
    ("blank", "   ", "not JSON"),
    ("not-json", b"sn=1&sms=hello", "not JSON"),
    ("truncated", SPEC_SMS[:-3], "not JSON"),
    ("trailing-junk", SPEC_SMS + "x", "not JSON"),
    ("not-utf8", b'{"sn":"a","ussd":[{"port":1,"text":"\xff\xfe"}]}', "UTF-8"),
    ("nan", '{"sn":"a","ussd":[{"port":NaN,"text":"x"}]}', "not JSON"),
    ("infinity", '{"sn":"a","ussd":[{"port":-Infinity,"text":"x"}]}', "not JSON"),
    ("deep", "[" * 100_000 + "]" * 100_000, "not JSON"),
    ("deep-unclosed", '{"sn":"a","x":' + "[" * 100_000, "not JSON"),
    ("array", json.dumps([{"sn": SN, "sms": []}]), "not an array"),
    ("string", '"sms"', "not a string"),
    ("null", "null", "not null"),
    ("number", "42", "not a number"),
    ("no-sn", json.dumps({"sms": [SMS_ELEMENT]}), "serial"),
    ("sn-number", json.dumps({"sn": 17, "sms": [SMS_ELEMENT]}), "serial"),
    ("sn-blank", json.dumps({"sn": " ", "sms": [SMS_ELEMENT]}), "serial"),
    ("sn-null", json.dumps({"sn": None, "sms": [SMS_ELEMENT]}), "serial"),
    ("no-type", json.dumps({"sn": SN}), "no known event type"),
    ("unknown-type", json.dumps({"sn": SN, "missed_call": [{"port": 1}]}), "no known"),
    ("case-differs", json.dumps({"sn": SN, "SMS": [SMS_ELEMENT]}), "no known"),
    ("two-types", json.dumps({"sn": SN, "sms": [], "ussd": []}), "sms, ussd"),
    ("sms-object", json.dumps({"sn": SN, "sms": SMS_ELEMENT}), "not an array"),
    ("sms-null", json.dumps({"sn": SN, "sms": None}), "null, not an array"),
    ("sms-string", json.dumps({"sn": SN, "sms": "hello"}), "not an array"),
    ("sms-bool", json.dumps({"sn": SN, "sms": True}), "a boolean, not an array"),
    ("device-array", json.dumps({"sn": SN, "device": [{"status": "power_on"}]}), "not an object"),
    ("exception-null", json.dumps({"sn": SN, "exception_info": None}), "not an object"),
    ("element-number", json.dumps({"sn": SN, "sms": [SMS_ELEMENT, 5]}), "Event 1"),
    ("element-array", json.dumps({"sn": SN, "cdr": [[1, 2]]}), "Event 0"),
    ("element-null", json.dumps({"sn": SN, "ussd": [None]}), "Event 0"),
    ("port-text", json.dumps({"sn": SN, "ussd": [{"port": "one", "text": "x"}]}), "port"),
    ("port-bool", json.dumps({"sn": SN, "ussd": [{"port": True, "text": "x"}]}), "port"),
    ("port-missing", json.dumps({"sn": SN, "register": [{"status": "up"}]}), "port"),
    ("sms-id-missing", json.dumps({"sn": SN, "sms": [{"port": 1, "text": "x"}]}), "sms_id"),
    ("status-code-missing", json.dumps({"sn": SN, "sms_deliver_status": [{"port": 1}]}), "Event"),
    (
        "number-object",
        json.dumps({"sn": SN, "sms_result": [{"port": 1, "number": {}, "status": "FAILED"}]}),
        "number",
    ),
]


@pytest.mark.parametrize(
    ("body", "reason"),
    [pytest.param(body, reason, id=name) for name, body, reason in MALFORMED],
)
def test_malformed_bodies_are_refused(body: bytes | str, reason: str) -> None:
    with pytest.raises(InvalidPushError, match=reason):
        parse_push(body)
    if isinstance(body, str):
        with pytest.raises(InvalidPushError, match=reason):
            parse_push(body.encode())


def test_errors_do_not_repeat_numbers_or_texts() -> None:
    bad_port = {
        "incoming_sms_id": 4,
        "port": "x",
        "number": "+40712345678",
        "text": "my PIN is 4321",
    }
    bodies: list[str | bytes] = [
        json.dumps({"sn": SN, "sms": [bad_port]}),
        json.dumps({"sn": SN, "sms": [{**bad_port, "port": 1, "incoming_sms_id": None}]}),
        json.dumps({"sn": SN, "sms": [bad_port], "ussd": [{"text": "my PIN is 4321"}]}),
        json.dumps({"sn": SN, "sms": "+40712345678 my PIN is 4321"}),
        '{"sn":"a","sms":[{"number":"+40712345678","text":"my PIN is 4321"}',
        b'{"sn":"a","sms":[{"number":"+40712345678","text":"my PIN is 4321\xff"}]}',
    ]
    for body in bodies:
        with pytest.raises(InvalidPushError) as caught:
            parse_push(body)
        message = str(caught.value)
        assert "40712345678" not in message
        assert "4321" not in message
        # Nothing chained that a traceback would print the body from.
        assert caught.value.__cause__ is None
        assert caught.value.__context__ is None or caught.value.__suppress_context__


# -- properties -----------------------------------------------------------------------------------

SECRET = "SECRET"
FIELD_NAMES = [
    "incoming_sms_id",
    "port",
    "number",
    "smsc",
    "timestamp",
    "text",
    "imsi",
    "user_id",
    "time",
    "status",
    "count",
    "succ_count",
    "ref_id",
    "status_code",
    "iccid",
    "sequence",
    "slot",
    "start_date",
    "answer_date",
    "duration",
    "source_number",
    "destination_number",
    "direction",
    "ip",
    "codec",
    "hangup",
    "gsm_code",
    "bcch",
    "port_number",
    "IP",
    "MAC",
    "type",
    "action",
]

# Every string leaf carries the marker, so an error message that echoes a value is caught.
secret_text = st.text(max_size=12).map(lambda text: SECRET + text)
plain_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "<NULL>", "up", "down", "DELIVERED", "2016-07-12 15:46:18"]),
    st.sampled_from(["1", "2.0", "1e400", "nan", "-0", " 7 "]),
    secret_text,
)
json_value = st.recursive(
    plain_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text()), children, max_size=5),
    ),
    max_leaves=8,
)
# Some elements carry every field a model requires, with valid values, and random others, so
# that the property reaches the models' success paths too, not only the envelope checks.
valid_required = {
    "port": st.integers(0, 31),
    "incoming_sms_id": st.integers(0, 10**6),
    "number": secret_text,
    "status": st.sampled_from(["up", "down", "DELIVERED", "FAILED", "?"]),
    "status_code": st.integers(0, 255),
}
# Records are flat, so their fields draw from a cheap one-level value (recursion is slow to draw).
field_value = st.one_of(
    plain_leaf,
    st.lists(plain_leaf, max_size=2),
    st.dictionaries(st.text(max_size=3), plain_leaf, max_size=2),
)
any_fields = dict.fromkeys(FIELD_NAMES, field_value)
optional_fields = {name: value for name, value in any_fields.items() if name not in valid_required}
element = st.one_of(
    st.fixed_dictionaries(valid_required, optional=optional_fields),
    st.fixed_dictionaries({}, optional=any_fields),
)
kind_value = st.one_of(st.lists(element, max_size=3), element, json_value)
one_kind_payload = st.builds(
    lambda kind, value, extra: {**extra, "sn": SN, kind.value: value},
    kind=st.sampled_from(PushKind),
    value=kind_value,
    extra=st.dictionaries(st.text(max_size=8), json_value, max_size=2),
)
payload = st.one_of(
    one_kind_payload,
    st.fixed_dictionaries(
        {"sn": st.one_of(st.just(SN), json_value)},
        optional={kind.value: kind_value for kind in PushKind},
    ),
    json_value,
)


def _check_refusal(body: bytes | str) -> DinstarPush | None:
    refusal: InvalidPushError | None = None
    try:
        return parse_push(body)
    except InvalidPushError as err:
        refusal = err
    assert SECRET not in str(refusal)
    return None


@given(body=st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_invalid_push(body: bytes) -> None:
    _check_refusal(body)


@given(body=st.text(max_size=300))
def test_arbitrary_text_raises_only_invalid_push(body: str) -> None:
    _check_refusal(body)


@given(value=payload, trailing_commas=st.booleans())
def test_arbitrary_json_raises_only_invalid_push(value: Any, trailing_commas: bool) -> None:
    body = json.dumps(value)
    if trailing_commas:
        body = body.replace("]", ",]").replace("}", ",}")
    push = _check_refusal(body)
    if push is None:
        return
    assert isinstance(value, dict)
    sn = value["sn"]
    if trailing_commas:  # the repair must leave string contents as they were sent
        sn = sn.replace("]", ",]").replace("}", ",}")
    assert push.sn == sn
    assert push.kind.value in value
    carried = value[push.kind.value]
    expected_count = 1 if push.kind in {PushKind.DEVICE, PushKind.EXCEPTION_INFO} else len(carried)
    assert len(push.events) == expected_count
    assert _check_refusal(body.encode()) == push


_WIRE_STRINGS = st.one_of(
    st.sampled_from(
        [
            *("", " ", "<NULL>", " <NULL> ", "7", " 12 ", "+40 712", "\u0661\u0662"),
            *("2016-07-12 15:46:18", " 2016-07-12 15:46:18 ", "2016-07-1215:46:18"),
            "2016-02-30 10:00:00",
        ]
    ),
    st.text(max_size=12),
)
_SMS_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=40),
    st.sampled_from([2**53, 2**53 + 1, -(2**53) - 1, 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    _WIRE_STRINGS,
)


_SMS_ITEMS = st.fixed_dictionaries(
    {
        "incoming_sms_id": st.one_of(st.integers(min_value=1, max_value=10**6), _SMS_VALUES),
        "port": st.one_of(st.integers(min_value=0, max_value=31), _SMS_VALUES),
    },
    optional=dict.fromkeys(
        ("number", "smsc", "timestamp", "text", "imsi"),
        st.one_of(_WIRE_STRINGS, _WIRE_STRINGS, st.none(), _SMS_VALUES),
    ),
)


_USUAL_SMS: dict[str, Any] = {
    "incoming_sms_id": 7,
    "port": 3,
    "number": "+40712345678",
    "smsc": "+40770000053",
    "timestamp": "2026-07-12 15:46:18",
    "text": "Hello",
    "imsi": "226100000000001",
}


@pytest.mark.parametrize("key", ["number", "smsc", "timestamp", "text", "imsi"])
@pytest.mark.parametrize(
    "value",
    [
        *(None, "", " ", "<NULL>", " <NULL> ", " 12 ", "x", 12, 1.5, True, [], {}),
        *(" 2016-07-12 15:46:18 ", "2016-02-30 10:00:00", "2016-07-1215:46:18", "2016-07-12T15:46"),
    ],
)
def test_usual_sms_push_with_odd_text_fields(key: str, value: Any) -> None:
    _check_read_as_by_the_inbox({**_USUAL_SMS, key: value})
    _check_read_as_by_the_inbox({k: v for k, v in _USUAL_SMS.items() if k != key})


@pytest.mark.parametrize("key", ["incoming_sms_id", "port"])
@pytest.mark.parametrize(
    "value", [0, 1, -1, 31, 32, 2**53, 2**53 + 1, -(2**53) - 1, 10**30, True, 3.0, 3.5, "3", None]
)
def test_usual_sms_push_with_odd_numbers(key: str, value: Any) -> None:
    _check_read_as_by_the_inbox({**_USUAL_SMS, key: value})


@settings(max_examples=400)
@given(item=_SMS_ITEMS)
def test_sms_push_reads_each_message_as_the_inbox_reader_does(item: dict[str, Any]) -> None:
    _check_read_as_by_the_inbox(item)


def _check_read_as_by_the_inbox(item: dict[str, Any]) -> None:
    """Pushed SMS are read on a quicker path: it must give what IncomingSms.from_wire gives."""
    body = json.dumps({"sn": SN, "sms": [item]})
    try:
        expected = IncomingSms.from_wire(item)
    except InvalidResponseError:
        with pytest.raises(InvalidPushError):
            parse_push(body)
        return
    assert parse_push(body).events == (expected,)
