"""No secret leaves Home Assistant, whatever the integration does, with every logger at DEBUG.

Each service is driven through everything it does against its simulator: set-up, refresh, sends
that work and sends that fail, USSD, pushes and callbacks, a refused login and its
re-authentication, service errors, dropped connections, diagnostics. Every value that must stay
private is distinctive, so a leak shows as a plain substring; it is looked for, raw and
URL-quoted, in every log record (message, arguments and traceback), in every exception the caller
got (chained causes and translation placeholders too), in each entry's diagnostics and in every
repair issue. Phone numbers are looked for by their subscriber digits: every written form of a
number holds them (+40..., 0040..., 07..., %2B40...) and a masked one does not.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import json
import logging
import traceback
from typing import Any
from urllib.parse import quote, quote_plus

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    EVENT_LOGGING_CHANGED,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.accounts.catalog import plasgate_unique_id
from custom_components.sms_gateway.const import (
    CONF_PRIVATE_KEY,
    CONF_SECRET,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
    EVENT_USSD_REPLY,
    SLOW_POLL_INTERVAL,
)
from custom_components.sms_gateway.providers.plasgate import (
    transport as plasgate_transport,
)
from simulators.dinstar.settings import DinstarSettings
from simulators.plasgate.settings import PlasgateSettings
from simulators.smslink.settings import SmsLinkSettings
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink

from .conftest import SERIAL, WebClient, port_device_id, wait_until
from .setups import (
    SHORT_TIMEOUT,
    Failures,
    account_entry_with,
    debug_every_logger,
    entry_with,
    exception_texts,
    smslink_accepts,
)

DINSTAR_USERNAME = "gw-operator-5521"
DINSTAR_PASSWORD = "S3cret-pass-XYZ/dinstar+&="
DINSTAR_WRONG_PASSWORD = "S3cret-pass-WRONG?gw#1"
SMSLINK_CONNECTION = "conn-S3cret-8d1f"
SMSLINK_PASSWORD = "S3cret-pass-XYZ/smslink+&="
SMSLINK_WRONG_PASSWORD = "S3cret-pass-WRONG?sl#2"
PLASGATE_KEY = "pk-S3cret-XYZ_4e7a9c1b+/="
PLASGATE_SECRET = "$5$rounds=535000$S3cret-XYZ$plasgate"
PLASGATE_WRONG_KEY = "pk-S3cret-WRONG_77aa"
DINSTAR_HOOK = "hookdinstar0secret0a1b2c3d4e5f607"
SMSLINK_HOOK = "hooksmslink0secret0f9e8d7c6b5a403"
PLASGATE_HOOK = "hookplasgate0secret0123fedcba9876"

DINSTAR_RECIPIENT = "+40744551937"
DINSTAR_OTHER = "+40755862043"
DINSTAR_SENDER = "+40733280416"
PORT_OWN_NUMBER = "+212698173254"
SMSLINK_RECIPIENT = "+40721946385"
SMSLINK_OTHER = "+40769358214"
SMSLINK_SENDER = "0742817395"
PLASGATE_RECIPIENT = "+85597163284"
PLASGATE_OTHER = "+85516284937"

PASSWORDS_AND_KEYS = (
    DINSTAR_PASSWORD,
    DINSTAR_WRONG_PASSWORD,
    SMSLINK_CONNECTION,
    SMSLINK_PASSWORD,
    SMSLINK_WRONG_PASSWORD,
    PLASGATE_KEY,
    PLASGATE_SECRET,
    PLASGATE_WRONG_KEY,
)
HOOKS = (DINSTAR_HOOK, SMSLINK_HOOK, PLASGATE_HOOK)
NUMBERS = (
    DINSTAR_RECIPIENT,
    DINSTAR_OTHER,
    DINSTAR_SENDER,
    PORT_OWN_NUMBER,
    SMSLINK_RECIPIENT,
    SMSLINK_OTHER,
    SMSLINK_SENDER,
    PLASGATE_RECIPIENT,
    PLASGATE_OTHER,
)
SUBSCRIBER_DIGITS = {
    "+40": 9,  # Romania: 7xx xxx xxx
    "+212": 9,  # Morocco
    "+855": 8,  # Cambodia
    "0": 9,  # a Romanian number written nationally
}

WEBHOOK_PATH_LOGGERS = frozenset(
    {"homeassistant.components.webhook", "homeassistant.helpers.http", "aiohttp.access"}
)
"""Home Assistant logs the path of every webhook call at DEBUG (the webhook component and its view)
and its HTTP server writes an access log line with path and query: the webhook id is the URL
itself, and a callback sent by GET carries its fields in the query. Not the integration's to
silence; these records are still checked for passwords and keys."""

INTEGRATION_LOGGER = "custom_components.sms_gateway"


# --- what must stay private, and where it is looked for ---------------------------------------


def subscriber_digits(number: str) -> str:
    """The digits every written form of a number holds: a masked one shows at most the last 2."""
    for prefix, length in SUBSCRIBER_DIGITS.items():
        if number.startswith(prefix):
            return number[-length:]
    raise AssertionError(f"no subscriber digits known for {number}")


def written_forms(value: str) -> set[str]:
    """The value as it may be written into a text: raw, URL-quoted and form-quoted."""
    return {value, quote(value), quote(value, safe=""), quote_plus(value)}


def passwords_keys_and_hooks() -> set[str]:
    return {form for value in (*PASSWORDS_AND_KEYS, *HOOKS) for form in written_forms(value)}


def passwords_and_keys() -> set[str]:
    return {form for value in PASSWORDS_AND_KEYS for form in written_forms(value)}


def number_digits() -> set[str]:
    return {subscriber_digits(number) for number in NUMBERS}


def leaks_in(text: str, secrets: Iterable[str]) -> list[str]:
    return sorted(secret for secret in secrets if secret in text)


def record_text(record: logging.LogRecord) -> str:
    """All a log record holds as text: message, raw format and arguments, traceback, stack."""
    parts = [record.getMessage(), str(record.msg), repr(record.args)]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(record.exc_info[1])))
    parts += [record.exc_text or "", record.stack_info or ""]
    return "\n".join(parts)


def is_event_bus_record(record: logging.LogRecord) -> bool:
    """Home Assistant's bus logs each event's data at DEBUG (still checked for secrets).

    Numbers are there on purpose: an incoming SMS event carries its sender whole (automations
    reply to it), a delivery report its recipient, a port's SIM number sensor its number.
    """
    return record.name == "homeassistant.core" and str(record.msg).startswith("Bus:Handling")


def is_test_storage_record(record: logging.LogRecord) -> bool:
    """The test harness's stand-in for .storage logs each file read and written (keys checked).

    A cloud account's send store keeps each send's recipient, so that a delivery report after a
    restart still names it; Home Assistant's own Store writes the file without logging it.
    """
    return record.name == "pytest_homeassistant_custom_component.common" and str(
        record.msg
    ).startswith(("Writing data to", "Loading data for"))


@dataclass
class Scene(Failures):
    """One Home Assistant with the simulators, and what the integration showed of itself."""

    hass: HomeAssistant
    web: WebClient
    hass_client: ClientSessionGenerator
    caplog: pytest.LogCaptureFixture
    monkeypatch: pytest.MonkeyPatch
    raised: list[BaseException] = field(default_factory=list)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    async def call(self, service: str, data: dict[str, Any]) -> Any:
        return await self.hass.services.async_call(
            DOMAIN, service, data, blocking=True, return_response=service != "refresh_balance"
        )

    async def send(self, entry: MockConfigEntry, *numbers: str, **options: Any) -> Any:
        """One recipient takes the single-send call, two or more the package or batch call."""
        return await self.call(
            "send_sms",
            {
                "config_entry_id": entry.entry_id,
                "recipients": list(numbers),
                "message": f"Call me on {DINSTAR_OTHER}",
                **options,
            },
        )

    async def send_fails(self, entry: MockConfigEntry, *numbers: str) -> None:
        err = await self.fails(self.send(entry, *numbers))
        assert isinstance(err, HomeAssistantError), repr(err)

    async def set_up(self, entry: MockConfigEntry) -> None:
        if entry.entry_id not in {e.entry_id for e in self.hass.config_entries.async_entries()}:
            entry.add_to_hass(self.hass)
        await self.hass.config_entries.async_setup(entry.entry_id)
        await self.hass.async_block_till_done()

    async def reload(self, entry: MockConfigEntry) -> None:
        assert await self.hass.config_entries.async_reload(entry.entry_id)
        await self.hass.async_block_till_done()

    async def reauthenticate(
        self, entry: MockConfigEntry, wrong: dict[str, str], right: dict[str, str]
    ) -> None:
        """Walk the re-authentication the refused login started: a wrong try, then the right."""
        flows = list(entry.async_get_active_flows(self.hass, {SOURCE_REAUTH}))
        assert len(flows) == 1, flows
        flow_id = flows[0]["flow_id"]
        result = await self.hass.config_entries.flow.async_configure(flow_id, wrong)
        assert result.get("errors"), result
        result = await self.hass.config_entries.flow.async_configure(flow_id, right)
        assert result.get("reason") == "reauth_successful", result
        await self.hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED

    async def keep_diagnostics(self, entry: MockConfigEntry) -> None:
        """Keep the entry's diagnostics and the repair issues as they are now."""
        self.diagnostics.append(
            await get_diagnostics_for_config_entry(self.hass, self.hass_client, entry)
        )
        self.keep_issues()

    def keep_issues(self) -> None:
        self.issues += [
            json.dumps(issue.to_json()) + repr(issue)
            for issue in ir.async_get(self.hass).issues.values()
        ]

    async def unload(self, entry: MockConfigEntry) -> None:
        assert await self.hass.config_entries.async_unload(entry.entry_id)
        await self.hass.async_block_till_done()

    def assert_nothing_leaked(self) -> None:
        """The check itself: logs, exceptions, diagnostics and repairs, all of them."""
        records = self.caplog.records
        assert records, "nothing was logged: the check would be vacuous"
        assert self.raised, "nothing failed: the exception check would be vacuous"
        for record in records:
            text = record_text(record)
            secrets = (
                passwords_and_keys()
                if record.name in WEBHOOK_PATH_LOGGERS
                else passwords_keys_and_hooks()
            )
            if (
                record.name not in WEBHOOK_PATH_LOGGERS
                and not is_event_bus_record(record)
                and not is_test_storage_record(record)
            ):
                secrets |= number_digits()
            assert not leaks_in(text, secrets), (leaks_in(text, secrets), record.name, text)
        everything = passwords_keys_and_hooks() | number_digits()
        for err in self.raised:
            for text in exception_texts(err):
                assert not leaks_in(text, everything), (leaks_in(text, everything), text)
        assert self.diagnostics, "no diagnostics were read"
        for diagnostics in self.diagnostics:
            text = json.dumps(diagnostics)
            assert not leaks_in(text, everything), (leaks_in(text, everything), text)
        self.keep_issues()
        for text in self.issues:
            assert not leaks_in(text, everything), (leaks_in(text, everything), text)


@pytest.fixture
def debug_everything(hass: HomeAssistant, caplog: pytest.LogCaptureFixture) -> None:
    """Every logger at DEBUG, those with a level of their own too, and the event bus told."""
    debug_every_logger(caplog)
    hass.bus.async_fire(EVENT_LOGGING_CHANGED)


@pytest.fixture
def scene(
    hass: HomeAssistant,
    web_client: WebClient,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    debug_everything: None,
) -> Scene:
    """Home Assistant serving webhooks and logging everything; each test checks it at its end."""
    return Scene(hass, web_client, hass_client, caplog, monkeypatch)


# --- Dinstar ----------------------------------------------------------------------------------


@pytest.fixture
def dinstar_settings() -> DinstarSettings:
    return DinstarSettings(
        username=DINSTAR_USERNAME,
        password=DINSTAR_PASSWORD,
        send_delay=0.05,
        deliver_delay=0.05,
        ussd_delay=0.05,
        register_delay=0.05,
    )


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    return entry_with(
        dinstar_entry,
        title=f"Dinstar {SERIAL}",
        data={
            CONF_USERNAME: DINSTAR_USERNAME,
            CONF_PASSWORD: DINSTAR_PASSWORD,
            CONF_WEBHOOK_ID: DINSTAR_HOOK,
        },
    )


async def dinstar_control(scene: Scene, sim: RunningDinstar, path: str, body: Any) -> Any:
    response = await scene.web.session.post(f"{sim.url}/_sim/{path}", json=body)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_dinstar_keeps_its_secrets(
    scene: Scene,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
) -> None:
    hass, sim = scene.hass, dinstar_simulator
    scene.monkeypatch.setattr("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02)
    await dinstar_control(scene, sim, "ports/1", {"number": PORT_OWN_NUMBER})
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    ussd = async_capture_events(hass, EVENT_USSD_REPLY)

    # A refused login at set-up, and the re-authentication: a wrong password, then the right one.
    sim.sim.verifier.password = DINSTAR_WRONG_PASSWORD
    await scene.set_up(dinstar_entry)
    assert dinstar_entry.state is ConfigEntryState.SETUP_ERROR
    sim.sim.verifier.password = DINSTAR_PASSWORD
    await scene.reauthenticate(
        dinstar_entry,
        {CONF_USERNAME: DINSTAR_USERNAME, CONF_PASSWORD: DINSTAR_WRONG_PASSWORD},
        {CONF_USERNAME: DINSTAR_USERNAME, CONF_PASSWORD: DINSTAR_PASSWORD},
    )

    # SMS found only by polling: the repair that asks for pushes is raised.
    await dinstar_control(
        scene, sim, "incoming", {"port": 1, "sender": DINSTAR_SENDER, "text": "polled"}
    )
    async_fire_time_changed(hass, dt_util.utcnow() + SLOW_POLL_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(received) == 1
    assert ir.async_get(hass).issues, "no repair was raised: the repair check would be vacuous"
    await scene.keep_diagnostics(dinstar_entry)

    # Pushes: an incoming SMS, send results and delivery reports, a USSD reply.
    push_url = str(scene.web.make_url(f"/api/webhook/{DINSTAR_HOOK}"))
    await dinstar_control(scene, sim, "push-url", {"url": push_url})
    await dinstar_control(
        scene, sim, "incoming", {"port": 1, "sender": DINSTAR_SENDER, "text": "pushed"}
    )
    await wait_until(lambda: len(received) == 2)
    sent = await scene.send(dinstar_entry, DINSTAR_RECIPIENT, DINSTAR_OTHER, wait=True, timeout=5)
    assert len(sent["recipients"]) == 2
    await wait_until(lambda: any(event.data["status"] == "delivered" for event in reports))
    reply = await scene.call("send_ussd", {"device_id": port_device_id(hass, 1), "code": "*100#"})
    assert reply["reply"]
    assert ussd

    # Service errors: a bad number, a dropped connection, a server error, a USSD that fails.
    await scene.send_fails(dinstar_entry, "+40 7445 x1937", DINSTAR_RECIPIENT)
    await dinstar_control(scene, sim, "faults", {"drop_connection_paths": ["/api/send_sms"]})
    await scene.send_fails(dinstar_entry, DINSTAR_RECIPIENT)
    await dinstar_control(
        scene, sim, "faults", {"drop_connection_paths": [], "fail_500_paths": ["/api/send_sms"]}
    )
    await scene.send_fails(dinstar_entry, DINSTAR_RECIPIENT, DINSTAR_OTHER)
    await dinstar_control(scene, sim, "faults", {"fail_500_paths": ["/api/send_ussd"]})
    await scene.fails(
        scene.call("send_ussd", {"device_id": port_device_id(hass, 1), "code": "*100#"})
    )

    # Polls that fail: a dropped connection, then a refused login while running (reauth).
    await dinstar_control(scene, sim, "faults", {"drop_connection_paths": ["/api/get_port_info"]})
    await dinstar_entry.runtime_data.ports.async_refresh()
    await dinstar_control(scene, sim, "faults", {"drop_connection_paths": []})
    sim.sim.verifier.password = DINSTAR_WRONG_PASSWORD
    await dinstar_entry.runtime_data.ports.async_refresh()
    await scene.send_fails(dinstar_entry, DINSTAR_RECIPIENT)
    await hass.async_block_till_done()
    assert list(dinstar_entry.async_get_active_flows(hass, {SOURCE_REAUTH}))
    await scene.keep_diagnostics(dinstar_entry)
    sim.sim.verifier.password = DINSTAR_PASSWORD
    await dinstar_entry.runtime_data.ports.async_refresh()
    await scene.keep_diagnostics(dinstar_entry)

    await scene.unload(dinstar_entry)
    scene.assert_nothing_leaked()


# --- SMSLink ----------------------------------------------------------------------------------


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    return SmsLinkSettings(connection_id=SMSLINK_CONNECTION, password=SMSLINK_PASSWORD)


@pytest.fixture
def smslink_entry(smslink_entry: MockConfigEntry) -> MockConfigEntry:
    return account_entry_with(
        smslink_entry,
        SMSLINK_CONNECTION,
        SMSLINK_HOOK,
        SMSLINK_RECIPIENT,
        connection_id=SMSLINK_CONNECTION,
        password=SMSLINK_WRONG_PASSWORD,
    )


async def test_smslink_keeps_its_secrets(
    scene: Scene, smslink_simulator: RunningSmsLink, smslink_entry: MockConfigEntry
) -> None:
    hass, sim = scene.hass, smslink_simulator
    sim.sim.callbacks.url = str(scene.web.make_url(f"/api/webhook/{SMSLINK_HOOK}"))
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    # The stored password is refused, and the service quotes it back with a number.
    sim.sim.faults["error_codes"] = {
        "auth": [2, f"Invalid password {SMSLINK_WRONG_PASSWORD} for {SMSLINK_RECIPIENT}"]
    }
    await scene.set_up(smslink_entry)
    assert smslink_entry.state is ConfigEntryState.SETUP_ERROR
    await scene.reauthenticate(
        smslink_entry,
        {CONF_PASSWORD: SMSLINK_WRONG_PASSWORD},
        {CONF_PASSWORD: SMSLINK_PASSWORD},
    )

    # Refresh, sends one way and the other, delivery reports and an incoming SMS by callback.
    await scene.call("refresh_balance", {"config_entry_id": smslink_entry.entry_id})
    await scene.send(smslink_entry, SMSLINK_RECIPIENT)
    await scene.send(smslink_entry, SMSLINK_RECIPIENT, SMSLINK_OTHER)
    await hass.services.async_call(
        "notify", "smslink", {"message": "to the default recipient"}, blocking=True
    )
    assert sim.sim.callbacks.incoming(
        {
            "sender": SMSLINK_SENDER,
            "receiver": "1847",
            "message": f"Reply to {SMSLINK_RECIPIENT}",
            "timestamp": "1764460800",
            "network_id": "2",
            "network_name": "Orange RO",
        }
    )
    await wait_until(lambda: len(reports) >= 4 and len(received) == 1)
    await scene.keep_diagnostics(smslink_entry)

    # Callbacks from the internet that carry numbers where they do not belong.
    for fields in ({"message_id": SMSLINK_RECIPIENT, "status": "7"}, {"sender": SMSLINK_OTHER}):
        response = await scene.web.post(f"/api/webhook/{SMSLINK_HOOK}", data=fields)
        assert response.status == 400

    # Service errors: a bad number, the password changed on the service, 500s, garbage, down.
    await scene.send_fails(smslink_entry, "07x21946385")
    smslink_accepts(sim, "changed-on-the-service")
    sim.sim.faults["error_codes"] = {
        "auth": [2, f"Invalid password {SMSLINK_PASSWORD} for {SMSLINK_RECIPIENT}"]
    }
    await scene.fails(scene.call("refresh_balance", {"config_entry_id": smslink_entry.entry_id}))
    await scene.send_fails(smslink_entry, SMSLINK_RECIPIENT)
    await scene.send_fails(smslink_entry, SMSLINK_RECIPIENT, SMSLINK_OTHER)
    smslink_accepts(sim, SMSLINK_PASSWORD)
    scene.short_timeouts()
    await scene.reload(smslink_entry)
    for fault, value in (
        ("http_5xx_rate", 1.0),
        ("malformed", True),
        ("latency_ms", int(SHORT_TIMEOUT * 1000 * 5)),
        ("down", True),
    ):
        sim.sim.faults[fault] = value
        await scene.attempt(
            scene.call("refresh_balance", {"config_entry_id": smslink_entry.entry_id})
        )
        await scene.send_fails(smslink_entry, SMSLINK_RECIPIENT)
        await scene.send_fails(smslink_entry, SMSLINK_RECIPIENT, SMSLINK_OTHER)
        sim.sim.faults[fault] = {"http_5xx_rate": 0.0, "latency_ms": 0}.get(fault, False)
    await scene.keep_diagnostics(smslink_entry)

    await scene.unload(smslink_entry)
    scene.assert_nothing_leaked()


# --- Plasgate ---------------------------------------------------------------------------------


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    return PlasgateSettings(private_key=PLASGATE_KEY, secret=PLASGATE_SECRET)


@pytest.fixture
def plasgate_entry(plasgate_entry: MockConfigEntry) -> MockConfigEntry:
    return account_entry_with(
        plasgate_entry,
        plasgate_unique_id(PLASGATE_KEY),
        PLASGATE_HOOK,
        PLASGATE_RECIPIENT,
        private_key=PLASGATE_KEY,
        secret=PLASGATE_SECRET,
    )


async def test_plasgate_keeps_its_secrets(
    scene: Scene, plasgate_simulator: RunningPlasgate, plasgate_entry: MockConfigEntry
) -> None:
    hass, sim = scene.hass, plasgate_simulator
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    # The client pauses 5 s after each 429 (the service names no Retry-After); keep it short.
    scene.monkeypatch.setattr(plasgate_transport, "DEFAULT_RATE_PAUSE_S", 0.01)
    scene.short_timeouts()

    # Set-up, sends one way and the other, their delivery reports through the callback.
    await scene.set_up(plasgate_entry)
    assert plasgate_entry.state is ConfigEntryState.LOADED
    await scene.send(plasgate_entry, PLASGATE_RECIPIENT)
    await scene.send(plasgate_entry, PLASGATE_RECIPIENT, PLASGATE_OTHER)
    await hass.services.async_call(
        "notify", "plasgate", {"message": "to the default recipient"}, blocking=True
    )
    await wait_until(lambda: {event.data["status"] for event in reports} >= {"delivered"})
    await scene.keep_diagnostics(plasgate_entry)

    # Callbacks from the internet that carry numbers where they do not belong.
    for fields in (
        {"batchId": PLASGATE_RECIPIENT, "statusText": PLASGATE_OTHER},
        {"id": PLASGATE_RECIPIENT, "message_status": "DELIVRD", "level": "2"},
    ):
        await scene.web.post(f"/api/webhook/{PLASGATE_HOOK}", data=fields)

    # Service errors: a bad number, 500s, garbage, rate limits, slow and down.
    await scene.send_fails(plasgate_entry, "+855 9716x3284")
    for switch, value, off in (
        ("http_5xx_rate", 1.0, 0.0),
        ("malformed_answers", True, False),
        ("rate_limit_scope", "global", "credential"),
        ("latency_ms", int(SHORT_TIMEOUT * 1000 * 5), 0),
        ("down", True, False),
    ):
        sim.sim.switches[switch] = value
        if switch == "rate_limit_scope":
            for bucket, limit in (("send", 200), ("batch", 100)):
                for _ in range(limit):
                    sim.sim.limiter.allow(bucket, "*", limit)
        await scene.send_fails(plasgate_entry, PLASGATE_RECIPIENT)
        await scene.send_fails(plasgate_entry, PLASGATE_RECIPIENT, PLASGATE_OTHER)
        sim.sim.switches[switch] = off

    # The key is refused, and the service quotes key, secret and number back.
    sim.sim.settings.private_key = "the-key-was-changed"
    sim.sim.switches["auth_error_status"] = 400
    sim.sim.switches["auth_error_body"] = {
        "message": f"bad key {PLASGATE_KEY} secret {PLASGATE_SECRET} to {PLASGATE_RECIPIENT[1:]}"
    }
    await scene.send_fails(plasgate_entry, PLASGATE_RECIPIENT)
    await scene.send_fails(plasgate_entry, PLASGATE_RECIPIENT, PLASGATE_OTHER)
    sim.sim.switches["auth_error_status"] = 401
    await scene.fails(
        hass.services.async_call("notify", "plasgate", {"message": "Hello"}, blocking=True)
    )
    await scene.send_fails(plasgate_entry, PLASGATE_RECIPIENT, PLASGATE_OTHER)
    await hass.async_block_till_done()
    await scene.keep_diagnostics(plasgate_entry)
    sim.sim.settings.private_key = PLASGATE_KEY
    await scene.reauthenticate(
        plasgate_entry,
        {CONF_PRIVATE_KEY: PLASGATE_WRONG_KEY, CONF_SECRET: PLASGATE_SECRET},
        {CONF_PRIVATE_KEY: PLASGATE_KEY, CONF_SECRET: PLASGATE_SECRET},
    )

    await scene.unload(plasgate_entry)
    scene.assert_nothing_leaked()


# --- the check can fail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "leak",
    [
        lambda: logging.getLogger(INTEGRATION_LOGGER).debug("%s", DINSTAR_PASSWORD),
        lambda: logging.getLogger("aiohttp.client").debug("GET /?k=%s", quote(PLASGATE_KEY)),
        lambda: logging.getLogger(INTEGRATION_LOGGER).debug("hook %s", SMSLINK_HOOK),
        lambda: logging.getLogger(INTEGRATION_LOGGER).debug("from 0040%s", DINSTAR_SENDER[3:]),
    ],
    ids=["password", "quoted-key", "webhook-id", "number"],
)
async def test_the_check_finds_a_leak(scene: Scene, leak: Callable[[], None]) -> None:
    scene.raised.append(HomeAssistantError("nothing secret"))
    scene.diagnostics.append({})
    leak()
    with pytest.raises(AssertionError):
        scene.assert_nothing_leaked()


def fail_naming_the_key() -> None:
    raise ValueError(f"key={PLASGATE_KEY}")


async def test_the_check_finds_a_leak_in_a_traceback_or_a_placeholder(scene: Scene) -> None:
    try:
        fail_naming_the_key()
    except ValueError:
        logging.getLogger(INTEGRATION_LOGGER).debug("failed", exc_info=True)
    scene.raised.append(HomeAssistantError("nothing secret"))
    scene.diagnostics.append({})
    with pytest.raises(AssertionError):
        scene.assert_nothing_leaked()
    scene.caplog.clear()
    logging.getLogger(INTEGRATION_LOGGER).debug("clean")
    scene.raised[:] = [
        HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="send_failed",
            translation_placeholders={"error": SMSLINK_RECIPIENT},
        )
    ]
    with pytest.raises(AssertionError):
        scene.assert_nothing_leaked()
    scene.raised[:] = [HomeAssistantError("clean")]
    scene.assert_nothing_leaked()
