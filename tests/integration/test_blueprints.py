"""The automation blueprints in blueprints/automation/sms_gateway, loaded and run for real.

Each blueprint is read with Home Assistant's own automation blueprint schema, then used by an
automation in a config dir of the test's own, and driven through the simulators: an SMS arrives,
a balance drops, a SIM loses its network, a delivery fails.
"""

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)

from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
)
from simulators.smslink.simulator import SmsLinkSimulator
from tests.conftest import RunningDinstar, RunningSmsLink
from tests.integration.conftest import WEBHOOK_ID, WebClient, set_up, wait_until
from tests.integration.setups import advance, entry_with, route_entry, send_sms
from tests.integration.test_send import send_bodies, sim_control, until

REPOSITORY = Path(__file__).parents[2]
BLUEPRINTS = REPOSITORY / "blueprints" / "automation" / "sms_gateway"
SOURCE_URL = (
    "https://github.com/sms-gateway/sms_gateway/blob/main/blueprints/automation/sms_gateway/"
)
FILES = (
    "forward_incoming_sms.yaml",
    "low_balance_warning.yaml",
    "sim_registration_lost.yaml",
    "resend_failed_sms.yaml",
)
SENDER = "+40712345678"
# A text made of digits alone: a template would read it as the number 12.5.
NUMERIC_TEXT = "12.50"


@pytest.fixture
def dinstar_entry(dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    """The simulated gateway with a balance code on port 3."""
    return entry_with(
        dinstar_entry, options={CONF_BALANCE: {"3": {"code": "*100#", "unit": "EUR"}}}
    )


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for USSD replies every 20 ms so balance reads do not wait the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


@pytest.fixture
async def gateway(
    web_client: WebClient, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> MockConfigEntry:
    """The gateway set up and pushing to Home Assistant's webhook."""
    url = str(web_client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    await sim_control(dinstar_simulator, "push-url", {"url": url})
    return init_integration


@pytest.fixture
def notified(hass: HomeAssistant) -> list[Any]:
    """The calls of a legacy notify action, `notify.my_phone`."""
    return async_mock_service(hass, "notify", "my_phone")


@pytest.fixture
def reports(hass: HomeAssistant) -> list[Event]:
    """Every delivery report fired during the test."""
    events: list[Event] = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    return events


type UseBlueprint = Callable[[str, dict[str, Any]], Awaitable[str]]


@pytest.fixture
def use_blueprint(hass: HomeAssistant, tmp_path: Path) -> UseBlueprint:
    """Set up an automation from a blueprint copied into a config dir of the test's own."""

    async def use(file: str, inputs: dict[str, Any]) -> str:
        """The automation's entity id, checked on."""
        hass.config.config_dir = str(tmp_path)
        target = tmp_path / "blueprints" / "automation" / "sms_gateway"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(BLUEPRINTS / file, target / file)
        alias = file.removesuffix(".yaml")
        blueprint = {"path": f"sms_gateway/{file}", "input": inputs}
        config = {"alias": alias, "use_blueprint": blueprint}
        assert await async_setup_component(hass, "automation", {"automation": [config]})
        await hass.async_block_till_done()
        entity_id = f"automation.{alias}"
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == "on", state
        return entity_id

    return use


async def resend_failures(
    use_blueprint: UseBlueprint, source: MockConfigEntry, resend: MockConfigEntry
) -> None:
    """Resend what fails to deliver from one entry through another."""
    inputs = {"source_entry": source.entry_id, "resend_entry": resend.entry_id}
    await use_blueprint("resend_failed_sms.yaml", inputs)


# --- the files ------------------------------------------------------------------------------


@pytest.mark.parametrize("file", FILES)
def test_each_blueprint_passes_the_automation_blueprint_schema(file: str) -> None:
    blueprint = Blueprint(
        load_yaml_dict(BLUEPRINTS / file),
        path=file,
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )

    assert blueprint.metadata["source_url"] == SOURCE_URL + file
    assert blueprint.metadata["homeassistant"]["min_version"] == "2025.4.0"
    assert blueprint.name.startswith("SMS Gateway - ")


def test_the_blueprints_folder_holds_these_and_the_readme_links_each() -> None:
    assert sorted(path.name for path in BLUEPRINTS.iterdir()) == sorted(FILES)
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    for file in FILES:
        badge = "blueprint_import/?blueprint_url=" + quote(SOURCE_URL + file, safe="")
        assert badge in readme, file


# --- forwarding -----------------------------------------------------------------------------


async def test_an_incoming_sms_is_forwarded_to_a_notify_entity_and_a_notify_action(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    gateway: MockConfigEntry,
    smslink_account: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    smslink_simulator: RunningSmsLink,
    notified: list[Any],
) -> None:
    await use_blueprint(
        "forward_incoming_sms.yaml",
        {
            "source_entry": gateway.entry_id,
            "notify_entities": ["notify.smslink_sms_to_default_recipients"],
            "notify_service": "my_phone",
        },
    )

    await sim_control(
        dinstar_simulator, "incoming", {"port": 1, "sender": SENDER, "text": NUMERIC_TEXT}
    )
    await wait_until(lambda: bool(notified))
    await hass.async_block_till_done()

    [call] = notified
    assert call.data == {
        "title": f"SMS from {SENDER} on Dinstar 2817 port 1",
        "message": NUMERIC_TEXT,
    }
    account = smslink_simulator.sim.account
    await until(lambda: bool(account.messages))
    [forwarded] = account.messages.values()
    assert forwarded.to == "0712345678"  # the account's default recipient
    assert forwarded.text.endswith(f"\n{NUMERIC_TEXT}")


async def test_the_gateway_filter_leaves_other_entries_sms_alone(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    gateway: MockConfigEntry,
    smslink_account: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    notified: list[Any],
) -> None:
    await use_blueprint(
        "forward_incoming_sms.yaml",
        {"source_entry": smslink_account.entry_id, "notify_service": "notify.my_phone"},
    )
    received = async_capture_events(hass, f"{DOMAIN}_sms_received")

    await sim_control(dinstar_simulator, "incoming", {"port": 1, "sender": SENDER, "text": "Hi"})
    await wait_until(lambda: bool(received))
    await hass.async_block_till_done()

    assert notified == []


# --- balance --------------------------------------------------------------------------------


async def test_a_balance_below_the_threshold_warns_once(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    gateway: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    notified: list[Any],
) -> None:
    balance = "sensor.dinstar_2817_port_3_balance"
    await use_blueprint(
        "low_balance_warning.yaml",
        {"balance_sensors": [balance], "threshold": 5, "notify_service": "my_phone"},
    )

    async def operator_says(reply: str) -> None:
        await sim_control(dinstar_simulator, "ussd-replies", {"port": 3, "text": reply})
        await hass.services.async_call(
            DOMAIN, "refresh_balance", {"config_entry_id": gateway.entry_id}, blocking=True
        )
        await hass.async_block_till_done()

    await operator_says("Credit: 12,50 EUR")
    assert hass.states.get(balance).state == "12.5"  # type: ignore[union-attr]
    assert notified == []

    await operator_says("Credit: 2,15 EUR")
    await operator_says("Credit: 1,00 EUR")  # still below: no second warning

    [call] = notified
    assert call.data["title"] == "Low balance: Dinstar 2817 port 3 Balance"
    assert call.data["message"] == (
        "Dinstar 2817 port 3 Balance is 2.15 EUR, below 5 EUR. Operator's reply: Credit: 2,15 EUR"
    )


# --- registration ---------------------------------------------------------------------------


@pytest.mark.freeze_time(tick=True)
async def test_a_sim_off_the_network_for_the_minutes_given_warns(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    freezer: FrozenDateTimeFactory,
    gateway: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    notified: list[Any],
) -> None:
    lost, back = (f"sensor.dinstar_2817_port_{port}_registration" for port in (2, 5))
    automation = await use_blueprint(
        "sim_registration_lost.yaml",
        {"registration_sensors": [lost, back], "minutes": 10, "notify_service": "my_phone"},
    )
    assert hass.states.get(lost).state == "register_ok"  # type: ignore[union-attr]

    for port in (2, 5):
        await sim_control(dinstar_simulator, f"ports/{port}", {"reg": "SEARCHING_NETWORK"})
    # The gateway's push says "down" at once; the next poll names the state.
    await wait_until(lambda: hass.states.get(lost).state != "register_ok")  # type: ignore[union-attr]
    await wait_until(lambda: hass.states.get(back).state != "register_ok")  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(minutes=4))
    await gateway.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(lost).state == "searching_network"  # type: ignore[union-attr]
    await sim_control(dinstar_simulator, "ports/5", {"reg": "REGISTER_OK"})
    await wait_until(lambda: hass.states.get(back).state == "register_ok")  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(minutes=5))
    assert notified == []

    await advance(hass, freezer, timedelta(minutes=1, seconds=1))

    [call] = notified
    assert call.data == {
        "title": "SIM off the network: Dinstar 2817 port 2 Registration",
        "message": (
            "Dinstar 2817 port 2 Registration has not been registered on a network for 10"
            " minutes (now: searching_network)."
        ),
    }
    # The gateway's unload at teardown makes the ports unavailable: no clock left running.
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": automation}, blocking=True
    )


# --- resend after a failed delivery -----------------------------------------------------------


@pytest.fixture
def permanent_failures() -> Iterator[None]:
    """Failed deliveries carry a permanent TP-Status: temporary ones fire no report."""
    with patch("simulators.dinstar.sms._DELIVERY_FAILURES", (65,)):
        yield


@dataclass
class Pair:
    """The gateway pushing to Home Assistant and the SMSLink account, with their simulators."""

    gateway: MockConfigEntry
    account: MockConfigEntry
    dinstar: RunningDinstar
    smslink: SmsLinkSimulator


@pytest.fixture
def pair(
    gateway: MockConfigEntry,
    smslink_account: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    smslink_simulator: RunningSmsLink,
) -> Pair:
    return Pair(gateway, smslink_account, dinstar_simulator, smslink_simulator.sim)


@pytest.mark.usefixtures("permanent_failures")
async def test_a_failed_delivery_is_resent_through_the_other_entry(
    hass: HomeAssistant, use_blueprint: UseBlueprint, pair: Pair, reports: list[Event]
) -> None:
    await resend_failures(use_blueprint, pair.gateway, pair.account)
    await sim_control(pair.dinstar, "faults", {"delivery_failure_rate": 1.0})

    await send_sms(hass, pair.gateway, [SENDER, "+40723456789"], NUMERIC_TEXT)
    account = pair.smslink.account
    await until(lambda: len(account.messages) == 2)
    await hass.async_block_till_done()

    failed = [event for event in reports if event.data["status"] == "failed"]
    assert {event.data["entry_id"] for event in failed} == {pair.gateway.entry_id}
    assert len(failed) == 2
    resent = sorted((message.to, message.text) for message in account.messages.values())
    assert resent == [("0712345678", NUMERIC_TEXT), ("0723456789", NUMERIC_TEXT)]
    # The resends' own reports (delivered) are not watched: nothing more goes out.
    await until(lambda: sum(event.data["status"] == "delivered" for event in reports) == 2)
    await hass.async_block_till_done()
    assert len(account.messages) == 2


@pytest.mark.usefixtures("permanent_failures")
async def test_a_failed_delivery_is_resent_through_a_failover_route(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    pair: Pair,
    plasgate_account: MockConfigEntry,
) -> None:
    route = await set_up(hass, route_entry("SMS alerts", [pair.account, plasgate_account]))
    await resend_failures(use_blueprint, pair.gateway, route)
    await sim_control(pair.dinstar, "faults", {"delivery_failure_rate": 1.0})

    await send_sms(hass, pair.gateway, [SENDER], "Leak")
    account = pair.smslink.account
    await until(lambda: bool(account.messages))
    await hass.async_block_till_done()

    [resent] = account.messages.values()
    assert (resent.to, resent.text) == ("0712345678", "Leak")


async def test_an_account_s_failed_sms_is_resent_through_the_gateway(
    hass: HomeAssistant, use_blueprint: UseBlueprint, pair: Pair, reports: list[Event]
) -> None:
    """SMSLink's message ids are digits in a string: the report is still tied to its SMS."""
    await resend_failures(use_blueprint, pair.account, pair.gateway)
    pair.smslink.faults["dlr_undelivered_rate"] = 1.0

    await send_sms(hass, pair.account, [SENDER], "007")
    await until(lambda: any(event.data["status"] == "failed" for event in reports))
    await until(lambda: send_bodies(pair.dinstar))

    [body] = await send_bodies(pair.dinstar)
    assert body["text"] == "007"
    assert [item["number"] for item in body["param"]] == ["0712345678"]


async def test_a_delivered_sms_is_not_resent(
    hass: HomeAssistant, use_blueprint: UseBlueprint, pair: Pair, reports: list[Event]
) -> None:
    await resend_failures(use_blueprint, pair.gateway, pair.account)

    await send_sms(hass, pair.gateway, [SENDER], "Hi")
    await until(lambda: any(event.data["status"] == "delivered" for event in reports))
    await hass.async_block_till_done()

    assert pair.smslink.account.messages == {}


@pytest.mark.usefixtures("permanent_failures")
async def test_an_uncertain_send_is_never_resent(
    hass: HomeAssistant, use_blueprint: UseBlueprint, pair: Pair, reports: list[Event]
) -> None:
    await resend_failures(use_blueprint, pair.gateway, pair.account)
    faults = {"delivery_failure_rate": 1.0, "send_sms_500_after_queue": True}
    await sim_control(pair.dinstar, "faults", faults)

    with pytest.raises(HomeAssistantError, match="NOT retried"):
        await send_sms(hass, pair.gateway, [SENDER], "Hi")
    await until(lambda: any(event.data["status"] == "failed" for event in reports))
    await hass.async_block_till_done()

    assert pair.smslink.account.messages == {}
