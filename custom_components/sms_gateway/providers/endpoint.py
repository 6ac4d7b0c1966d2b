"""One request to a cloud service and its whole answer, the same way for SMSLink and Plasgate.

Both cloud clients send each request once on the caller's session, follow no redirect (one could
carry the credentials elsewhere), name network failures through `exchange`, and log the method,
the request's name and the HTTP status only, never a URL, a body or a credential.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
import logging
from typing import Any, Self

import aiohttp

from .errors import InvalidInputError
from .network import exchange

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Credentials:
    """An account's identifier and secret; both are required and neither shows in a repr."""

    key: str = field(repr=False)
    secret: str = field(repr=False)

    @classmethod
    def checked(cls, key: str, secret: str, refusal: str) -> Self:
        """Refuse an empty key or secret with `refusal` before any request is made."""
        if not key or not secret:
            raise InvalidInputError(refusal)
        return cls(key, secret)


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer, read whole while the connection was open."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    encoding: str

    def text(self) -> str:
        """Decode the body in the charset the answer names (else as aiohttp would)."""
        return self.body.decode(self.encoding, errors="replace")


class Endpoint:
    """A service's base URL on the caller's session, with the timeout each request gets."""

    def __init__(
        self,
        service: str,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout: float,
        *,
        chain: bool = True,
        also: tuple[type[Exception], ...] = (),
    ) -> None:
        """`chain` and `also` are passed to `exchange` (no chaining where URLs carry a secret)."""
        self._service = service
        self._session = session
        self._base = base_url
        self._timeout = timeout
        self._chain = chain
        self._also = also

    async def fetch(self, method: str, path: str, name: str, **request: Any) -> Answer:
        """Send `method` to the base URL plus `path` once; `name` is how messages call it."""
        async with (
            exchange(f"{self._service} {name}", self._timeout, chain=self._chain, also=self._also),
            self._session.request(
                method, self._base + path, allow_redirects=False, **request
            ) as response,
        ):
            body = await response.read()
            answer = Answer(response.status, body, response.headers, response.get_encoding())
        _LOGGER.debug("%s %s %s -> HTTP %s", self._service, method, name, answer.status)
        return answer
