"""The one lenient JSON reader behind Dinstar replies and pushes: commas inside strings survive."""

import json
from typing import Any

from aiohttp import web
from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.dinstar.models import UssdReply
from custom_components.sms_gateway.providers.dinstar.push import parse_push
from custom_components.sms_gateway.providers.dinstar.transport import reply_json
from custom_components.sms_gateway.providers.errors import InvalidPushError, InvalidResponseError
from custom_components.sms_gateway.providers.lenient_json import (
    NotJsonError,
    loads_lenient,
    without_trailing_commas,
)

from .conftest import OddClient

# An SMS text that looks like the firmware's trailing comma, plus an escaped quote before it.
TRICKY_TEXT = 'a,] b, } c\\",]'
INBOX_REPLY = (
    '{"error_code":200,"sn":"g1","read":0,"unread":1,"sms":['
    '{"incoming_sms_id":7,"port":2,"number":"+40712345678","text":"a,]","timestamp":"",},],}'
)


def test_reply_keeps_a_comma_bracket_inside_a_string() -> None:
    raw = b'{"text":"a,]","other":"x , }","list":[1,2,],}'
    assert reply_json(raw) == {"text": "a,]", "other": "x , }", "list": [1, 2]}


def test_push_keeps_a_comma_bracket_inside_a_string() -> None:
    body = '{"sn":"g1","ussd":[{"port":1,"text":"Balance: 5,]",},],}'
    push = parse_push(body)
    assert [e.text for e in push.events if isinstance(e, UssdReply)] == ["Balance: 5,]"]


async def test_client_reads_an_sms_text_with_a_comma_bracket(odd_client: OddClient) -> None:
    async def answer(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(text=INBOX_REPLY, content_type="application/json")

    client = odd_client(answer)
    page = await client.query_incoming_sms()
    assert [sms.text for sms in page.messages] == ["a,]"]
    assert client.serial == "g1"


def test_strict_json_is_read_as_is_and_a_bom_is_tolerated() -> None:
    assert loads_lenient('\ufeff{"a": [1, 2 , ] }') == {"a": [1, 2]}
    assert loads_lenient(json.dumps({"t": TRICKY_TEXT})) == {"t": TRICKY_TEXT}
    assert reply_json('\ufeff{"a":1,}'.encode()) == {"a": 1}


@pytest.mark.parametrize(
    "text",
    [
        '{"input_type":"2,"frame_id":750}',  # the firmware's unbalanced quote
        "[" * 100000,  # deep nesting: RecursionError inside json
        '{"a":NaN}',
        '{"a":-Infinity,}',
        "",
        '{"a":1}x',
    ],
)
def test_what_is_not_json_is_refused_with_each_callers_error(text: str) -> None:
    with pytest.raises(NotJsonError):
        loads_lenient(text)
    with pytest.raises(InvalidResponseError):
        reply_json(text.encode())
    with pytest.raises(InvalidPushError):
        parse_push(text)


def test_commas_are_only_dropped_before_a_closing_bracket() -> None:
    assert without_trailing_commas("[1 ,\n\t]") == "[1 \n\t]"
    assert without_trailing_commas('{"a":1, "b":2}') == '{"a":1, "b":2}'
    assert without_trailing_commas('["\\\\",]') == '["\\\\"]'  # an escaped backslash ends
    assert without_trailing_commas("[1,") == "[1,"  # a comma at the very end is left alone


def _dumps_with_trailing_commas(value: Any) -> str:
    """Serialise like the firmware: a comma after the last element of every array and object."""
    if isinstance(value, list):
        items = [_dumps_with_trailing_commas(item) for item in value]
        return "[" + "".join(item + ", " for item in items) + "]"
    if isinstance(value, dict):
        members = [
            json.dumps(key) + ":" + _dumps_with_trailing_commas(item) for key, item in value.items()
        ]
        return "{" + "".join(member + ",\n" for member in members) + "}"
    return json.dumps(value)


# Strings lean on the characters the repair looks at, so they would be damaged if it misread them.
_tricky_text = st.text(
    alphabet=st.sampled_from([",", "]", "}", "[", "{", '"', "\\", " ", "a", "é"])
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _tricky_text
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(_tricky_text | st.text(), children, max_size=4),
    max_leaves=20,
)


@given(value=json_values)
def test_trailing_commas_anywhere_parse_back_to_the_same_value(value: Any) -> None:
    assert loads_lenient(_dumps_with_trailing_commas(value)) == value
    assert reply_json(_dumps_with_trailing_commas(value).encode()) == value


@given(value=json_values)
def test_strict_json_is_unchanged_by_the_repair(value: Any) -> None:
    text = json.dumps(value)
    assert loads_lenient(text) == value
    assert json.loads(without_trailing_commas(text)) == value
