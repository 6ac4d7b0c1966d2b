"""A send that may have reached the gateway is uncertain: told so, never resent, still followed.

A server error (5xx), a timeout or a dropped connection may come after the gateway queued the SMS.
The caller is told the send is uncertain, the simulator sees exactly one request, and the send's
user_ids stay known, so the delivery reports that arrive later still carry the message id.
"""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import EVENT_DELIVERY_REPORT
from tests.conftest import RunningDinstar
from tests.integration.test_send import (
    NUMBER,
    SEND_PATH,
    push_to_home_assistant,
    reports,
    requests_to,
    send_bodies,
    send_sms,
    sim_control,
    sim_state,
    until,
)

QUEUED_THEN_500 = {"send_sms_500_after_queue": True}


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param(QUEUED_THEN_500, id="queued-then-500"),
        pytest.param({**QUEUED_THEN_500, "error_http_status": "error_code"}, id="http-500"),
        pytest.param({"fail_500_paths": [SEND_PATH]}, id="500-before-queueing"),
        pytest.param({"drop_connection_paths": [SEND_PATH]}, id="connection-reset"),
        pytest.param({"timeout_paths": [SEND_PATH]}, id="timeout"),
    ],
)
async def test_a_send_that_may_have_gone_is_uncertain_and_sent_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    faults: dict[str, Any],
) -> None:
    init_integration.runtime_data.client._transport._timeout = 0.5  # the timeout case, quickly
    await sim_control(dinstar_simulator, "faults", faults)

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "send_uncertain"
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1


async def test_reports_of_a_send_queued_then_answered_500_carry_its_id(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await push_to_home_assistant(dinstar_simulator, hass_client_no_auth)
    await sim_control(dinstar_simulator, "faults", QUEUED_THEN_500)
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "send_uncertain"
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1
    [body] = await send_bodies(dinstar_simulator)
    user_id = body["param"][0]["user_id"]

    # The gateway did queue it: it goes out and its reports are pushed without the user_id.
    async def pushed_all() -> bool:
        pushes = (await sim_state(dinstar_simulator))["pushes"]
        return bool(pushes["sent"] == 2 and pushes["pending"] == 0)

    await until(pushed_all)
    await hass.async_block_till_done()
    assert reports(events) == [(user_id, "delivered"), (user_id, "sent")]
    assert all(event.data["recipient"] == NUMBER for event in events)
    [record] = (await sim_state(dinstar_simulator))["results"]
    assert record["user_id"] == user_id
    assert await requests_to(dinstar_simulator, SEND_PATH) == 1  # never sent again


async def test_a_refused_send_is_still_refused_and_forgotten(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    """550 (no port) is a plain refusal: nothing was queued, so nothing is uncertain."""
    for port in range(8):
        await sim_control(dinstar_simulator, f"ports/{port}", {"reg": "UNREGISTER"})

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, init_integration, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "no_port_available"
    tracker = init_integration.runtime_data.sends
    assert not tracker._tracked
