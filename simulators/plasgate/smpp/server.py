"""The SMPP listener of the Plasgate simulator: sessions, submitted messages, receipts and MO.

PlasgateSimulator builds one as `sim.smpp`; `await sim.smpp.start(host, port)` makes it listen,
`await sim.smpp.deliver(source, destination, text)` hands it an incoming SMS.
"""

import asyncio
from collections import Counter
import contextlib
from datetime import UTC, datetime
from functools import partial
import ssl
from typing import Any, Final
import uuid

from simulators.background import BackgroundTasks
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.smpp.fields import SubmitSm
from simulators.plasgate.smpp.inbox import Mo
from simulators.plasgate.smpp.malformed import malformed_pdu
from simulators.plasgate.smpp.receipts import Receipt, wants_receipt
from simulators.plasgate.smpp.session import Session
from simulators.plasgate.smpp.submissions import Submissions, check

MO_RETRY_S: Final = 1.0
_STOP_TIMEOUT: Final = 2.0


class SmppServer:
    """SMPP v3.4 for one account; built with the simulator, listening once started."""

    def __init__(self, settings: PlasgateSettings, switches: dict[str, Any]) -> None:
        """Share the account's settings and switches with the HTTP side."""
        self.settings = settings
        self.switches = switches
        self.tasks = BackgroundTasks()
        self.address: tuple[str, int] | None = None
        self.submissions = Submissions()
        self.receipts: list[Receipt] = []
        self.inbox: list[Mo] = []
        self.counts: Counter[str] = Counter()
        self.max_in_flight = 0
        self.throttled_count = 0
        self._server: asyncio.Server | None = None
        self._sessions: dict[Session, asyncio.Task[Any]] = {}
        self._mo_reference = 0

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> tuple[str, int]:
        """Listen (TLS with ssl_context) and return the bound address."""
        self._server = await asyncio.start_server(self._serve, host, port, ssl=ssl_context)
        self.address = (host, int(self._server.sockets[0].getsockname()[1]))
        return self.address

    async def stop(self) -> None:
        """Close the listener and every session, half-open ones too, without waiting on clients."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            server.abort_clients()
        runs = list(self._sessions.values())
        for session in list(self._sessions):
            session.abort()
        await self.tasks.aclose()
        if runs:
            await asyncio.wait(runs, timeout=_STOP_TIMEOUT)
        if server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), _STOP_TIMEOUT)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(self, reader, writer)
        task = asyncio.current_task()
        assert task is not None  # noqa: S101 (start_server runs this in a task)
        self._sessions[session] = task
        await session.run()

    # SessionHost: what sessions report.

    def count(self, name: str) -> None:
        """Count one PDU received."""
        self.counts[name] += 1

    def bound(self, session: Session) -> None:
        """Hand a new receiver the receipts and MO that waited for one."""
        if not session.receives:
            return
        for receipt in self.receipts:
            if receipt.state == "queued" and session.send_deliver(receipt.deliver_sm_body()):
                receipt.state = "sent"
        for mo in self.inbox:
            if mo.waiting:
                self._write_mo(mo, session)

    def closed(self, session: Session) -> None:
        """Forget the session; what it had not acknowledged waits for the next bind."""
        self._sessions.pop(session, None)
        for mo in self.inbox:
            if mo.in_flight_on is session:
                mo.in_flight_on = None

    def submit(self, sm: SubmitSm) -> tuple[str, str]:
        """Check and record a submit_sm."""
        check(sm, self.settings.senders, self.switches)
        return self.submissions.accept(sm)

    def answered(self, session: Session, message_id: str, sm: SubmitSm, text: str) -> None:
        """Plan the receipt, if asked for, smpp_dlr_delay after the resp."""
        stat = str(self.switches["smpp_dlr_stat"])
        if not wants_receipt(sm.registered_delivery, stat):
            return
        now = datetime.now(UTC)
        receipt = Receipt(
            message_id,
            sm.source_addr,
            sm.destination_addr,
            text,
            stat,
            now,
            now,
            with_text=bool(self.switches["smpp_dlr_text"]),
        )
        self.receipts.append(receipt)
        self.tasks.spawn(self._send_receipt_later(receipt, session))

    def throttled(self) -> None:
        """Count one submit_sm answered ESME_RTHROTTLED."""
        self.throttled_count += 1

    def in_flight(self, count: int) -> None:
        """Keep the most submit_sm one bind ever had unanswered."""
        self.max_in_flight = max(self.max_in_flight, count)

    # Receipts and MO.

    async def _send_receipt_later(self, receipt: Receipt, submitter: Session) -> None:
        await asyncio.sleep(self.settings.smpp_dlr_delay)
        receipt.done_at = datetime.now(UTC)
        receipt.state = "queued"
        for session in [submitter, *self._receivers()]:
            if session.receives and session.send_deliver(receipt.deliver_sm_body()):
                receipt.state = "sent"
                return

    def _receivers(self) -> list[Session]:
        return [session for session in self._sessions if session.receives]

    async def deliver(self, source: str, destination: str, text: str) -> str:
        """Take an incoming SMS for the account and return its (simulator-side) id."""
        mo, _ = self.receive(source, destination, text)
        return mo.id

    def receive(self, source: str, destination: str, text: str) -> tuple[Mo, int]:
        """Store an MO and write it to one receiver if any: (the MO, sessions written to)."""
        self._mo_reference = (self._mo_reference + 1) % 256
        mo = Mo.build(str(uuid.uuid4()), self._mo_reference, source, destination, text)
        self.inbox.append(mo)
        for session in self._receivers():
            if self._write_mo(mo, session):
                return mo, 1
        return mo, 0

    def _write_mo(self, mo: Mo, session: Session) -> bool:
        """Write every part of mo; it is acked once each part's deliver_sm_resp says 0."""
        if not session.receives:
            return False
        mo.acked_parts.clear()
        mo.in_flight_on = session
        mo.attempts += 1
        for index, body in enumerate(mo.bodies):
            session.send_deliver(body, partial(self._mo_answered, mo, session, index))
        return True

    def _mo_answered(self, mo: Mo, session: Session, index: int, status: int) -> None:
        if mo.in_flight_on is not session or mo.state == "acked":
            return
        if status != 0:
            mo.in_flight_on = None
            self.tasks.spawn(self._retry_mo(mo, session))
            return
        mo.acked_parts.add(index)
        if len(mo.acked_parts) == len(mo.bodies):
            mo.state = "acked"
            mo.in_flight_on = None

    async def _retry_mo(self, mo: Mo, session: Session) -> None:
        await asyncio.sleep(MO_RETRY_S)
        if not mo.waiting:
            return
        for target in [session, *self._receivers()]:
            if target in self._sessions and self._write_mo(mo, target):
                return

    # Fault switches that act on the sessions.

    def switched(self, name: str, value: Any) -> None:
        """Act on a switch the control API just set; the one-shot ones reset themselves."""
        if name == "smpp_drop_binds" and value:
            for session in list(self._sessions):
                if session.mode is not None:
                    session.abort()
            self.switches[name] = False
        elif name == "smpp_malformed" and value:
            for session in list(self._sessions):
                if session.mode is not None:
                    session.write_raw(malformed_pdu(value, session.next_sequence()))
            self.switches[name] = ""
        elif name == "smpp_half_open" and value:
            for session in list(self._sessions):
                session.stall()

    def reset(self) -> None:
        """Forget what was submitted and counted (MO still pending stay)."""
        self.submissions = Submissions()
        self.receipts.clear()
        self.counts.clear()
        self.max_in_flight = 0
        self.throttled_count = 0
        self.inbox = [mo for mo in self.inbox if mo.state == "pending"]

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready state for tests and `GET /_sim/state`."""
        return {
            "address": list(self.address) if self.address else None,
            "binds": [
                {"system_id": session.system_id, "mode": session.mode, "peer": session.peer}
                for session in self._sessions
                if session.mode is not None
            ],
            "submitted": [message.snapshot() for message in self.submissions.messages],
            "pending_parts": self.submissions.pending_parts(),
            "mo": [mo.snapshot() for mo in self.inbox],
            "receipts": [receipt.snapshot() for receipt in self.receipts],
            "max_in_flight": self.max_in_flight,
            "throttled": self.throttled_count,
            "counts": dict(self.counts),
        }
