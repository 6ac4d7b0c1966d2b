"""A Plasgate SMPP account kept bound: reconnects, throttled windowed submits, deliveries.

The link binds, and binds again with a growing pause (1 s doubling to a minute, jittered) after
each loss; a refused login waits the longest pause. Submits are held to the account's
throughput (a sliding one-second window, paused further when the server answers
ESME_RTHROTTLED) and to the window of the session. A submit_sm is sent once: refused ones that
the server did not take (throttled, queue full) are submitted again, an unanswered one never is.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from enum import StrEnum
import itertools
import logging
import random
import ssl
import time
from typing import Final, Protocol

from aiosmpplib.protocol import SubmitSm
from aiosmpplib.state import NPI, TON, PhoneNumber

from ...errors import (
    AuthError,
    InvalidInputError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnreachableError,
    RateLimitedError,
    RejectedError,
)
from ..callbacks import DeliveryReport
from ..limiter import SlidingWindowLimiter
from .deliveries import IncomingPart, UnreadableDeliveryError, read_delivery
from .memory import IncomingMemory, PendingSms
from .segments import Segment, split_text
from .session import (
    Answer,
    DeliverHandler,
    Session,
    SessionClosedError,
    Timing,
    answer_later,
)
from .wire import SLOW_DOWN, Command, FramingError, Status, status_name

_LOGGER: Final = logging.getLogger(__name__)
DEFAULT_PORT: Final = 2775
MAX_SYSTEM_ID: Final = 15  # C-octet strings of 16 and 9 octets (SMPP v3.4 §4.1.1)
MAX_PASSWORD: Final = 8
_THROTTLED_RETRIES: Final = 20


class LinkState(StrEnum):
    """Where the link stands, as the bind state entity shows it."""

    CONNECTING = "connecting"
    BOUND = "bound"
    DISCONNECTED = "disconnected"
    REFUSED = "refused"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True, kw_only=True)
class SmppSettings:
    """Where the server is, the login, and how hard the account may be driven."""

    host: str
    port: int = DEFAULT_PORT
    system_id: str
    password: str = field(repr=False)
    ssl_context: ssl.SSLContext | None = None
    window: int = 10
    throughput: float = 10.0
    """submit_sm per second the account is allowed (Jasmin throttles each user)."""
    response_timeout: float = 10.0
    enquire_link_interval: float = 30.0
    reconnect_delays: tuple[float, float] = (1.0, 60.0)
    throttled_pause: float = 1.0
    bind_wait: float = 30.0
    """How long a submit waits for a bind before it says the message did not go."""
    redelivery_window: float = 600.0
    """How long a bind waits for the redeliveries it is owed: a server sends what it holds for
    a receiver as soon as it binds. Past that, an SMS with the same body is a new one."""

    def __post_init__(self) -> None:
        """Refuse what SMPP v3.4 cannot carry, before anything is sent."""
        if not self.system_id or len(self.system_id) > MAX_SYSTEM_ID:
            raise InvalidInputError(f"The SMPP system_id must have 1 to {MAX_SYSTEM_ID} characters")
        if len(self.password) > MAX_PASSWORD:
            raise InvalidInputError(f"The SMPP password has at most {MAX_PASSWORD} characters")
        if not self.system_id.isascii() or not self.password.isascii():
            raise InvalidInputError("The SMPP system_id and password are ASCII")
        if self.window < 1 or self.throughput <= 0:
            raise InvalidInputError("The SMPP window and throughput must be positive")


@dataclass(frozen=True, slots=True)
class IncomingSms:
    """An incoming SMS, whole (its parts put together)."""

    source: str
    destination: str
    text: str
    parts: int = 1


class LinkListener(Protocol):
    """What the link tells its owner."""

    def state_changed(self, state: LinkState, /) -> None:
        """Show the new bind state."""

    def report(self, report: DeliveryReport, /) -> None:
        """Take a delivery receipt."""

    def incoming(self, sms: IncomingSms, /) -> None:
        """Take an incoming SMS (told once)."""

    def memory_changed(self) -> None:
        """Keep the incoming memory: it changed."""


class PartSentError(ProviderError):
    """The first parts of a long message went, a later one did not (or may not have)."""

    def __init__(self, message_ids: list[str], cause: ProviderError) -> None:
        """Keep the ids of the parts the server took, and why the rest failed."""
        super().__init__(f"{len(message_ids)} part(s) went, then: {cause}")
        self.message_ids = message_ids
        self.cause = cause


class SmppLink:
    """One account's link: bound while it runs, unbound cleanly when stopped."""

    def __init__(
        self, settings: SmppSettings, listener: LinkListener, memory: IncomingMemory
    ) -> None:
        """Nothing connects until run()."""
        self.settings = settings
        self.memory = memory
        self._listener = listener
        # N a second, or for less than one a second, one every 1/N seconds.
        self._limiter = SlidingWindowLimiter(
            max(1, round(settings.throughput)), max(1.0, 1.0 / settings.throughput)
        )
        self._references = itertools.cycle(range(256))
        self._session: Session | None = None
        self._bound = asyncio.Event()
        self._stop_asked = asyncio.Event()
        self.state = LinkState.DISCONNECTED
        self.last_error: str | None = None
        self._most_in_flight = 0

    # --- running --------------------------------------------------------------------------------

    async def run(self) -> None:
        """Bind, serve, and bind again after each loss, until stop()."""
        first, longest = self.settings.reconnect_delays
        delay = first
        while not self._stop_asked.is_set():
            self._set_state(LinkState.CONNECTING)
            try:
                session = await _bind(self.settings, self._on_deliver)
            except AuthError as err:
                self.last_error = str(err)
                self._set_state(LinkState.REFUSED)
                await self._pause(longest)
                continue
            except (ProviderError, OSError, TimeoutError, asyncio.IncompleteReadError) as err:
                self.last_error = str(err) or type(err).__name__
                _LOGGER.debug("SMPP bind failed: %s", self.last_error)
                self._set_state(LinkState.DISCONNECTED)
                await self._pause(delay)
                delay = min(delay * 2, longest)
                continue
            delay = first
            if self._stop_asked.is_set():  # stop() came during this bind: serve nothing
                await _unbind_unserved(session)
                break
            await self._serve(session)
            if not self._stop_asked.is_set():
                await self._pause(first)
        self._set_state(LinkState.STOPPED)

    async def _serve(self, session: Session) -> None:
        self._session = session
        self._bound.set()
        self.last_error = None
        self._set_state(LinkState.BOUND)
        owed = list(self.memory.expected)
        settle = asyncio.create_task(self._stop_waiting(owed)) if owed else None
        try:
            await session.serve()
        finally:
            if settle is not None:
                settle.cancel()
            self._bound.clear()
            self._session = None
            self._most_in_flight = max(self._most_in_flight, session.most_in_flight)
            unproven = session.unproven()
            if unproven:
                self.memory.expect(unproven)
                self._listener.memory_changed()
            if not self._stop_asked.is_set():
                self.last_error = session.reason
                _LOGGER.debug("SMPP session ended: %s", session.reason)
                self._set_state(LinkState.DISCONNECTED)

    async def _stop_waiting(self, owed: list[str]) -> None:
        """Forget the redeliveries a bind did not bring within the window."""
        await asyncio.sleep(self.settings.redelivery_window)
        if self.memory.forget(owed):
            _LOGGER.debug("No redelivery came for %d answered SMS: none is owed", len(owed))
            self._listener.memory_changed()

    async def _pause(self, seconds: float) -> None:
        """Wait before binding again; stop() ends the wait."""
        jittered = seconds * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not secrecy)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop_asked.wait(), jittered)

    def _set_state(self, state: LinkState) -> None:
        if state is not self.state:
            self.state = state
            self._listener.state_changed(state)

    async def stop(self) -> None:
        """Unbind cleanly (the server then has every answer of ours) and stop reconnecting."""
        self._stop_asked.set()
        session = self._session
        if session is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(session.unbind(), self.settings.response_timeout)
            session.close("stopped")

    @property
    def most_in_flight(self) -> int:
        """The most submit_sm ever written and unanswered at once, this session included."""
        session = self._session
        return max(self._most_in_flight, 0 if session is None else session.most_in_flight)

    @property
    def in_flight(self) -> int:
        """submit_sm written and not yet answered, now."""
        session = self._session
        return 0 if session is None else session.in_flight

    # --- sending --------------------------------------------------------------------------------

    async def submit(
        self, destination: str, text: str, *, sender: str, delivery_report: bool
    ) -> list[str]:
        """Submit a text to one number, part by part; return the id of each part.

        Raises ProviderUnreachableError when no bind came in time (nothing went), AnswerLostError
        when a part went unanswered (it may have gone), RejectedError when the server refused
        the first part, PartSentError when a later part failed after earlier ones went.
        """
        segments = split_text(text, next(self._references))
        message_ids: list[str] = []
        for segment in segments:
            try:
                message_ids.append(
                    await self._submit_part(
                        destination, sender, segment, delivery_report=delivery_report
                    )
                )
            except ProviderError as err:
                if message_ids:
                    raise PartSentError(message_ids, err) from err
                raise
        return message_ids

    async def _submit_part(
        self, destination: str, sender: str, segment: Segment, *, delivery_report: bool
    ) -> str:
        pdu = _submit_pdu(destination, sender, segment, delivery_report=delivery_report)
        throttled = 0
        while True:
            session = await self._wait_bound()
            try:
                header, answer = await session.submit(pdu, self._limiter)
            except SessionClosedError:
                continue  # never written: it goes on the next session
            if header.status == Status.OK and header.command_id != Command.GENERIC_NACK:
                return answer[16:].split(b"\0", 1)[0].decode("ascii", "replace")
            if header.status not in SLOW_DOWN:
                raise RejectedError(
                    header.status, f"the server refused it ({status_name(header.status)})"
                )
            throttled += 1
            if throttled == _THROTTLED_RETRIES:
                raise RateLimitedError(header.status, "the server kept answering ESME_RTHROTTLED")
            self._limiter.pause(self.settings.throttled_pause)

    async def _wait_bound(self) -> Session:
        """Wait (bounded) for a session still open: one that just ended is not bound any more."""
        try:
            async with asyncio.timeout(self.settings.bind_wait):
                while True:
                    await self._bound.wait()
                    session = self._session
                    if session is not None and not session.closed.is_set():
                        return session
                    await asyncio.sleep(0)  # let the link note its end; the next bind follows
        except TimeoutError:
            reason = f": {self.last_error}" if self.last_error else ""
            raise ProviderUnreachableError(f"the SMPP link is not bound{reason}") from None

    # --- deliveries -----------------------------------------------------------------------------

    async def _on_deliver(self, pdu: bytes) -> Answer:
        """Take one deliver_sm; an SMS is told once, and kept until the server has our answer."""
        try:
            delivery = read_delivery(pdu)
        except UnreadableDeliveryError as err:
            _LOGGER.warning("Refused a deliver_sm that does not decode (%s)", err)
            return Answer(Status.PERMANENT_APP_ERROR)
        try:
            if isinstance(delivery, DeliveryReport):
                self._listener.report(delivery)
                return Answer(Status.OK)
            self._take_part(delivery)
        except Exception:
            _LOGGER.exception("An SMPP delivery could not be handed over; the server will retry")
            return Answer(Status.TEMPORARY_APP_ERROR)
        self._listener.memory_changed()
        return Answer(Status.OK, delivery.digest)

    def _take_part(self, part: IncomingPart) -> None:
        memory = self.memory
        if memory.take_expected(part.digest):
            _LOGGER.debug("The SMPP server delivered again an SMS already taken")
            return
        if part.whole:
            self._listener.incoming(IncomingSms(part.source, part.destination, part.text))
            return
        key = f"{part.source}|{part.destination}|{part.reference}|{part.total}"
        pending = memory.pending.get(key)
        if pending is None:
            pending = memory.pending[key] = PendingSms(
                part.source, part.destination, part.total, time.time()
            )
        pending.parts[part.index] = part.text
        text = pending.text()
        if text is not None:
            del memory.pending[key]
            self._listener.incoming(IncomingSms(part.source, part.destination, text, part.total))


def _address(number: str) -> PhoneNumber:
    if number.isdigit():
        return PhoneNumber(number, TON.INTERNATIONAL, NPI.ISDN)
    return PhoneNumber(number, TON.ALPHANUMERIC, NPI.UNKNOWN)


def _submit_pdu(destination: str, sender: str, segment: Segment, *, delivery_report: bool) -> bytes:
    message = SubmitSm(
        short_message="-",  # aiosmpplib wants a text; the encoded part below replaces it
        source=_address(sender),
        destination=_address(destination),
        esm_class=segment.esm_class,
        registered_delivery=1 if delivery_report else 0,
        encoding="ucs2" if segment.data_coding == 0x08 else None,  # noqa: PLR2004
    )
    message.set_encoded_message(segment.short_message)
    pdu: bytes = message.pdu()
    return pdu


async def _bind(settings: SmppSettings, on_deliver: DeliverHandler) -> Session:
    """Connect and bind once; the caller serves the session or unbinds it."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                settings.host,
                settings.port,
                ssl=settings.ssl_context,
                limit=2**17,
            ),
            settings.response_timeout,
        )
    except (OSError, TimeoutError) as err:
        raise ProviderUnreachableError(
            f"cannot connect to the SMPP server ({type(err).__name__})"
        ) from err
    session = Session(
        reader,
        writer,
        window=settings.window,
        timing=Timing(settings.response_timeout, settings.enquire_link_interval),
        on_deliver=on_deliver,
    )
    try:
        await session.bind(settings.system_id, settings.password)
    except TimeoutError as err:
        session.close("no answer to the bind")
        raise ProviderTimeoutError("the SMPP server did not answer the bind") from err
    except (OSError, asyncio.IncompleteReadError) as err:
        session.close("the connection dropped during the bind")
        raise ProviderConnectionError("the SMPP server dropped the bind") from err
    except FramingError as err:
        session.close("the bind was answered with something that is not a PDU")
        raise ProviderConnectionError(f"the SMPP server answered the bind with {err}") from err
    except BaseException:
        session.close("the bind failed")
        raise
    return session


async def check_login(settings: SmppSettings) -> None:
    """Bind once and unbind: raise AuthError for a refused login, ProviderError otherwise."""
    await _unbind_unserved(await _bind(settings, answer_later))


async def _unbind_unserved(session: Session) -> None:
    """Unbind a session nothing serves yet: serve it meanwhile, so the unbind_resp is read."""
    serving = asyncio.create_task(session.serve())
    await session.unbind()
    await serving
