"""SMSLink and Plasgate accounts in Home Assistant: entities, device, balance, set-up and notify.

Everything runs against the simulators; only Home Assistant Cloud (no simulator) is patched.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any
from unittest.mock import patch

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_WEBHOOK_ID,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceEntryType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.accounts.catalog import SERVICES
from custom_components.sms_gateway.const import (
    CONF_CLOUDHOOK_URL,
    CONF_COUNTRY,
    CONF_SENDER,
    DOMAIN,
)
from simulators.smslink.settings import SmsLinkSettings
from tests.conftest import Running, RunningPlasgate, RunningSmsLink
from tests.integration.conftest import snapshot_entities

from .cloud_setups import account_device, wait_until
from .conftest import set_up
from .setups import send_sms

SMSLINK_ENTRY_ID = "01JSMSL1NKACC0VNT000000001"
PLASGATE_ENTRY_ID = "01JP1ASGATEACC0VNT00000001"
NATIONAL = "sensor.smslink_national_sms"
INTERNATIONAL = "sensor.smslink_international_sms"
SMSLINK_NOTIFY = "notify.smslink_sms_to_default_recipients"
PLASGATE_NOTIFY = "notify.plasgate_sms_to_default_recipients"
CLOUD = "homeassistant.components.cloud"


def same_entry(
    entry: MockConfigEntry,
    entry_id: str,
    *,
    unique_id: str | None = None,
    options: dict[str, Any] | None = None,
    **data: Any,
) -> MockConfigEntry:
    """The entry with a fixed entry id (unique ids follow it into snapshots), data and options."""
    return MockConfigEntry(
        domain=entry.domain,
        title=entry.title,
        unique_id=unique_id or entry.unique_id,
        data={**entry.data, **data},
        options={**entry.options, **(options or {})},
        entry_id=entry_id,
    )


@pytest.fixture(autouse=True)
async def notify_before_web_client(hass: HomeAssistant) -> None:
    """Set notify up before web_client starts the HTTP server: its test router is frozen then.

    (Home Assistant's own server keeps its router open; aiohttp's test server does not, so
    notify, which registers the repairs views, would fail to set up after it.)
    """
    assert await async_setup_component(hass, NOTIFY_DOMAIN, {})


@pytest.fixture
def only_platform() -> Platform | None:
    """Snapshot tests set up one platform; the others every platform of the provider."""
    return None


@pytest.fixture(autouse=True)
def limit_platforms(only_platform: Platform | None) -> Iterator[None]:
    """Kept until the test ends, so an unload unloads what was set up."""
    if only_platform is None:
        yield
        return
    only = {key: replace(service, platforms=(only_platform,)) for key, service in SERVICES.items()}
    with patch.dict(SERVICES, only):
        yield


@pytest.fixture(autouse=True)
async def unload_while_limited(hass: HomeAssistant, limit_platforms: None) -> AsyncIterator[None]:
    """Unload the entries before the platform limit ends: they unload what they set up."""
    yield
    for loaded in hass.config_entries.async_entries(DOMAIN):
        if loaded.state is ConfigEntryState.LOADED:
            assert await hass.config_entries.async_unload(loaded.entry_id)


@pytest.fixture(params=["smslink", "plasgate"])
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def entry(
    provider: str, smslink_entry: MockConfigEntry, plasgate_entry: MockConfigEntry
) -> MockConfigEntry:
    """The provider's entry, not set up."""
    return smslink_entry if provider == "smslink" else plasgate_entry


@pytest.fixture
def account(
    provider: str, smslink_account: MockConfigEntry, plasgate_account: MockConfigEntry
) -> MockConfigEntry:
    """The provider's account, set up (the other one is too, and stays out of the way)."""
    return smslink_account if provider == "smslink" else plasgate_account


@pytest.fixture
def smslink_entry(smslink_entry: MockConfigEntry) -> MockConfigEntry:
    return same_entry(smslink_entry, SMSLINK_ENTRY_ID)


@pytest.fixture
def plasgate_entry(plasgate_entry: MockConfigEntry) -> MockConfigEntry:
    return same_entry(plasgate_entry, PLASGATE_ENTRY_ID)


async def control(hass: HomeAssistant, running: Running[Any], path: str, body: Any) -> Any:
    """Steer a simulator through its control API, as the demo and a person would."""
    session = async_get_clientsession(hass)
    async with session.post(f"{running.url}/_sim/{path}", json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


type Sent = list[tuple[str, str, str]]


@pytest.fixture
def sent(
    smslink_simulator: RunningSmsLink, plasgate_simulator: RunningPlasgate
) -> Callable[[], Sent]:
    """(number, sender, text) of every SMS either simulated account took, in order."""

    def read() -> Sent:
        smslink = smslink_simulator.sim.account.messages.values()
        plasgate = plasgate_simulator.sim.api.messages
        return [(sms.to, sms.sender, sms.text) for sms in smslink] + [
            (sms.to, sms.sender, sms.content) for sms in plasgate
        ]

    return read


def reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[Any]:
    return list(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))


# --- entities and the account device --------------------------------------------------------


@pytest.mark.parametrize(
    ("only_platform", "entities"),
    [
        (Platform.SENSOR, {NATIONAL: "1000", INTERNATIONAL: "100"}),
        (Platform.NOTIFY, {SMSLINK_NOTIFY: STATE_UNKNOWN}),
    ],
    ids=["sensor", "notify"],
)
async def test_smslink_entities(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    entities: dict[str, str],
) -> None:
    """Balance sensors (the simulator's 1000 and 100 SMS) and the notify entity."""
    snapshot_entities(hass, snapshot, smslink_account.entry_id)

    device = account_device(hass, smslink_account)
    found = er.async_entries_for_config_entry(entity_registry, smslink_account.entry_id)
    assert {entity.entity_id: entity.device_id for entity in found} == dict.fromkeys(
        entities, device.id
    )
    assert {entity_id: state_of(hass, entity_id) for entity_id in entities} == entities


@pytest.mark.parametrize("only_platform", [Platform.NOTIFY])
async def test_plasgate_entities(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    snapshot_entities(hass, snapshot, plasgate_account.entry_id)

    [entity] = er.async_entries_for_config_entry(entity_registry, plasgate_account.entry_id)
    assert entity.entity_id == PLASGATE_NOTIFY
    assert entity.device_id == account_device(hass, plasgate_account).id
    assert state_of(hass, PLASGATE_NOTIFY) == STATE_UNKNOWN


@pytest.mark.parametrize(
    ("provider", "entities"),
    [
        ("smslink", [SMSLINK_NOTIFY, INTERNATIONAL, NATIONAL]),
        ("plasgate", [PLASGATE_NOTIFY]),  # no balance call, so no sensor
    ],
)
async def test_every_platform_of_the_provider(
    hass: HomeAssistant,
    account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entities: list[str],
) -> None:
    found = er.async_entries_for_config_entry(entity_registry, account.entry_id)
    assert sorted(entity.entity_id for entity in found) == entities


@pytest.mark.parametrize(
    ("provider", "manufacturer", "model", "url"),
    [
        ("smslink", "SMSLink", "SMS Gateway connection", "https://www.smslink.ro"),
        ("plasgate", "Plasgate", "REST API key", "https://cloud.plasgate.com"),
    ],
)
async def test_account_device(
    hass: HomeAssistant, account: MockConfigEntry, manufacturer: str, model: str, url: str
) -> None:
    device = account_device(hass, account)

    assert device.identifiers == {(DOMAIN, account.entry_id)}
    assert device.name == account.title
    assert device.manufacturer == manufacturer
    assert device.model == model
    assert device.entry_type is DeviceEntryType.SERVICE
    assert device.configuration_url == url
    assert dr.async_entries_for_config_entry(dr.async_get(hass), account.entry_id) == [device]


# --- balance --------------------------------------------------------------------------------


async def refresh_balance(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.services.async_call(
        DOMAIN, "refresh_balance", {"config_entry_id": entry.entry_id}, blocking=True
    )


async def test_a_send_lowers_the_national_balance(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    await send_sms(hass, smslink_account, ["0712 345 678"])

    assert smslink_simulator.sim.account.national_credit == 999
    await wait_until(lambda: state_of(hass, NATIONAL) == "999")
    assert state_of(hass, INTERNATIONAL) == "100"


async def test_refresh_balance_reads_the_account_again(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    await control(hass, smslink_simulator, "credit", {"national": 420, "international": 7})
    assert state_of(hass, NATIONAL) == "1000"

    await refresh_balance(hass, smslink_account)

    assert state_of(hass, NATIONAL) == "420"
    assert state_of(hass, INTERNATIONAL) == "7"


async def test_refresh_balance_of_plasgate_is_refused(
    hass: HomeAssistant, plasgate_account: MockConfigEntry, plasgate_simulator: RunningPlasgate
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await refresh_balance(hass, plasgate_account)

    assert caught.value.translation_key == "no_balance_api"
    assert caught.value.translation_placeholders == {"title": "Plasgate"}
    assert not plasgate_simulator.sim.api.request_counts


async def test_balance_unavailable_while_smslink_is_down_then_back(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    await control(hass, smslink_simulator, "faults", {"down": True})

    with pytest.raises(HomeAssistantError) as caught:
        await refresh_balance(hass, smslink_account)

    assert caught.value.translation_key == "balance_failed"
    assert caught.value.translation_placeholders == {"title": "SMSLink"}
    assert state_of(hass, NATIONAL) == STATE_UNAVAILABLE
    assert state_of(hass, INTERNATIONAL) == STATE_UNAVAILABLE
    assert smslink_account.state is ConfigEntryState.LOADED
    assert reauth_flows(hass, smslink_account) == []

    await control(hass, smslink_simulator, "faults", {"down": False})
    await control(hass, smslink_simulator, "credit", {"national": 900})
    await refresh_balance(hass, smslink_account)

    assert state_of(hass, NATIONAL) == "900"
    assert state_of(hass, INTERNATIONAL) == "100"


# --- set-up, unload and reload --------------------------------------------------------------


@pytest.mark.parametrize("smslink_settings", [SmsLinkSettings(password="changed-on-smslink")])
async def test_wrong_smslink_password_asks_for_reauth(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, smslink_settings: SmsLinkSettings
) -> None:
    assert smslink_entry.data[CONF_PASSWORD] != smslink_settings.password
    await set_up(hass, smslink_entry)

    assert smslink_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass, smslink_entry)) == 1
    assert hass.states.get(NATIONAL) is None


async def test_smslink_down_at_set_up_is_retried(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    smslink_simulator.sim.faults["down"] = True

    await set_up(hass, smslink_entry)

    assert smslink_entry.state is ConfigEntryState.SETUP_RETRY
    assert reauth_flows(hass, smslink_entry) == []
    assert not hass.services.has_service(NOTIFY_DOMAIN, "smslink")

    smslink_simulator.sim.faults["down"] = False
    assert await hass.config_entries.async_reload(smslink_entry.entry_id)
    await hass.async_block_till_done()
    assert smslink_entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("provider", "options"),
    [
        ("smslink", {CONF_COUNTRY: "ZZ"}),
        ("smslink", {CONF_SENDER: "Shop;Alerts"}),  # would break the package's line format
        ("plasgate", {CONF_COUNTRY: "ZZ"}),
        ("plasgate", {CONF_SENDER: "Twelve chars"}),  # longer than Plasgate's 11
    ],
)
async def test_options_the_client_refuses_stop_the_set_up(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]
) -> None:
    """Options edited by hand past the flow's checks: said plainly, not retried."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options={**entry.options, **options})

    await set_up(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "invalid_settings"
    assert reauth_flows(hass, entry) == []


@pytest.mark.parametrize(
    ("provider", "legacy", "entities"),
    [
        ("smslink", "smslink", [SMSLINK_NOTIFY, NATIONAL, INTERNATIONAL]),
        ("plasgate", "plasgate", [PLASGATE_NOTIFY]),
    ],
)
async def test_unload_and_reload(
    hass: HomeAssistant, account: MockConfigEntry, legacy: str, entities: list[str]
) -> None:
    assert hass.services.has_service(NOTIFY_DOMAIN, legacy)

    assert await hass.config_entries.async_unload(account.entry_id)
    await hass.async_block_till_done()

    assert account.state is ConfigEntryState.NOT_LOADED
    assert not hass.services.has_service(NOTIFY_DOMAIN, legacy)
    assert {state_of(hass, entity_id) for entity_id in entities} == {STATE_UNAVAILABLE}

    assert await hass.config_entries.async_reload(account.entry_id)
    await hass.async_block_till_done()

    assert account.state is ConfigEntryState.LOADED
    assert hass.services.has_service(NOTIFY_DOMAIN, legacy)
    assert STATE_UNAVAILABLE not in {state_of(hass, entity_id) for entity_id in entities}


# --- notify ---------------------------------------------------------------------------------


async def notify(hass: HomeAssistant, service: str, data: dict[str, Any]) -> None:
    await hass.services.async_call(NOTIFY_DOMAIN, service, data, blocking=True)


async def test_smslink_legacy_notify_to_targets_with_an_approved_sender(
    hass: HomeAssistant, smslink_account: MockConfigEntry, sent: Callable[[], Sent]
) -> None:
    await notify(
        hass,
        "smslink",
        {
            "message": "The door is open",
            "title": "Alarm",
            "target": ["+40 722 000 111", "0733 000 222"],
            "data": {"sender": "SMSGateway"},
        },
    )

    assert sent() == [
        ("0722000111", "SMSGateway", "Alarm\nThe door is open"),
        ("0733000222", "SMSGateway", "Alarm\nThe door is open"),
    ]


async def test_plasgate_legacy_notify_to_targets_with_an_approved_sender(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    sent: Callable[[], Sent],
) -> None:
    await control(hass, plasgate_simulator, "senders", {"senders": ["SMS Info", "Alerts"]})

    await notify(
        hass,
        "plasgate",
        {
            "message": "The door is open",
            "title": "Alarm",
            "target": ["+855 98 000 222"],
            "data": {"sender": "Alerts"},
        },
    )

    assert sent() == [("85598000222", "Alerts", "Alarm\nThe door is open")]


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("smslink", ("0712345678", "numeric", "Basement\nWater leak")),
        ("plasgate", ("85512345678", "SMS Info", "Basement\nWater leak")),
    ],
)
@pytest.mark.parametrize("through", ["legacy", "entity"])
async def test_notify_without_target_goes_to_the_defaults(
    hass: HomeAssistant,
    account: MockConfigEntry,
    sent: Callable[[], Sent],
    provider: str,
    through: str,
    expected: tuple[str, str, str],
) -> None:
    """The legacy service without target, and the entity: the default recipients."""
    message = {"message": "Water leak", "title": "Basement"}
    entity_id = f"notify.{provider}_sms_to_default_recipients"
    if through == "legacy":
        await notify(hass, provider, message)
    else:
        await notify(hass, "send_message", {"entity_id": entity_id, **message})

    assert sent() == [expected]
    # The entity's state is the time of its last message, sent through it.
    assert (state_of(hass, entity_id) == STATE_UNKNOWN) == (through == "legacy")


@pytest.mark.parametrize(
    ("options", "key"),
    [({"ports": [1]}, "ports_not_supported"), ({"encoding": "gsm7"}, "encoding_not_supported")],
)
@pytest.mark.parametrize("through", ["notify", "send_sms"])
async def test_gateway_options_are_refused_not_dropped(
    hass: HomeAssistant,
    account: MockConfigEntry,
    sent: Callable[[], Sent],
    options: dict[str, Any],
    key: str,
    through: str,
) -> None:
    """A cloud account cannot honour a port or an encoding: refused, and nothing sent."""
    call: Awaitable[Any]
    if through == "notify":
        legacy = {"message": "Hi", "target": ["012345678"], "data": options}
        call = notify(hass, account.title.lower(), legacy)
    else:
        call = send_sms(hass, account, ["012345678"], **options)
    with pytest.raises(ServiceValidationError) as caught:
        await call

    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == {
        "title": account.title,
        "option": next(iter(options)),
    }
    assert sent() == []


async def test_plasgate_refused_key_on_send_asks_for_reauth(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    sent: Callable[[], Sent],
) -> None:
    await control(hass, plasgate_simulator, "credentials", {"private_key": "a-new-key"})
    assert reauth_flows(hass, plasgate_account) == []

    with pytest.raises(HomeAssistantError) as caught:
        await notify(hass, "plasgate", {"message": "Hi"})

    assert caught.value.translation_key == "invalid_auth"
    assert sent() == []
    await hass.async_block_till_done()
    assert len(reauth_flows(hass, plasgate_account)) == 1


# --- removal --------------------------------------------------------------------------------


@pytest.mark.parametrize("cloudhook", [True, False])
async def test_removing_an_entry_gives_its_cloudhook_back(
    hass: HomeAssistant, entry: MockConfigEntry, cloudhook: bool
) -> None:
    data = {CONF_CLOUDHOOK_URL: "https://hooks.nabu.casa/for-the-test"} if cloudhook else {}
    entry = same_entry(entry, entry.entry_id, **data)
    await set_up(hass, entry)
    assert entry.state is ConfigEntryState.LOADED

    with patch(f"{CLOUD}.async_delete_cloudhook") as delete:
        await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()

    if cloudhook:
        delete.assert_awaited_once_with(hass, entry.data[CONF_WEBHOOK_ID])
    else:
        delete.assert_not_called()
    assert hass.config_entries.async_entries(DOMAIN) == []
