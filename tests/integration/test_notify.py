"""Notify: the legacy `notify.<name>` service per entry and the default-recipients entity."""

from typing import Any

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntryDisabler, ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import (
    CONF_DEFAULT_PORTS,
    CONF_DEFAULT_RECIPIENTS,
    DOMAIN,
)
from custom_components.sms_gateway.notify import (
    SmsGatewayNotificationService,
    async_get_service,
    legacy_service_names,
)
from tests import deprecations
from tests.conftest import RunningDinstar, RunningSmsLink
from tests.integration.conftest import snapshot_entities
from tests.integration.test_send import send_bodies

LEGACY = "dinstar_2817"
ENTITY = "notify.dinstar_2817_sms_to_default_recipients"
NUMBER = "+40712345678"
DEFAULTS = {
    CONF_DEFAULT_RECIPIENTS: ["+40722000111", "+40733000222"],
    CONF_DEFAULT_PORTS: ["1", "5"],
}


async def set_up(hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]) -> None:
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options=options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def with_defaults(hass: HomeAssistant, dinstar_entry: MockConfigEntry) -> MockConfigEntry:
    await set_up(hass, dinstar_entry, DEFAULTS)
    yield dinstar_entry
    await hass.config_entries.async_unload(dinstar_entry.entry_id)
    await hass.async_block_till_done()


# --- the legacy service ---------------------------------------------------------------------------


async def test_legacy_service_sends_to_targets_with_title_and_options(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY)

    await hass.services.async_call(
        NOTIFY_DOMAIN,
        LEGACY,
        {
            "message": "The door is open",
            "title": "Alarm",
            "target": [NUMBER, "+40 722 000 111"],
            "data": {"ports": [3], "encoding": "unicode", "delivery_report": False},
        },
        blocking=True,
    )

    [body] = await send_bodies(dinstar_simulator)
    assert body["text"] == "Alarm\nThe door is open"
    assert [item["number"] for item in body["param"]] == [NUMBER, "+40722000111"]
    assert body["port"] == [3]
    assert body["encoding"] == "unicode"
    assert body["request_status_report"] is False


async def test_legacy_service_falls_back_to_default_recipients(
    hass: HomeAssistant, with_defaults: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN, LEGACY, {"message": "To the usual people"}, blocking=True
    )

    [body] = await send_bodies(dinstar_simulator)
    assert body["text"] == "To the usual people"
    assert [item["number"] for item in body["param"]] == DEFAULTS[CONF_DEFAULT_RECIPIENTS]
    assert body["port"] == [1, 5]
    assert body["encoding"] == "gsm-7bit"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"message": "Nobody to send to"}, "no_recipients"),
        (
            {"message": "Hi", "target": [NUMBER], "data": {"encoding": "klingon"}},
            "invalid_notify_data",
        ),
        ({"message": "Hi", "target": ["not a number"]}, "invalid_numbers"),
        ({"message": " ", "target": [NUMBER]}, "invalid_message"),
    ],
)
async def test_legacy_service_refuses_bad_calls(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    dinstar_simulator: RunningDinstar,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(NOTIFY_DOMAIN, LEGACY, data, blocking=True)

    assert caught.value.translation_key == key
    assert await send_bodies(dinstar_simulator) == []


async def test_legacy_service_follows_the_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY_DOMAIN, LEGACY)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call(
        NOTIFY_DOMAIN, LEGACY, {"message": "Back", "target": [NUMBER]}, blocking=True
    )
    assert [body["text"] for body in await send_bodies(dinstar_simulator)] == ["Back"]


async def test_a_service_of_an_unloaded_entry_neither_registers_nor_sends(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """What the notify integration may still hold after an unload stays inert, even on reload."""
    stale = await built_service(hass, init_integration)
    await stale.async_setup(hass, "stale", "stale")
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    await stale.async_register_services()
    assert not hass.services.has_service(NOTIFY_DOMAIN, "stale")
    with pytest.raises(ServiceValidationError) as caught:
        await stale.async_send_message("Hi", target=[NUMBER])
    assert caught.value.translation_key == "entry_not_loaded"
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY)


async def test_legacy_platform_is_not_set_up_from_yaml_or_for_a_gone_entry(
    hass: HomeAssistant,
) -> None:
    assert await async_get_service(hass, {}, None) is None
    assert await async_get_service(hass, {}, {"name": "x", "entry_id": "gone"}) is None


async def test_legacy_platform_is_not_set_up_for_an_unloaded_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    discovery = {"name": LEGACY, "entry_id": init_integration.entry_id}

    assert await async_get_service(hass, {}, discovery) is None


async def test_legacy_service_of_a_removed_entry_is_refused(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry
) -> None:
    await set_up(hass, dinstar_entry, {})
    service = await built_service(hass, dinstar_entry)
    await service.async_setup(hass, "removed", "removed")
    await hass.config_entries.async_remove(dinstar_entry.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as caught:
        await service.async_send_message("Hi", target=[NUMBER])

    assert caught.value.translation_key == "entry_not_loaded"
    assert caught.value.translation_placeholders == {"title": dinstar_entry.entry_id}


async def test_unload_before_the_service_was_set_up(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry unloaded while the notify integration still builds its service: no error."""
    unfinished = await built_service(hass, init_integration)

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    # The notify integration finishes its set-up late: the service does not appear.
    await unfinished.async_setup(hass, "late", "late")
    await unfinished.async_register_services()
    assert not hass.services.has_service(NOTIFY_DOMAIN, "late")


async def built_service(
    hass: HomeAssistant, entry: MockConfigEntry
) -> SmsGatewayNotificationService:
    """The service as the notify integration gets it through discovery."""
    service = await async_get_service(hass, {}, {"name": "x", "entry_id": entry.entry_id})
    assert service is not None
    return service


# --- one service per entry, a unique name for each ----------------------------------------------

SECOND_RECIPIENT = "+40722000333"


@pytest.fixture
def second_smslink(smslink_entry: MockConfigEntry) -> MockConfigEntry:
    """A second SMSLink account, titled like the first (as the flow titles both)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=smslink_entry.title,
        unique_id="second",
        data={**smslink_entry.data, CONF_WEBHOOK_ID: "5ec0d5ec0d5ec0d5ec0d5ec0d5ec0d5e"},
        options={**smslink_entry.options, CONF_DEFAULT_RECIPIENTS: [SECOND_RECIPIENT]},
    )


def sent_to(smslink_simulator: RunningSmsLink) -> list[tuple[str, str]]:
    return [(sms.to, sms.text) for sms in smslink_simulator.sim.account.messages.values()]


async def test_two_accounts_of_one_service_each_have_their_own_service(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    second_smslink: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await cloud_set_up(hass, second_smslink)
    assert second_smslink.state is ConfigEntryState.LOADED

    await hass.services.async_call(NOTIFY_DOMAIN, "smslink", {"message": "One"}, blocking=True)
    await hass.services.async_call(NOTIFY_DOMAIN, "smslink_2", {"message": "Two"}, blocking=True)
    assert sent_to(smslink_simulator) == [("0712345678", "One"), ("0722000333", "Two")]

    # Unloading one account leaves the other's service working.
    assert await hass.config_entries.async_unload(smslink_account.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY_DOMAIN, "smslink")
    await hass.services.async_call(NOTIFY_DOMAIN, "smslink_2", {"message": "Still"}, blocking=True)
    assert sent_to(smslink_simulator)[-1] == ("0722000333", "Still")

    # Loaded again, the first account gets its own name back, not the other's.
    assert await hass.config_entries.async_setup(smslink_account.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call(NOTIFY_DOMAIN, "smslink", {"message": "Back"}, blocking=True)
    assert sent_to(smslink_simulator)[-1] == ("0712345678", "Back")

    # Removing the second leaves the first.
    assert (await hass.config_entries.async_remove(second_smslink.entry_id))[
        "require_restart"
    ] is False
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY_DOMAIN, "smslink_2")
    assert hass.services.has_service(NOTIFY_DOMAIN, "smslink")

    assert deprecations.reports == []
    assert "deprecat" not in caplog.text.lower()


async def test_the_names_do_not_depend_on_which_entry_loads_first(
    hass: HomeAssistant,
    smslink_entry: MockConfigEntry,
    second_smslink: MockConfigEntry,
    web_client: object,
) -> None:
    """The older account keeps the plain name, disabled or loaded after the other."""
    smslink_entry.add_to_hass(hass)
    await hass.config_entries.async_set_disabled_by(
        smslink_entry.entry_id, ConfigEntryDisabler.USER
    )
    await cloud_set_up(hass, second_smslink)
    assert hass.services.has_service(NOTIFY_DOMAIN, "smslink_2")
    assert not hass.services.has_service(NOTIFY_DOMAIN, "smslink")

    await hass.config_entries.async_set_disabled_by(smslink_entry.entry_id, None)
    await hass.async_block_till_done()
    assert smslink_entry.state is ConfigEntryState.LOADED
    assert hass.services.has_service(NOTIFY_DOMAIN, "smslink")


async def test_names_are_title_slugs_made_unique_oldest_entry_first(hass: HomeAssistant) -> None:
    titles = ["SMSLink", "SMSLink", "SMSLink 2", "Dinstar 2817", "Notify", "Send message", ""]
    entries = [MockConfigEntry(domain=DOMAIN, title=title) for title in titles]
    for entry in reversed(entries):  # added out of order: age decides, not the order of adding
        entry.add_to_hass(hass)
    ignored = MockConfigEntry(domain=DOMAIN, title="SMSLink", source=SOURCE_IGNORE)
    ignored.add_to_hass(hass)

    names = legacy_service_names(hass)

    assert [names[entry.entry_id] for entry in entries] == [
        "smslink",
        "smslink_2",
        "smslink_2_2",
        "dinstar_2817",
        "notify_2",
        "send_message_2",
        "sms_gateway",
    ]
    assert ignored.entry_id not in names


async def cloud_set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


# --- the entity -----------------------------------------------------------------------------------


@pytest.fixture
def platforms() -> list[Platform]:
    return [Platform.NOTIFY]


async def test_entity_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    snapshot_entities(hass, snapshot, init_integration.entry_id)


async def test_entity_sends_to_default_recipients_through_default_ports(
    hass: HomeAssistant, with_defaults: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.state == STATE_UNKNOWN

    await hass.services.async_call(
        NOTIFY_DOMAIN,
        "send_message",
        {"entity_id": ENTITY, "message": "Water leak", "title": "Basement"},
        blocking=True,
    )

    [body] = await send_bodies(dinstar_simulator)
    assert body["text"] == "Basement\nWater leak"
    assert [item["number"] for item in body["param"]] == DEFAULTS[CONF_DEFAULT_RECIPIENTS]
    assert body["port"] == [1, 5]
    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.state != STATE_UNKNOWN


async def test_entity_reads_recipients_typed_as_text(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    await set_up(
        hass,
        dinstar_entry,
        {CONF_DEFAULT_RECIPIENTS: "+40722000111, +40733000222\n+40744000333,"},
    )

    await hass.services.async_call(
        NOTIFY_DOMAIN, "send_message", {"entity_id": ENTITY, "message": "Hi"}, blocking=True
    )

    [body] = await send_bodies(dinstar_simulator)
    assert [item["number"] for item in body["param"]] == [
        "+40722000111",
        "+40733000222",
        "+40744000333",
    ]
    assert "port" not in body
    await hass.config_entries.async_unload(dinstar_entry.entry_id)


async def test_entity_without_default_recipients_says_where_to_set_them(
    hass: HomeAssistant, init_integration: MockConfigEntry, dinstar_simulator: RunningDinstar
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            NOTIFY_DOMAIN, "send_message", {"entity_id": ENTITY, "message": "Hi"}, blocking=True
        )

    assert caught.value.translation_key == "no_default_recipients"
    assert await send_bodies(dinstar_simulator) == []
