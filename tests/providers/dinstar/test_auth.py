"""Authentication against the simulator's Digest server and a Basic-only server (spec §2.3)."""

import asyncio
import base64

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.errors import AuthError, RejectedError

from ..conftest import OddClient, OddGateway, SimControl

BASIC = "Basic " + base64.b64encode(b"admin:admin").decode()


async def test_first_post_fetches_a_nonce_with_a_get(
    client: DinstarClient, sim: SimControl
) -> None:
    await client.send_sms("hello", ["0711111111"])
    log = await sim.log()
    assert [(e["method"], e["path"], e["auth"]) for e in log] == [
        ("GET", "/api/query_sms_in_queue", None),  # the probe: 401 with a challenge
        ("POST", "/api/send_sms", "Digest"),
    ]
    assert log[0]["status"] == 401
    assert log[1]["status"] == 200


async def test_nonce_is_reused_with_rising_nc(client: DinstarClient, sim: SimControl) -> None:
    for _ in range(5):
        await client.query_sms_in_queue()
    log = await sim.log()
    assert [e["status"] for e in log] == [401, 200, 200, 200, 200, 200]


async def test_concurrent_requests_share_the_nonce(client: DinstarClient, sim: SimControl) -> None:
    await client.query_sms_in_queue()
    await asyncio.gather(*(client.get_port_info([port]) for port in range(8)))
    assert [e["status"] for e in await sim.log()][1:] == [200] * 9


async def test_wrong_password_is_auth_error_after_one_retry(
    http_session: aiohttp.ClientSession, sim: SimControl
) -> None:
    client = DinstarClient(http_session, sim.url, "admin", "wrong")
    with pytest.raises(AuthError):
        await client.get_port_info()
    log = await sim.log()
    assert [(e["auth"], e["status"]) for e in log] == [
        (None, 401),
        ("Digest", 401),
        ("Digest", 401),
    ]


async def test_stale_nonce_is_rechallenged(client: DinstarClient, sim: SimControl) -> None:
    await client.query_sms_in_queue()
    await sim.expire_nonces()
    await client.send_sms("after expiry", ["0711111111"])
    statuses = [(e["path"], e["status"]) for e in await sim.log()]
    assert statuses[-2:] == [("/api/send_sms", 401), ("/api/send_sms", 200)]
    assert await sim.handled("/api/send_sms") == 1


async def test_flaky_refusals_retried_once_then_given_up(
    client: DinstarClient, sim: SimControl
) -> None:
    await client.query_sms_in_queue()
    await sim.faults(flaky_auth_rate=1.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises((AuthError, RejectedError)):
        await client.get_port_info()
    assert loop.time() - started >= 0.5  # the pause before the one retry
    assert len(await sim.log("/api/get_port_info")) == 2


async def test_flaky_refusal_then_success(odd_gateway: OddGateway, odd_client: OddClient) -> None:
    refusals = [web.Response(status=403, text="403 Forbidden")]

    async def answer(request: web.Request, _body: bytes) -> web.StreamResponse:
        if request.headers.get("Authorization") != BASIC:
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="gw"'})
        if refusals:
            return refusals.pop()
        return web.json_response({"error_code": 200, "sn": "x", "in_queue": 4})

    client = odd_client(answer)
    assert await client.query_sms_in_queue() == 4
    assert [s["authorization"] for s in odd_gateway.seen] == [None, BASIC, BASIC]


async def test_send_is_not_repeated_after_an_ambiguous_403(
    odd_gateway: OddGateway, odd_client: OddClient
) -> None:
    async def answer(request: web.Request, _body: bytes) -> web.StreamResponse:
        if request.headers.get("Authorization") != BASIC:
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="gw"'})
        return web.Response(status=403, text="403 Forbidden")

    client = odd_client(answer)
    with pytest.raises(RejectedError) as caught:
        await client.send_sms("once", ["0711111111"])
    assert caught.value.code == 403
    posts = [s for s in odd_gateway.seen if s["method"] == "POST"]
    assert len(posts) == 1


async def test_basic_only_server(odd_gateway: OddGateway, odd_client: OddClient) -> None:
    async def answer(request: web.Request, body: bytes) -> web.StreamResponse:
        if request.headers.get("Authorization") != BASIC:
            if request.method == "POST" and not body:
                raise AssertionError("empty unauthenticated POST")
            return web.Response(
                status=401, headers={"WWW-Authenticate": 'Basic realm="Web Server"'}
            )
        return web.json_response(
            {"error_code": 202, "sn": "b", "sms_in_queue": 1, "task_id": 9}
            if request.path == "/api/send_sms"
            else {"error_code": 200, "sn": "b", "in_queue": 0}
        )

    client = odd_client(answer)
    receipt = await client.send_sms("basic", ["0711111111"])
    assert receipt.task_id == 9
    assert await client.query_sms_in_queue() == 0
    assert [s["authorization"] for s in odd_gateway.seen] == [None, BASIC, BASIC]


async def test_unsupported_challenge(odd_client: OddClient) -> None:
    async def answer(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="x"'})

    client = odd_client(answer)
    with pytest.raises(AuthError):
        await client.query_sms_in_queue()


async def test_simulator_accepting_basic_still_gets_digest(
    client: DinstarClient, sim: SimControl
) -> None:
    await sim.faults(accept_basic=True)
    await client.query_sms_in_queue()
    assert [e["auth"] for e in await sim.log()] == [None, "Digest"]
