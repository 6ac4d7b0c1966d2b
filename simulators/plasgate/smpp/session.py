"""One SMPP connection: bind state, the PDUs it answers, and the per-bind throttles."""

import asyncio
from collections import deque
from collections.abc import Callable
import contextlib
import ssl
from typing import Any, Protocol

from simulators.background import BackgroundTasks
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.smpp.codes import (
    BIND_MODES,
    RESPONSE_BIT,
    Command,
    Status,
    command_name,
)
from simulators.plasgate.smpp.fields import (
    SC_INTERFACE_VERSION,
    SubmitSm,
    read_bind,
    read_submit_sm,
)
from simulators.plasgate.smpp.pdu import BodyWriter, MalformedPdu, Pdu, read_pdu
from simulators.plasgate.smpp.submissions import SubmitRefused

SERVER_SYSTEM_ID = "plasgate"
_IGNORED = frozenset(
    {Command.ENQUIRE_LINK_RESP, Command.UNBIND_RESP, Command.GENERIC_NACK, Command.SUBMIT_SM_RESP}
)
_GONE = (asyncio.IncompleteReadError, ConnectionError, MalformedPdu, ssl.SSLError, OSError)


class SessionHost(Protocol):
    """What a session needs from the server that accepted it."""

    settings: PlasgateSettings
    switches: dict[str, Any]
    tasks: BackgroundTasks

    def count(self, name: str) -> None:
        """Count one PDU received."""

    def bound(self, session: "Session") -> None:
        """Hand a freshly bound session what waits for a receiver."""

    def closed(self, session: "Session") -> None:
        """Forget a connection that is gone."""

    def submit(self, sm: SubmitSm) -> tuple[str, str]:
        """Check and record a submit_sm: (message id, part text); SubmitRefused if refused."""

    def answered(self, session: "Session", message_id: str, sm: SubmitSm, text: str) -> None:
        """Plan the receipt of a submit_sm that went out (answered or dropped)."""

    def throttled(self) -> None:
        """Count one submit_sm answered ESME_RTHROTTLED."""

    def in_flight(self, count: int) -> None:
        """Note how many submit_sm this bind has unanswered right now."""


class Session:
    """Serves one client connection until it unbinds, drops, or the server stops."""

    def __init__(
        self, host: SessionHost, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Unbound until a bind_* succeeds."""
        self._host = host
        self._reader = reader
        self._writer = writer
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        self.system_id: str | None = None
        self.mode: str | None = None
        self.stalled = False
        self._closed = asyncio.Event()
        self._sequence = 0
        self._waiting: dict[int, Callable[[int], None]] = {}
        self._unanswered = 0
        self._recent: deque[float] = deque()

    @property
    def receives(self) -> bool:
        """Bound as a receiver or transceiver, and able to write."""
        return self.mode in ("receiver", "transceiver") and self.writable

    @property
    def writable(self) -> bool:
        """Open, neither half-open nor silenced."""
        return not (self._closed.is_set() or self.stalled or self._host.switches["smpp_silent"])

    async def run(self) -> None:
        """Read and answer PDUs until the connection ends."""
        try:
            while not self._closed.is_set():
                if self._host.switches["smpp_half_open"]:
                    self.stall()
                if self.stalled:
                    await self._closed.wait()
                    break
                pdu = await read_pdu(self._reader)
                if self._stalled_meanwhile():
                    continue
                self._host.count(command_name(pdu.command_id))
                if not self._host.switches["smpp_silent"]:
                    await self._handle(pdu)
        except _GONE:
            pass
        finally:
            self.abort()
            self._host.closed(self)

    def stall(self) -> None:
        """Half-open: read and write nothing more, but keep the socket open."""
        self.stalled = True
        transport = self._writer.transport
        if isinstance(transport, asyncio.Transport) and not transport.is_closing():
            with contextlib.suppress(RuntimeError):
                transport.pause_reading()

    def _stalled_meanwhile(self) -> bool:
        """Whether a fault stalled the session while it waited for a PDU."""
        return self.stalled

    def abort(self) -> None:
        """Drop the connection at once (no unbind)."""
        if not self._closed.is_set():
            self._closed.set()
            self._writer.transport.abort()

    def _close_after_writing(self) -> None:
        self._closed.set()
        self._writer.close()

    def send(self, pdu: Pdu) -> bool:
        """Write pdu unless the session cannot; say whether it was written."""
        if not self.writable:
            return False
        self._writer.write(pdu.encode())
        return True

    def write_raw(self, data: bytes) -> None:
        """Write octets as they are (the malformed faults)."""
        if not self._closed.is_set() and not self.stalled:
            self._writer.write(data)

    def send_deliver(self, body: bytes, on_resp: Callable[[int], None] | None = None) -> bool:
        """Write a deliver_sm; on_resp gets the command_status of its deliver_sm_resp."""
        sequence = self.next_sequence()
        if not self.send(Pdu(Command.DELIVER_SM, 0, sequence, body)):
            return False
        if on_resp is not None:
            self._waiting[sequence] = on_resp
        return True

    def next_sequence(self) -> int:
        """Give the next PDU the server starts its number (1 to 0x7FFFFFFF, wrapping)."""
        self._sequence = self._sequence % 0x7FFFFFFF + 1
        return self._sequence

    def _resp(self, request: Pdu, status: int, body: bytes = b"") -> None:
        """Answer request; an error resp carries no body (SMPP v3.4 §4)."""
        self.send(Pdu(request.command_id | RESPONSE_BIT, status, request.sequence, body))

    def _nack(self, request: Pdu, status: Status) -> None:
        self.send(Pdu(Command.GENERIC_NACK, status, request.sequence))

    async def _handle(self, pdu: Pdu) -> None:
        command = pdu.command_id
        if command in BIND_MODES:
            self._bind(pdu, BIND_MODES[Command(command)])
        elif command == Command.SUBMIT_SM:
            self._submit(pdu)
        elif command == Command.DELIVER_SM_RESP:
            if self._host.switches["smpp_lose_deliver_resp"] > 0:
                # The answer is lost on its way, and the link with it: the MO stays pending.
                self._host.switches["smpp_lose_deliver_resp"] -= 1
                self.abort()
                return
            callback = self._waiting.pop(pdu.sequence, None)
            if callback is not None:
                callback(pdu.status)
        elif command == Command.ENQUIRE_LINK:
            self._resp(pdu, Status.ESME_ROK)
        elif command == Command.UNBIND:
            self._resp(pdu, Status.ESME_ROK)
            self._close_after_writing()
        elif command not in _IGNORED:
            self._nack(pdu, Status.ESME_RINVCMDID)

    def _bind(self, pdu: Pdu, mode: str) -> None:
        if self.mode is not None:
            self._resp(pdu, Status.ESME_RALYBND)
            return
        try:
            bind = read_bind(pdu.body)
        except MalformedPdu:
            self._nack(pdu, Status.ESME_RINVCMDLEN)
            return
        settings = self._host.settings
        status = Status.ESME_ROK
        if self._host.switches["smpp_refuse_binds"]:
            status = Status.ESME_RBINDFAIL
        elif bind.system_id != settings.smpp_system_id:
            status = Status.ESME_RINVSYSID
        elif bind.password != settings.smpp_password:
            status = Status.ESME_RINVPASWD
        if status != Status.ESME_ROK:
            self._resp(pdu, status)
            self._close_after_writing()
            return
        self.system_id, self.mode = bind.system_id, mode
        body = BodyWriter().c_string(SERVER_SYSTEM_ID).tlv(SC_INTERFACE_VERSION, b"\x34").build()
        self._resp(pdu, Status.ESME_ROK, body)
        self._host.bound(self)

    def _submit(self, pdu: Pdu) -> None:
        if self.mode not in ("transmitter", "transceiver"):
            self._resp(pdu, Status.ESME_RINVBNDSTS)
            return
        try:
            sm = read_submit_sm(pdu.body)
        except MalformedPdu:
            self._nack(pdu, Status.ESME_RINVCMDLEN)
            return
        if self._throttle():
            self._host.throttled()
            self._resp(pdu, Status.ESME_RTHROTTLED)
            return
        try:
            message_id, text = self._host.submit(sm)
        except SubmitRefused as refused:
            self._resp(pdu, refused.status)
            return
        switches = self._host.switches
        if switches["smpp_drop_after_submit"] > 0:
            switches["smpp_drop_after_submit"] -= 1
            self.abort()
            self._host.answered(self, message_id, sm, text)
            return
        self._unanswered += 1
        self._host.in_flight(self._unanswered)
        delay = float(switches["smpp_resp_delay_s"])
        if delay > 0:
            self._host.tasks.spawn(self._answer_later(delay, pdu, message_id, sm, text))
        else:
            self._answer(pdu, message_id, sm, text)

    async def _answer_later(
        self, delay: float, pdu: Pdu, message_id: str, sm: SubmitSm, text: str
    ) -> None:
        await asyncio.sleep(delay)
        self._answer(pdu, message_id, sm, text)

    def _answer(self, pdu: Pdu, message_id: str, sm: SubmitSm, text: str) -> None:
        self._unanswered -= 1
        self._resp(pdu, Status.ESME_ROK, BodyWriter().c_string(message_id).build())
        self._host.answered(self, message_id, sm, text)

    def _throttle(self) -> bool:
        """smpp_throttle_next first, then the window of unanswered PDUs, then the 1 s rate."""
        switches, settings = self._host.switches, self._host.settings
        if switches["smpp_throttle_next"] > 0:
            switches["smpp_throttle_next"] -= 1
            return True
        if settings.smpp_window and self._unanswered >= settings.smpp_window:
            return True
        now = asyncio.get_running_loop().time()
        while self._recent and self._recent[0] <= now - 1:
            self._recent.popleft()
        if settings.smpp_throughput and len(self._recent) >= settings.smpp_throughput:
            return True
        self._recent.append(now)
        return False
