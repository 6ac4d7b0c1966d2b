"""Soak tests' tools: a seeded mix of hostile requests, a poster, and a meter of event-loop stalls.

Hypothesis drawing 10,000 examples per webhook would take many minutes; a seeded random mix
through the same HTTP path covers the same kinds of body in seconds, and the seed makes every run
the same (a failure names the request's index, so it can be posted again alone).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
import gc
from http import HTTPStatus
import json
import logging
import random
import time
from typing import Any
from unittest.mock import patch

from aiohttp import ClientResponse
import pytest

from .hostile import HA_WEBHOOK_ERROR, HostileRequest, WebClient, as_form

SOAK_REQUESTS = 10_000
STALL_LIMIT = 0.050
"""The longest the event loop may be held by one callback: 50 ms of its thread's CPU time."""

UNICODE_DIGITS = ("²", "٣", "١٢٣", "1²", "\uff13", "\u07c0", "\u0966", "Ⅻ", "½", "٣" * 30)
CONTENT_TYPES: tuple[str | None, ...] = (
    None,
    "application/json",
    "application/json; charset=utf-16",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "text/html; charset=utf-8",
    "application/octet-stream",
    "application/xml",
    "",
    ";;;",
    "application/json;;charset",
)
_NESTINGS = (("[", "]"), ('{"a":', "}"), ('{"sn":[', "]}"), ('{"message_id":[', "]}"))
_FILLERS = (b"x", b'{"a":[', b"1,", b"%", b'"\\"', b"\xff", b'["a",]')


@dataclass(frozen=True)
class SoakRequest:
    """A request and the answers it may get; `kind` names the generator that made it."""

    kind: str
    request: HostileRequest
    allowed: frozenset[int]


def refused(kind: str, request: HostileRequest) -> SoakRequest:
    """A request nothing may come of: 413 when over the limit, 405 for a method not served."""
    if request.oversize:
        allowed = {HTTPStatus.REQUEST_ENTITY_TOO_LARGE}
    else:
        allowed = {HTTPStatus.BAD_REQUEST, HTTPStatus.METHOD_NOT_ALLOWED}
    return SoakRequest(kind, request, frozenset(allowed))


def accepted(kind: str, request: HostileRequest) -> SoakRequest:
    """A request the webhook must take."""
    return SoakRequest(kind, request, frozenset({HTTPStatus.OK}))


class HostileMix:
    """Draws junk bodies from a seeded generator: the same seed gives the same requests."""

    def __init__(self, rng: random.Random, limit: int, methods: Sequence[str]) -> None:
        """Limit is the webhook's body limit; methods are those a request may use."""
        self.rng = rng
        self.limit = limit
        self.methods = methods

    def junk(self) -> SoakRequest:
        """One request whose body is no push or callback of any service."""
        makers = self._makers()
        kind, make = self.rng.choices(makers, weights=[weight for _, _, weight in makers])[0][:2]
        body = make()
        return refused(kind, self.raw(body))

    def raw(self, body: bytes, *, method: str | None = None) -> HostileRequest:
        """Send body with any content type and method, maybe chunked, maybe with a junk query."""
        rng = self.rng
        oversize = len(body) > self.limit
        query: tuple[tuple[str, str], ...] = ()
        if rng.random() < 0.2:
            query = _unfiltered({self.text(8): rng.choice([*UNICODE_DIGITS, self.text(12)])})
        return HostileRequest(
            body=body,
            method="POST" if oversize else method or rng.choice(self.methods),
            content_type=rng.choice(CONTENT_TYPES),
            query=query,
            chunked=rng.random() < 0.3,
            oversize=oversize,
        )

    def _makers(self) -> list[tuple[str, Callable[[], bytes], int]]:
        """Each kind of junk with its weight: bodies of the limit's size are few, they cost most."""
        return [
            ("bytes", lambda: self.rng.randbytes(self.rng.randint(0, 2048)), 20),
            ("text", lambda: self.text(self.rng.randint(0, 400)).encode(), 15),
            ("nested", self.nested, 15),
            ("huge number", self.huge_number, 10),
            ("unicode digits", self.unicode_digits, 10),
            ("odd json", lambda: json.dumps(self.odd_value()).encode(), 20),
            ("edge of the limit", self.edge_of_limit, 2),
            ("oversize", self.oversize, 3),
        ]

    def text(self, size: int) -> str:
        """Any text: ASCII, Latin, Arabic, CJK, emoji, controls (no lone surrogates)."""
        ranges = ((0, 0x7F), (0x80, 0x24F), (0x600, 0x6FF), (0x4E00, 0x4FFF), (0x1F600, 0x1F64F))
        chars = []
        for _ in range(size):
            low, high = self.rng.choice(ranges)
            chars.append(chr(self.rng.randint(low, high)))
        return "".join(chars)

    def digits(self) -> str:
        """More digits than any field holds: from 22 to 6,000."""
        if self.rng.random() < 0.5:
            return "1" + "".join(self.rng.choices("0123456789", k=self.rng.randint(21, 80)))
        return "7" * self.rng.randint(21, 6000)

    def bad_number(self) -> Any:
        """A value no numeric field may take: Unicode digits, huge, signed, a float, a container."""
        return self.rng.choice(
            [
                self.rng.choice(UNICODE_DIGITS),
                self.digits(),
                int(self.digits()[:4000]),
                self.rng.choice(["1e3", "1.5", "0x10", "NaN", "Infinity", "1_000", "1 2", "x"]),
                -self.rng.randint(1, 10**6),
                self.rng.random() * 10 ** self.rng.randint(0, 300),
                [1],
                {"a": 1},
                True,
                None,
            ]
        )

    def nested(self) -> bytes:
        opener, closer = self.rng.choice(_NESTINGS)
        widest = 2 * self.limit // (len(opener) + len(closer))
        depth = min(int(10 ** self.rng.uniform(0, 5.1)), widest)
        return (opener * depth + (closer * depth if self.rng.random() < 0.5 else "")).encode()

    def huge_number(self) -> bytes:
        key = self.rng.choice(["a", "message_id", "port", "id", "timestamp", "sn", "level"])
        return f'{{"{key}": {self.digits()}}}'.encode()

    def unicode_digits(self) -> bytes:
        key = self.rng.choice(["message_id", "port", "incoming_sms_id", "status", "id"])
        return json.dumps({key: self.rng.choice(UNICODE_DIGITS)}).encode()

    def odd_value(self, depth: int = 0) -> Any:
        choice = self.rng.randrange(6 if depth < 3 else 3)
        if choice == 0:
            return self.rng.choice([True, False, None, 1.5, -1, 0])
        if choice == 1:
            return self.text(self.rng.randint(0, 30))
        if choice == 2:
            return self.bad_number()
        if choice == 3:
            return [self.odd_value(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {self.text(5): self.odd_value(depth + 1) for _ in range(self.rng.randint(0, 3))}

    def edge_of_limit(self) -> bytes:
        return b"[" * self.rng.randint(self.limit - 8, self.limit + 8)

    def oversize(self) -> bytes:
        filler = self.rng.choice(_FILLERS)
        size = self.limit + self.rng.choice(
            [self.rng.randint(1, 16), self.rng.randint(1, self.limit)]
        )
        return (filler * (size // len(filler) + 1))[:size]

    def way(
        self, fields: dict[str, Any], *, methods: Sequence[str] = ("GET", "POST")
    ) -> HostileRequest:
        """Send callback fields as the services do: in the query, a form, JSON, or split."""
        rng = self.rng
        textual = all(
            isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
            for value in fields.values()
        )
        way = rng.choice(["query", "form", "json", "split"] if textual else ["json"])
        if way == "query":
            query = _unfiltered(fields)
            return HostileRequest(method=rng.choice(methods), query=query, garbage=False)
        in_query: dict[str, Any] = {}
        if way == "split":
            for key in [key for key in fields if rng.random() < 0.5]:
                in_query[key] = fields.pop(key)
        as_json = way == "json" or (way == "split" and rng.random() < 0.5)
        body = json.dumps(fields).encode() if as_json else as_form(fields)
        usual = "application/json" if as_json else "application/x-www-form-urlencoded"
        return HostileRequest(
            body=body,
            method="POST",
            content_type=rng.choice([usual, usual, None, "text/plain"]),
            query=_unfiltered(in_query),
            chunked=rng.random() < 0.3,
            garbage=False,
        )


_FILTERED = str.maketrans("\t\r\n", "   ")


def _unfiltered(fields: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A query Home Assistant's security filter lets through (it answers tab, CR and LF itself)."""
    return tuple(
        (key.translate(_FILTERED), str(value).translate(_FILTERED)) for key, value in fields.items()
    )


def spread[T](rng: random.Random, items: Sequence[T], total: int) -> list[T | None]:
    """Scatter items over total slots in random order; the empty slots are None."""
    slots: list[T | None] = [*items, *([None] * (total - len(items)))]
    rng.shuffle(slots)
    return slots


@dataclass
class SoakResult:
    """What the soak saw: answers per kind and how long it took."""

    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, kind: str, status: int) -> None:
        """Tally one answer."""
        per_kind = self.statuses.setdefault(kind, {})
        per_kind[status] = per_kind.get(status, 0) + 1


async def _chunks(body: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def post(client: WebClient, path: str, request: HostileRequest) -> tuple[int, str]:
    """Send one request as an HTTP client would; give the status and the answer's text."""
    headers: dict[str, str] = {}
    skip: list[str] = []
    if request.content_type is None:
        skip.append("Content-Type")
    else:
        headers["Content-Type"] = request.content_type
    data: bytes | AsyncIterator[bytes] = _chunks(request.body) if request.chunked else request.body
    async with client.request(
        request.method,
        path,
        params=list(request.query),
        data=data,
        headers=headers,
        skip_auto_headers=skip,
    ) as response:
        return response.status, await _text(response)


async def _text(response: ClientResponse) -> str:
    return await response.text(errors="replace")


async def soak(
    client: WebClient,
    path: str,
    requests: Iterator[SoakRequest],
    *,
    answer: Callable[[SoakRequest, int, str], None] | None = None,
) -> SoakResult:
    """Post every request in turn; each answer must be one it allows (the index says which).

    The test harness runs the loop in asyncio's debug mode, which records a stack trace for every
    future and callback: it would make the soak several times slower and checks nothing of ours,
    so it is off while the requests go.
    """
    result = SoakResult()
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    loop.set_debug(False)
    start = time.monotonic()
    try:
        for index, item in enumerate(requests):
            status, text = await post(client, path, item.request)
            assert status in item.allowed, (index, item.kind, status, item.request)
            if answer is not None:
                answer(item, status, text)
            result.count(item.kind, status)
    finally:
        loop.set_debug(debug)
    result.seconds = time.monotonic() - start
    return result


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing logged at error level, and Home Assistant never caught an exception of ours."""
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR or HA_WEBHOOK_ERROR in record.getMessage()
    ]
    assert not errors, errors[:5]


def lines(caplog: pytest.LogCaptureFixture, text: str) -> int:
    """How many records contain text."""
    return sum(text in record.getMessage() for record in caplog.records)


def bursts(result: SoakResult) -> int:
    """How many once-per-minute reports a burst that lasted the whole soak may give."""
    return 1 + int(result.seconds // 60)


class LoopStallMeter:
    """The longest the event loop was held by one callback, in CPU time of the loop's thread.

    Every callback the loop runs (a task step of a webhook handler, a background catch-up, the
    HTTP server's parsing, a state write) goes through asyncio's Handle._run, which is timed here.
    Thread CPU time, not wall-clock time: a loaded CI machine that takes the core away from the
    loop for 100 ms would fail a wall-clock bound without any code of ours being slow, while a
    handler doing 50 ms of work is caught however idle or busy the machine is. Time spent waiting
    for the GIL or in garbage collection (which collects everyone's objects, and is timed through
    gc.callbacks and taken off the callback it interrupted) is not work the callback did.
    """

    def __init__(self) -> None:
        """Nothing is measured until watching()."""
        self.longest = 0.0
        self.longest_callback = ""
        self.callbacks = 0
        self._collecting_since = 0.0
        self._collected = 0.0

    @contextmanager
    def watching(self) -> Iterator[LoopStallMeter]:
        """Time every callback the loop runs until the block ends."""
        run = asyncio.events.Handle._run
        meter = self

        def timed_run(handle: asyncio.Handle) -> None:
            collected = meter._collected
            start = time.thread_time()
            run(handle)
            spent = time.thread_time() - start - (meter._collected - collected)
            meter.callbacks += 1
            if spent > meter.longest:
                meter.longest = spent
                meter.longest_callback = _describe(handle)

        gc.callbacks.append(self._on_gc)
        try:
            with patch.object(asyncio.events.Handle, "_run", timed_run):
                yield self
        finally:
            gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting_since = time.thread_time()
        else:
            self._collected += time.thread_time() - self._collecting_since

    def assert_no_stall(self, requests: int) -> None:
        """Every request went through the meter, and no callback held the loop over the limit."""
        assert self.callbacks >= requests, "the meter saw fewer callbacks than requests"
        assert self.longest <= STALL_LIMIT, (self.longest, self.longest_callback)


def _describe(handle: asyncio.Handle) -> str:
    """Name a callback; a task's step by the coroutine it runs (a handle shows only "wakeup")."""
    owner = getattr(handle._callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        return f"a step of {owner.get_coro()!r}"[:300]
    return repr(handle)[:300]
