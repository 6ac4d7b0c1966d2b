"""Hostile requests for the webhooks, drawn by hypothesis, and a harness that posts them for real.

Home Assistant's fixtures live on the event loop while hypothesis drives a plain function. The
property therefore runs in an executor thread and hands each example to the loop, which posts it
through Home Assistant's HTTP server and checks the outcome there. Shrinking keeps working: a
failing example is posted again, smaller, until hypothesis reports a minimal one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
import json
import logging
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestClient
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import Event, HomeAssistant, callback
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.sms_gateway.const import (
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_USSD_REPLY,
)

type WebClient = TestClient[web.Request, web.Application]

HA_WEBHOOK_ERROR = "Error processing webhook"
OUR_EVENTS = (EVENT_SMS_RECEIVED, EVENT_DELIVERY_REPORT, EVENT_USSD_REPLY)


@dataclass(frozen=True)
class HostileRequest:
    """One request to a webhook and what it may get.

    garbage: nothing in it may be accepted (400 or 413, no event). oversize: the body is over the
    webhook's limit and must be answered 413.
    """

    body: bytes = b""
    method: str = "POST"
    content_type: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    chunked: bool = False
    garbage: bool = True
    oversize: bool = False

    def __repr__(self) -> str:
        """Hypothesis prints this for a failure: a body of megabytes is shown by its ends."""
        body = self.body if len(self.body) <= 240 else self.body[:200] + b"..." + self.body[-24:]
        return (
            f"HostileRequest(body={body!r} [{len(self.body)} bytes], method={self.method!r}, "
            f"content_type={self.content_type!r}, query={self.query!r}, chunked={self.chunked}, "
            f"garbage={self.garbage}, oversize={self.oversize})"
        )

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        """Hypothesis's own printer asks for this; give it the short form too."""
        printer.text(repr(self))


@dataclass(frozen=True)
class Outcome:
    """What Home Assistant answered and what the request set off."""

    status: int
    text: str
    events: list[Event[Any]]
    errors: list[str]


# --- values -------------------------------------------------------------------------------------

UNICODE_DIGIT = st.characters(categories=("Nd", "No", "Nl"), exclude_characters="0123456789")
UNICODE_DIGITS = st.one_of(
    st.sampled_from(["²", "٣", "١٢٣", "1²", "\uff13", "\u07c0", "٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣٣"]),
    st.text(UNICODE_DIGIT, min_size=1, max_size=12),
    st.builds(
        lambda head, digit, tail: head + digit + tail,
        st.text("0123456789", max_size=6),
        UNICODE_DIGIT,
        st.text("0123456789", max_size=6),
    ),
)
HUGE_DIGITS = st.one_of(
    st.text("0123456789", min_size=21, max_size=80).map(lambda digits: "1" + digits),
    st.integers(min_value=21, max_value=6000).map(lambda size: "7" * size),
)
NOT_A_NUMBER = st.sampled_from(
    ["-1", "1e3", "1.5", "0x10", "NaN", "Infinity", "+1", "1_000", "1 2", "½", "Ⅻ", "x"]
)
BAD_NUMBER = st.one_of(UNICODE_DIGITS, HUGE_DIGITS, NOT_A_NUMBER)
"""Text no numeric field may accept: Unicode digits, more than 20 digits, signs and the like."""

ANY_TEXT = st.text(max_size=60)
JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, HUGE_DIGITS, UNICODE_DIGITS
)
JSON_ODD = st.one_of(
    st.booleans(),
    st.floats(),
    st.lists(JSON_LEAF, max_size=3),
    st.dictionaries(ANY_TEXT, JSON_LEAF, max_size=3),
    st.integers(min_value=21, max_value=4000).map(lambda size: int("7" * size)),
    st.integers(max_value=-1),
)
"""JSON values no text or numeric field may accept: containers, booleans, floats, huge numbers."""

CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-16",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "multipart/form-data; boundary=xyz",
            "text/plain",
            "text/html; charset=utf-8",
            "application/octet-stream",
            "application/xml",
            "",
            ";;;",
            "application/json;;charset",
        ]
    ),
    st.from_regex(r"[a-z]{1,12}/[a-z0-9.+-]{1,20}(; ?[a-z]{1,8}=[a-z0-9-]{0,10})?", fullmatch=True),
)


def nested(depth: int, *, opener: str = "[", closer: str = "]", closed: bool = True) -> bytes:
    """Nesting depth levels deep, closed or not: the stuff of RecursionError."""
    return (opener * depth + ("" if not closed else closer * depth)).encode()


NESTED_BODIES = st.builds(
    lambda depth, shape, closed: nested(depth, opener=shape[0], closer=shape[1], closed=closed),
    st.integers(min_value=1, max_value=120_000),
    st.sampled_from([("[", "]"), ('{"a":', "}"), ('{"sn":[', "]}"), ('{"message_id":[', "]}")]),
    st.booleans(),
)
HUGE_NUMBER_BODIES = st.builds(
    lambda key, digits: f'{{"{key}": {digits}}}'.encode(),
    st.sampled_from(["a", "message_id", "port", "id", "timestamp", "sn", "level"]),
    HUGE_DIGITS,
)


def oversized(limit: int) -> st.SearchStrategy[bytes]:
    """Bodies just over the limit or far over it, of junk or of JSON-looking filler."""
    return st.builds(
        lambda extra, filler: (filler * (1 + (limit + extra) // len(filler)))[: limit + extra],
        st.one_of(st.integers(1, 16), st.integers(1, 4 * limit)),
        st.sampled_from([b"x", b'{"a":[', b"1,", b"%", b'"\\"', b"\xff"]),
    )


def garbage_bodies(limit: int) -> st.SearchStrategy[bytes]:
    """Bodies that are no callback of any service: bytes, text, nesting, numbers, floods."""
    return st.one_of(
        st.binary(max_size=2048),
        st.text(max_size=400).map(str.encode),
        NESTED_BODIES,
        HUGE_NUMBER_BODIES,
        st.builds(json.dumps, JSON_ODD).map(str.encode),
        st.integers(min_value=limit - 8, max_value=limit + 8).map(lambda size: b"[" * size),
        oversized(limit),
    )


def as_form(fields: Mapping[str, Any]) -> bytes:
    """URL-encode fields, whatever their type: the form is text, not JSON."""
    return urlencode({key: _form_text(value) for key, value in fields.items()}).encode()


def _is_text(value: Any) -> bool:
    """Whether a value reads the same in a form as in JSON: text, or an integer."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _form_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value)


def requests_from_fields(
    fields: st.SearchStrategy[dict[str, Any]],
    *,
    limit: int,
    methods: Sequence[str],
    garbage: bool,
) -> st.SearchStrategy[HostileRequest]:
    """The same fields sent every way the services send them: query, form, JSON, or split."""

    @st.composite
    def build(draw: st.DrawFn) -> HostileRequest:
        values = draw(fields)
        # A boolean, a float or a container is only itself in JSON: as text it may be valid.
        json_only = not all(_is_text(value) for value in values.values())
        way = draw(
            st.sampled_from(["json", "split"] if json_only else ["query", "form", "json", "split"])
        )
        method = "POST" if json_only else draw(st.sampled_from(methods))
        if way == "query" or method == "GET":
            query = tuple((key, _form_text(value)) for key, value in values.items())
            return _sized(HostileRequest(method=method, query=query, garbage=garbage), limit)
        in_query: dict[str, Any] = {}
        if way == "split" and values:
            movable = sorted(key for key, value in values.items() if _is_text(value))
            moved = draw(st.sets(st.sampled_from(movable))) if movable else set()
            in_query = {key: values.pop(key) for key in moved}
        as_json = json_only or way == "json" or (way == "split" and draw(st.booleans()))
        body = json.dumps(values).encode() if as_json else as_form(values)
        if as_json:
            content_type = draw(st.sampled_from(["application/json", None, "text/plain"]))
        else:
            content_type = draw(
                st.sampled_from(["application/x-www-form-urlencoded", None, "text/plain"])
            )
        query = tuple((key, _form_text(value)) for key, value in in_query.items())
        return _sized(
            HostileRequest(
                body=body,
                method=method,
                content_type=content_type,
                query=query,
                chunked=draw(st.booleans()),
                garbage=garbage,
            ),
            limit,
        )

    return build()


def raw_requests(
    bodies: st.SearchStrategy[bytes], *, limit: int, methods: Sequence[str]
) -> st.SearchStrategy[HostileRequest]:
    """Bodies sent with any content type, any method, maybe chunked, maybe with a query."""
    return st.builds(
        lambda body, method, content_type, query, chunked: _sized(
            HostileRequest(
                body=body,
                method=method,
                content_type=content_type,
                query=tuple(query),
                chunked=chunked,
            ),
            limit,
        ),
        bodies,
        st.sampled_from(methods),
        CONTENT_TYPES,
        st.lists(st.tuples(ANY_TEXT, st.one_of(ANY_TEXT, BAD_NUMBER)), max_size=3),
        st.booleans(),
    )


def _sized(request: HostileRequest, limit: int) -> HostileRequest:
    """Mark a request over the limit (refused 413, whatever else it is); keep the query filterless.

    Home Assistant's security filter answers a tab, CR or LF in a query with its own 400 before
    any webhook sees it, so those become spaces: the requests are for the webhooks.
    """
    oversize = len(request.body) > limit
    return HostileRequest(
        body=request.body,
        method="POST" if oversize else request.method,
        content_type=request.content_type,
        query=tuple((_unfiltered(key), _unfiltered(value)) for key, value in request.query),
        chunked=request.chunked,
        garbage=request.garbage or oversize,
        oversize=oversize,
    )


def _unfiltered(text: str) -> str:
    return text.translate(_FILTERED_BYTES)


_FILTERED_BYTES = str.maketrans("\t\r\n", "   ")


# --- posting ------------------------------------------------------------------------------------


async def _chunks(body: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


class Poster:
    """Posts requests to one webhook and collects what each one set off."""

    def __init__(
        self, hass: HomeAssistant, client: WebClient, path: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Listen to our events and watch the log from now on."""
        self._hass = hass
        self._client = client
        self._path = path
        self._caplog = caplog
        self._events: list[Event[Any]] = []
        for event_type in OUR_EVENTS:
            hass.bus.async_listen(event_type, self._heard)

    @callback
    def _heard(self, event: Event[Any]) -> None:
        self._events.append(event)

    async def post(self, request: HostileRequest) -> Outcome:
        """Send the request as an HTTP client would, and wait for what it set off."""
        events_before = len(self._events)
        records_before = len(self._caplog.records)
        headers: dict[str, str] = {}
        skip: list[str] = []
        if request.content_type is None:
            skip.append("Content-Type")
        else:
            headers["Content-Type"] = request.content_type
        data: bytes | AsyncIterator[bytes] = (
            _chunks(request.body) if request.chunked else request.body
        )
        async with self._client.request(
            request.method,
            self._path,
            params=list(request.query),
            data=data,
            headers=headers,
            skip_auto_headers=skip,
        ) as response:
            text = await response.text(errors="replace")
            status = response.status
        await self._hass.async_block_till_done()
        errors = [
            record.getMessage()
            for record in self._caplog.records[records_before:]
            if record.levelno >= logging.ERROR or HA_WEBHOOK_ERROR in record.getMessage()
        ]
        return Outcome(status, text, self._events[events_before:], errors)


def check(request: HostileRequest, outcome: Outcome, *, accepted: int = HTTPStatus.OK) -> None:
    """What every hostile request must get: an answer, never a crash; garbage sets off nothing."""
    assert not outcome.errors, outcome.errors
    assert outcome.status < 500, outcome
    if request.oversize:
        assert outcome.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE, outcome
    elif request.garbage:
        assert outcome.status in {
            HTTPStatus.BAD_REQUEST,
            HTTPStatus.METHOD_NOT_ALLOWED,
        }, outcome
    else:
        assert outcome.status in {accepted, HTTPStatus.BAD_REQUEST}, outcome
    if request.garbage:
        assert not outcome.events, outcome


async def post_many(
    hass: HomeAssistant,
    strategy: st.SearchStrategy[HostileRequest],
    probe: Callable[[HostileRequest], Awaitable[None]],
    *,
    max_examples: int,
) -> None:
    """Run probe on every request hypothesis draws; it asserts on the loop, hypothesis shrinks."""
    loop = asyncio.get_running_loop()

    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=strategy)
    def every_request(request: HostileRequest) -> None:
        asyncio.run_coroutine_threadsafe(probe(request), loop).result(timeout=60)

    await hass.async_add_executor_job(every_request)


def assert_loaded(entry: ConfigEntry[Any]) -> None:
    """The entry survived whatever it was sent."""
    assert entry.state is ConfigEntryState.LOADED
