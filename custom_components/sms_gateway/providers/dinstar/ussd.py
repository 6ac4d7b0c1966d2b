"""USSD exchanges: one request, one reply, on one port at a time.

Replies carry no id, so a port runs one exchange at a time (ports run in parallel). The session is
cleared first and cancelled at the end, whatever happens, and the reply comes from a push or from
polling, whichever is first.

The client puts one request on the wire at a time, so ports that each sent their own would wait in
line: 32 ports' balances would take 32 round trips per step. Instead the ports that reach the same
step together share its request, as the API allows: `send_ussd` takes a list of ports (each sends
the same text) and `query_ussd_reply` a port CSV, each answering per port.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
import logging
from typing import Protocol

from ..errors import (
    InvalidInputError,
    InvalidResponseError,
    PortBusyError,
    PortNotRegisteredError,
    ProviderError,
    ProviderTimeoutError,
    RejectedError,
)
from .checks import check_port, check_ussd_text
from .models import UssdPortStatus, UssdReply, UssdSendStatus

_LOGGER = logging.getLogger(__name__)


class UssdEndpoints(Protocol):
    """The three USSD endpoints an exchange is made of."""

    async def send_ussd(
        self, ports: Iterable[int], text: str, *, command: str = "send"
    ) -> list[UssdSendStatus]:
        """Send USSD on the ports."""

    async def cancel_ussd(self, ports: Iterable[int]) -> list[UssdSendStatus]:
        """End the ports' USSD sessions."""

    async def query_ussd_reply(self, ports: Iterable[int]) -> list[UssdReply]:
        """Read the ports' current replies."""


type PortRequest[T] = Callable[[list[int], str], Awaitable[list[T]]]
"""One request for several ports with one text; it answers a row per port."""


class SharedRequests[T]:
    """Ports that ask for the same request at the same time share one, listing them all.

    A port asks and waits; the ports that asked while the previous request was on the wire (or in
    the same loop turn as the first) go out together in the next one, and each reads its own row
    of the answer. The request runs in a task of its own: once it is on the wire it finishes for
    everyone, even when one of the ports stops waiting.
    """

    def __init__(self, request: PortRequest[T]) -> None:
        """Send through request(ports, text)."""
        self._request = request
        self._asking: list[tuple[int, str, asyncio.Future[list[T]]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def ask(self, port: int, text: str = "") -> list[T]:
        """Have the port in the next request with this text; return that request's rows."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[list[T]] = loop.create_future()
        self._asking.append((port, text, answer))
        if self._runner is None:
            self._runner = loop.create_task(self._run(), name="Dinstar USSD shared request")
        return await answer

    async def _run(self) -> None:
        batch: list[tuple[int, str, asyncio.Future[list[T]]]] = []
        try:
            await asyncio.sleep(0)  # the ports asking in this loop turn join the first one
            while self._asking:
                text = self._asking[0][1]
                batch = [asked for asked in self._asking if asked[1] == text]
                self._asking = [asked for asked in self._asking if asked[1] != text]
                ports = sorted({port for port, _, _ in batch})
                try:
                    rows = await self._request(ports, text)
                except Exception as err:  # noqa: BLE001 - handed to every port that asked
                    for _, _, answer in batch:
                        if not answer.done():
                            answer.set_exception(err)
                else:
                    for _, _, answer in batch:
                        if not answer.done():
                            answer.set_result(rows)
                batch = []
        finally:
            self._runner = None
            for _, _, answer in batch + self._asking:  # only left when this task is cancelled
                answer.cancel()
            self._asking = []


class UssdExchanges:
    """Runs exchanges through the endpoints and hands pushed replies to the one waiting."""

    def __init__(self, endpoints: UssdEndpoints) -> None:
        """Exchange through these endpoints (the gateway's client)."""
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[int, asyncio.Future[str]] = {}
        self._cancels = SharedRequests(lambda ports, _text: endpoints.cancel_ussd(ports))
        self._sends = SharedRequests(endpoints.send_ussd)
        self._queries = SharedRequests(lambda ports, _text: endpoints.query_ussd_reply(ports))

    def deliver(self, port: int, text: str | None) -> bool:
        """Hand a pushed USSD reply to the exchange waiting on that port; False if none waits."""
        waiter = self._waiters.get(port)
        if waiter is None or waiter.done() or text is None or not text.strip():
            return False
        waiter.set_result(text)
        return True

    async def run(self, port: int, code: str, *, timeout: float, poll_interval: float) -> str:  # noqa: ASYNC109 - the reply wait, not a request timeout
        """Run one USSD request on a port and return the reply."""
        check_port(port)
        check_ussd_text(code)
        if timeout <= 0 or poll_interval <= 0:
            raise InvalidInputError("timeout and poll_interval must be positive")
        lock = self._locks.setdefault(port, asyncio.Lock())
        async with lock:
            reply: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self._cancels.ask(port)
                    self._waiters[port] = reply
                    statuses = await self._sends.ask(port, code)
                    _check_sent(port, statuses)
                    return await self._wait_reply(port, reply, poll_interval)
            except TimeoutError as err:
                raise ProviderTimeoutError(
                    f"Dinstar port {port}: no USSD reply within {timeout:g} s"
                ) from err
            finally:
                if self._waiters.get(port) is reply:
                    del self._waiters[port]
                reply.cancel()
                await self._end_session(port)

    async def _wait_reply(self, port: int, reply: asyncio.Future[str], poll_interval: float) -> str:
        while True:
            done, _ = await asyncio.wait({reply}, timeout=poll_interval)
            if done:
                return reply.result()
            for answer in await self._queries.ask(port):
                if answer.port == port and answer.text is not None:
                    return answer.text

    async def _end_session(self, port: int) -> None:
        try:
            await self._cancels.ask(port)
        except ProviderError as err:
            _LOGGER.debug("Dinstar port %s: cancelling the USSD session failed: %s", port, err)


def _check_sent(port: int, statuses: list[UssdSendStatus]) -> None:
    status = next((item.status for item in statuses if item.port == port), None)
    if status is None:
        raise InvalidResponseError(f"Dinstar send_ussd: no status for port {port}")
    if status == UssdPortStatus.SENT:
        return
    if status == UssdPortStatus.BUSY:
        raise PortBusyError(status, f"Dinstar port {port} is busy (486); try again later")
    if status == UssdPortStatus.NOT_REGISTERED:
        raise PortNotRegisteredError(
            status, f"Dinstar port {port} is not registered on a network (503)"
        )
    raise RejectedError(status, f"Dinstar port {port} refused the USSD request ({status})")
