"""The transport picks the scheme from the challenge's scheme token, never from its parameters."""

import base64

from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.errors import AuthError

from ..conftest import OddClient, OddGateway

BASIC = "Basic " + base64.b64encode(b"admin:admin").decode()


async def test_digest_with_a_realm_saying_basic_never_falls_back_to_basic(
    odd_gateway: OddGateway, odd_client: OddClient
) -> None:
    # A Digest offer we cannot answer (SHA-512) whose realm reads "Basic": the password must
    # not go out as Basic just because the word appears in the header.
    challenge = 'Digest realm="Basic gateway", nonce="n1", algorithm=SHA-512, qop="auth"'

    async def answer(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(status=401, headers={"WWW-Authenticate": challenge})

    client = odd_client(answer)
    with pytest.raises(AuthError, match="algorithm"):
        await client.query_sms_in_queue()
    assert [seen["authorization"] for seen in odd_gateway.seen] == [None]


async def test_basic_with_a_realm_saying_digest_is_answered_with_basic(
    odd_gateway: OddGateway, odd_client: OddClient
) -> None:
    async def answer(request: web.Request, _body: bytes) -> web.StreamResponse:
        if request.headers.get("Authorization") != BASIC:
            return web.Response(
                status=401, headers={"WWW-Authenticate": 'Basic realm="digest-login"'}
            )
        return web.json_response({"error_code": 200, "sn": "b", "in_queue": 3})

    client = odd_client(answer)
    assert await client.query_sms_in_queue() == 3
    assert [seen["authorization"] for seen in odd_gateway.seen] == [None, BASIC]


async def test_unusable_digest_offer_falls_back_to_a_separate_basic_offer(
    odd_gateway: OddGateway, odd_client: OddClient
) -> None:
    async def answer(request: web.Request, _body: bytes) -> web.StreamResponse:
        if request.headers.get("Authorization") != BASIC:
            response = web.Response(status=401)
            response.headers.add("WWW-Authenticate", 'Digest realm="r", nonce="n", algorithm=X')
            response.headers.add("WWW-Authenticate", 'Basic realm="r"')
            return response
        return web.json_response({"error_code": 200, "sn": "b", "in_queue": 0})

    client = odd_client(answer)
    assert await client.query_sms_in_queue() == 0
    assert [seen["authorization"] for seen in odd_gateway.seen] == [None, BASIC]
