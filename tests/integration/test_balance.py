"""SIM balance per port: options, parsing, schedules and the sensor, against the simulator."""

from collections.abc import Iterator
from datetime import timedelta
import logging
import re
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_UNIT_OF_MEASUREMENT, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    DOMAIN,
    EVENT_USSD_REPLY,
)
from custom_components.sms_gateway.gateway.balance import (
    FIRST_REFRESH_DELAY,
    balance_settings,
    low_balance_issue_id,
    parse_amount,
)
from custom_components.sms_gateway.gateway.runtime import GatewayData
from tests.conftest import RunningDinstar
from tests.integration.conftest import SERIAL
from tests.integration.setups import entry_with, sim_control

OPTIONS: dict[str, Any] = {
    CONF_BALANCE: {
        # MAD is an ISO 4217 code: a monetary sensor. The default pattern finds "12.50".
        "0": {"code": "*100#", "pattern": DEFAULT_BALANCE_PATTERN, "unit": "mad", "interval": 60},
        # DH is not: a plain number with a unit; the pattern picks the amount after "credit".
        "1": {"code": "*101#", "pattern": r"credit:? ([\d.,]+)", "unit": "DH", "interval": 30},
        "2": {"code": "", "pattern": DEFAULT_BALANCE_PATTERN, "unit": "", "interval": 60},
    }
}


@pytest.fixture(autouse=True)
def fast_reply_polling() -> Iterator[None]:
    """Poll for replies every 20 ms so tests do not wait the production 2 s."""
    with patch("custom_components.sms_gateway.gateway.ussd.USSD_POLL_INTERVAL", 0.02):
        yield


@pytest.fixture
def balance_options() -> dict[str, Any]:
    return OPTIONS


@pytest.fixture
def dinstar_entry(
    dinstar_entry: MockConfigEntry, balance_options: dict[str, Any]
) -> MockConfigEntry:
    """The simulated gateway with balance codes on ports 0 and 1."""
    return entry_with(dinstar_entry, options=balance_options)


def runtime_of(entry: MockConfigEntry) -> GatewayData:
    return entry.runtime_data  # type: ignore[no-any-return]


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Jump the clock (a ticking one: USSD waits need time to pass) and run what fell due."""
    freezer.move_to(dt_util.utcnow() + delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN = "\u2009"

# Balance replies as operators send them, and the amount the default pattern must read. The README's
# list of formats ("Balance check of a SIM port") says what these prove.
DEFAULT_REPLIES = [
    # The cases of issue 11.
    pytest.param("1 234,50", 1234.5, id="bare-space-grouped"),
    pytest.param("1.234,50", 1234.5, id="bare-dot-grouped"),
    pytest.param("1,234.50", 1234.5, id="bare-comma-grouped"),
    pytest.param("Your *100# balance is 12.50", 12.5, id="ussd-code-before"),
    # Romania: Orange, Vodafone, Telekom, Digi.
    pytest.param("Credit: 12,50 EUR. Valabil pana la 31.12.2026", 12.5, id="ro-orange"),
    pytest.param(
        "Soldul contului tau este 5.20 EUR. Credit valabil pana la 05.12.2026 23:59.",
        5.2,
        id="ro-vodafone",
    ),
    pytest.param("Ai 7,25 EUR credit si 500 MB trafic national", 7.25, id="ro-word-after"),
    pytest.param("Sold curent: 15,20 lei, valabil pana la 31-12-2026", 15.2, id="ro-digi"),
    pytest.param("Sold: 1.234,50 lei", 1234.5, id="ro-lei-dot-grouped"),
    pytest.param("Credit 5,00 EUR valabil pana la 31 decembrie 2026", 5.0, id="ro-month-name-date"),
    pytest.param("Sold curent:\n15,20 lei\nBonus:\n5 lei\nExpira: 31.12.2026", 15.2, id="ro-lines"),
    pytest.param(
        "Pentru reincarcare suna la +40 21 123 4567. Sold 8 lei", 8.0, id="ro-phone-before"
    ),
    pytest.param("Tarif: 0,05 EUR/min. Sold: 2 EUR", 2.0, id="ro-rate-skipped"),
    pytest.param("Valabil 30 de zile. Ai 5,00 EUR", 5.0, id="ro-validity-ends-with-sentence"),
    # Morocco: Maroc Telecom, Orange, inwi.
    pytest.param("Solde: 5,00 DH", 5.0, id="ma-solde-dh"),
    pytest.param("Votre solde est de 25.50 DH valable jusqu'au 15/06/2026", 25.5, id="ma-iam"),
    pytest.param("Solde principal: 10,00 Dhs. Bonus: 5 Dhs valable 7j", 10.0, id="ma-inwi-bonus"),
    pytest.param("Votre solde: 3,50 MAD. Date de validite: 12-05-2026", 3.5, id="ma-orange-mad"),
    pytest.param("Solde: 12.50 DH. Valable jusqu'au 2026-12-31", 12.5, id="ma-simulator"),
    # France.
    pytest.param(
        "Votre crédit est de 12,50 €, valable jusqu'au 31/12/2026", 12.5, id="fr-euro-after"
    ),
    pytest.param(f"Solde : 1{NARROW_NBSP}234,50 €", 1234.5, id="fr-narrow-nbsp"),
    # Germany, Switzerland.
    pytest.param("Ihr Guthaben beträgt 1.234,50 EUR.", 1234.5, id="de-guthaben"),
    pytest.param("Aktuelles Guthaben: 12,34 € (Stand 05.12.2026, 14:30 Uhr)", 12.34, id="de-stand"),
    pytest.param("Ihr Guthaben: CHF 1'234.50", 1234.5, id="ch-apostrophe"),
    pytest.param(f"Guthaben: 1{NBSP}234,50 EUR, gültig bis 31.12.2026", 1234.5, id="de-nbsp"),
    # Spain.
    pytest.param("Saldo: 1.234,50 €", 1234.5, id="es-saldo"),
    pytest.param("Tu saldo es de 3,45 EUR. Caduca el 31/12/2026", 3.45, id="es-caduca"),
    # English.
    pytest.param("Your balance is $1,234.50 valid till 2026-12-31", 1234.5, id="en-dollar-before"),
    pytest.param("Your balance: USD 5.00", 5.0, id="en-code-before"),
    pytest.param(
        "You have 12.50 EUR left. Last recharge: 10.00 EUR on 01/12/2026",
        12.5,
        id="en-left-and-recharge",
    ),
    pytest.param(
        f"Your balance is 1{THIN}234.50 USD, valid until December 31, 2026",
        1234.5,
        id="en-thin-space",
    ),
    pytest.param("On 12/05/2026 your balance was 3.50 USD", 3.5, id="en-date-first"),
    pytest.param("Call 0712345678 for help. Credit 4,75 lei", 4.75, id="en-phone-first"),
    # Cambodia: Smart, Cellcard, Metfone.
    pytest.param("Balance: 2.15$ Bonus 1.00$ expire 31/12/2026", 2.15, id="kh-dollar-after"),
    pytest.param(
        "Your main balance is 2.15$, bonus 1.00$, expire on 31/12/2026 23:59",
        2.15,
        id="kh-smart",
    ),
    pytest.param("Main: $2.15 Expiry: 31/12/2026", 2.15, id="kh-cellcard"),
    pytest.param("Balance: 10,000 KHR", 10000.0, id="kh-riel-grouped"),
    pytest.param("Basic balance: 0.516$", 0.516, id="kh-three-decimals-under-one"),
    # Several numbers, bonus lines.
    pytest.param("Balance: 5.00 EUR, Bonus: 100 SMS, 2 GB valid 30 days", 5.0, id="bundles-after"),
    pytest.param("Bonus 3 EUR. Sold principal 10 EUR", 10.0, id="bonus-before"),
    pytest.param("Reducere 50%. Credit 3 EUR", 3.0, id="percent-before"),
    pytest.param("Dial *100*2# to check. Balance 3.00 EUR", 3.0, id="menu-code-before"),
    pytest.param("Credit 12,50 RON", 12.5, id="ron"),
    pytest.param("Balance 7 RON", 7.0, id="whole-number"),
    pytest.param("Credit 12.50 until 2026", 12.5, id="year-after"),
    # Negative balances.
    pytest.param("Credit: -5.20 EUR", -5.2, id="negative"),
    pytest.param("Sold: \u22123,20 lei", -3.2, id="negative-minus-sign"),
    # No amount: unknown, never a wrong number.
    pytest.param("Service unavailable", None, id="no-number"),
    pytest.param("Serviciu indisponibil. Incercati mai tarziu.", None, id="ro-unavailable"),
    pytest.param(
        "Your request is being processed. Dial *100# again in 5 minutes.",
        None,
        id="code-and-minutes",
    ),
    pytest.param("Oferta expira la 31.12.2026. Tasteaza *123#", None, id="date-and-code"),
    pytest.param("1. Sold\n2. Oferte\n3. Bonus", None, id="menu"),
    pytest.param("Error 17", None, id="error-code"),
    pytest.param("Bonus: 100 SMS, 2 GB, valabil 30 de zile", None, id="bundles-only"),
    pytest.param("Oferta 3 activata", None, id="bare-whole-number"),
]


@pytest.mark.parametrize(("reply", "amount"), DEFAULT_REPLIES)
def test_default_pattern_reads_the_balance(reply: str, amount: float | None) -> None:
    assert parse_amount(reply, re.compile(DEFAULT_BALANCE_PATTERN)) == amount
    assert parse_amount(reply) == amount


def test_default_replies_are_enough() -> None:
    assert len(DEFAULT_REPLIES) >= 30


@pytest.mark.parametrize(
    ("reply", "pattern", "amount"),
    [
        ("Sold 1.234,50 lei", r"Sold ([\d.,]+)", 1234.5),
        ("Balance 1,234.50 USD", r"Balance ([\d.,]+)", 1234.5),
        ("Balance 1 234,50 EUR", r"Balance ([\d ,]+)", 1234.5),
        (f"Balance 1{NBSP}234,50 EUR", r"Balance ([\d\s,]+)", 1234.5),
        ("Guthaben CHF 1'234.50", r"CHF ([\d'.]+)", 1234.5),
        ("Units 1.234.567 left", r"Units ([\d.]+)", 1234567.0),
        ("Credit -3,20 USD", r"Credit (-?[\d,]+)", -3.2),
        ("Credit 12.50 until 2026", r"Credit ([\d. ]+)", 12.5),
        ("Bonus 5 SMS, credit 4.75", r"credit \d+\.\d+", 4.75),
        # The user's pattern is obeyed: here it asks for the bonus.
        ("Credit 10 EUR, bonus 5 EUR", r"bonus (\d+)", 5.0),
        # A USSD code or a date inside the found text is not the amount.
        ("Sold *100# 7,25 lei", r"Sold (.*)", 7.25),
        ("Sold 12,50 lei", r"Sold (.*)", 12.5),
        ("Sold 1,2.3.4", r"Sold ([\d.,]+)", None),
        ("Valabil 31.12.2026", r"Valabil (\S+)", None),
        ("Credit none", r"Credit (\d+)?", None),
        ("Credit n/a", r"Credit (\S+)", None),
        ("Service unavailable", r"Credit (\S+)", None),
    ],
)
def test_custom_pattern_finds_the_amount_text(
    reply: str, pattern: str, amount: float | None
) -> None:
    assert parse_amount(reply, re.compile(pattern)) == amount


def test_settings_skip_what_cannot_be_used(caplog: pytest.LogCaptureFixture) -> None:
    assert balance_settings({}) == {}
    assert balance_settings({CONF_BALANCE: ["*100#"]}) == {}
    settings = balance_settings(
        {
            CONF_BALANCE: {
                "x": {"code": "*100#"},
                "1": "*100#",
                "2": {"code": None},
                "3": {"code": " *100# ", "pattern": "(", "unit": 5, "interval": "often"},
                "4": {"code": "*100#", "interval": True},
            }
        }
    )
    assert list(settings) == [3, 4]
    assert settings[3].code == "*100#"
    assert settings[3].pattern.pattern == DEFAULT_BALANCE_PATTERN
    assert settings[3].unit is None
    assert settings[3].interval == timedelta(minutes=DEFAULT_BALANCE_INTERVAL)
    assert settings[4].interval == timedelta(minutes=DEFAULT_BALANCE_INTERVAL)
    assert "Port 3: the balance pattern is not a valid regex" in caplog.text


async def test_sensors_only_for_ports_with_a_code(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    monetary = hass.states.get("sensor.dinstar_2817_port_0_balance")
    assert monetary is not None
    assert monetary.state == "unknown"
    assert monetary.attributes[ATTR_UNIT_OF_MEASUREMENT] == "MAD"
    assert monetary.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.MONETARY
    assert monetary.attributes["state_class"] == SensorStateClass.TOTAL
    plain = hass.states.get("sensor.dinstar_2817_port_1_balance")
    assert plain is not None
    assert plain.attributes[ATTR_UNIT_OF_MEASUREMENT] == "DH"
    assert ATTR_DEVICE_CLASS not in plain.attributes
    assert hass.states.get("sensor.dinstar_2817_port_2_balance") is None


async def test_refresh_reads_each_port_with_its_own_code_and_pattern(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await sim_control(
        dinstar_simulator, "ussd-replies", {"code": "*101#", "text": "Votre credit: 7,25 DH"}
    )
    balance = runtime_of(init_integration).balance

    first = await balance.async_refresh(0)
    second = await balance.async_refresh(1)
    await hass.async_block_till_done()

    assert first.value == 12.5
    assert second.value == 7.25
    assert hass.states.get("sensor.dinstar_2817_port_0_balance").state == "12.5"  # type: ignore[union-attr]
    port_1 = hass.states.get("sensor.dinstar_2817_port_1_balance")
    assert port_1 is not None
    assert port_1.state == "7.25"
    assert port_1.attributes["reply"] == "Votre credit: 7,25 DH"
    sent = [
        entry["body"]
        for entry in dinstar_simulator.sim.gate.log
        if entry["path"] == "/api/send_ussd" and entry["body"]["command"] == "send"
    ]
    assert sent == [
        {"port": [0], "command": "send", "text": "*100#"},
        {"port": [1], "command": "send", "text": "*101#"},
    ]


async def test_unparseable_reply_leaves_balance_unknown_and_keeps_reply(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    balance = runtime_of(init_integration).balance
    await balance.async_refresh(0)
    await sim_control(
        dinstar_simulator, "ussd-replies", {"port": 0, "text": "Service indisponible"}
    )

    reading = await balance.async_refresh(0)
    await hass.async_block_till_done()

    assert reading.value is None
    assert reading.reply == "Service indisponible"
    state = hass.states.get("sensor.dinstar_2817_port_0_balance")
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["reply"] == "Service indisponible"
    reply = hass.states.get("sensor.dinstar_2817_port_0_last_ussd_reply")
    assert reply is not None
    assert reply.state == "Service indisponible"


@pytest.mark.parametrize(
    "balance_options", [{CONF_BALANCE: {"0": {"code": "*100#", "unit": "DH", "threshold": 20}}}]
)
async def test_a_balance_below_its_threshold_raises_a_repair_until_topped_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    balance = runtime_of(init_integration).balance
    issue_id = low_balance_issue_id(init_integration.entry_id, 0)
    issues = ir.async_get(hass)

    await balance.async_refresh(0)  # the simulator's "Solde: 12.50 DH"

    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "gateway": "Dinstar 2817",
        "port": "0",
        "balance": "12.5 DH",
        "threshold": "20 DH",
    }
    # A reply without an amount says nothing about the balance: the warning stays.
    await sim_control(
        dinstar_simulator, "ussd-replies", {"port": 0, "text": "Service indisponible"}
    )
    await balance.async_refresh(0)
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    await sim_control(dinstar_simulator, "ussd-replies", {"port": 0, "text": "Solde: 20,00 DH"})
    await balance.async_refresh(0)
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_no_threshold_no_repair(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await runtime_of(init_integration).balance.async_refresh(0)

    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, low_balance_issue_id(init_integration.entry_id, 0)
        )
        is None
    )


async def test_port_without_code_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await runtime_of(init_integration).balance.async_refresh(2)
    assert caught.value.translation_key == "balance_not_configured"
    assert str(caught.value).startswith("Port 2 has no balance code")
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == 0


@pytest.mark.freeze_time(tick=True)
async def test_schedule_first_run_then_each_port_on_its_interval(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_USSD_REPLY)
    # Setting up asked nothing: the first reading comes later, so start-up is not held up.
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == 0

    await advance(hass, freezer, FIRST_REFRESH_DELAY)
    assert sorted(event.data["port"] for event in events) == [0, 1]
    assert hass.states.get("sensor.dinstar_2817_port_0_balance").state == "12.5"  # type: ignore[union-attr]

    # Port 1 reads every 30 minutes, port 0 every 60.
    events.clear()
    await advance(hass, freezer, timedelta(minutes=30) - FIRST_REFRESH_DELAY)
    assert [event.data["port"] for event in events] == [1]

    events.clear()
    await advance(hass, freezer, timedelta(minutes=30))
    assert sorted(event.data["port"] for event in events) == [0, 1]


@pytest.mark.freeze_time(tick=True)
async def test_scheduled_failure_is_logged_once_and_recovery_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await sim_control(dinstar_simulator, "ports/1", {"busy": True})

    async def half_hour() -> None:
        await advance(hass, freezer, timedelta(minutes=30))

    with caplog.at_level(logging.INFO, logger="custom_components.sms_gateway"):
        await half_hour()
        await half_hour()
        failures = [r for r in caplog.records if "balance could not be read" in r.message]
        assert len(failures) == 1
        assert failures[0].levelno == logging.WARNING
        assert "Port 1 is busy" in failures[0].message

        await sim_control(dinstar_simulator, "ports/1", {"busy": False})
        await half_hour()
        await half_hour()
    assert caplog.text.count("Port 1: the balance can be read again") == 1
    assert hass.states.get("sensor.dinstar_2817_port_1_balance").state == "unknown"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "balance_options",
    [{CONF_BALANCE: {"12": {"code": "*100#"}}}],
)
@pytest.mark.freeze_time(tick=True)
async def test_code_for_a_port_the_gateway_lacks_is_ignored(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    freezer: FrozenDateTimeFactory,
) -> None:
    set_up = [record.getMessage() for record in caplog.get_records("setup")]
    assert "Port 12 has a balance code but the gateway has no such port" in set_up
    await advance(hass, freezer, FIRST_REFRESH_DELAY)
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == 0
    assert runtime_of(init_integration).balance.settings == {}


@pytest.mark.freeze_time(tick=True)
async def test_unload_stops_the_schedule(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    await advance(hass, freezer, timedelta(hours=2))
    assert dinstar_simulator.sim.gate.request_counts["/api/send_ussd"] == 0


async def test_clearing_a_code_removes_its_sensor(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    unique_id = f"{SERIAL}_port_0_balance"
    assert entity_registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_BALANCE: {"1": OPTIONS[CONF_BALANCE]["1"]}}
    )

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()

    assert entity_registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id) is None
    assert hass.states.get("sensor.dinstar_2817_port_0_balance") is None
    assert hass.states.get("sensor.dinstar_2817_port_1_balance") is not None
