"""USSD exchanges: one request, one reply, on one port at a time.

Replies carry no id, so a port runs one exchange at a time (ports run in parallel). The session is
cleared first and cancelled at the end, whatever happens, and the reply comes from a push or from
polling, whichever is first.
"""

import asyncio
from collections.abc import Iterable
import logging
from typing import Protocol

from .dinstar_checks import check_port, check_ussd_text
from .dinstar_models import UssdPortStatus, UssdReply, UssdSendStatus
from .errors import (
    InvalidInputError,
    InvalidResponseError,
    PortBusyError,
    PortNotRegisteredError,
    ProviderError,
    ProviderTimeoutError,
    RejectedError,
)

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


class UssdExchanges:
    """Runs exchanges through the endpoints and hands pushed replies to the one waiting."""

    def __init__(self, endpoints: UssdEndpoints) -> None:
        """Exchange through these endpoints (the gateway's client)."""
        self._endpoints = endpoints
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[int, asyncio.Future[str]] = {}

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
                    await self._endpoints.cancel_ussd([port])
                    self._waiters[port] = reply
                    statuses = await self._endpoints.send_ussd([port], code)
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
            for answer in await self._endpoints.query_ussd_reply([port]):
                if answer.port == port and answer.text is not None:
                    return answer.text

    async def _end_session(self, port: int) -> None:
        try:
            await self._endpoints.cancel_ussd([port])
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
