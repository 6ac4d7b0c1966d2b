"""Every error path of DinstarClient: the gateway's codes, transport failures, odd bodies."""

import asyncio

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.dinstar.models import SmsRecipient
from custom_components.sms_gateway.providers.dinstar.transport import reply_json
from custom_components.sms_gateway.providers.errors import (
    ApiDisabledError,
    BadRequestError,
    InvalidResponseError,
    LimitExceededError,
    NoPortAvailableError,
    NotFoundError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RejectedError,
    ServiceError,
)

from ..conftest import OddClient, SimControl


async def test_400_for_a_port_the_gateway_does_not_have(client: DinstarClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await client.get_port_info([12])  # valid on the wire (0-31), absent on an 8-port box
    assert caught.value.code == 400


async def test_404_unknown_task(client: DinstarClient) -> None:
    with pytest.raises(NotFoundError):
        await client.stop_sms(99999)


async def test_413_too_many_recipients(client: DinstarClient, sim: SimControl) -> None:
    numbers = [f"0700{i:06d}" for i in range(129)]
    with pytest.raises(LimitExceededError) as caught:
        await client.send_sms("hi", numbers)
    assert (caught.value.code, caught.value.limit) == (413, "recipients")
    assert await sim.handled("/api/send_sms") == 1  # refused by the gateway, not by us


async def test_413_text_over_1500_bytes(client: DinstarClient) -> None:
    with pytest.raises(LimitExceededError) as caught:
        await client.send_sms("ب" * 751, ["0711111111"])  # 1502 UTF-8 bytes
    assert (caught.value.code, caught.value.limit) == (413, "text_bytes")


async def test_413_more_than_32_numbers_in_a_query(client: DinstarClient) -> None:
    # The public query methods split long lists; drive one raw request past the limit.
    numbers = [f"0700{i:06d}" for i in range(33)]
    with pytest.raises(LimitExceededError) as caught:
        await client._transport.call(
            "POST", "/api/query_sms_deliver_status", body={"number": numbers}, limit="numbers"
        )
    assert (caught.value.code, caught.value.limit) == (413, "numbers")


@pytest.mark.parametrize("http_status", [200, "error_code"])
async def test_500_with_either_http_status(
    client: DinstarClient, sim: SimControl, http_status: object
) -> None:
    await sim.faults(fail_500_paths=["/api/query_sms_in_queue"], error_http_status=http_status)
    with pytest.raises(ServiceError) as caught:
        await client.query_sms_in_queue()
    assert caught.value.code == 500


async def test_550_no_port_available(client: DinstarClient, sim: SimControl) -> None:
    await sim.port(0, reg="UNREGISTER")
    with pytest.raises(NoPortAvailableError) as caught:
        await client.send_sms("hi", ["0711111111"], ports=[0, 6, 7])
    assert caught.value.code == 550


async def test_413_with_error_http_status(client: DinstarClient, sim: SimControl) -> None:
    await sim.faults(error_http_status="error_code")
    with pytest.raises(LimitExceededError):
        await client.send_sms("x" * 1501, ["0711111111"])


async def test_dropped_connection(client: DinstarClient, sim: SimControl) -> None:
    await sim.faults(drop_connection_paths=["/api/query_sms_in_queue"])
    with pytest.raises(ProviderConnectionError) as caught:
        await client.query_sms_in_queue()
    assert not isinstance(caught.value, ProviderTimeoutError)


async def test_dropped_send_is_not_retried(client: DinstarClient, sim: SimControl) -> None:
    await client.query_sms_in_queue()  # hold a nonce already
    await sim.faults(drop_connection_paths=["/api/send_sms"])
    with pytest.raises(ProviderConnectionError):
        await client.send_sms("once only", ["0711111111"])
    assert len(await sim.log("/api/send_sms")) == 1
    assert (await sim.state())["results"] == []


async def test_hang_becomes_timeout(
    dinstar_simulator: object, http_session: aiohttp.ClientSession, sim: SimControl
) -> None:
    client = DinstarClient(http_session, sim.url, "admin", "admin", timeout=0.3)
    await sim.faults(timeout_paths=["/api/get_port_info"])
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(ProviderTimeoutError):
        await client.get_port_info()
    assert loop.time() - started < 3


async def test_connection_refused(
    http_session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    client = DinstarClient(http_session, "http://127.0.0.1:9", "admin", "admin", timeout=2)
    with pytest.raises(ProviderConnectionError):
        await client.query_sms_in_queue()


async def test_body_that_is_not_json(odd_client: OddClient) -> None:
    async def garbage(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(text='{"in_queue": 1', content_type="application/json")

    client = odd_client(garbage)
    with pytest.raises(InvalidResponseError):
        await client.query_sms_in_queue()
    with pytest.raises(InvalidResponseError):
        await client.get_status()


async def test_html_on_api_paths_means_api_disabled(odd_client: OddClient) -> None:
    async def html(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(text="<html>enLogin.htm</html>", content_type="text/html")

    client = odd_client(html)
    with pytest.raises(ApiDisabledError):
        await client.query_sms_in_queue()


async def test_envelope_without_error_code_and_plain_404(odd_client: OddClient) -> None:
    async def answer(request: web.Request, _body: bytes) -> web.StreamResponse:
        if request.path == "/api/query_sms_in_queue":
            return web.json_response({"sn": "x", "in_queue": 1})
        return web.Response(status=404, text="404: Not Found")

    client = odd_client(answer)
    with pytest.raises(InvalidResponseError):
        await client.query_sms_in_queue()
    with pytest.raises(NotFoundError):
        await client.get_stk_view(0)


async def test_unexpected_code_is_a_rejection(odd_client: OddClient) -> None:
    async def answer(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.json_response({"error_code": 417, "sn": "x"})

    client = odd_client(answer)
    with pytest.raises(RejectedError) as caught:
        await client.query_sms_in_queue()
    assert type(caught.value) is RejectedError
    assert caught.value.code == 417


def test_lenient_json() -> None:
    assert reply_json(b'{"sms":[{"a":1},],"read":1,}') == {"sms": [{"a": 1}], "read": 1}
    assert reply_json('\ufeff{"a": [1, 2 , ] }'.encode()) == {"a": [1, 2]}
    with pytest.raises(InvalidResponseError):
        reply_json(b'{"input_type":"2,"frame_id":750}')
    with pytest.raises(InvalidResponseError):
        reply_json(b"[" * 100000)


async def test_errors_never_show_numbers_or_password(
    client: DinstarClient, sim: SimControl, http_session: aiohttp.ClientSession
) -> None:
    await sim.faults(drop_connection_paths=["/api/send_sms"])
    with pytest.raises(ProviderConnectionError) as dropped:
        await client.send_sms("hi", [SmsRecipient("+40712345678", user_id=1)])
    wrong = DinstarClient(http_session, sim.url, "admin", "s3cret-pass")
    with pytest.raises(Exception) as refused:
        await wrong.query_sms_in_queue()
    for error in (dropped.value, refused.value):
        assert "40712345678" not in str(error)
        assert "s3cret-pass" not in str(error)
