"""Failover routes against the simulators: the next service only after a certain refusal."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    CONF_DEFAULT_RECIPIENTS,
    CONF_ROUTE_SERVICES,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
)
from custom_components.sms_gateway.diagnostics import async_get_config_entry_diagnostics
from custom_components.sms_gateway.providers.errors import (
    AuthError,
    ProviderConnectionError,
    ProviderUnreachableError,
    ServiceError,
)
from custom_components.sms_gateway.routes.reports import remember_route, route_of
from custom_components.sms_gateway.routes.sender import certainly_not_sent
from simulators.plasgate.simulator import PlasgateSimulator
from simulators.smslink.http_api import SingleSend
from simulators.smslink.simulator import SmsLinkSimulator
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink

from .conftest import set_up
from .setups import route_entry, send_sms
from .test_send import SEND_PATH, requests_to, sim_control, until

NUMBER = "+40712345678"
SMSLINK_SEND = "/sms/gateway/communicate/index.php"


@pytest.fixture
async def route(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    smslink_account: MockConfigEntry,
    plasgate_account: MockConfigEntry,
) -> MockConfigEntry:
    """The gateway first, then SMSLink, then Plasgate."""
    services = [init_integration, smslink_account, plasgate_account]
    assert all(entry.state is ConfigEntryState.LOADED for entry in services)
    entry = route_entry("SMS alerts", services, {CONF_DEFAULT_RECIPIENTS: [NUMBER]})
    return await set_up(hass, entry)


@pytest.fixture
async def gateway_without_sim(route: MockConfigEntry, dinstar_simulator: RunningDinstar) -> None:
    """Every port of the route's gateway loses its SIM: the gateway certainly cannot send."""
    for port in range(8):
        await sim_control(dinstar_simulator, f"ports/{port}", {"reg": "UNREGISTER"})


@dataclass
class Clouds:
    """What reached the two cloud services behind the gateway."""

    smslink: SmsLinkSimulator
    plasgate: PlasgateSimulator

    def smslink_sends(self) -> int:
        """SMS the account took (index.php also answers the balance queries)."""
        return len(self.smslink.account.messages)

    def smslink_requests(self) -> int:
        return self.smslink.request_counts[SMSLINK_SEND]

    def plasgate_sends(self) -> int:
        return len(self.plasgate.api.messages)


@pytest.fixture
def clouds(smslink_simulator: RunningSmsLink, plasgate_simulator: RunningPlasgate) -> Clouds:
    return Clouds(smslink_simulator.sim, plasgate_simulator.sim)


def refuse_login(sim: SmsLinkSimulator) -> None:
    """SMSLink no longer takes the password the account was set up with."""
    sim.single = SingleSend(sim.account, sim.sending, sim.faults, sim.settings.connection_id, "new")


# --- carried by the first service that can -------------------------------------------------------


async def test_the_first_service_carries_when_it_can(
    hass: HomeAssistant, route: MockConfigEntry, init_integration: MockConfigEntry, clouds: Clouds
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    # Waiting reads the gateway's sending results, which become delivery report events.
    [answer] = await send_sms(hass, route, [NUMBER], wait=True, timeout=10)

    assert answer["carried_by"] == init_integration.entry_id
    assert answer["carried_by_title"] == init_integration.title
    assert answer["status"] in {"sent", "delivered"}
    assert clouds.smslink_sends() == 0
    assert clouds.plasgate_sends() == 0
    [report] = [event.data for event in events if event.data["status"] == answer["status"]]
    assert report["entry_id"] == init_integration.entry_id
    assert report["message_id"] == answer["user_id"]
    assert report["route_entry_id"] == route.entry_id


@pytest.mark.usefixtures("gateway_without_sim")
async def test_gateway_without_a_registered_sim_moves_to_smslink(
    hass: HomeAssistant,
    route: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    smslink_account: MockConfigEntry,
    clouds: Clouds,
) -> None:
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    [answer] = await send_sms(hass, route, [NUMBER])

    assert await requests_to(dinstar_simulator, SEND_PATH) == 1
    assert answer["carried_by"] == smslink_account.entry_id
    assert answer["carried_by_title"] == "SMSLink"
    assert answer["status"] == "queued"
    assert clouds.smslink_sends() == 1
    assert clouds.plasgate_sends() == 0
    # The carrier's delivery report names the route, and the message id ties it to the answer.
    await until(lambda: any(event.data["status"] == "delivered" for event in events))
    delivered = next(event.data for event in events if event.data["status"] == "delivered")
    assert delivered["entry_id"] == smslink_account.entry_id
    assert delivered["message_id"] == answer["message_id"]
    assert delivered["route_entry_id"] == route.entry_id


async def test_gateway_down_moves_to_smslink(
    hass: HomeAssistant,
    route: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    smslink_account: MockConfigEntry,
    clouds: Clouds,
) -> None:
    await dinstar_simulator.server.stop()  # connections are refused: nothing can have been sent
    await asyncio.sleep(0.1)  # a kept-alive connection learns it was closed

    [answer] = await send_sms(hass, route, [NUMBER])

    assert answer["carried_by"] == smslink_account.entry_id
    assert answer["status"] == "queued"
    assert clouds.plasgate_sends() == 0


@pytest.mark.usefixtures("gateway_without_sim")
async def test_smslink_unreachable_moves_to_plasgate(
    hass: HomeAssistant,
    route: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    plasgate_account: MockConfigEntry,
    clouds: Clouds,
) -> None:
    await smslink_simulator.server.stop()
    await asyncio.sleep(0.1)  # a kept-alive connection learns it was closed

    [answer] = await send_sms(hass, route, [NUMBER])

    assert answer["carried_by"] == plasgate_account.entry_id
    assert clouds.plasgate_sends() == 1


@pytest.mark.usefixtures("gateway_without_sim")
async def test_smslink_refusing_the_number_moves_to_plasgate(
    hass: HomeAssistant, route: MockConfigEntry, plasgate_account: MockConfigEntry, clouds: Clouds
) -> None:
    landline = "+40212345678"  # SMSLink answers "Invalid receiver number."
    asked = clouds.smslink_requests()

    [answer] = await send_sms(hass, route, [landline])

    assert clouds.smslink_requests() == asked + 1
    assert clouds.smslink_sends() == 0
    assert answer["carried_by"] == plasgate_account.entry_id
    assert answer["carried_by_title"] == "Plasgate"
    assert answer["status"] == "queued"
    assert clouds.plasgate_sends() == 1


@pytest.mark.usefixtures("gateway_without_sim")
@pytest.mark.parametrize(
    "refuse",
    [
        pytest.param(lambda sim: setattr(sim.account, "national_credit", 0), id="no credit"),
        pytest.param(lambda sim: refuse_login(sim), id="login"),
    ],
)
async def test_smslink_refusing_the_account_moves_to_plasgate(
    hass: HomeAssistant,
    route: MockConfigEntry,
    plasgate_account: MockConfigEntry,
    clouds: Clouds,
    refuse: Callable[[Any], None],
) -> None:
    refuse(clouds.smslink)
    asked = clouds.smslink_requests()

    [answer] = await send_sms(hass, route, [NUMBER])

    assert clouds.smslink_requests() == asked + 1
    assert clouds.smslink_sends() == 0
    assert answer["carried_by"] == plasgate_account.entry_id
    assert clouds.plasgate_sends() == 1


# --- uncertain: never a second send --------------------------------------------------------------


async def test_gateway_500_after_queueing_is_uncertain_and_not_resent(
    hass: HomeAssistant,
    route: MockConfigEntry,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    clouds: Clouds,
) -> None:
    await sim_control(dinstar_simulator, "faults", {"send_sms_500_after_queue": True})

    [answer] = await send_sms(hass, route, [NUMBER])

    assert answer["status"] == "uncertain"
    assert answer["carried_by"] == init_integration.entry_id
    assert "500" in answer["error"]
    assert clouds.smslink_sends() == 0
    assert clouds.plasgate_sends() == 0


@pytest.mark.usefixtures("gateway_without_sim")
async def test_smslink_dropping_the_connection_is_uncertain_and_not_resent(
    hass: HomeAssistant, route: MockConfigEntry, smslink_account: MockConfigEntry, clouds: Clouds
) -> None:
    clouds.smslink.faults["down"] = True  # the request arrives, the answer never does
    asked = clouds.smslink_requests()

    [answer] = await send_sms(hass, route, [NUMBER])

    assert clouds.smslink_requests() == asked + 1
    assert answer["status"] == "uncertain"
    assert answer["carried_by"] == smslink_account.entry_id
    assert clouds.plasgate_sends() == 0


# --- nobody, some, waiting -----------------------------------------------------------------------


@pytest.mark.usefixtures("gateway_without_sim")
async def test_every_service_refusing_raises_with_the_count(
    hass: HomeAssistant, route: MockConfigEntry, clouds: Clouds
) -> None:
    refuse_login(clouds.smslink)
    clouds.plasgate.settings.secret = "changed"

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, route, [NUMBER, "+40712345679"])

    assert caught.value.translation_key == "route_not_sent"
    placeholders = caught.value.translation_placeholders or {}
    assert placeholders["count"] == "2"
    assert placeholders["title"] == "SMS alerts"
    assert NUMBER not in str(placeholders)


async def test_a_recipient_nobody_takes_is_reported_beside_the_others(
    hass: HomeAssistant,
    route: MockConfigEntry,
    init_integration: MockConfigEntry,
) -> None:
    answers = await send_sms(hass, route, [NUMBER, "12"])

    assert [answer["status"] for answer in answers] == ["queued", "not_sent"]
    assert answers[0]["carried_by"] == init_integration.entry_id
    assert answers[1]["carried_by"] is None
    assert answers[1]["error"] == "invalid_numbers"


@pytest.mark.usefixtures("gateway_without_sim")
async def test_wait_on_a_cloud_service(
    hass: HomeAssistant, route: MockConfigEntry, smslink_account: MockConfigEntry
) -> None:
    [answer] = await send_sms(hass, route, [NUMBER], wait=True, timeout=10)

    assert answer["status"] == "delivered"
    assert answer["carried_by"] == smslink_account.entry_id


async def test_a_service_not_loaded_is_skipped(
    hass: HomeAssistant,
    route: MockConfigEntry,
    init_integration: MockConfigEntry,
    smslink_account: MockConfigEntry,
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)

    [answer] = await send_sms(hass, route, [NUMBER])

    assert answer["carried_by"] == smslink_account.entry_id


async def test_no_service_loaded_sends_nothing(
    hass: HomeAssistant, smslink_account: MockConfigEntry
) -> None:
    route = await set_up(hass, route_entry("Nowhere", ["gone"]))

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, route, [NUMBER])

    assert caught.value.translation_key == "route_not_sent"


# --- what a route refuses, and its other faces ---------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"ports": [1]}, {"sender": "Shop"}, {"encoding": "unicode"}],
    ids=["ports", "sender", "encoding"],
)
async def test_per_service_options_are_refused(
    hass: HomeAssistant, route: MockConfigEntry, options: dict[str, Any]
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, route, [NUMBER], **options)

    assert caught.value.translation_key == "route_option_not_supported"
    assert (caught.value.translation_placeholders or {})["option"] == next(iter(options))


async def test_empty_recipients_are_refused(hass: HomeAssistant, route: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, route, [" "])

    assert caught.value.translation_key == "no_recipients"


async def test_notify_service_and_entity_send_through_the_route(
    hass: HomeAssistant,
    route: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
) -> None:
    await hass.services.async_call(
        "notify", "sms_alerts", {"message": "Legacy", "target": [NUMBER]}, blocking=True
    )
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.sms_alerts_sms_to_default_recipients", "message": "Entity"},
        blocking=True,
    )

    assert await requests_to(dinstar_simulator, SEND_PATH) == 2


async def test_balance_and_diagnostics_of_a_route(
    hass: HomeAssistant, route: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "refresh_balance", {"config_entry_id": route.entry_id}, blocking=True
        )
    assert caught.value.translation_key == "route_no_balance"

    diagnostics = await async_get_config_entry_diagnostics(hass, route)  # type: ignore[arg-type]
    assert (
        diagnostics["entry"]["options"][CONF_ROUTE_SERVICES] == route.options[CONF_ROUTE_SERVICES]
    )
    assert diagnostics["entry"]["options"][CONF_DEFAULT_RECIPIENTS] == "**REDACTED**"


async def test_a_removed_route_unloads(hass: HomeAssistant, route: MockConfigEntry) -> None:
    assert await hass.config_entries.async_remove(route.entry_id)
    await hass.async_block_till_done()

    assert not hass.services.has_service("notify", "sms_alerts")


async def test_only_the_newest_routed_sends_are_remembered(hass: HomeAssistant) -> None:
    for message_id in range(4097):
        remember_route(hass, "gateway", str(message_id), "route")

    assert route_of(hass, "gateway", 0) == {}
    assert route_of(hass, "gateway", 4096) == {"route_entry_id": "route"}
    assert route_of(hass, "gateway", None) == {}


@pytest.mark.parametrize(
    ("error", "certain"),
    [
        (AuthError("refused"), True),
        (ProviderUnreachableError("refused"), True),
        (ProviderConnectionError("reset"), False),
        (ServiceError(500, "failed"), False),
        (HomeAssistantError("other"), False),
    ],
)
def test_which_errors_are_certain(error: Exception, certain: bool) -> None:
    assert certainly_not_sent(error) is certain  # type: ignore[arg-type]
