"""USSD: send_ussd, query_ussd_reply and the `ussd` push (spec §2.8.7, §2.8.8, §2.10, §3.6).

One session per port; the reply becomes visible after a delay, until then the port reads blank.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from simulators.dinstar.service import GatewayParts, GatewayService
from simulators.dinstar.state import PortState
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, parse_port_array, parse_port_csv

MAX_USSD_BYTES = 60
_SENT, _BUSY, _NOT_REGISTERED = 200, 486, 503


def default_balance_reply(port: int) -> str:
    """Make an operator-like balance text, a different amount on each port."""
    return f"Solde: {12.5 + 7.25 * port:.2f} DH. Valable jusqu'au 2026-12-31"


@dataclass
class UssdSession:
    """What a port is waiting for."""

    code: str
    reply: str
    ready_at: float


class UssdService(GatewayService):
    """USSD sessions per port, with replies configurable per port or per code."""

    def __init__(self, parts: GatewayParts, *, delay: Callable[[], float]) -> None:
        """Read delay at each send."""
        super().__init__(parts)
        self._delay = delay
        self.sessions: dict[int, UssdSession] = {}
        self.peak_sessions = 0
        """The most sessions open at once: ports served one after another never get past 1."""
        self.port_replies: dict[int, str] = {}
        self.code_replies: dict[str, str] = {}

    def reply_for(self, port: int, text: str) -> str:
        """Per-code reply, else a menu step in an open session, else per-port, else balance."""
        if text in self.code_replies:
            return self.code_replies[text]
        if port in self.sessions and not text.startswith(("*", "#")):
            return f"Option {text}: demande prise en compte."
        return self.port_replies.get(port, default_balance_reply(port))

    def send_ussd(self, call: ApiCall) -> ApiReply:
        """202 plus a per-port 200 (sent), 486 (busy) or 503 (not registered)."""
        body = call.json_object(required=True)
        if "port" not in body:
            raise ApiError(400, "port missing")
        ports = parse_port_array(body["port"], len(self._state.ports))
        command = body.get("command", "send")
        text = body.get("text")
        if command not in {"send", "cancel"} or (text is not None and not isinstance(text, str)):
            raise ApiError(400, "bad command or text")
        if command == "send" and not text:
            raise ApiError(400, "text missing")
        if text and len(text.encode()) > MAX_USSD_BYTES:
            raise ApiError(int(self._faults["ussd_too_long_code"]), "text too long")
        results = []
        for index in ports:
            port = self._state.ports[index]
            status = self._status(port, cancelling=command == "cancel")
            if command == "cancel":
                self.sessions.pop(index, None)
            elif status == _SENT and text:
                self._start(index, text)
            results.append({"port": index, "status": status})
        return ApiReply(202, {self._faults["ussd_result_key"]: results})

    @staticmethod
    def _status(port: PortState, *, cancelling: bool) -> int:
        if not port.registered:
            return _NOT_REGISTERED
        if port.busy and not cancelling:
            return _BUSY
        return _SENT

    def _start(self, port: int, text: str) -> None:
        reply = self.reply_for(port, text)
        delay = self._delay()
        session = UssdSession(text, reply, asyncio.get_running_loop().time() + delay)
        self.sessions[port] = session
        self.peak_sessions = max(self.peak_sessions, len(self.sessions))
        self._tasks.spawn(self._push_when_ready(port, session, delay))

    async def _push_when_ready(self, port: int, session: UssdSession, delay: float) -> None:
        await asyncio.sleep(delay)
        if self.sessions.get(port) is session:
            self._pusher.push("ussd", [{"port": port, "text": session.reply}])

    def query_ussd_reply(self, call: ApiCall) -> ApiReply:
        """Give each port's reply once ready; blank (" " or "") before or without a session."""
        ports = parse_port_csv(call.params().get("port"), len(self._state.ports))
        now = asyncio.get_running_loop().time()
        blank = self._faults["ussd_blank_reply"]
        rows = []
        for index in ports:
            session = self.sessions.get(index)
            text = session.reply if session is not None and now >= session.ready_at else blank
            rows.append({"port": index, "text": text})
        return ApiReply(200, {"reply": rows})

    def port_changed(self, port: PortState) -> None:
        """Drop the session of a port that left the network."""
        if not port.registered:
            self.sessions.pop(port.port, None)
