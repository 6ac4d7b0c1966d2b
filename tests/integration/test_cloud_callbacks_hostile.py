"""SMSLink and Plasgate callbacks against hostile requests from the internet.

Whatever arrives, by the HTTP server or relayed by Home Assistant Cloud, gets an answer with an
empty body (Plasgate's ACK aside), never a crash; garbage sets off no event; the entry stays loaded.
"""

import json
import logging
from typing import Any

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.util.aiohttp import MockRequest
from hypothesis import strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.accounts.callbacks import CLOUD_BODY_LIMIT
from custom_components.sms_gateway.const import EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED
from tests.conftest import RunningSmsLink

from .conftest import PLASGATE_WEBHOOK_ID, SMSLINK_WEBHOOK_ID
from .hostile import (
    ANY_TEXT,
    BAD_NUMBER,
    HUGE_DIGITS,
    JSON_LEAF,
    JSON_ODD,
    UNICODE_DIGITS,
    HostileRequest,
    Poster,
    WebClient,
    assert_loaded,
    check,
    garbage_bodies,
    nested,
    post_many,
    raw_requests,
    requests_from_fields,
)
from .setups import send_sms

LIMIT = CLOUD_BODY_LIMIT
SMSLINK_PATH = f"/api/webhook/{SMSLINK_WEBHOOK_ID}"
PLASGATE_PATH = f"/api/webhook/{PLASGATE_WEBHOOK_ID}"
METHODS = ["GET", "POST", "POST", "PUT"]


@pytest.fixture
def smslink_poster(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> Poster:
    """Posts to the SMSLink account's webhook."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    return Poster(hass, web_client, SMSLINK_PATH, caplog)


@pytest.fixture
def plasgate_poster(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> Poster:
    """Posts to the Plasgate account's webhook."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    return Poster(hass, web_client, PLASGATE_PATH, caplog)


# --- SMSLink ------------------------------------------------------------------------------------

GOOD_ID = st.integers(min_value=0, max_value=10**18).map(str)
GOOD_TIMESTAMP = st.integers(min_value=0, max_value=32_503_680_000).map(str)
NUMBER_FIELD_BAD = st.one_of(BAD_NUMBER, JSON_ODD)


@st.composite
def smslink_bad_fields(draw: st.DrawFn) -> dict[str, Any]:
    """A delivery report or an incoming SMS that looks right but for one field."""
    if draw(st.booleans()):
        fields: dict[str, Any] = {
            "message_id": draw(GOOD_ID),
            "status": draw(st.sampled_from(["0", "1"])),
            "timestamp": draw(GOOD_TIMESTAMP),
        }
        bad_key = draw(
            st.sampled_from(["message_id", "status", "timestamp", "message_count", "network_id"])
        )
        if bad_key == "network_id":  # free text in a report: only a container is wrong
            fields[bad_key] = draw(st.one_of(JSON_ODD.filter(_container), st.booleans()))
        elif bad_key == "status":
            fields[bad_key] = draw(st.one_of(UNICODE_DIGITS, HUGE_DIGITS, JSON_ODD))
        else:
            fields[bad_key] = draw(NUMBER_FIELD_BAD)
    else:
        fields = {
            "sender": draw(ANY_TEXT),
            "receiver": draw(ANY_TEXT),
            "message": draw(ANY_TEXT),
            "timestamp": draw(GOOD_TIMESTAMP),
        }
        bad_key = draw(st.sampled_from(["timestamp", "network_id", "sender", "message"]))
        if bad_key in {"sender", "message"}:
            fields[bad_key] = draw(st.one_of(JSON_ODD.filter(_container), st.booleans()))
        else:
            fields[bad_key] = draw(NUMBER_FIELD_BAD)
    extra = draw(st.dictionaries(ANY_TEXT.map(lambda key: f"x-{key}"), JSON_LEAF, max_size=2))
    return {**extra, **fields}


def _container(value: Any) -> bool:
    return isinstance(value, list | dict | float)


SMSLINK_HOSTILE = st.one_of(
    raw_requests(garbage_bodies(LIMIT), limit=LIMIT, methods=METHODS),
    requests_from_fields(smslink_bad_fields(), limit=LIMIT, methods=["GET", "POST"], garbage=True),
)


async def test_hostile_smslink_callbacks_are_answered_and_set_off_nothing(
    hass: HomeAssistant, smslink_poster: Poster, smslink_account: MockConfigEntry
) -> None:
    async def probe(request: HostileRequest) -> None:
        outcome = await smslink_poster.post(request)
        check(request, outcome)
        assert outcome.text == ""

    await post_many(hass, SMSLINK_HOSTILE, probe, max_examples=300)

    assert_loaded(smslink_account)


# --- Plasgate -----------------------------------------------------------------------------------

PLASGATE_ID = st.from_regex(r"[A-Za-z0-9-]{1,36}", fullmatch=True)
PLASGATE_STATUS = st.one_of(
    st.sampled_from(["DELIVRD", "ESME_ROK", "UNDELIV", "REJECTD", "SOMETHING"]),
    st.from_regex(r"[A-Za-z_]{1,20}", fullmatch=True),
)
HOSTILE_TEXT = st.one_of(BAD_NUMBER, ANY_TEXT)
REPORT_EXTRAS = st.fixed_dictionaries(
    {},
    optional={
        "level": HOSTILE_TEXT,
        "subdate": HOSTILE_TEXT,
        "donedate": HOSTILE_TEXT,
        "id_smsc": HOSTILE_TEXT,
        "err": HOSTILE_TEXT,
        "text": HOSTILE_TEXT,
    },
)


@st.composite
def plasgate_garbage_fields(draw: st.DrawFn) -> dict[str, Any]:
    """A report without its id or status, or a batch callback that is not ours or not 0/1."""
    fields = draw(REPORT_EXTRAS)
    match draw(st.sampled_from(["no-id", "no-status", "long-id", "foreign-batch", "bad-batch"])):
        case "no-id":
            fields["message_status"] = draw(PLASGATE_STATUS)
        case "no-status":
            fields["id"] = draw(PLASGATE_ID)
        case "long-id":
            fields["id"] = draw(st.integers(min_value=65, max_value=5000).map(lambda n: "a" * n))
            fields["message_status"] = draw(PLASGATE_STATUS)
        case "foreign-batch":
            fields.update(batchId=draw(PLASGATE_ID), status=draw(st.sampled_from(["0", "1"])))
        case _:
            fields.update(batchId=draw(PLASGATE_ID), status=draw(HOSTILE_TEXT))
    return fields


@st.composite
def plasgate_json_garbage(draw: st.DrawFn) -> dict[str, Any]:
    """A report whose id or status is no text at all: a boolean, a list, an object, a float."""
    fields = draw(REPORT_EXTRAS)
    fields["id"] = draw(PLASGATE_ID)
    fields["message_status"] = draw(PLASGATE_STATUS)
    key = draw(st.sampled_from(["id", "message_status"]))
    fields[key] = draw(st.one_of(st.booleans(), st.floats(), st.lists(JSON_LEAF, max_size=2)))
    return fields


@st.composite
def plasgate_odd_reports(draw: st.DrawFn) -> dict[str, Any]:
    """A report with its id and status and odd everything else: kept, and acknowledged."""
    fields = draw(REPORT_EXTRAS)
    fields["id"] = draw(PLASGATE_ID)
    fields["message_status"] = draw(PLASGATE_STATUS)
    return fields


PLASGATE_HOSTILE = st.one_of(
    raw_requests(garbage_bodies(LIMIT), limit=LIMIT, methods=METHODS),
    requests_from_fields(
        plasgate_garbage_fields(), limit=LIMIT, methods=["GET", "POST"], garbage=True
    ),
    requests_from_fields(plasgate_json_garbage(), limit=LIMIT, methods=["POST"], garbage=True),
    requests_from_fields(
        plasgate_odd_reports(), limit=LIMIT, methods=["GET", "POST"], garbage=False
    ),
)


async def test_hostile_plasgate_callbacks_are_answered_and_set_off_nothing(
    hass: HomeAssistant, plasgate_poster: Poster, plasgate_account: MockConfigEntry
) -> None:
    async def probe(request: HostileRequest) -> None:
        outcome = await plasgate_poster.post(request)
        check(request, outcome)
        assert outcome.text == ("ACK/Jasmin" if outcome.status == 200 else "")

    await post_many(hass, PLASGATE_HOSTILE, probe, max_examples=300)

    assert_loaded(plasgate_account)


# --- explicit cases -----------------------------------------------------------------------------

PATHS = {"smslink": SMSLINK_PATH, "plasgate": PLASGATE_PATH}


@pytest.fixture(params=["smslink", "plasgate"])
def any_poster(
    request: pytest.FixtureRequest,
    hass: HomeAssistant,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> tuple[Poster, MockConfigEntry]:
    """Each account in turn, with a poster to its webhook."""
    entry: MockConfigEntry = request.getfixturevalue(f"{request.param}_account")
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    return Poster(hass, web_client, PATHS[request.param], caplog), entry


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("size", [LIMIT + 1, 17 * 1024 * 1024], ids=["just-over", "over-16-MB"])
async def test_a_body_over_the_limit_is_413(
    any_poster: tuple[Poster, MockConfigEntry], size: int, chunked: bool
) -> None:
    poster, entry = any_poster
    body = (b"message_id=1&status=1&timestamp=1&x=" + b"a" * size)[:size]
    request = HostileRequest(
        body=body,
        content_type="application/x-www-form-urlencoded",
        chunked=chunked,
        oversize=True,
    )

    outcome = await poster.post(request)

    check(request, outcome)
    assert outcome.text == ""
    assert_loaded(entry)


@pytest.mark.parametrize(
    "body",
    [nested(100_000, closed=False)[:LIMIT], b'{"id":' + nested(30_000) + b"}", b"{" * 40_000],
    ids=["100000-open-arrays-to-the-limit", "inside-an-object", "open-objects"],
)
async def test_deep_nesting_is_refused(
    any_poster: tuple[Poster, MockConfigEntry], body: bytes
) -> None:
    poster, entry = any_poster
    request = HostileRequest(body=body, content_type="application/json")

    check(request, await poster.post(request))

    assert_loaded(entry)


async def test_100000_levels_are_413(any_poster: tuple[Poster, MockConfigEntry]) -> None:
    poster, _entry = any_poster
    request = HostileRequest(body=nested(100_000), content_type="application/json", oversize=True)

    check(request, await poster.post(request))


@pytest.mark.parametrize(
    "value",
    ["7" * 5000, "9" * 21, "²", "٣", "١٢٣", "1²"],
    ids=["5000-digits", "21-digits", "superscript", "arabic-3", "arabic-123", "mixed"],
)
@pytest.mark.parametrize("field", ["message_id", "timestamp", "message_count"])
@pytest.mark.parametrize("way", ["query", "form", "json"])
async def test_smslink_numbers_that_are_none(
    hass: HomeAssistant,
    web_client: WebClient,
    smslink_poster: Poster,
    field: str,
    value: str,
    way: str,
) -> None:
    fields = {"message_id": "22", "status": "1", "timestamp": "1740878151", field: value}
    if way == "query":
        request = HostileRequest(method="GET", query=tuple(fields.items()))
    elif way == "form":
        request = HostileRequest(
            body="&".join(f"{key}={item}" for key, item in fields.items()).encode(),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        request = HostileRequest(body=json.dumps(fields).encode(), content_type="application/json")

    outcome = await smslink_poster.post(request)

    check(request, outcome)
    assert outcome.status == 400
    assert outcome.text == ""


async def test_smslink_a_5000_digit_json_number_is_refused(smslink_poster: Poster) -> None:
    body = b'{"message_id": ' + b"3" * 5000 + b', "status": "1", "timestamp": "1"}'
    request = HostileRequest(body=body, content_type="application/json")

    outcome = await smslink_poster.post(request)

    check(request, outcome)


@pytest.mark.parametrize("level", ["²", "٣", "7" * 5000, "1²"])
async def test_plasgate_an_odd_level_is_kept_out_of_the_report(
    hass: HomeAssistant, plasgate_poster: Poster, plasgate_account: MockConfigEntry, level: str
) -> None:
    # A report is read only for the account's own send; the service is asked for none itself.
    [sent] = await send_sms(hass, plasgate_account, ["85512345678"], delivery_report=False)
    request = HostileRequest(
        method="GET",
        query=(("id", sent["message_id"]), ("message_status", "DELIVRD"), ("level", level)),
        garbage=False,
    )

    outcome = await plasgate_poster.post(request)

    check(request, outcome)
    assert (outcome.status, outcome.text) == (200, "ACK/Jasmin")
    assert [event.data["status"] for event in outcome.events] == ["delivered"]


@pytest.mark.parametrize("message_id", [True, "a" * 65, "ab\x00cd"], ids=["boolean", "long", "nul"])
async def test_plasgate_an_id_that_is_no_id_is_refused(
    hass: HomeAssistant, plasgate_poster: Poster, message_id: Any
) -> None:
    body = json.dumps({"id": message_id, "message_status": "DELIVRD", "level": "2"}).encode()
    request = HostileRequest(body=body, content_type="application/json")

    outcome = await plasgate_poster.post(request)

    check(request, outcome)


async def test_a_burst_of_junk_is_logged_once(
    any_poster: tuple[Poster, MockConfigEntry], caplog: pytest.LogCaptureFixture
) -> None:
    poster, _entry = any_poster

    for index in range(40):
        request = HostileRequest(body=b"{junk %d" % index, content_type="application/json")
        check(request, await poster.post(request))

    refusals = [record for record in caplog.records if "callback" in record.getMessage()]
    assert len(refusals) == 1, [record.getMessage() for record in refusals]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert not [message for message in ours if "junk" in message]  # asyncio may name the test


# --- relayed by Home Assistant Cloud -------------------------------------------------------------


def _relayed(body: bytes, content_type: str | None, query: str = "") -> MockRequest:
    """A callback as Home Assistant Cloud hands it over: a MockRequest, not an aiohttp one."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    return MockRequest(
        content=body, mock_source="cloud", method="POST", headers=headers, query_string=query
    )


async def test_a_relayed_smslink_report_is_read(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    smslink_simulator.sim.faults["dlr_delay_s"] = 3600  # the relayed report is the first
    [sent] = await send_sms(hass, smslink_account, ["0712345678"])
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    report = {"message_id": sent["message_id"], "status": "1", "timestamp": "1740878151"}
    body = json.dumps(report).encode()

    response = await webhook.async_handle_webhook(
        hass, SMSLINK_WEBHOOK_ID, _relayed(body, "application/json; charset=utf-8")
    )
    await hass.async_block_till_done()

    assert response.status == 200
    assert [event.data["message_id"] for event in events] == [sent["message_id"]]
    assert "Error processing webhook" not in caplog.text


async def test_a_relayed_plasgate_report_is_read(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    [sent] = await send_sms(hass, plasgate_account, ["85512345678"], delivery_report=False)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await webhook.async_handle_webhook(
        hass,
        PLASGATE_WEBHOOK_ID,
        _relayed(b"", None, f"id={sent['message_id']}&message_status=DELIVRD&level=2"),
    )
    await hass.async_block_till_done()

    assert response.status == 200
    assert response.text == "ACK/Jasmin"
    assert [event.data["message_id"] for event in events] == [sent["message_id"]]
    assert "Error processing webhook" not in caplog.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"x" * (CLOUD_BODY_LIMIT + 1), 413),
        (nested(100_000)[:CLOUD_BODY_LIMIT], 400),
        (b'{"message_id": "' + b"1" * 5000 + b'", "status": "1", "timestamp": "1"}', 400),
        ('{"message_id": "²", "status": "1", "timestamp": "1"}'.encode(), 400),
    ],
    ids=["over-the-limit", "deep", "5000-digits", "superscript"],
)
async def test_relayed_junk_is_refused(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    status: int,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    response = await webhook.async_handle_webhook(
        hass, SMSLINK_WEBHOOK_ID, _relayed(body, "application/json")
    )
    await hass.async_block_till_done()

    assert response.status == status
    assert not events
    assert not reports
    assert "Error processing webhook" not in caplog.text
    assert_loaded(smslink_account)
