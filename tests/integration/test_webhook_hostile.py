"""The Dinstar push webhook against hostile bodies: always an answer, never a crash or an event."""

import gzip
import json
import logging
from typing import Any, cast
from unittest.mock import patch

from aiohttp import web
from homeassistant.core import HomeAssistant
from hypothesis import strategies as st
from multidict import CIMultiDict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.gateway.push_receiver import DINSTAR_BODY_LIMIT
from custom_components.sms_gateway.webhooks import BurstLog, UnreadableBodyError, read_body
from tests.integration.conftest import SERIAL, WEBHOOK_ID
from tests.integration.setups import client_fixture

from .hostile import (
    ANY_TEXT,
    BAD_NUMBER,
    HUGE_DIGITS,
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
)

WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"
LIMIT = DINSTAR_BODY_LIMIT
KINDS = ("sms", "sms_result", "sms_deliver_status", "ussd", "register", "cdr")
SINGLE_KINDS = ("device", "exception_info")


pytestmark = pytest.mark.usefixtures("event_platform_only")


client = client_fixture()


@pytest.fixture
async def poster(
    hass: HomeAssistant, client: WebClient, caplog: pytest.LogCaptureFixture
) -> Poster:
    """Posts to the gateway's webhook, watching the log from debug up."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    return Poster(hass, client, WEBHOOK_PATH, caplog)


def _push(serial: str, kind: str, item: dict[str, Any]) -> bytes:
    body = item if kind in SINGLE_KINDS else [item]
    return json.dumps({"sn": serial, kind: body}).encode()


# Fields a push of each kind needs, to which one hostile value is then given.
_WELL_FORMED: dict[str, dict[str, Any]] = {
    "sms": {"incoming_sms_id": 1, "port": 1, "number": "+4071", "text": "hi", "timestamp": ""},
    "sms_result": {"port": 1, "number": "10086", "status": "SENT_OK", "ref_id": 2},
    "sms_deliver_status": {"port": 1, "number": "10086", "ref_id": 2, "status_code": 0},
    "ussd": {"port": 3, "text": "Credit"},
    "register": {"port": 1, "status": "up"},
    "cdr": {"port": 1, "duration": 3},
}
_NUMERIC: dict[str, tuple[str, ...]] = {
    "sms": ("incoming_sms_id", "port"),
    "sms_result": ("port",),
    "sms_deliver_status": ("port", "status_code"),
    "ussd": ("port",),
    "register": ("port",),
    "cdr": ("port",),
}


@st.composite
def bad_numeric_pushes(draw: st.DrawFn) -> HostileRequest:
    """A push from our gateway whose required number is none: Unicode digits, huge, signed."""
    kind = draw(st.sampled_from(sorted(_NUMERIC)))
    item = dict(_WELL_FORMED[kind])
    item[draw(st.sampled_from(_NUMERIC[kind]))] = draw(
        st.one_of(BAD_NUMBER.filter(_not_a_dinstar_number), JSON_ODD.filter(_not_an_int))
    )
    return HostileRequest(body=_push(SERIAL, kind, item), content_type="application/json")


def _not_a_dinstar_number(text: str) -> bool:
    """The gateway writes integers loosely ("+1", "1.0"); those are not hostile, the rest is."""
    stripped = text.strip()
    return not (stripped.lstrip("+-").isascii() and stripped.lstrip("+-").isdigit()) or (
        len(stripped) > 16
    )


def _not_an_int(value: Any) -> bool:
    """Small integers and whole floats are numbers to the gateway; keep the rest."""
    if isinstance(value, bool):
        return True
    if isinstance(value, float):
        return not (value.is_integer() and abs(value) <= 2**53)
    if isinstance(value, int):
        return abs(value) > 2**53
    return True


@st.composite
def foreign_pushes(draw: st.DrawFn) -> HostileRequest:
    """Well-formed pushes signed by another gateway, or by a hostile serial."""
    kind = draw(st.sampled_from(sorted(_WELL_FORMED)))
    serial = draw(
        st.one_of(
            st.just("ffff-0000-1111-2222"),
            ANY_TEXT.filter(lambda text: text.strip() != SERIAL),
            UNICODE_DIGITS,
            HUGE_DIGITS,
        )
    )
    return HostileRequest(body=_push(serial, kind, _WELL_FORMED[kind]))


@st.composite
def odd_pushes(draw: st.DrawFn) -> HostileRequest:
    """Pushes from our gateway with any odd value in any field: answered, whatever the answer."""
    kind = draw(st.sampled_from(sorted(_WELL_FORMED) + list(SINGLE_KINDS)))
    item = dict(_WELL_FORMED.get(kind, {"port": 1, "status": "power_on"}))
    for key in draw(st.lists(st.sampled_from([*item, "text", "time", "imsi", "x"]), max_size=3)):
        item[key] = draw(st.one_of(JSON_ODD, BAD_NUMBER, ANY_TEXT, st.none()))
    return HostileRequest(body=_push(SERIAL, kind, item), garbage=False)


HOSTILE = st.one_of(
    raw_requests(garbage_bodies(LIMIT), limit=LIMIT, methods=["POST", "POST", "POST", "PUT"]),
    bad_numeric_pushes(),
    foreign_pushes(),
    odd_pushes(),
)


async def test_hostile_pushes_are_answered_and_set_off_nothing(
    hass: HomeAssistant, poster: Poster, init_integration: MockConfigEntry
) -> None:
    async def probe(request: HostileRequest) -> None:
        check(request, await poster.post(request))

    await post_many(hass, HOSTILE, probe, max_examples=300)

    assert_loaded(init_integration)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("size", [LIMIT + 1, 17 * 1024 * 1024], ids=["just-over", "over-16-MB"])
async def test_a_body_over_the_limit_is_413(
    hass: HomeAssistant,
    poster: Poster,
    init_integration: MockConfigEntry,
    size: int,
    chunked: bool,
) -> None:
    body = (b'{"sn":"' + SERIAL.encode() + b'","sms":[' + b" " * size)[:size]

    outcome = await poster.post(HostileRequest(body=body, chunked=chunked, oversize=True))

    check(HostileRequest(body=body, oversize=True), outcome)
    assert_loaded(init_integration)


async def test_a_body_at_the_limit_is_read(
    hass: HomeAssistant, poster: Poster, init_integration: MockConfigEntry
) -> None:
    push = {"sn": SERIAL, "ussd": [{"port": 3, "text": "Credit"}]}
    text = json.dumps(push)
    body = (text[:-1] + " " * (LIMIT - len(text)) + "}").encode()
    assert len(body) == LIMIT

    outcome = await poster.post(HostileRequest(body=body, chunked=True, garbage=False))

    assert outcome.status == 200
    assert [event.data["text"] for event in outcome.events] == ["Credit"]


class _CountingStream:
    """A request body of total bytes that counts what the handler takes from it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    async def read(self, size: int = -1) -> bytes:
        left = self.total - self.taken
        count = left if size < 0 else min(size, left, 65536)
        self.taken += count
        return b"x" * count


class _Request:
    """Just what read_body looks at: the headers and the body stream."""

    def __init__(self, total: int, headers: dict[str, str]) -> None:
        self.headers = CIMultiDict(headers)
        self.content = _CountingStream(total)


@pytest.mark.parametrize(
    ("headers", "taken"),
    [({"Content-Length": str(64 * 1024 * 1024)}, 0), ({}, LIMIT + 1)],
    ids=["declared", "chunked"],
)
async def test_an_oversized_body_is_refused_without_reading_it_whole(
    headers: dict[str, str], taken: int
) -> None:
    request = _Request(64 * 1024 * 1024, headers)

    with pytest.raises(UnreadableBodyError) as caught:
        await read_body(cast("web.Request", request), LIMIT)

    assert caught.value.status == 413
    assert request.content.taken == taken


async def test_a_lying_content_length_does_not_lift_the_limit() -> None:
    request = _Request(LIMIT + 10, {"Content-Length": "5"})

    with pytest.raises(UnreadableBodyError):
        await read_body(cast("web.Request", request), LIMIT)

    assert request.content.taken == LIMIT + 1


@pytest.mark.parametrize(
    "body",
    [
        nested(100_000, closed=False),
        nested(100_000),
        nested(30_000, opener='{"a":', closer="}"),
        b'{"sn":"' + SERIAL.encode() + b'","ussd":' + nested(20_000) + b"}",
    ],
    ids=["open-arrays", "closed-arrays", "objects", "inside-a-push"],
)
async def test_deep_nesting_is_refused(
    hass: HomeAssistant, poster: Poster, init_integration: MockConfigEntry, body: bytes
) -> None:
    request = HostileRequest(body=body, oversize=len(body) > LIMIT)

    check(request, await poster.post(request))

    assert_loaded(init_integration)


@pytest.mark.parametrize(
    "port",
    ["7" * 5000, 10**300, "9" * 40, "²", "٣", "\u0661", "\uff13", "1²", 1e300],
    ids=[
        "5000-digits",
        "10^300",
        "40-digits",
        "superscript",
        "arabic-3",
        "arabic-1",
        "fullwidth",
        "mixed",
        "float",
    ],
)
async def test_hostile_port_numbers_are_refused(
    hass: HomeAssistant, poster: Poster, init_integration: MockConfigEntry, port: Any
) -> None:
    item = {"incoming_sms_id": 9, "port": port, "number": "+4071", "text": "x", "timestamp": ""}

    outcome = await poster.post(HostileRequest(body=_push(SERIAL, "sms", item)))

    check(HostileRequest(body=b"x"), outcome)
    assert outcome.status == 400


async def test_a_5000_digit_number_literal_is_refused(
    hass: HomeAssistant, poster: Poster, init_integration: MockConfigEntry
) -> None:
    body = b'{"sn":"' + SERIAL.encode() + b'","ussd":[{"port":' + b"1" * 5000 + b',"text":"x"}]}'

    outcome = await poster.post(HostileRequest(body=body))

    check(HostileRequest(body=body), outcome)
    assert outcome.status == 400


async def test_a_broken_compressed_body_is_refused(
    hass: HomeAssistant, client: WebClient, poster: Poster, init_integration: MockConfigEntry
) -> None:
    response = await client.post(
        WEBHOOK_PATH, data=b"this is not gzip", headers={"Content-Encoding": "gzip"}
    )

    assert response.status == 400
    assert_loaded(init_integration)


async def test_a_compressed_bomb_is_413(
    hass: HomeAssistant, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))

    response = await client.post(WEBHOOK_PATH, data=bomb, headers={"Content-Encoding": "gzip"})

    assert response.status == 413
    assert "Error processing webhook" not in caplog.text


async def test_a_burst_of_junk_is_logged_once(
    hass: HomeAssistant, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")

    for index in range(40):
        response = await client.post(WEBHOOK_PATH, data=b"junk %d" % index)
        assert response.status == 400

    refusals = [record for record in caplog.records if "Refused a push" in record.getMessage()]
    assert len(refusals) == 1
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert not [message for message in ours if "junk" in message]  # asyncio may name the test


class _Clock:
    """time.monotonic for the webhook module alone: the burst logs' minutes pass on demand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("kind", "body", "logged"),
    [
        ("device", {"status": "power_off"}, "The gateway reports its chassis power_off"),
        (
            "exception_info",
            {"port": 2, "type": "sms_fail", "action": "none"},
            "The gateway reports sms_fail on port 2 and did none",
        ),
    ],
)
async def test_a_storm_of_device_pushes_is_logged_once_per_burst(
    hass: HomeAssistant,
    client: WebClient,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    body: dict[str, Any],
    logged: str,
) -> None:
    clock = _Clock()
    with patch("custom_components.sms_gateway.webhooks.time", clock):
        for _ in range(40):
            response = await client.post(WEBHOOK_PATH, data=_push(SERIAL, kind, body))
            assert response.status == 200
        clock.now += 61
        response = await client.post(WEBHOOK_PATH, data=_push(SERIAL, kind, body))
        assert response.status == 200
    await hass.async_block_till_done(wait_background_tasks=True)

    records = [record.getMessage() for record in caplog.records if logged in record.getMessage()]
    assert records == [logged, f"{logged} (and 39 more since the last report)"]


async def test_another_device_state_in_a_burst_is_logged_too(
    hass: HomeAssistant, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    for status in ("power_on", "power_off", "power_on", "power_off"):
        response = await client.post(WEBHOOK_PATH, data=_push(SERIAL, "device", {"status": status}))
        assert response.status == 200
    await hass.async_block_till_done(wait_background_tasks=True)

    assert [r.getMessage() for r in caplog.records if "chassis" in r.getMessage()] == [
        "The gateway reports its chassis power_on",
        "The gateway reports its chassis power_off",
    ]


def test_a_burst_log_remembers_a_bounded_number_of_bursts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = BurstLog(logging.WARNING)

    for index in range(1000):
        log.note(f"key {index}", "Something %s", index)

    assert log.bursts == 32
    assert len(caplog.records) == 1000
