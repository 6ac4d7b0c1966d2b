"""Set-up steps several integration test files share, so that each file states only its own.

Entry variants, the send_sms call with its answer, a clock jump, and the pieces of the leak checks
(test_secrets, test_cloud_diagnostics_secrets) live here once.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
import logging
import traceback
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PROVIDER,
    CONF_ROUTE_SERVICES,
    DOMAIN,
    PROVIDER_ROUTE,
)
from custom_components.sms_gateway.providers.plasgate import PlasgateClient
from custom_components.sms_gateway.providers.smslink import SmsLinkClient
from tests.conftest import RunningDinstar, RunningSmsLink
from tests.integration.conftest import WebClient, snapshot_entities

SHORT_TIMEOUT = 0.3
"""The cloud clients' timeout in the leak checks, where a slow service must fail fast."""


def entry_with(
    entry: MockConfigEntry,
    *,
    title: str | None = None,
    unique_id: str | None = None,
    entry_id: str | None = None,
    data: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """A copy of a fixture's entry, not yet added, with some data and options changed."""
    extra: dict[str, Any] = {} if entry_id is None else {"entry_id": entry_id}
    return MockConfigEntry(
        domain=entry.domain,
        title=title or entry.title,
        unique_id=unique_id or entry.unique_id,
        data={**entry.data, **(data or {})},
        options={**entry.options, **(options or {})},
        **extra,
    )


def account_entry_with(
    entry: MockConfigEntry,
    unique_id: str,
    webhook_id: str,
    recipient: str,
    *,
    entry_id: str | None = None,
    **credentials: str,
) -> MockConfigEntry:
    """A cloud account's entry with credentials, webhook id and default recipient of a test's
    own; credentials by their data keys (connection_id, password; private_key, secret)."""
    return entry_with(
        entry,
        entry_id=entry_id,
        unique_id=unique_id,
        data={**credentials, CONF_WEBHOOK_ID: webhook_id},
        options={CONF_DEFAULT_RECIPIENTS: [recipient]},
    )


def with_balance(entry: MockConfigEntry, codes: dict[str, dict[str, Any]]) -> MockConfigEntry:
    """A copy of the gateway's entry with balance settings (code, unit, interval) by port."""
    return entry_with(entry, options={CONF_BALANCE: codes})


def route_entry(
    title: str,
    services: list[MockConfigEntry] | list[str],
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """A failover route over entries (or bare entry ids), in the order given."""
    ids = [service if isinstance(service, str) else service.entry_id for service in services]
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={CONF_PROVIDER: PROVIDER_ROUTE},
        options={CONF_ROUTE_SERVICES: ids, **(options or {})},
    )


async def send_sms(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    recipients: list[str],
    message: str = "Hello from the tests",
    **options: Any,
) -> list[dict[str, Any]]:
    """Call sms_gateway.send_sms on an entry; what it answers for each recipient."""
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": entry.entry_id,
            "recipients": recipients,
            "message": message,
            **options,
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    answers: list[dict[str, Any]] = response["recipients"]  # type: ignore[assignment]
    return answers


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the (frozen or ticking) clock on and run what fell due, background tasks too."""
    freezer.move_to(dt_util.utcnow() + delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# --- the Dinstar simulator and its platforms ------------------------------------------------


async def sim_control(sim: RunningDinstar, path: str, body: Any) -> Any:
    """Steer the Dinstar simulator through its control API (/_sim/); what it answers."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sim.url}/_sim/{path}", json=body) as response,
    ):
        assert response.status == 200, await response.text()
        return await response.json()


async def sim_control_via(hass: HomeAssistant, sim: RunningDinstar, path: str, body: Any) -> Any:
    """The same over Home Assistant's shared client session, as the push and inbox tests do."""
    session = async_get_clientsession(hass)
    async with session.post(f"{sim.url}/_sim/{path}", json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


def client_fixture() -> Callable[..., Awaitable[WebClient]]:
    """A file's `client` fixture: Home Assistant's HTTP server with the gateway set up.

    Each file gets a fixture of its own (a function may be made a fixture only once).
    """

    @pytest.fixture(name="client")
    async def gateway_client(
        hass_client_no_auth: ClientSessionGenerator, init_integration: MockConfigEntry
    ) -> WebClient:
        client: WebClient = await hass_client_no_auth()
        return client

    return gateway_client


def entities_test(*marks: pytest.MarkDecorator) -> Callable[..., Awaitable[None]]:
    """A platform file's test_entities: every entity of the set-up gateway, as a snapshot.

    Each file gets a function of its own, so that the marks it adds stay its own.
    """

    async def test_entities(
        hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
    ) -> None:
        snapshot_entities(hass, snapshot, init_integration.entry_id)

    for mark in marks:
        test_entities = mark(test_entities)
    return test_entities


# --- leak checks ----------------------------------------------------------------------------


def debug_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    """Every logger at DEBUG, those that set a level of their own too."""
    for name in [None, *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)


def exception_texts(err: BaseException) -> list[str]:
    """An exception as a caller may show it: traceback, text, repr, arguments, translation
    key and placeholders, and the same of every exception it chains to."""
    texts = ["".join(traceback.format_exception(err))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [err]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), *map(str, current.args), *map(repr, current.args)]
        if isinstance(current, HomeAssistantError):
            placeholders = current.translation_placeholders or {}
            texts += [
                repr(placeholders),
                str(current.translation_key),
                *map(str, placeholders.values()),
            ]
        pending += [current.__cause__, current.__context__]
    return texts


def smslink_accepts(sim: RunningSmsLink, password: str) -> None:
    """The simulator has no control call for its password: set it on both of its APIs."""
    sim.sim.single._password = password
    sim.sim.bulk._password = password


class Failures:
    """What the calls of a leak check raised; a dataclass scene adds `raised` and `monkeypatch`."""

    raised: list[BaseException]
    monkeypatch: pytest.MonkeyPatch

    async def fails(self, call: Awaitable[Any]) -> BaseException:
        """Await a call that must fail; keep what it raised for the leak check."""
        try:
            await call
        except Exception as err:  # noqa: BLE001 - every kind is checked for leaks
            self.raised.append(err)
            return err
        raise AssertionError("the call was expected to fail")

    async def attempt(self, call: Awaitable[Any]) -> None:
        """Await a call that may fail; keep what it raised, if anything, for the leak check."""
        try:
            await call
        except Exception as err:  # noqa: BLE001 - every kind is checked for leaks
            self.raised.append(err)

    def short_timeouts(self) -> None:
        """Both cloud clients wait 30 s by default; the integration keeps that. Shorten it."""
        for client in (PlasgateClient, SmsLinkClient):
            self.monkeypatch.setitem(client.__init__.__kwdefaults__, "timeout", SHORT_TIMEOUT)
