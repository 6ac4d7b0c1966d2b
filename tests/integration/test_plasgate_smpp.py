"""A Plasgate account over SMPP in Home Assistant, against the simulator's SMPP server.

Sends go as submit_sm, receipts come back as delivery report events, incoming SMS fire once,
the bind state shows on a sensor, and unloading unbinds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
import logging
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_PASSWORD,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    CONF_SMPP,
    CONF_SYSTEM_ID,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
)
from custom_components.sms_gateway.providers.plasgate.smpp import LinkState
from tests.conftest import RunningPlasgate

from .cloud_setups import (
    account_device,
    link_state,
    set_faults,
    set_up_over_smpp,
    smpp_options,
    wait_until,
)
from .conftest import PLASGATE_DEFAULT_RECIPIENT, wind_down
from .setups import send_sms

SENDER = "85598765432"
SHORT_CODE = "1234"


@pytest.fixture
async def smpp_account(
    hass: HomeAssistant,
    plasgate_entry: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
) -> AsyncIterator[MockConfigEntry]:
    """The Plasgate account set up over SMPP, bound."""
    await set_up_over_smpp(hass, plasgate_entry, plasgate_smpp_simulator)
    await wait_until(lambda: link_state(hass, plasgate_entry) == "bound")
    yield plasgate_entry
    await wind_down(hass, plasgate_entry, plasgate_smpp_simulator)


async def test_a_send_goes_over_smpp_and_its_receipt_is_reported(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    answers = await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "Over SMPP")
    await wait_until(lambda: len(reports) == 1)
    sim = plasgate_smpp_simulator.sim
    (submitted,) = sim.smpp.snapshot()["submitted"]
    assert (submitted["to"], submitted["text"], submitted["sender"]) == (
        "85512345678",
        "Over SMPP",
        "SMS Info",
    )
    assert sim.snapshot()["messages"] == []  # nothing went by REST
    assert answers[0]["message_id"] == submitted["message_id"]
    assert answers[0]["status"] == "queued"
    assert reports[0].data["message_id"] == submitted["message_id"]
    assert reports[0].data["status"] == "delivered"
    assert reports[0].data["recipient"] == "85512345678"


async def test_a_receipt_given_only_in_tlvs_is_reported(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_dlr_text=False, smpp_dlr_stat="UNDELIV")
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    answers = await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "TLVs only")
    await wait_until(lambda: len(reports) == 1)
    assert reports[0].data["message_id"] == answers[0]["message_id"]
    assert (reports[0].data["status"], reports[0].data["raw_status"]) == ("failed", "UNDELIV")


async def test_an_empty_sms_fires_with_an_empty_text(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await plasgate_smpp_simulator.sim.smpp.deliver(SENDER, SHORT_CODE, "")
    await wait_until(lambda: len(received) == 1)
    assert received[0].data["text"] == ""


async def test_several_recipients_each_get_their_own_submit(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    numbers = ["+85512345601", "+85512345602", "+85512345603"]
    answers = await send_sms(hass, smpp_account, numbers, "Ж" * 100)  # two UCS-2 parts each
    assert [answer["status"] for answer in answers] == ["queued"] * 3
    submitted = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert sorted(message["to"] for message in submitted) == [n[1:] for n in numbers]
    assert {message["parts"] for message in submitted} == {2}


async def test_an_incoming_sms_fires_once_even_if_delivered_again(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    smpp = plasgate_smpp_simulator.sim.smpp
    await set_faults(plasgate_smpp_simulator, smpp_lose_deliver_resp=1)
    await smpp.deliver(SENDER, SHORT_CODE, "Hello Home Assistant")
    await wait_until(lambda: [mo["state"] for mo in smpp.snapshot()["mo"]] == ["acked"])
    await hass.async_block_till_done()
    assert smpp.snapshot()["mo"][0]["attempts"] == 2
    assert len(received) == 1
    data = received[0].data
    assert (data["provider"], data["sender"], data["receiver"], data["text"]) == (
        "plasgate",
        f"+{SENDER}",
        SHORT_CODE,
        "Hello Home Assistant",
    )
    assert data["entry_id"] == smpp_account.entry_id
    assert "device_id" in data


async def test_a_redelivery_after_a_restart_fires_nothing(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    """The answer was lost with the link, Home Assistant restarted, then the server retried."""
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    smpp = plasgate_smpp_simulator.sim.smpp
    await set_faults(plasgate_smpp_simulator, smpp_lose_deliver_resp=1, smpp_refuse_binds=True)
    await smpp.deliver(SENDER, SHORT_CODE, "just once")
    await wait_until(lambda: link_state(hass, smpp_account) == "refused")
    await hass.config_entries.async_unload(smpp_account.entry_id)
    await hass.async_block_till_done()
    await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=False)
    await hass.config_entries.async_setup(smpp_account.entry_id)
    await wait_until(lambda: [mo["state"] for mo in smpp.snapshot()["mo"]] == ["acked"])
    await hass.async_block_till_done()
    assert [event.data["text"] for event in received] == ["just once"]


async def test_the_sensor_follows_a_dropped_bind(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    changes = async_capture_events(hass, "state_changed")  # in order (a plain listener is not)

    def shown() -> list[str]:
        return [
            event.data["new_state"].state
            for event in changes
            if event.data["entity_id"].endswith("smpp_link")
        ]

    await set_faults(plasgate_smpp_simulator, smpp_drop_binds=True)
    await wait_until(lambda: shown()[-1:] == ["bound"])
    assert shown() == ["disconnected", "connecting", "bound"]


@pytest.fixture
async def refused_account(
    hass: HomeAssistant,
    plasgate_entry: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
) -> AsyncIterator[MockConfigEntry]:
    """The Plasgate account set up over SMPP with a password the server refuses."""
    await set_up_over_smpp(hass, plasgate_entry, plasgate_smpp_simulator, password="wrong")
    await wait_until(lambda: link_state(hass, plasgate_entry) == "refused")
    yield plasgate_entry
    await wind_down(hass, plasgate_entry, plasgate_smpp_simulator)


async def test_a_refused_login_shows_and_a_send_says_nothing_went(
    hass: HomeAssistant, refused_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    runtime = refused_account.runtime_data
    assert runtime.smpp is not None
    # A send waits for a bind (30 s by default) before it says nothing went.
    runtime.smpp.link.settings = replace(runtime.smpp.link.settings, bind_wait=0.2)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, refused_account, [PLASGATE_DEFAULT_RECIPIENT], "Not now")
    assert caught.value.translation_key == "cannot_connect"
    assert "not bound" in str(caught.value)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"] == []


def smpp_login_issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    """The repairs that say an SMPP login is refused."""
    return [
        issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == "sms_gateway" and issue_id.startswith("smpp_login_refused")
    ]


async def test_a_refused_login_raises_a_repair_until_a_login_binds(
    hass: HomeAssistant, refused_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    [issue] = smpp_login_issues(hass)
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {"account": refused_account.title}

    # The right password, saved in the options: the reload binds and the repair goes.
    hass.config_entries.async_update_entry(
        refused_account, options={CONF_SMPP: smpp_options(plasgate_smpp_simulator)}
    )
    await hass.config_entries.async_reload(refused_account.entry_id)
    await wait_until(lambda: link_state(hass, refused_account) == "bound")
    assert smpp_login_issues(hass) == []


async def test_switching_smpp_off_withdraws_the_repair(
    hass: HomeAssistant, refused_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    assert smpp_login_issues(hass) != []
    off = smpp_options(plasgate_smpp_simulator, password="wrong", enabled=False)
    hass.config_entries.async_update_entry(refused_account, options={CONF_SMPP: off})
    await hass.config_entries.async_reload(refused_account.entry_id)
    await hass.async_block_till_done()
    assert smpp_login_issues(hass) == []


async def test_the_device_says_it_runs_over_smpp(
    hass: HomeAssistant, smpp_account: MockConfigEntry
) -> None:
    device = account_device(hass, smpp_account)
    assert (device.manufacturer, device.model) == ("Plasgate", "SMPP v3.4")


async def test_a_long_message_is_reported_once_by_its_first_part(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    answers = await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "a" * 400)
    smpp = plasgate_smpp_simulator.sim.smpp
    await wait_until(lambda: len(smpp.snapshot()["receipts"]) == 3)
    # The receipts come in order on one connection: once the next send's has come, all three have.
    await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "after")
    await wait_until(lambda: len(reports) == 2)
    first, after = smpp.snapshot()["submitted"]
    assert first["parts"] == 3
    assert answers[0]["segments"] == 3
    assert [report.data["message_id"] for report in reports] == [
        first["message_ids"][0],
        after["message_id"],
    ]


async def test_home_assistant_stopping_unbinds(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await wait_until(lambda: link_state(hass, smpp_account) == "stopped")
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["counts"].get("unbind") == 1


async def test_no_callback_url_is_asked_for_over_smpp(
    hass: HomeAssistant, smpp_account: MockConfigEntry
) -> None:
    """Losing the external URL is no problem over SMPP: nothing calls back."""
    await hass.config.async_update(external_url="https://example.com")
    await hass.config.async_update(external_url=None)
    await hass.async_block_till_done()
    assert [
        issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == "sms_gateway"
    ] == []


async def test_unloading_unbinds(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    await hass.config_entries.async_unload(smpp_account.entry_id)
    await hass.async_block_till_done()
    assert smpp_account.state is ConfigEntryState.NOT_LOADED
    snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
    assert snapshot["counts"].get("unbind") == 1
    assert snapshot["binds"] == []


async def test_nothing_secret_reaches_the_log(
    hass: HomeAssistant,
    smpp_account: MockConfigEntry,
    plasgate_smpp_simulator: RunningPlasgate,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    smpp = plasgate_smpp_simulator.sim.smpp
    await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "secret text")
    await smpp.deliver(SENDER, SHORT_CODE, "incoming secret")
    await set_faults(plasgate_smpp_simulator, smpp_malformed="deliver_body")
    await wait_until(lambda: any("deliver_sm" in r.getMessage() for r in caplog.records))
    await set_faults(plasgate_smpp_simulator, smpp_drop_binds=True)
    await wait_until(lambda: link_state(hass, smpp_account) == "bound")
    await hass.config_entries.async_unload(smpp_account.entry_id)
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}"
        for record in caplog.records
        if record.name.startswith(("custom_components", "aiosmpplib", "homeassistant"))
    )
    assert "deliver_sm" in logged  # the malformed one was logged, without its content
    for secret in ("85512345678", SENDER, "secret text", "incoming secret"):
        assert secret not in logged
    assert "password='demo'" not in logged


async def test_an_unanswered_submit_is_uncertain_and_not_resent(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_drop_after_submit=1)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "Maybe")
    assert caught.value.translation_key == "send_uncertain"
    await wait_until(lambda: link_state(hass, smpp_account) == "bound")
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert counts["submit_sm"] == 1


async def test_submits_in_flight_when_the_link_drops_are_all_uncertain(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    """The window had all four on the wire when the server dropped the link: none is resent."""
    await set_faults(plasgate_smpp_simulator, smpp_drop_after_submit=1)
    numbers = [f"+8551234560{index}" for index in range(4)]
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, smpp_account, numbers, "Bulk")
    assert caught.value.translation_key == "send_partial"
    placeholders = caught.value.translation_placeholders
    assert (placeholders["queued"], placeholders["uncertain"]) == ("0", "4")
    await wait_until(lambda: link_state(hass, smpp_account) == "bound")
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]["submit_sm"] <= 4


async def test_with_a_window_of_one_only_the_unanswered_recipient_is_uncertain(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    """The others were never written: they go on the next bind."""
    await set_up_over_smpp(hass, plasgate_entry, plasgate_smpp_simulator, window=1)
    await wait_until(lambda: link_state(hass, plasgate_entry) == "bound")
    await set_faults(plasgate_smpp_simulator, smpp_drop_after_submit=1)
    numbers = [f"+8551234560{index}" for index in range(4)]
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, plasgate_entry, numbers, "Bulk")
    placeholders = caught.value.translation_placeholders
    assert (placeholders["queued"], placeholders["uncertain"]) == ("3", "1")
    submitted = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert sorted(message["to"] for message in submitted) == [n[1:] for n in numbers]
    await wind_down(hass, plasgate_entry, plasgate_smpp_simulator)


async def test_a_sender_the_server_refuses_fails_plainly(
    hass: HomeAssistant, smpp_account: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, smpp_account, [PLASGATE_DEFAULT_RECIPIENT], "Hi", sender="Unknown")
    assert "ESME_RINVSRCADR" in str(caught.value)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"] == []


async def test_diagnostics_show_the_link_without_its_login(
    hass: HomeAssistant, smpp_account: MockConfigEntry
) -> None:
    from custom_components.sms_gateway.diagnostics import async_get_config_entry_diagnostics

    diagnostics = await async_get_config_entry_diagnostics(hass, smpp_account)
    assert diagnostics["smpp"]["state"] == "bound"
    saved = diagnostics["entry"]["options"][CONF_SMPP]
    assert saved[CONF_PASSWORD] == "**REDACTED**"
    assert saved[CONF_SYSTEM_ID] == "**REDACTED**"


async def test_a_set_up_while_home_assistant_stops_binds_nothing(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    """A reload late in a stop: the stop event has gone, so nothing would unbind a new link."""
    hass.set_state(CoreState.stopping)
    try:
        await set_up_over_smpp(hass, plasgate_entry, plasgate_smpp_simulator)
        assert plasgate_entry.runtime_data.smpp.state is LinkState.DISCONNECTED
    finally:
        hass.set_state(CoreState.running)
    await wind_down(hass, plasgate_entry, plasgate_smpp_simulator)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["counts"].get("bind_transceiver") is None


async def test_a_failed_set_up_leaves_no_link_running(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, plasgate_smpp_simulator: RunningPlasgate
) -> None:
    """Home Assistant runs no unload callback after an unexpected error: start nothing before."""
    with patch.object(
        hass.config_entries, "async_forward_entry_setups", side_effect=RuntimeError("boom")
    ):
        await set_up_over_smpp(hass, plasgate_entry, plasgate_smpp_simulator)
    assert plasgate_entry.state is ConfigEntryState.SETUP_ERROR
    assert plasgate_entry.runtime_data.smpp.state is LinkState.DISCONNECTED
