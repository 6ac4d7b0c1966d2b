"""A gateway whose HTTP API is not "New Version" answers /api/ paths with GoAhead's 404 or HTML.

The client must name that (ApiDisabledError) so the config flow can tell the user what to switch
on, and must not mistake the API's own JSON 404 (error_http_status) or a root STK path for it.
"""

import aiohttp
from aiohttp import web
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.errors import (
    ApiDisabledError,
    AuthError,
    NotFoundError,
)
from tests.conftest import RunningDinstar

from ..conftest import OddClient, SimControl


async def test_api_off_on_the_simulator(client: DinstarClient, sim: SimControl) -> None:
    await sim.faults(api_enabled=False)

    with pytest.raises(ApiDisabledError):
        await client.get_port_info(info_types=["type"])
    with pytest.raises(ApiDisabledError):
        await client.send_sms("hi", ["0711111111"])


async def test_wrong_password_is_still_an_auth_error_when_the_api_is_off(
    dinstar_simulator: RunningDinstar, http_session: aiohttp.ClientSession, sim: SimControl
) -> None:
    await sim.faults(api_enabled=False)
    client = DinstarClient(http_session, dinstar_simulator.url, "admin", "wrong", timeout=5.0)

    with pytest.raises(AuthError):
        await client.get_port_info(info_types=["type"])


async def test_api_back_on_works_again(client: DinstarClient, sim: SimControl) -> None:
    await sim.faults(api_enabled=False)
    with pytest.raises(ApiDisabledError):
        await client.query_sms_in_queue()

    await sim.faults(api_enabled=True)

    assert await client.query_sms_in_queue() == 0


async def test_a_json_404_envelope_is_not_api_disabled(
    client: DinstarClient, sim: SimControl
) -> None:
    await sim.faults(error_http_status="error_code")

    with pytest.raises(NotFoundError):
        await client.stop_sms(99999)


async def test_html_404_on_a_root_stk_path_is_not_api_disabled(odd_client: OddClient) -> None:
    async def html_404(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(status=404, text="<html>Not Found</html>", content_type="text/html")

    client = odd_client(html_404)

    with pytest.raises(NotFoundError):
        await client.get_stk_frame_index(0)
    with pytest.raises(ApiDisabledError):
        await client.query_sms_in_queue()


async def test_a_plain_text_404_on_an_api_path_is_api_disabled(odd_client: OddClient) -> None:
    async def plain_404(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(status=404, text="404: Not Found")

    client = odd_client(plain_404)

    with pytest.raises(ApiDisabledError):
        await client.get_port_info(info_types=["type"])


async def test_json_labelled_text_html_is_read_as_json(odd_client: OddClient) -> None:
    async def mislabelled(_request: web.Request, _body: bytes) -> web.StreamResponse:
        return web.Response(
            text='{"error_code":200,"sn":"sn-1","in_queue":3}', content_type="text/html"
        )

    client = odd_client(mislabelled)

    assert await client.query_sms_in_queue() == 3
    assert client.serial == "sn-1"
