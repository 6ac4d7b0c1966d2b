"""No secret of a cloud account leaves Home Assistant: not in diagnostics, logs or errors.

The Plasgate private key travels in every request's URL query, the secret in a header, the
SMSLink password in a form, and the webhook ids are the only guard of the callback URLs. Each
value here is distinctive, so a leak anywhere shows up as a plain substring. Every error path
runs through the integration against the simulators, with every logger at DEBUG.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
import json
from typing import Any

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.sms_gateway.accounts.catalog import plasgate_unique_id
from custom_components.sms_gateway.const import (
    CONF_CLOUDHOOK_URL,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    PROVIDER_SMSLINK,
)
from custom_components.sms_gateway.providers.plasgate import (
    transport as plasgate_transport,
)
from simulators.plasgate.limits import BATCH_LIMIT, SEND_LIMIT
from simulators.plasgate.settings import PlasgateSettings
from simulators.smslink.settings import SmsLinkSettings
from tests.conftest import RunningPlasgate, RunningSmsLink

from .conftest import WebClient, set_up
from .setups import (
    SHORT_TIMEOUT,
    Failures,
    account_entry_with,
    debug_every_logger,
    exception_texts,
    send_sms,
    smslink_accepts,
)
from .test_cloud_send import wait_until

PLASGATE_KEY = "pk-SECRET-7f3a9c1e5b2d4086"
PLASGATE_SECRET = "sk-SECRET-e4c1b7a2d9f06358"
SMSLINK_CONNECTION = "conn-4711"
SMSLINK_PASSWORD = "pw-SECRET-c0ffee42beef"
WRONG_PASSWORD = "pw-SECRET-mistyped-77aa"
SMSLINK_HOOK = "hooksmslink0secret0b1e2c3d4e5f60"
PLASGATE_HOOK = "hookplasgate0secret09a8b7c6d5e4f"
SMSLINK_NUMBER = "+40745998877"
SMSLINK_OTHER = "+40722061183"
PLASGATE_NUMBER = "+85598765432"
PLASGATE_OTHER = "+85512039174"
# Each number's subscriber digits: every written form of the number (+40..., 0040..., 07...)
# holds them, and a masked one does not.
NUMBER_DIGITS = ("745998877", "722061183", "98765432", "12039174")
SECRETS = (PLASGATE_KEY, PLASGATE_SECRET, SMSLINK_PASSWORD, WRONG_PASSWORD, *NUMBER_DIGITS)
HOOKS = (SMSLINK_HOOK, PLASGATE_HOOK)
WEBHOOK_LOGGERS = frozenset(
    {"homeassistant.components.webhook", "homeassistant.helpers.http", "aiohttp.access"}
)
"""Home Assistant logs each webhook call's path at DEBUG itself (the webhook component and its
HTTP view), and the test HTTP server logs each request line: not the integration's to silence."""

SMSLINK_ENTRY_ID = "01JSECRETSMSL1NK0000000001"
PLASGATE_ENTRY_ID = "01JSECRETP1ASGATE000000001"


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    return SmsLinkSettings(connection_id=SMSLINK_CONNECTION, password=SMSLINK_PASSWORD)


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    return PlasgateSettings(private_key=PLASGATE_KEY, secret=PLASGATE_SECRET)


@pytest.fixture
def smslink_entry(smslink_entry: MockConfigEntry) -> MockConfigEntry:
    return account_entry_with(
        smslink_entry,
        SMSLINK_CONNECTION,
        SMSLINK_HOOK,
        SMSLINK_NUMBER,
        entry_id=SMSLINK_ENTRY_ID,
        connection_id=SMSLINK_CONNECTION,
        password=SMSLINK_PASSWORD,
    )


@pytest.fixture
def plasgate_entry(plasgate_entry: MockConfigEntry) -> MockConfigEntry:
    return account_entry_with(
        plasgate_entry,
        plasgate_unique_id(PLASGATE_KEY),
        PLASGATE_HOOK,
        PLASGATE_NUMBER,
        entry_id=PLASGATE_ENTRY_ID,
        private_key=PLASGATE_KEY,
        secret=PLASGATE_SECRET,
    )


@pytest.fixture(autouse=True)
async def components_before_web_client(hass: HomeAssistant) -> None:
    """Components with HTTP views go first: aiohttp's test server freezes its router."""
    assert await async_setup_component(hass, NOTIFY_DOMAIN, {})
    assert await async_setup_component(hass, "diagnostics", {})


# --- diagnostics ----------------------------------------------------------------------------


@pytest.mark.parametrize("account", ["smslink_account", "plasgate_account"])
async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    smslink_account: MockConfigEntry,
    plasgate_account: MockConfigEntry,
    account: str,
    snapshot: SnapshotAssertion,
) -> None:
    entry = smslink_account if account == "smslink_account" else plasgate_account

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    # The simulator's port and the balance's time vary from run to run.
    assert diagnostics == snapshot(exclude=props("url", "checked_at"))
    text = json.dumps(diagnostics)
    for secret in (*SECRETS, *HOOKS, SMSLINK_CONNECTION):
        assert secret not in text


async def test_diagnostics_redact_the_cloudhook(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    plasgate_entry: MockConfigEntry,
    web_client: WebClient,
) -> None:
    cloudhook = f"https://hooks.nabu.casa/{PLASGATE_HOOK}"
    plasgate_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        plasgate_entry, data={**plasgate_entry.data, CONF_CLOUDHOOK_URL: cloudhook}
    )
    await set_up(hass, plasgate_entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, plasgate_entry)

    assert diagnostics["entry"]["data"][CONF_CLOUDHOOK_URL] == "**REDACTED**"
    assert PLASGATE_HOOK not in json.dumps(diagnostics)


# --- every error path -----------------------------------------------------------------------


@dataclass
class Scene(Failures):
    """What an error path needs, and what it raised."""

    hass: HomeAssistant
    smslink: RunningSmsLink
    plasgate: RunningPlasgate
    smslink_entry: MockConfigEntry
    plasgate_entry: MockConfigEntry
    web: WebClient
    monkeypatch: pytest.MonkeyPatch
    raised: list[BaseException] = field(default_factory=list)

    async def send(self, entry: MockConfigEntry, *numbers: str) -> BaseException:
        """One recipient takes the single-send call, two or more the package or batch call."""
        return await self.fails(send_sms(self.hass, entry, list(numbers)))

    async def send_both_ways(self, entry: MockConfigEntry, number: str, other: str) -> None:
        for numbers in ((number,), (number, other)):
            err = await self.send(entry, *numbers)
            assert isinstance(err, HomeAssistantError)

    async def refresh_balance(self) -> BaseException:
        return await self.fails(
            self.hass.services.async_call(
                DOMAIN,
                "refresh_balance",
                {"config_entry_id": self.smslink_entry.entry_id},
                blocking=True,
            )
        )

    async def notify(self, service: str) -> BaseException:
        return await self.fails(
            self.hass.services.async_call(
                NOTIFY_DOMAIN, service, {"message": "Hello"}, blocking=True
            )
        )


async def plasgate_down(scene: Scene) -> None:
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.switches["down"] = True
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_slow(scene: Scene) -> None:
    scene.short_timeouts()
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.switches["latency_ms"] = int(SHORT_TIMEOUT * 1000 * 5)
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_http_500(scene: Scene) -> None:
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.switches["http_5xx_rate"] = 1.0
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_malformed(scene: Scene) -> None:
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.switches["malformed_answers"] = True
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_wrong_key(scene: Scene) -> None:
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.settings.private_key = "the-key-was-changed"
    err = await scene.notify("plasgate")
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == "invalid_auth"
    # A service that quotes the refused key and secret back, with a status that is not 401.
    scene.plasgate.sim.switches["auth_error_status"] = 400
    scene.plasgate.sim.switches["auth_error_body"] = {
        "message": f"bad key {PLASGATE_KEY} or secret {PLASGATE_SECRET}"
    }
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_quotes_the_number(scene: Scene) -> None:
    """A validation error that names the number, as SMSLink's may (its client masks them)."""
    await set_up(scene.hass, scene.plasgate_entry)
    scene.plasgate.sim.settings.private_key = "the-key-was-changed"
    scene.plasgate.sim.switches["auth_error_status"] = 400
    scene.plasgate.sim.switches["auth_error_body"] = {
        "message": f"Invalid destination address {PLASGATE_NUMBER[1:]}"
    }
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def plasgate_rate_limited(scene: Scene) -> None:
    # The client pauses 5 s after each 429 (the service names no Retry-After); keep it short.
    scene.monkeypatch.setattr(plasgate_transport, "DEFAULT_RATE_PAUSE_S", 0.01)
    await set_up(scene.hass, scene.plasgate_entry)
    sim = scene.plasgate.sim
    sim.switches["rate_limit_scope"] = "global"
    for bucket, limit in (("send", SEND_LIMIT), ("batch", BATCH_LIMIT)):
        for _ in range(limit):
            assert sim.limiter.allow(bucket, "*", limit)
    err = await scene.send(scene.plasgate_entry, PLASGATE_NUMBER)
    assert isinstance(err, HomeAssistantError)
    assert sim.api.request_counts["/rest/send"] == 4  # the first try and three after pauses
    sim.switches["rate_limit_status"] = 503  # a limit answered with another status
    await scene.send_both_ways(scene.plasgate_entry, PLASGATE_NUMBER, PLASGATE_OTHER)


async def smslink_down(scene: Scene) -> None:
    scene.smslink.sim.faults["down"] = True
    await set_up(scene.hass, scene.smslink_entry)
    assert scene.smslink_entry.state is ConfigEntryState.SETUP_RETRY
    scene.smslink.sim.faults["down"] = False
    assert await scene.hass.config_entries.async_reload(scene.smslink_entry.entry_id)
    scene.smslink.sim.faults["down"] = True
    await scene.refresh_balance()
    await scene.send_both_ways(scene.smslink_entry, SMSLINK_NUMBER, SMSLINK_OTHER)


async def smslink_slow(scene: Scene) -> None:
    scene.short_timeouts()
    await set_up(scene.hass, scene.smslink_entry)
    scene.smslink.sim.faults["latency_ms"] = int(SHORT_TIMEOUT * 1000 * 5)
    await scene.refresh_balance()
    await scene.send_both_ways(scene.smslink_entry, SMSLINK_NUMBER, SMSLINK_OTHER)


def smslink_quotes(scene: Scene, password: str) -> None:
    """Have the service quote the password it was sent, and the number, in its refusals."""
    scene.smslink.sim.faults["error_codes"] = {
        "auth": [2, f"Invalid password {password} for {SMSLINK_NUMBER}"]
    }


async def smslink_wrong_password(scene: Scene) -> None:
    entry = scene.smslink_entry
    entry.add_to_hass(scene.hass)
    scene.hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_PASSWORD: WRONG_PASSWORD}
    )
    smslink_quotes(scene, WRONG_PASSWORD)
    await set_up(scene.hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    scene.hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_PASSWORD: SMSLINK_PASSWORD}
    )
    assert await scene.hass.config_entries.async_reload(entry.entry_id)
    smslink_accepts(scene.smslink, "changed-on-the-service")
    smslink_quotes(scene, SMSLINK_PASSWORD)
    await scene.refresh_balance()
    await scene.send_both_ways(entry, SMSLINK_NUMBER, SMSLINK_OTHER)


async def smslink_http_500(scene: Scene) -> None:
    await set_up(scene.hass, scene.smslink_entry)
    scene.smslink.sim.faults["http_5xx_rate"] = 1.0
    await scene.refresh_balance()
    await scene.send_both_ways(scene.smslink_entry, SMSLINK_NUMBER, SMSLINK_OTHER)


async def smslink_malformed(scene: Scene) -> None:
    await set_up(scene.hass, scene.smslink_entry)
    scene.smslink.sim.faults["malformed"] = True
    await scene.refresh_balance()
    await scene.send_both_ways(scene.smslink_entry, SMSLINK_NUMBER, SMSLINK_OTHER)


async def bad_callbacks(scene: Scene) -> None:
    """What the internet may send to either webhook, numbers in it too."""
    for entry, hook, fields in (
        (scene.plasgate_entry, PLASGATE_HOOK, {"batchId": "x", "statusText": PLASGATE_NUMBER}),
        (scene.smslink_entry, SMSLINK_HOOK, {"message_id": SMSLINK_NUMBER, "status": "7"}),
    ):
        await set_up(scene.hass, entry)
        await post_bad_callbacks(scene.web, hook)
        response = await scene.web.post(f"/api/webhook/{hook}", data=fields)
        assert response.status == 400


ERROR_PATHS: list[Any] = [
    plasgate_down,
    plasgate_slow,
    plasgate_http_500,
    plasgate_malformed,
    plasgate_wrong_key,
    plasgate_rate_limited,
    plasgate_quotes_the_number,
    smslink_down,
    smslink_slow,
    smslink_wrong_password,
    smslink_http_500,
    smslink_malformed,
    bad_callbacks,
]


@pytest.fixture
def debug_everywhere(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, those that set a level of their own too."""
    debug_every_logger(caplog)
    return caplog


@pytest.mark.parametrize("error_path", ERROR_PATHS, ids=lambda path: path.__name__)
async def test_no_secret_in_logs_or_errors(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    plasgate_simulator: RunningPlasgate,
    smslink_entry: MockConfigEntry,
    plasgate_entry: MockConfigEntry,
    web_client: WebClient,
    monkeypatch: pytest.MonkeyPatch,
    debug_everywhere: pytest.LogCaptureFixture,
    error_path: Callable[[Scene], Awaitable[None]],
) -> None:
    scene = Scene(
        hass,
        smslink_simulator,
        plasgate_simulator,
        smslink_entry,
        plasgate_entry,
        web_client,
        monkeypatch,
    )

    await error_path(scene)
    await hass.async_block_till_done()

    log = debug_everywhere.text
    assert log  # the path did log: the check below is not vacuous
    for secret in SECRETS:
        assert secret not in log
    integration_log = "\n".join(
        record.getMessage()
        for record in debug_everywhere.records
        if record.name not in WEBHOOK_LOGGERS
    )
    for hook in HOOKS:
        assert hook not in integration_log
    for err in scene.raised:
        for text in exception_texts(err):
            for secret in (*SECRETS, *HOOKS):
                assert secret not in text, (error_path.__name__, type(err).__name__)


# --- callbacks ------------------------------------------------------------------------------


async def post_bad_callbacks(web: WebClient, hook: str) -> None:
    """Garbage, nothing at all, and a JSON array: each answered 400 with an empty body."""
    url = f"/api/webhook/{hook}"
    for method, options in (
        ("POST", {"data": b"\xff\x00 not a form", "headers": {"Content-Type": "text/plain"}}),
        ("POST", {"data": b"=&=garbage&&", "headers": {"Content-Type": "text/plain"}}),
        ("GET", {}),
        ("POST", {"json": [{"message_id": "1", "status": "1"}]}),
        ("POST", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}),
    ):
        response = await web.request(method, url, **options)
        assert (method, response.status) == (method, 400)
        assert await response.read() == b""


@pytest.mark.parametrize(
    ("account", "hook"),
    [("smslink_account", SMSLINK_HOOK), ("plasgate_account", PLASGATE_HOOK)],
    ids=["smslink", "plasgate"],
)
async def test_malformed_callbacks_are_refused_and_fire_nothing(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    plasgate_account: MockConfigEntry,
    web_client: WebClient,
    account: str,
    hook: str,
) -> None:
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)

    await post_bad_callbacks(web_client, hook)
    await hass.async_block_till_done()

    assert reports == []
    assert received == []


@pytest.mark.parametrize(("method", "style"), [("GET", "query"), ("POST", "form")])
async def test_smslink_delivery_report_by_get_or_post_form(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
    method: str,
    style: str,
) -> None:
    smslink_simulator.sim.callbacks.url = str(web_client.make_url(f"/api/webhook/{SMSLINK_HOOK}"))
    smslink_simulator.sim.faults.update(dlr_method=method, dlr_post_format="form")
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    [sent] = await send_sms(hass, smslink_account, [SMSLINK_NUMBER])

    history = smslink_simulator.sim.callbacks.history
    # The simulator notes the answer once it has read it, a moment after the event fired.
    await wait_until(lambda: bool(history))
    [call] = history
    assert (call["type"], call["style"], call["status"], call["body"]) == ("dlr", style, 200, "")
    [report] = reports
    assert report.data["message_id"] == sent["message_id"]
    assert report.data["status"] == "delivered"
    assert report.data["provider"] == PROVIDER_SMSLINK


async def test_plasgate_delivery_report_is_acknowledged_the_jasmin_way(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    plasgate_simulator.sim.switches["require_jasmin_ack"] = True
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    [sent] = await send_sms(hass, plasgate_account, [PLASGATE_NUMBER])

    history = plasgate_simulator.sim.callbacks.history
    # The simulator notes the answer once it has read it, a moment after the event fired.
    # Level 3: the SMSC's report and the handset's, each acknowledged at the first attempt.
    await wait_until(
        lambda: sum(item["kind"] == "dlr" and item["acknowledged"] for item in history) == 2
    )
    dlrs = [item for item in history if item["kind"] == "dlr"]
    assert [(dlr["status"], dlr["body"], dlr["attempt"]) for dlr in dlrs] == [
        (200, "ACK/Jasmin", 1)
    ] * 2
    await wait_until(lambda: any(event.data["status"] == "delivered" for event in reports))
    assert {event.data["message_id"] for event in reports} == {sent["message_id"]}

    # A report for a message this entry never sent is acknowledged too, and fires nothing.
    reports.clear()
    response = await web_client.get(
        f"/api/webhook/{PLASGATE_HOOK}",
        params={"id": "not-ours", "message_status": "DELIVRD", "level": "2"},
    )
    assert response.status == 200
    assert await response.text() == "ACK/Jasmin"
    await hass.async_block_till_done()
    assert reports == []
