"""A cloud callback must be this account's: a report naming another SMSLink connection is refused.

SMSLink's extended delivery report fields name the connection the SMS went through (spec §2.8);
the account's own reports, played by the simulator over a socket, name ours and are taken. One
naming another connection is answered 400 with an empty body, sets off no event and is logged
once per burst, whether it comes straight to the webhook or relayed by Home Assistant Cloud.
"""

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.util.aiohttp import MockRequest
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import EVENT_DELIVERY_REPORT
from tests.conftest import RunningSmsLink

from .cloud_setups import debug_reports
from .conftest import SMSLINK_DEFAULT_RECIPIENT, SMSLINK_WEBHOOK_ID, WebClient, wait_until
from .setups import send_sms

PATH = f"/api/webhook/{SMSLINK_WEBHOOK_ID}"
FOREIGN = "another-connection-7f3e"


def report(message_id: str, **extra: str) -> dict[str, str]:
    """An SMSLink delivery report with the extended fields."""
    return {
        "message_id": message_id,
        "status": "1",
        "timestamp": "1740878151",
        "network_id": "2",
        "network_type": "1",
        "delivery_report": "DELIVRD",
        "message_count": "1",
        **extra,
    }


async def test_reports_naming_our_connection_are_taken(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["dlr_extended"] = True
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    result = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT])

    await wait_until(lambda: bool(events) and bool(smslink_simulator.sim.callbacks.history))
    called = smslink_simulator.sim.callbacks.history[-1]
    assert (called["fields"]["connection_id"], called["status"]) == ("demo", 200)
    assert [(event.data["message_id"], event.data["status"]) for event in events] == [
        (result[0]["message_id"], "delivered")
    ]


async def test_reports_naming_another_connection_are_refused_and_logged_once(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = debug_reports(hass, caplog)

    for message_id in range(30):
        response = await web_client.get(PATH, params=report(str(message_id), connection_id=FOREIGN))
        assert response.status == 400
        assert await response.text() == ""
    response = await web_client.post(PATH, data=report("31", connection_id=FOREIGN))
    assert response.status == 400
    await hass.async_block_till_done()

    assert events == []
    refusals = [r.getMessage() for r in caplog.records if "another connection" in r.getMessage()]
    assert refusals == [
        "Refused an SMSLink report for another connection: it names another connection ID"
    ]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert not [message for message in ours if FOREIGN in message]

    # The same report naming ours, for a message it sent, is taken: the connection made the
    # difference (the simulator's own report is held back, so that this one is the first).
    smslink_simulator.sim.faults["dlr_delay_s"] = 3600
    [sent] = await send_sms(hass, smslink_account, [SMSLINK_DEFAULT_RECIPIENT])
    response = await web_client.get(PATH, params=report(sent["message_id"], connection_id="demo"))
    assert response.status == 200
    await hass.async_block_till_done()
    assert [event.data["message_id"] for event in events] == [sent["message_id"]]


async def test_a_relayed_report_for_another_connection_is_refused(
    hass: HomeAssistant, smslink_account: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    query = "&".join(f"{key}={value}" for key, value in report("7", connection_id=FOREIGN).items())
    relayed = MockRequest(content=b"", mock_source="cloud", method="GET", query_string=query)

    response = await webhook.async_handle_webhook(hass, SMSLINK_WEBHOOK_ID, relayed)
    await hass.async_block_till_done()

    assert response.status == 400
    assert events == []
