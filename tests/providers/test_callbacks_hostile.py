"""The cloud callback readers and the lenient JSON repair against hostile input.

Whatever the network sends, a reader returns its typed result or raises InvalidPushError: never
ValueError from int(), never RecursionError from json.
"""

import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.sms_gateway.providers.errors import InvalidPushError
from custom_components.sms_gateway.providers.lenient_json import without_trailing_commas
from custom_components.sms_gateway.providers.plasgate import (
    parse_batch_callback,
    parse_delivery_report,
)
from custom_components.sms_gateway.providers.smslink.callbacks import (
    DeliveryReport,
    callback_fields,
    parse_callback,
)

UNICODE_DIGITS = st.text(
    st.characters(categories=("Nd", "No", "Nl"), exclude_characters="0123456789"), min_size=1
)
HOSTILE_TEXT = st.one_of(
    st.text(),
    UNICODE_DIGITS,
    st.integers(min_value=1, max_value=6000).map(lambda size: "9" * size),
    st.sampled_from(["²", "٣", "1²", "-1", "1e3", "1_000", " 7 ", "0" * 20, "9" * 21]),
)
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.floats(),
        st.integers(min_value=-(10**30), max_value=10**30),
        HOSTILE_TEXT,
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)
SMSLINK_KEYS = st.sampled_from(
    [
        "message_id",
        "status",
        "timestamp",
        "network_id",
        "network_type",
        "message_count",
        "sender",
        "receiver",
        "message",
        "network_name",
    ]
)


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


# --- SMSLink ------------------------------------------------------------------------------------


NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    HOSTILE_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
)
SMSLINK_FIELDS = st.one_of(
    st.fixed_dictionaries(
        {
            "message_id": NUMBERS,
            "status": st.one_of(st.sampled_from(["0", "1"]), JSON_VALUES),
            "timestamp": NUMBERS,
        },
        optional={"message_count": NUMBERS, "network_id": JSON_VALUES},
    ),
    st.fixed_dictionaries(
        {
            "sender": JSON_VALUES,
            "receiver": JSON_VALUES,
            "message": JSON_VALUES,
            "timestamp": NUMBERS,
        },
        optional={"network_id": NUMBERS, "network_name": JSON_VALUES},
    ),
    st.dictionaries(SMSLINK_KEYS, JSON_VALUES, max_size=8),
)
"""Delivery reports and incoming SMS shaped right, with any value in any field, and any mix."""


@settings(max_examples=400)
@given(fields=SMSLINK_FIELDS)
def test_any_smslink_fields_give_an_event_or_a_refusal(fields: dict[str, Any]) -> None:
    try:
        parse_callback(fields)
    except InvalidPushError as err:
        message = str(err)
    else:
        return
    assert "0712345678" not in message


@settings(max_examples=300)
@given(
    body=st.one_of(
        st.binary(max_size=512),
        st.integers(min_value=1, max_value=120_000).map(_nested),
        st.integers(min_value=1, max_value=120_000).map(lambda depth: b"[" * depth),
        st.builds(
            lambda fields: json.dumps(fields).encode(), st.dictionaries(SMSLINK_KEYS, JSON_VALUES)
        ),
    ),
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "", "text/plain"]
    ),
)
def test_any_body_gives_fields_or_a_refusal(body: bytes, content_type: str) -> None:
    try:
        fields = callback_fields({"q": "1"}, body, content_type)
    except InvalidPushError:
        return
    assert "q" in fields


def test_deep_nesting_is_not_json() -> None:
    with pytest.raises(InvalidPushError):
        callback_fields({}, _nested(100_000), "application/json")
    with pytest.raises(InvalidPushError):
        callback_fields({}, b"[" * 100_000, "application/json")


def test_nesting_json_can_hold_is_no_callback() -> None:
    fields = callback_fields({}, _nested(500), "application/json")

    with pytest.raises(InvalidPushError):
        parse_callback(fields)


@pytest.mark.parametrize(
    "value",
    ["7" * 5000, "9" * 4301, "9" * 21, 10**21, "²", "٣", "١٢٣", "1²", "\uff13", "-1", 1.0, True],
    ids=[
        "5000-digits",
        "4301-digits",
        "21-digits",
        "21-digit-json-number",
        "superscript",
        "arabic-3",
        "arabic-123",
        "mixed",
        "fullwidth",
        "negative",
        "float",
        "boolean",
    ],
)
@pytest.mark.parametrize("key", ["message_id", "timestamp", "message_count", "network_id"])
def test_numbers_that_are_none_are_refused(key: str, value: Any) -> None:
    fields = {"message_id": "1", "status": "1", "timestamp": "1", key: value}
    if key == "network_id":  # free text in a report, a number in an incoming SMS
        fields = {"sender": "0712345678", "receiver": "1847", "message": "x", "timestamp": "1"}
        fields[key] = value

    with pytest.raises(InvalidPushError) as caught:
        parse_callback(fields)

    assert "0712345678" not in str(caught.value)


def test_twenty_digits_are_still_a_number() -> None:
    report = parse_callback({"message_id": " " + "9" * 20 + " ", "status": "1", "timestamp": "0"})

    assert isinstance(report, DeliveryReport)
    assert report.message_id == 10**20 - 1


# --- Plasgate -----------------------------------------------------------------------------------

PLASGATE_KEYS = st.sampled_from(
    ["id", "message_status", "level", "id_smsc", "subdate", "donedate", "err", "text"]
)


@settings(max_examples=400)
@given(fields=st.dictionaries(PLASGATE_KEYS, HOSTILE_TEXT, max_size=8))
def test_any_plasgate_report_gives_a_report_or_a_refusal(fields: dict[str, str]) -> None:
    try:
        report = parse_delivery_report(fields)
    except InvalidPushError:
        return
    assert report.level is None or 0 <= report.level <= 999


@settings(max_examples=200)
@given(
    fields=st.fixed_dictionaries(
        {"batchId": HOSTILE_TEXT, "status": st.one_of(st.sampled_from(["0", "1"]), HOSTILE_TEXT)},
        optional={"statusText": HOSTILE_TEXT},
    )
)
def test_any_batch_callback_gives_a_callback_or_a_refusal(fields: dict[str, str]) -> None:
    try:
        callback = parse_batch_callback(fields)
    except InvalidPushError:
        return
    assert len(callback.batch_id) <= 64


@pytest.mark.parametrize("level", ["²", "٣", "1²", "7" * 5000, "1e3", "-1"])
def test_a_level_that_is_no_number_is_left_out(level: str) -> None:
    report = parse_delivery_report({"id": "m1", "message_status": "DELIVRD", "level": level})

    assert report.level is None
    assert report.status == "DELIVRD"


@pytest.mark.parametrize(
    "date",
    [
        "٢٦١١٢٢٠٣٠٥",
        "\uff12\uff16\uff11\uff11\uff12\uff12\uff10\uff13\uff10\uff15",
        "26112203",
        "2611220305 ",
    ],
)
def test_a_date_that_is_not_ten_ascii_digits_is_left_out(date: str) -> None:
    report = parse_delivery_report({"id": "m1", "message_status": "DELIVRD", "subdate": date})

    assert report.submitted is None or date.strip() == "2611220305"


@pytest.mark.parametrize("message_id", ["a" * 65, "a" * 5000, "m\x001", "m\n1"])
def test_an_id_too_long_or_with_control_characters_is_refused(message_id: str) -> None:
    with pytest.raises(InvalidPushError):
        parse_delivery_report({"id": message_id, "message_status": "DELIVRD"})
    with pytest.raises(InvalidPushError):
        parse_batch_callback({"batchId": message_id, "status": "1"})


def test_a_uuid_is_an_id() -> None:
    message_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

    assert parse_delivery_report({"id": message_id, "message_status": "X"}).message_id == message_id


# --- the lenient JSON repair --------------------------------------------------------------------


def _reference_repair(text: str) -> str:
    """The repair as a plain character walk, to hold the fast one to."""
    out: list[str] = []
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif char == '"':
            in_string = True
        elif char == "," and text[index + 1 :].lstrip(" \t\r\n")[:1] in ("]", "}"):
            continue
        out.append(char)
    return "".join(out)


@settings(max_examples=1000)
@given(text=st.text(alphabet=st.sampled_from(list(',]}[{" \\\t\n\ra:1é'))))
def test_the_repair_drops_exactly_the_trailing_commas_outside_strings(text: str) -> None:
    assert without_trailing_commas(text) == _reference_repair(text)


@pytest.mark.parametrize(
    "text",
    ['"' + '\\"' * 50_000, '"' * 100_001 + ",]", '"\\', '["a\\\\",]', "[1,\n\t]"],
    ids=["escaped-quotes", "quotes", "lone-backslash", "escaped-backslash", "whitespace"],
)
def test_the_repair_of_odd_strings(text: str) -> None:
    assert without_trailing_commas(text) == _reference_repair(text)
