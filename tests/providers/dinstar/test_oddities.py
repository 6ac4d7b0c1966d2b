"""Answers the simulator never gives but a hand-written firmware might (scripted server)."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient, StkAction
from custom_components.sms_gateway.providers.errors import (
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    PortBusyError,
    RejectedError,
)

from ..conftest import OddGateway

Call = Callable[[DinstarClient], Awaitable[Any]]


def scripted(answers: dict[str, Any]) -> Callable[[web.Request, bytes], Awaitable[web.Response]]:
    """Answer each path with canned JSON (a bytes value is sent as is); no auth asked."""

    async def answer(request: web.Request, _body: bytes) -> web.Response:
        value = answers[request.path]
        if isinstance(value, bytes):
            return web.Response(body=value, content_type="application/json")
        return web.json_response(value)

    return answer


@pytest.fixture
def odd_client(odd_gateway: OddGateway, http_session: aiohttp.ClientSession) -> DinstarClient:
    return DinstarClient(http_session, odd_gateway.url, "admin", "admin")


@pytest.mark.parametrize(
    ("answers", "call", "expected"),
    [
        ({"/api/query_sms_in_queue": {"error_code": "200", "in_queue": 3}}, "queue", 3),
        ({"/api/query_ussd_reply": {"error_code": 200, "reply": None}}, "ussd_reply", []),
        ({"/api/get_cdr": {"error_code": 200}}, "cdr", []),
        ({"/GetSTKCurrFrameIndex": {"frame_id": "32"}}, "frame", 32),
        ({"/STKGo": b""}, "stk_ok", None),
        ({"/STKGo": {"error_code": 200, "sn": "x"}}, "stk_ok", None),
        (
            {"/api/get_port_info": {"error_code": 200, "info": [{"port": 4}]}},
            "forward",
            {},
        ),
    ],
)
async def test_tolerated(
    odd_gateway: OddGateway,
    odd_client: DinstarClient,
    answers: dict[str, Any],
    call: str,
    expected: object,
) -> None:
    odd_gateway.responder = scripted(answers)
    assert await CALLS[call](odd_client) == expected


@pytest.mark.parametrize(
    ("answers", "call", "error"),
    [
        ({"/api/query_sms_in_queue": {"error_code": "OK"}}, "queue", InvalidResponseError),
        ({"/api/query_sms_in_queue": {"error_code": 200}}, "queue", InvalidResponseError),
        ({"/api/query_sms_in_queue": [1, 2]}, "queue", InvalidResponseError),
        (
            {"/api/query_ussd_reply": {"error_code": 200, "reply": {}}},
            "ussd_reply",
            InvalidResponseError,
        ),
        ({"/api/get_status": {"cpu_used": "3"}}, "status", InvalidResponseError),
        ({"/api/get_status": {"error_code": 500, "sn": "x"}}, "status", RejectedError),
        ({"/GetSTKView": [1]}, "view", InvalidResponseError),
        ({"/GetSTKCurrFrameIndex": {}}, "frame", InvalidResponseError),
        ({"/STKGo": {"error_code": 404}}, "stk_ok", NotFoundError),
        (
            {"/api/send_ussd": {"error_code": 202, "result": [{"port": 1, "status": 200}]}},
            "ussd_exchange",
            InvalidResponseError,
        ),
        (
            {"/api/send_ussd": {"error_code": 202, "result": [{"port": 0, "status": 500}]}},
            "ussd_exchange",
            RejectedError,
        ),
        (
            {
                "/api/send_ussd": {"error_code": 202, "result": [{"port": 0, "status": 486}]},
                "/api/query_ussd_reply": {"error_code": 200, "reply": []},
            },
            "ussd_exchange",
            PortBusyError,
        ),
    ],
)
async def test_refused(
    odd_gateway: OddGateway,
    odd_client: DinstarClient,
    answers: dict[str, Any],
    call: str,
    error: type[Exception],
) -> None:
    odd_gateway.responder = scripted(answers)
    with pytest.raises(error):
        await CALLS[call](odd_client)


async def test_failed_final_cancel_does_not_hide_the_error(
    odd_gateway: OddGateway, odd_client: DinstarClient
) -> None:
    sends = 0

    async def answer(request: web.Request, _body: bytes) -> web.Response:
        nonlocal sends
        if request.path != "/api/send_ussd":
            return web.json_response({"error_code": 200, "in_queue": 0})
        sends += 1
        if sends == 3:  # the closing cancel
            return web.json_response({"error_code": 500})
        return web.json_response({"error_code": 202, "result": [{"port": 0, "status": 486}]})

    odd_gateway.responder = answer
    with pytest.raises(PortBusyError):
        await odd_client.ussd_exchange(0, "*100#", timeout=5)
    assert sends == 3


async def test_more_input_checks(odd_gateway: OddGateway, odd_client: DinstarClient) -> None:
    bad: list[Awaitable[Any]] = [
        odd_client.send_ussd([], "*100#"),
        odd_client.send_ussd([0], "x" * 61, command="cancel"),
        odd_client.query_ussd_reply([]),
        odd_client.set_port_info(0, "explode"),  # type: ignore[arg-type]
        odd_client.stk_go(0, item="1"),  # type: ignore[arg-type]
        odd_client.send_sms_to([], "hi", first_user_id=1),
    ]
    for call in bad:
        with pytest.raises(InvalidInputError):
            await call
    assert odd_gateway.seen == []


CALLS: dict[str, Call] = {
    "queue": lambda c: c.query_sms_in_queue(),
    "ussd_reply": lambda c: c.query_ussd_reply([0]),
    "cdr": lambda c: c.get_cdr(),
    "frame": lambda c: c.get_stk_frame_index(0),
    "view": lambda c: c.get_stk_view(0),
    "status": lambda c: c.get_status(),
    "stk_ok": lambda c: c.stk_go(0, action=StkAction.OK),
    "forward": lambda c: c.get_call_forward(8),
    "ussd_exchange": lambda c: c.ussd_exchange(0, "*100#", timeout=5, poll_interval=0.05),
}


async def test_gateway_without_auth_is_probed_once(
    odd_gateway: OddGateway, odd_client: DinstarClient
) -> None:
    odd_gateway.responder = scripted(
        {
            "/api/get_status": {"performance": {"cpu_used": "3"}},
            "/api/query_sms_in_queue": {"error_code": 200, "in_queue": 0},
        }
    )
    for _ in range(3):
        assert (await odd_client.get_status()).cpu_used == 3
    assert [s["path_qs"] for s in odd_gateway.seen] == [
        "/api/query_sms_in_queue",
        "/api/get_status",
        "/api/get_status",
        "/api/get_status",
    ]
