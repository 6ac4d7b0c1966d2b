"""README promises that no other test pins down, each driven against the simulators.

docs/readme_claims.md maps every behaviour the README states to the test that proves it; the
claims that had none are checked here.
"""

import ast
import asyncio
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
import voluptuous as vol

from custom_components.sms_gateway import sending
from custom_components.sms_gateway.const import DOMAIN, EVENT_DELIVERY_REPORT, SLOW_POLL_INTERVAL
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink

from .conftest import PLASGATE_DEFAULT_RECIPIENT, SMSLINK_DEFAULT_RECIPIENT, wait_until
from .setups import advance, send_sms
from .test_send import sim_control

REPOSITORY = Path(__file__).parents[2]


@pytest.mark.parametrize(
    ("message", "segments"),
    [("Hello", 1), ("a" * 161, 2), ("ă" * 71, 2), ("a" * (153 * 9 + 1), 10)],
    ids=["one", "gsm7-two", "unicode-two", "gsm7-ten"],
)
async def test_smslink_response_counts_segments_like_a_gateway(
    hass: HomeAssistant, smslink_account: MockConfigEntry, message: str, segments: int
) -> None:
    """README, send_sms: the response gives `segments` (GSM 7-bit 160/153, Unicode 70/67)."""
    result = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT], message)

    assert [sms["segments"] for sms in result] == [segments]


@pytest.mark.parametrize(
    ("message", "reason"),
    [("ă" * (67 * 10 + 1), "needs 11 SMS"), ("ă" * 751, "over 1500 bytes"), ("  ", "empty")],
    ids=["eleven-segments", "over-1500-bytes", "empty"],
)
async def test_cloud_sends_refuse_what_a_gateway_refuses_before_any_request(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    message: str,
    reason: str,
) -> None:
    """README, send_sms: at most 1500 bytes and 10 segments, checked before any request."""
    smslink_before = sum(smslink_simulator.sim.request_counts.values())
    plasgate_before = sum(plasgate_simulator.sim.api.request_counts.values())

    for entry, number in (
        (smslink_account, SMSLINK_DEFAULT_RECIPIENT),
        (plasgate_account, PLASGATE_DEFAULT_RECIPIENT),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await send_sms(hass, entry, [number], message)
        assert caught.value.translation_key == "invalid_message"
        assert reason in caught.value.translation_placeholders["error"]

    assert sum(smslink_simulator.sim.request_counts.values()) == smslink_before
    assert sum(plasgate_simulator.sim.api.request_counts.values()) == plasgate_before


async def test_plasgate_reports_sent_then_delivered(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    """README, delivery reports: `sent` is Plasgate's level-1 report, then `delivered`."""
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    result = await send_sms(hass, plasgate_account, [PLASGATE_DEFAULT_RECIPIENT], "Hello")

    assert plasgate_simulator.sim.api.messages[-1].dlr is not None
    assert plasgate_simulator.sim.api.messages[-1].dlr.level == 3
    await wait_until(lambda: {"sent", "delivered"} <= {event.data["status"] for event in events})
    assert sorted(event.data["status"] for event in events) == ["delivered", "sent"]
    assert {event.data["message_id"] for event in events} == {result[0]["message_id"]}
    assert {event.data["raw_status"] for event in events if event.data["status"] == "sent"} == {
        "ESME_ROK"
    }


# --- Dinstar: entities, polling, waiting ---------------------------------------------------------

DIAGNOSTIC_DISABLED = ("call_state", "imsi", "imei", "sim_slot")
ENABLED = (
    "signal_strength",
    "registration",
    "network_type",
    "sim_number",
    "operator",
    "iccid",
    "last_ussd_reply",
)


async def test_diagnostic_port_sensors_are_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """README, per port: call state, IMSI, IMEI and SIM slot are disabled by default."""
    for name in DIAGNOSTIC_DISABLED:
        entry = entity_registry.async_get(f"sensor.dinstar_2817_port_0_{name}")
        assert entry is not None, name
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION, name
        assert entry.entity_category is EntityCategory.DIAGNOSTIC, name
        assert hass.states.get(f"sensor.dinstar_2817_port_0_{name}") is None
    for name in ENABLED:
        entry = entity_registry.async_get(f"sensor.dinstar_2817_port_0_{name}")
        assert entry is not None, name
        assert entry.disabled_by is None, name


@pytest.mark.parametrize(("csq", "shown"), [(0, "-113"), (31, "-51"), (15, "-83"), (99, "unknown")])
async def test_signal_strength_follows_the_csq_scale(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    csq: int,
    shown: str,
) -> None:
    """README, per port: dBm = -113 + 2 x CSQ; CSQ 99 ("not known") is unknown."""
    await sim_control(dinstar_simulator, "ports/0", {"signal": csq})

    await init_integration.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()

    state = hass.states.get("sensor.dinstar_2817_port_0_signal_strength")
    assert state is not None
    assert state.state == shown


@pytest.mark.parametrize("timeout", [0, 0.5, 61, 3600])
async def test_send_sms_timeout_is_1_to_60_seconds(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    timeout: float,  # noqa: ASYNC109 - the action's field under test, not a bound of this test
) -> None:
    """README, send_sms: `timeout` is 1 to 60 seconds; anything else is refused unsent."""
    before = dinstar_simulator.sim.request_counts.get("/api/send_sms", 0)

    with pytest.raises(vol.Invalid):
        await send_sms(hass, init_integration, ["+40712345678"], "Hi", wait=True, timeout=timeout)

    assert dinstar_simulator.sim.request_counts.get("/api/send_sms", 0) == before


async def test_wait_polls_after_1_s_then_doubling_up_to_every_5_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """README, send_sms: results are polled after 1 s, then doubling up to every 5 s.

    The pauses are read from what the waiter asks the clock for, not measured.
    """
    pauses: list[float] = []

    class QuietPause:
        """Every pause ends with nothing having moved, as when the gateway never pushes."""

        def __init__(self, delay: float | None) -> None:
            self.delay = delay

        async def __aenter__(self) -> None:
            pauses.append(self.delay or 0.0)
            raise TimeoutError

        async def __aexit__(self, *_: object) -> None:
            return None

    def fake_timeout(delay: float | None) -> Any:
        # The caller's own bound (60 s here) stays a real timeout; the pauses are the quiet ones.
        return asyncio.timeout(delay) if delay == sending.MAX_WAIT else QuietPause(delay)

    monkeypatch.setattr(
        sending, "asyncio", SimpleNamespace(Event=asyncio.Event, timeout=fake_timeout)
    )
    polls = 0

    async def poll() -> None:
        nonlocal polls
        polls += 1

    finished = await sending.Waiters().until(lambda: polls == 6, sending.MAX_WAIT, poll)

    assert finished
    assert pauses == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


async def test_status_every_5_minutes_and_at_once_when_the_gateway_is_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
) -> None:
    """README, how data arrives: get_status every 5 minutes, and at once when reachable again."""
    sim = dinstar_simulator.sim

    def status_reads() -> int:
        return sim.request_counts.get("/api/get_status", 0)

    start = status_reads()
    # Wide margins: the timers run on the loop's real clock, which a loaded machine moves on.
    await advance(hass, freezer, SLOW_POLL_INTERVAL - timedelta(seconds=60))
    assert status_reads() == start
    await advance(hass, freezer, timedelta(seconds=90))
    assert status_reads() == start + 1

    ports = init_integration.runtime_data.ports
    await sim_control(
        dinstar_simulator, "faults", {"drop_connection_paths": ["/api/get_port_info"]}
    )
    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert status_reads() == start + 1
    await sim_control(dinstar_simulator, "faults", {"drop_connection_paths": []})
    await ports.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert status_reads() == start + 2
    state = hass.states.get("sensor.dinstar_2817_cpu_usage")
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_smslink_balance_is_read_every_30_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
) -> None:
    """README, how data arrives: the SMSLink balance at set-up, then every 30 minutes."""
    sim = smslink_simulator.sim

    def balance_reads() -> int:
        # Nothing is sent here: every index.php request is a balance read (a form POST).
        return sim.request_counts["/sms/gateway/communicate/index.php"]

    start = balance_reads()
    assert start >= 1
    await advance(hass, freezer, timedelta(minutes=29))
    assert balance_reads() == start
    await advance(hass, freezer, timedelta(minutes=1, seconds=1))
    assert balance_reads() == start + 1


async def test_dinstar_form_defaults(hass: HomeAssistant) -> None:
    """README, configuration: the username is `admin` and TLS verification off by default."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "dinstar"}
    )
    schema = result["data_schema"]
    assert schema is not None
    defaults = {str(key): key.default() for key in schema.schema if callable(key.default)}

    assert defaults == {"username": "admin", "verify_ssl": False}


async def test_webhooks_dinstar_local_post_only_cloud_from_anywhere(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    smslink_account: MockConfigEntry,
    plasgate_account: MockConfigEntry,
) -> None:
    """README, limitations: the Dinstar webhook is local-only and POST only; the cloud ones not."""
    handlers = hass.data["webhook"]

    def registered(entry: MockConfigEntry) -> tuple[bool, set[str]]:
        # A dict up to 2025, a WebhookData dataclass in newer releases.
        found = handlers[entry.data["webhook_id"]]
        if isinstance(found, dict):
            return found["local_only"], set(found["allowed_methods"])
        return found.local_only, set(found.allowed_methods)

    assert registered(init_integration) == (True, {"POST"})
    for account in (smslink_account, plasgate_account):
        local_only, methods = registered(account)
        assert local_only is False
        assert {"GET", "POST"} <= methods


def _imported_packages(folder: Path) -> dict[str, set[str]]:
    """Top-level packages each module of a folder imports (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPOSITORY))] = names
    return found


def test_clients_and_simulators_stay_apart() -> None:
    """README, layout: providers/ never imports Home Assistant; simulators/ and the integration
    never import each other. So a misreading of a spec cannot pass through shared code.
    """
    component = _imported_packages(REPOSITORY / "custom_components" / "sms_gateway")
    providers = {path: names for path, names in component.items() if "/providers/" in path}
    simulators = _imported_packages(REPOSITORY / "simulators")
    assert providers
    assert simulators

    assert {path for path, names in providers.items() if "homeassistant" in names} == set()
    assert {path for path, names in simulators.items() if "custom_components" in names} == set()
    assert {path for path, names in component.items() if "simulators" in names} == set()
