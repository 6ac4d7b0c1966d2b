"""serve(), the self-signed TLS context and the background-task set the simulators rely on."""

import asyncio
import logging
import ssl

import httpx
import pytest

from simulators.background import BackgroundTasks
from simulators.dinstar.simulator import DinstarSimulator
from simulators.server import serve
from simulators.tls import self_signed_server_context


async def test_https_with_a_self_signed_certificate(socket_enabled):
    sim = DinstarSimulator()
    server = await serve(sim.create_app(), ssl_context=self_signed_server_context())
    try:
        assert server.url == f"https://127.0.0.1:{server.port}"
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            async with httpx.AsyncClient() as strict:
                await strict.get(f"{server.url}/api/query_sms_in_queue")
        async with httpx.AsyncClient(
            verify=False,  # noqa: S501 (the gateway's certificate is self-signed, §2.2)
            auth=httpx.DigestAuth("admin", "admin"),
        ) as client:
            response = await client.get(f"{server.url}/api/query_sms_in_queue")
        assert response.json()["in_queue"] == 0
    finally:
        await server.stop()


def test_tls_context_is_a_server_context():
    context = self_signed_server_context("unit")
    assert isinstance(context, ssl.SSLContext)
    assert not context.check_hostname


async def test_serve_refuses_a_busy_port(socket_enabled):
    first = await serve(DinstarSimulator().create_app())
    try:
        with pytest.raises(OSError):
            await serve(DinstarSimulator().create_app(), port=first.port)
    finally:
        await first.stop()


async def test_background_tasks_log_crashes_and_cancel_the_rest(caplog):
    tasks = BackgroundTasks()

    async def crash() -> None:
        raise RuntimeError("boom")

    tasks.spawn(crash())
    sleeper = tasks.spawn(asyncio.sleep(60))
    with caplog.at_level(logging.ERROR):
        await asyncio.sleep(0.01)
    assert "background task failed" in caplog.text
    assert len(tasks) == 1
    await tasks.aclose()
    assert sleeper.cancelled()
    assert len(tasks) == 0
