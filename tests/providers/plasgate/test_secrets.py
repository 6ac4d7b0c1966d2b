"""The private key travels in the URL query: it must never reach a log line or an exception.

Every error path is driven with a recognisable key and secret while all logs are captured at
DEBUG; the exceptions are checked with their full formatted traceback, chained causes included.
"""

from collections.abc import AsyncIterator
import logging
import traceback

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.errors import ProviderError, RateLimitedError
from custom_components.sms_gateway.providers.plasgate import PlasgateClient
from simulators.plasgate.settings import PlasgateSettings
from simulators.server import serve
from tests.conftest import RunningPlasgate

KEY = "PK-unique-private-key-0123456789"
SECRET = "SEC-unique-secret-9876543210"


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    return PlasgateSettings(private_key=KEY, secret=SECRET)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def assert_clean(caplog, error: BaseException | None) -> None:
    texts = [record.getMessage() for record in caplog.records]
    texts += [str(record.args) for record in caplog.records]
    if error is not None:
        texts.append(repr(error))
        texts.append("".join(traceback.format_exception(error)))
    for text in texts:
        assert KEY not in text
        assert SECRET not in text


@pytest.mark.parametrize(
    "switches",
    [
        {},
        {"http_5xx_rate": 1.0},
        {"down": True},
        {"latency_ms": 2000},
        {"malformed_answers": True},
        {"non_authoritative_203": True},
        {"auth_error_status": 403},
        {"rest_response_shape": '{"status":"error","q":"{id}"}'},
    ],
)
@pytest.mark.parametrize("wrong_secret", [False, True])
async def test_simulator_error_paths(
    plasgate_simulator: RunningPlasgate, session, caplog, switches, wrong_secret
):
    caplog.set_level(logging.DEBUG)
    plasgate_simulator.sim.switches.update(switches)
    client = PlasgateClient(
        session,
        KEY,
        SECRET + "x" if wrong_secret else SECRET,
        base_url=plasgate_simulator.url,
        timeout=0.5,
    )
    error = None
    try:
        await client.send("85512345678", "x")
        await client.send_batch(["85512345678"], "x")
        await client.send("85512345678", "x", sender="Nope")
    except ProviderError as err:
        error = err
    assert error is not None
    assert_clean(caplog, error)


async def test_rate_limited_path(plasgate_simulator: RunningPlasgate, session, caplog):
    caplog.set_level(logging.DEBUG)
    plasgate_simulator.sim.switches["rate_limit_scope"] = "global"
    filler = PlasgateClient(session, KEY, SECRET, base_url=plasgate_simulator.url)
    for _ in range(100):
        await filler.send_batch(["85512345678"], "x")
    # A second client (its own, empty throttle) meets the service's 429.
    client = PlasgateClient(
        session, KEY, SECRET, base_url=plasgate_simulator.url, rate_limit_retries=0
    )
    with pytest.raises(RateLimitedError) as caught:
        await client.send_batch(["85512345678"], "x")
    assert_clean(caplog, caught.value)


async def test_connection_refused(socket_enabled, session, caplog):
    caplog.set_level(logging.DEBUG)
    client = PlasgateClient(session, KEY, SECRET, base_url="http://127.0.0.1:9")
    with pytest.raises(ProviderError) as caught:
        await client.send("85512345678", "x")
    assert_clean(caplog, caught.value)


async def test_invalid_base_url(session, caplog):
    caplog.set_level(logging.DEBUG)
    client = PlasgateClient(session, KEY, SECRET, base_url="http://[::1")
    with pytest.raises(ProviderError) as caught:
        await client.send("85512345678", "x")
    assert_clean(caplog, caught.value)


@pytest.mark.parametrize(
    "answer",
    [
        lambda url: web.json_response({"message": f"bad key {KEY} for {url}"}, status=400),
        lambda _url: web.Response(status=400, text=f'Error "secret {SECRET} refused"'),
        lambda url: web.Response(status=502, text=f"upstream {url} failed"),
        lambda url: web.Response(status=200, text=f"<html>{url}</html>"),
    ],
)
async def test_echoed_secrets_are_scrubbed(socket_enabled, session, caplog, answer):
    caplog.set_level(logging.DEBUG)

    async def handle(request: web.Request) -> web.Response:
        return answer(str(request.url))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = await serve(app)
    try:
        client = PlasgateClient(session, KEY, SECRET, base_url=server.url)
        with pytest.raises(ProviderError) as caught:
            await client.send("85512345678", "x")
    finally:
        await server.stop()
    assert_clean(caplog, caught.value)
    assert "***" in str(caught.value) or "unreadable" in str(caught.value)
