"""The SMPP link over TLS: it binds through a context that trusts the server, and only then."""

from __future__ import annotations

from collections.abc import AsyncIterator
import ssl

import pytest

from custom_components.sms_gateway.providers.errors import ProviderUnreachableError
from custom_components.sms_gateway.providers.plasgate.smpp import LinkState, check_login
from simulators.tls import self_signed_server_context
from tests.conftest import RunningPlasgate
from tests.integration.cloud_setups import wait_until

from .smpp_setups import fast_settings, running_link


@pytest.fixture
async def tls_server(
    socket_enabled: None, plasgate_simulator: RunningPlasgate
) -> AsyncIterator[RunningPlasgate]:
    """The simulator's SMPP server behind TLS, with a self-signed certificate."""
    await plasgate_simulator.sim.smpp.start("127.0.0.1", 0, self_signed_server_context())
    try:
        yield plasgate_simulator
    finally:
        await plasgate_simulator.sim.smpp.stop()


def trusting() -> ssl.SSLContext:
    """A client context that takes the simulator's self-signed certificate (tests only)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def test_binds_and_sends_over_tls(tls_server: RunningPlasgate) -> None:
    settings = fast_settings(tls_server, ssl_context=trusting())
    async with running_link(settings) as (link, _):
        await wait_until(lambda: link.state is LinkState.BOUND)
        await link.submit("85512345678", "over TLS", sender="SMS Info", delivery_report=False)
    assert [m["text"] for m in tls_server.sim.smpp.snapshot()["submitted"]] == ["over TLS"]


async def test_an_untrusted_certificate_is_refused(tls_server: RunningPlasgate) -> None:
    settings = fast_settings(tls_server, ssl_context=ssl.create_default_context())
    with pytest.raises(ProviderUnreachableError, match="SSL"):
        await check_login(settings)
    assert tls_server.sim.smpp.snapshot()["binds"] == []


async def test_plain_smpp_to_a_tls_server_does_not_bind(tls_server: RunningPlasgate) -> None:
    settings = fast_settings(tls_server, response_timeout=0.5)
    async with running_link(settings) as (link, heard):
        await wait_until(lambda: heard.states.count(LinkState.CONNECTING) >= 2)
    assert LinkState.BOUND not in heard.states
