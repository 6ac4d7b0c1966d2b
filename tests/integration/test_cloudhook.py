"""An account's cloudhook follows the Home Assistant Cloud subscription, not only the first flow.

Home Assistant Cloud has no simulator: its state (logged in, subscribed, connected) and its two
cloudhook calls are mocked, and its connection changes are sent on Home Assistant's own signal.
Everything else is real: the accounts run against the SMSLink and Plasgate simulators, and where a
report must arrive it comes over a socket to Home Assistant's HTTP server.
"""

from collections.abc import Iterator
from dataclasses import dataclass
import json
from unittest.mock import AsyncMock, patch

from homeassistant.components.cloud import (
    SIGNAL_CLOUD_CONNECTION_STATE,
    CloudConnectionState,
    CloudNotAvailable,
)
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.const import (
    CONF_CLOUDHOOK_URL,
    DOMAIN,
    EVENT_DELIVERY_REPORT,
)
from tests.conftest import RunningPlasgate, RunningSmsLink
from tests.integration.cloud_setups import open_options

from .conftest import (
    PLASGATE_DEFAULT_RECIPIENT,
    PLASGATE_WEBHOOK_ID,
    SMSLINK_DEFAULT_RECIPIENT,
    SMSLINK_WEBHOOK_ID,
    WebClient,
    set_up,
    wait_until,
)
from .test_cloud_send import send_sms

CLOUD = "homeassistant.components.cloud"
# Nothing listens there: a report sent to the "cloudhook" is lost, as it would be unrelayed.
CLOUDHOOK_URL = "http://127.0.0.1:9/cloudhook-for-the-test"
EARLIER_CLOUDHOOK_URL = "http://127.0.0.1:9/cloudhook-from-the-flow"


@dataclass
class FakeCloud:
    """What Home Assistant Cloud would answer; the tests change it and announce the change."""

    hass: HomeAssistant
    create: AsyncMock
    delete: AsyncMock
    logged_in: bool = False
    subscribed: bool = False
    connected: bool = False

    def subscribe(self) -> None:
        self.logged_in = self.subscribed = self.connected = True

    async def announce(self, state: CloudConnectionState) -> None:
        """Send the connection change the cloud integration sends, and let it be handled."""
        async_dispatcher_send(self.hass, SIGNAL_CLOUD_CONNECTION_STATE, state)
        await self.hass.async_block_till_done()


@pytest.fixture
def cloud(hass: HomeAssistant) -> Iterator[FakeCloud]:
    """The cloud integration loaded, logged out; its state and cloudhook calls mocked."""
    hass.config.components.add("cloud")
    fake = FakeCloud(hass, AsyncMock(return_value=CLOUDHOOK_URL), AsyncMock())
    with (
        patch(f"{CLOUD}.async_is_logged_in", side_effect=lambda _hass: fake.logged_in),
        patch(
            f"{CLOUD}.async_active_subscription",
            side_effect=lambda _hass: fake.logged_in and fake.subscribed,
        ),
        patch(f"{CLOUD}.async_is_connected", side_effect=lambda _hass: fake.connected),
        patch(f"{CLOUD}.async_remote_ui_url", side_effect=CloudNotAvailable),
        patch(f"{CLOUD}.async_get_or_create_cloudhook", fake.create),
        patch(f"{CLOUD}.async_delete_cloudhook", fake.delete),
    ):
        yield fake


def with_cloudhook(entry: MockConfigEntry, url: str = EARLIER_CLOUDHOOK_URL) -> MockConfigEntry:
    """The same entry as the flow leaves it when the user was subscribed then."""
    return MockConfigEntry(
        domain=entry.domain,
        title=entry.title,
        unique_id=entry.unique_id,
        data={**entry.data, CONF_CLOUDHOOK_URL: url},
        options=dict(entry.options),
    )


def issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    """The integration's repairs by translation key."""
    return {
        issue.translation_key or "": issue
        for (domain, _issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }


async def shown_callback_url(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The URL the account's options page shows, as the repairs tell the user to look there."""
    result = await open_options(hass, entry)
    hass.config_entries.options.async_abort(result["flow_id"])
    url: str = result["description_placeholders"]["callback_url"]
    return url


async def last_dlr_url(hass: HomeAssistant, entry: MockConfigEntry, sim: RunningPlasgate) -> str:
    """Send one SMS and give the delivery report URL Plasgate was told with it."""
    await send_sms(hass, entry, [PLASGATE_DEFAULT_RECIPIENT])
    dlr = sim.sim.api.messages[-1].dlr
    assert dlr is not None
    return dlr.url


def external(web_client: WebClient, webhook_id: str) -> str:
    return str(web_client.make_url(f"/api/webhook/{webhook_id}"))


# --- Plasgate: told with every send ------------------------------------------------------------


async def test_a_subscription_taken_later_makes_the_cloudhook_sends_then_use(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    plasgate_simulator.sim.switches["dlr_retries"] = 0
    entry = await set_up(hass, plasgate_entry)
    assert await last_dlr_url(hass, entry, plasgate_simulator) == external(
        web_client, PLASGATE_WEBHOOK_ID
    )

    cloud.subscribe()
    await cloud.announce(CloudConnectionState.CLOUD_CONNECTED)

    cloud.create.assert_awaited_once_with(hass, PLASGATE_WEBHOOK_ID)
    assert entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL
    assert await last_dlr_url(hass, entry, plasgate_simulator) == CLOUDHOOK_URL
    assert await shown_callback_url(hass, entry) == CLOUDHOOK_URL
    assert issues(hass) == {}  # Plasgate needs telling nothing: the next send carries the URL


async def test_subscribed_at_start_without_a_cloudhook_makes_one(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    """Subscribed since the flow ran without one: set-up makes it; a second set-up keeps it."""
    cloud.subscribe()
    entry = await set_up(hass, plasgate_entry)
    assert entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    cloud.create.assert_awaited_once()
    cloud.delete.assert_not_called()


async def test_subscribed_but_offline_waits_for_the_connection(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    cloud.subscribe()
    cloud.connected = False
    entry = await set_up(hass, plasgate_entry)
    cloud.create.assert_not_called()

    cloud.connected = True
    await cloud.announce(CloudConnectionState.CLOUD_CONNECTED)

    assert entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL


async def test_cloud_unreachable_when_making_it_leaves_the_external_url(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    cloud.subscribe()
    cloud.create.side_effect = CloudNotAvailable
    entry = await set_up(hass, plasgate_entry)

    assert CONF_CLOUDHOOK_URL not in entry.data
    assert await last_dlr_url(hass, entry, plasgate_simulator) == external(
        web_client, PLASGATE_WEBHOOK_ID
    )


async def test_a_lost_connection_keeps_the_cloudhook(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    """Subscribed but briefly offline: Cloud reconnects and relays again; nothing changes."""
    cloud.subscribe()
    entry = await set_up(hass, with_cloudhook(plasgate_entry))

    cloud.connected = False
    await cloud.announce(CloudConnectionState.CLOUD_DISCONNECTED)

    assert entry.data[CONF_CLOUDHOOK_URL] == EARLIER_CLOUDHOOK_URL
    cloud.create.assert_not_called()
    cloud.delete.assert_not_called()


async def test_an_ended_subscription_gives_the_cloudhook_back_and_reports_come_direct(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    cloud.subscribe()
    entry = await set_up(hass, with_cloudhook(plasgate_entry))
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)

    cloud.subscribed = False  # still logged in: the subscription expired
    await cloud.announce(CloudConnectionState.CLOUD_DISCONNECTED)

    cloud.delete.assert_awaited_once_with(hass, PLASGATE_WEBHOOK_ID)
    assert CONF_CLOUDHOOK_URL not in entry.data
    assert await last_dlr_url(hass, entry, plasgate_simulator) == external(
        web_client, PLASGATE_WEBHOOK_ID
    )
    await wait_until(lambda: any(event.data["status"] == "delivered" for event in events))
    assert issues(hass) == {}


async def test_a_logout_forgets_the_cloudhook_without_asking_cloud(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    cloud.subscribe()
    entry = await set_up(hass, with_cloudhook(plasgate_entry))

    cloud.logged_in = cloud.connected = False
    await cloud.announce(CloudConnectionState.CLOUD_DISCONNECTED)

    cloud.delete.assert_not_called()  # the cloudhooks went with the account
    assert CONF_CLOUDHOOK_URL not in entry.data


async def test_a_cloudhook_cloud_cannot_delete_is_dropped_all_the_same(
    hass: HomeAssistant,
    cloud: FakeCloud,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    cloud.delete.side_effect = ValueError("Hook is not registered")
    cloud.logged_in = True  # subscription expired while Home Assistant was off
    entry = await set_up(hass, with_cloudhook(plasgate_entry))

    cloud.delete.assert_awaited_once()
    assert CONF_CLOUDHOOK_URL not in entry.data


async def test_without_the_cloud_integration_the_cloudhook_is_kept_unused(
    hass: HomeAssistant,
    plasgate_entry: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
) -> None:
    """Cloud not loaded: nothing relays the cloudhook, so sends name the external URL; the
    cloudhook stays the entry's, to be used when Cloud is back or given back on removal."""
    entry = await set_up(hass, with_cloudhook(plasgate_entry))

    assert await last_dlr_url(hass, entry, plasgate_simulator) == external(
        web_client, PLASGATE_WEBHOOK_ID
    )
    assert entry.data[CONF_CLOUDHOOK_URL] == EARLIER_CLOUDHOOK_URL
    assert issues(hass) == {}


# --- SMSLink: the URL is pasted in the account by hand -----------------------------------------


async def test_smslink_new_cloudhook_raises_a_repair_pointing_at_the_options(
    hass: HomeAssistant,
    cloud: FakeCloud,
    smslink_account: MockConfigEntry,
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    cloud.subscribe()
    await cloud.announce(CloudConnectionState.CLOUD_CONNECTED)

    repair = issues(hass)["callback_url_changed"]
    assert repair.is_fixable
    assert repair.is_persistent
    assert repair.translation_placeholders == {"account": smslink_account.title}
    text = json.dumps(repair.to_json()) + repr(repair)
    assert CLOUDHOOK_URL not in text
    assert SMSLINK_WEBHOOK_ID not in text
    assert await shown_callback_url(hass, smslink_account) == CLOUDHOOK_URL

    # The user pasted the URL and says so: the repair goes.
    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(DOMAIN, data={"issue_id": repair.issue_id})
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issues(hass) == {}


async def test_smslink_lost_every_url_then_gets_an_external_one(
    hass: HomeAssistant,
    cloud: FakeCloud,
    smslink_entry: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
) -> None:
    """Subscription ends without an external URL: a repair says no callback can arrive; an
    external URL set later clears it, asks for the URL to be pasted, and reports then arrive."""
    outside = str(web_client.make_url("/")).rstrip("/")
    await hass.config.async_update(external_url=None)
    cloud.subscribe()
    entry = await set_up(hass, with_cloudhook(smslink_entry))
    assert await shown_callback_url(hass, entry) == EARLIER_CLOUDHOOK_URL

    cloud.subscribed = False
    await cloud.announce(CloudConnectionState.CLOUD_DISCONNECTED)

    assert set(issues(hass)) == {"no_callback_url"}
    assert issues(hass)["no_callback_url"].translation_placeholders == {"account": entry.title}
    assert await shown_callback_url(hass, entry) == "-"

    await hass.config.async_update(external_url=outside)
    await hass.async_block_till_done()

    assert set(issues(hass)) == {"callback_url_changed"}
    url = await shown_callback_url(hass, entry)
    assert url == external(web_client, SMSLINK_WEBHOOK_ID)
    # Pasted in the SMSLink account: its reports come in again.
    smslink_simulator.sim.callbacks.url = url
    events = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    await send_sms(hass, entry, [SMSLINK_DEFAULT_RECIPIENT])
    await wait_until(lambda: bool(events))
    assert events[0].data["status"] == "delivered"


async def test_smslink_same_url_raises_nothing(
    hass: HomeAssistant,
    cloud: FakeCloud,
    smslink_entry: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
) -> None:
    """Subscribed with the cloudhook the flow made, or never subscribed: nothing to paste."""
    cloud.subscribe()
    entry = await set_up(hass, with_cloudhook(smslink_entry))
    await cloud.announce(CloudConnectionState.CLOUD_CONNECTED)
    await hass.config.async_update(location_name="Elsewhere")
    await hass.async_block_till_done()

    assert issues(hass) == {}
    assert entry.data[CONF_CLOUDHOOK_URL] == EARLIER_CLOUDHOOK_URL


async def test_removing_the_entry_removes_its_repairs(
    hass: HomeAssistant,
    cloud: FakeCloud,
    smslink_account: MockConfigEntry,
) -> None:
    cloud.subscribe()
    await cloud.announce(CloudConnectionState.CLOUD_CONNECTED)
    assert issues(hass)

    await hass.config_entries.async_remove(smslink_account.entry_id)
    await hass.async_block_till_done()

    assert issues(hass) == {}
    cloud.delete.assert_awaited_once_with(hass, smslink_account.data[CONF_WEBHOOK_ID])
