"""One SMPP session: a connection bound as a transceiver, from bind to its end.

Requests are matched to answers by sequence number; at most `window` submit_sm wait for an
answer at once. The server's own requests (deliver_sm, enquire_link, unbind) are answered in
the order they came. A session never recovers from a fault: a PDU that cannot be framed, an
answer that does not come, a write that does not drain all end it, and the link opens another.
A request is either never written (SessionClosedError: it may go on the next session) or
written and then unanswered (AnswerLostError: the server may have acted on it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from dataclasses import dataclass
import itertools
import logging
import time
from typing import Final

from aiosmpplib.protocol import BindTransceiver, EnquireLink, Unbind

from ...errors import AuthError, ProviderConnectionError
from ..limiter import SlidingWindowLimiter
from .wire import (
    REFUSED_LOGIN,
    RESPONSE_BIT,
    Command,
    FramingError,
    Header,
    Status,
    read_pdu,
    response,
    status_name,
    with_sequence,
)

_LOGGER: Final = logging.getLogger(__name__)
_SEQUENCES: Final = 0x7FFFFFFF  # sequence numbers run 1..0x7FFFFFFF (SMPP v3.4 §5.1.4)


class SessionClosedError(ProviderConnectionError):
    """The session ended before the request was written: nothing went out."""


class AnswerLostError(ProviderConnectionError):
    """The request was written, and no answer came: the server may have acted on it."""


@dataclass(frozen=True, slots=True)
class Answer:
    """How we answer one deliver_sm, and the digest that answer must be proven for."""

    status: int
    digest: str | None = None


type DeliverHandler = Callable[[bytes], Awaitable[Answer]]


async def answer_later(_pdu: bytes) -> Answer:
    """Take no deliver_sm: a temporary error, so the server keeps it for a later bind."""
    return Answer(Status.TEMPORARY_APP_ERROR)


@dataclass(frozen=True, slots=True)
class Timing:
    """How long a session waits for the server, and how often it asks whether it is there."""

    response_timeout: float
    enquire_link_interval: float


class Session:
    """A bound connection: correlated requests, a submit window, keep-alive and proof of reading."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        window: int,
        timing: Timing,
        on_deliver: DeliverHandler,
    ) -> None:
        """Nothing is sent until bind()."""
        self._reader = reader
        self._writer = writer
        self._timing = timing
        self._on_deliver = on_deliver
        self._window = asyncio.Semaphore(window)
        self._sequences = itertools.cycle(range(1, _SEQUENCES + 1))
        self._pending: dict[int, tuple[asyncio.Future[tuple[Header, bytes]], int]] = {}
        self._writes = 0
        self._unproven: list[tuple[int, str]] = []
        self._probe: asyncio.Task[None] | None = None
        self._last_heard = time.monotonic()
        self.in_flight = 0
        self.most_in_flight = 0
        self.closed = asyncio.Event()
        self.reason = ""

    # --- bind and unbind ------------------------------------------------------------------------

    async def bind(self, system_id: str, password: str) -> None:
        """Bind as a transceiver; AuthError if the server refuses the login."""
        pdu = BindTransceiver(system_id=system_id, password=password).pdu()
        sequence = self._next_sequence()
        await self._write(with_sequence(pdu, sequence))
        header, _ = await asyncio.wait_for(read_pdu(self._reader), self._timing.response_timeout)
        if (
            header.command_id != Command.BIND_TRANSCEIVER | RESPONSE_BIT
            or header.sequence != sequence
        ):
            raise ProviderConnectionError(
                f"the server answered a bind with 0x{header.command_id:08X}"
            )
        if header.status in REFUSED_LOGIN:
            raise AuthError(f"the server refused the bind ({status_name(header.status)})")
        if header.status != Status.OK:
            raise ProviderConnectionError(f"the bind failed ({status_name(header.status)})")

    async def unbind(self) -> None:
        """Say goodbye: an unbind, its answer (bounded), then the connection closes.

        A deliver_sm the server writes meanwhile gets a temporary error, not an OK: nothing
        would keep it, and the server then keeps it for the next bind.
        """
        self._on_deliver = answer_later
        with contextlib.suppress(ProviderConnectionError, TimeoutError):
            await self.call(Unbind().pdu())
        self.close("unbound", abort=False)

    # --- requests -------------------------------------------------------------------------------

    async def call(self, pdu: bytes) -> tuple[Header, bytes]:
        """Write a request and wait for its answer (or a generic_nack naming it)."""
        return await self._call(pdu, windowed=False)

    async def submit(self, pdu: bytes, pace: SlidingWindowLimiter) -> tuple[Header, bytes]:
        """Write a submit_sm once the window has room and then the throttle; wait for its answer.

        The window first: a submit waiting for room must not hold a throttle slot meanwhile, or
        a pause the server asks for would come too late for every submit already holding one.
        """
        async with self._window:
            slot = await pace.acquire()
            try:
                return await self._call(pdu, windowed=True)
            finally:
                pace.settle(slot)

    async def _call(self, pdu: bytes, *, windowed: bool) -> tuple[Header, bytes]:
        if self.closed.is_set():
            raise SessionClosedError(f"the session ended ({self.reason})")
        sequence = self._next_sequence()
        answer: asyncio.Future[tuple[Header, bytes]] = asyncio.get_running_loop().create_future()
        self._pending[sequence] = (answer, self._writes)
        if windowed:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self._write(with_sequence(pdu, sequence))
            return await asyncio.wait_for(answer, self._timing.response_timeout)
        except TimeoutError:
            self.close(f"no answer within {self._timing.response_timeout:g} s")
            raise AnswerLostError("the server did not answer in time") from None
        finally:
            self._pending.pop(sequence, None)
            if answer.done() and not answer.cancelled():
                answer.exception()  # seen: the loss is told by what this call raised
            if windowed:
                self.in_flight -= 1

    def _next_sequence(self) -> int:
        return next(self._sequences)

    async def _write(self, pdu: bytes) -> None:
        """Write and drain (bounded): a server that stops reading ends the session."""
        if self.closed.is_set():
            raise SessionClosedError(f"the session ended ({self.reason})")
        self._writer.write(pdu)
        self._writes += 1
        try:
            await asyncio.wait_for(self._writer.drain(), self._timing.response_timeout)
        except (OSError, TimeoutError) as err:
            self.close(f"a write failed ({type(err).__name__})")
            raise AnswerLostError("the connection failed while writing") from err

    # --- serving --------------------------------------------------------------------------------

    async def serve(self) -> None:
        """Read and answer until the session ends; keep it alive meanwhile."""
        keepalive = asyncio.create_task(self._keep_alive())
        try:
            await self._read_loop()
        except FramingError as err:
            self.close(f"the server sent {err}")
        except (OSError, asyncio.IncompleteReadError, EOFError) as err:
            self.close(f"the connection dropped ({type(err).__name__})")
        finally:
            self.close(self.reason or "the server closed the connection")
            for task in (keepalive, self._probe):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def _read_loop(self) -> None:
        while not self.closed.is_set():
            header, pdu = await read_pdu(self._reader)
            self._last_heard = time.monotonic()
            if header.is_response:
                self._take_answer(header, pdu)
            elif header.command_id == Command.DELIVER_SM:
                await self._answer_delivery(header, pdu)
            elif header.command_id == Command.ENQUIRE_LINK:
                await self._answer(response(header.command_id, header.sequence))
            elif header.command_id == Command.UNBIND:
                await self._answer(response(header.command_id, header.sequence))
                self.close("the server unbound")
            else:
                _LOGGER.debug("The SMPP server sent command 0x%08X; refused", header.command_id)
                await self._answer(
                    response(Command.GENERIC_NACK, header.sequence, Status.INVALID_COMMAND)
                )

    def _take_answer(self, header: Header, pdu: bytes) -> None:
        waiting = self._pending.get(header.sequence)
        if waiting is None:
            _LOGGER.debug("An SMPP answer to no request of ours (sequence %s)", header.sequence)
            return
        answer, written_at = waiting
        # The server read every PDU we wrote before that request: our answers among them.
        self._unproven = [(at, digest) for at, digest in self._unproven if at >= written_at]
        if not answer.done():
            answer.set_result((header, pdu))

    async def _answer_delivery(self, header: Header, pdu: bytes) -> None:
        answer = await self._on_deliver(pdu)
        if answer.digest is not None and answer.status == Status.OK:
            self._unproven.append((self._writes, answer.digest))
        await self._answer(response(header.command_id, header.sequence, answer.status, b"\0"))
        if self._unproven and (self._probe is None or self._probe.done()):
            self._probe = asyncio.create_task(self._prove())

    async def _answer(self, pdu: bytes) -> None:
        with contextlib.suppress(ProviderConnectionError):
            await self._write(pdu)

    async def _prove(self) -> None:
        """Ask for an answer at once: it proves the server read our deliver_sm_resp."""
        with contextlib.suppress(ProviderConnectionError):
            await self.call(EnquireLink().pdu())

    async def _keep_alive(self) -> None:
        """Send an enquire_link after each quiet interval; no answer ends the session."""
        interval = self._timing.enquire_link_interval
        while not self.closed.is_set():
            quiet = time.monotonic() - self._last_heard
            if quiet < interval:
                await asyncio.sleep(interval - quiet)
                continue
            try:
                await self.call(EnquireLink().pdu())
            except ProviderConnectionError:
                return

    def unproven(self) -> list[str]:
        """Digests of deliver_sm we answered with no proof yet that the server read the answer."""
        return [digest for _, digest in self._unproven]

    def close(self, reason: str, *, abort: bool = True) -> None:
        """End the session: every request waiting for an answer learns it never will."""
        if self.closed.is_set():
            return
        self.reason = reason
        self.closed.set()
        for answer, _ in self._pending.values():
            if not answer.done():
                answer.set_exception(AnswerLostError(f"the session ended ({reason})"))
        if abort:
            self._writer.transport.abort()
        else:
            self._writer.close()
