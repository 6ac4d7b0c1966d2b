"""Which send_sms failures may have queued the SMS (MAY_HAVE_SENT), and what a batch makes of them.

A lost answer, a server error (any 5xx but the documented 550), an answer we cannot read and a
success code other than the documented 202 may all come after the gateway queued the SMS: such
recipients are uncertain, never sent again.
"""

from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.dinstar.models import RecipientState
from custom_components.sms_gateway.providers.errors import (
    MAY_HAVE_SENT,
    InvalidResponseError,
    NoPortAvailableError,
    ProviderError,
    RejectedError,
    ServiceError,
)
from simulators.dinstar.settings import DinstarSettings

from ..conftest import OddGateway, SimControl, fault_from_the_second_send

Answer = Callable[[], web.Response]


def _answering(send_answer: Answer) -> Callable[[web.Request, bytes], Awaitable[web.Response]]:
    """A gateway that asks no login and answers send_sms as told (the probe gets a queue)."""

    async def answer(request: web.Request, _body: bytes) -> web.Response:
        if request.path == "/api/send_sms":
            return send_answer()
        return web.json_response({"error_code": 200, "sn": "x", "in_queue": 0})

    return answer


def _code(error_code: int, status: int = 200) -> Answer:
    """A JSON envelope with this error code, on this HTTP status."""
    return lambda: web.json_response({"error_code": error_code, "sn": "x"}, status=status)


def _text(status: int, text: str, content_type: str = "text/plain") -> Answer:
    """A body that is no envelope, on this HTTP status."""
    return lambda: web.Response(status=status, text=text, content_type=content_type)


@pytest.mark.parametrize(
    ("send_answer", "kind", "may_have_sent"),
    [
        pytest.param(_text(502, "Bad Gateway"), ServiceError, True, id="http-502"),
        pytest.param(
            _text(503, "<html>busy</html>", "text/html"), ServiceError, True, id="http-503-html"
        ),
        pytest.param(_code(500), ServiceError, True, id="code-500"),
        pytest.param(_code(504, status=504), ServiceError, True, id="code-504"),
        pytest.param(
            _text(202, '{"error_code": 202, "task_'), InvalidResponseError, True, id="garbled-202"
        ),
        pytest.param(_code(200), InvalidResponseError, True, id="code-200-not-202"),
        pytest.param(_code(550), NoPortAvailableError, False, id="code-550-no-port"),
        pytest.param(_code(400), RejectedError, False, id="code-400"),
    ],
)
async def test_what_may_have_been_queued(
    odd_gateway: OddGateway,
    http_session: aiohttp.ClientSession,
    send_answer: Answer,
    kind: type[ProviderError],
    may_have_sent: bool,
) -> None:
    client = odd_gateway.client(http_session, _answering(send_answer))

    with pytest.raises(kind) as caught:
        await client.send_sms("hi", ["0711111111"])

    assert isinstance(caught.value, MAY_HAVE_SENT) is may_have_sent
    assert [seen["path_qs"] for seen in odd_gateway.seen].count("/api/send_sms") == 1


class TestLaterRequest:
    @pytest.fixture
    def dinstar_settings(self) -> DinstarSettings:
        return DinstarSettings(send_delay=0.05, deliver_delay=0.05, queue_capacity=1000)

    async def test_queued_then_500_leaves_its_recipients_uncertain(
        self, client: DinstarClient, sim: SimControl, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        numbers = [f"07{i:08d}" for i in range(300)]
        fault_from_the_second_send(client, sim, monkeypatch, send_sms_500_after_queue=True)
        outcome = await client.send_sms_to(numbers, "x", first_user_id=1)

        states = [r.state for r in outcome.recipients]
        assert states == (
            [RecipientState.QUEUED] * 128
            + [RecipientState.UNCERTAIN] * 128
            + [RecipientState.SKIPPED] * 44
        )
        assert isinstance(outcome.recipients[128].error, ServiceError)
        assert len(await sim.log("/api/send_sms")) == 2  # never re-sent, the rest not tried
        state = await sim.state()
        queued = {item["user_id"] for item in state["queue"]} | {
            record["user_id"] for record in state["results"]
        }
        assert queued == set(range(1, 257))  # the uncertain ones were in fact queued
