"""How every client names a failed exchange: too slow, unreachable, or dropped on the way.

The three services fail in the same few ways at the network level, and callers act on the kind
(a send that timed out may have reached the service; one that never connected did not), so the
mapping from aiohttp's errors to ours is written once.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from .errors import ProviderConnectionError, ProviderTimeoutError, ProviderUnreachableError


@asynccontextmanager
async def exchange(
    what: str,
    within: float,
    *,
    chain: bool = True,
    also: tuple[type[Exception], ...] = (),
) -> AsyncIterator[None]:
    """Bound the block to `within` seconds; turn its network errors into our error kinds.

    `what` names the request in messages ("Dinstar /api/send_sms"). Without `chain` the library
    error is not attached, for services whose URLs carry a secret that aiohttp errors may quote;
    `also` lists further exceptions that mean a failed exchange.
    """
    failures: tuple[type[Exception], ...] = (aiohttp.ClientError, *also)
    try:
        async with asyncio.timeout(within):
            yield
    except TimeoutError as err:
        raise ProviderTimeoutError(f"{what} did not answer within {within:g} s") from (
            err if chain else None
        )
    except aiohttp.ClientConnectorError as err:
        raise ProviderUnreachableError(f"{what} failed: {type(err).__name__}") from (
            err if chain else None
        )
    except failures as err:
        raise ProviderConnectionError(f"{what} failed: {type(err).__name__}") from (
            err if chain else None
        )
