"""Notify: the legacy `notify.<title slug>` service and the default-recipients entity."""

from typing import Any

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import CONF_DEFAULT_PORTS, CONF_DEFAULT_RECIPIENTS
from custom_components.sms_gateway.notify import _LEGACY_SERVICES, async_get_service
from tests.conftest import RunningDinstar
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
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    service = hass.data[_LEGACY_SERVICES][init_integration.entry_id]

    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert not hass.services.has_service(NOTIFY_DOMAIN, LEGACY)
    # A stale service object neither registers again nor sends.
    await service.async_register_services()
    assert not hass.services.has_service(NOTIFY_DOMAIN, LEGACY)
    with pytest.raises(ServiceValidationError) as caught:
        await service.async_send_message("Hi", target=[NUMBER])
    assert caught.value.translation_key == "entry_not_loaded"

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY)
    assert hass.data[_LEGACY_SERVICES][init_integration.entry_id] is not service


async def test_legacy_platform_is_not_set_up_from_yaml_or_for_a_gone_entry(
    hass: HomeAssistant,
) -> None:
    assert await async_get_service(hass, {}, None) is None
    assert await async_get_service(hass, {}, {"name": "x", "entry_id": "gone"}) is None


async def test_legacy_service_of_a_removed_entry_is_refused(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry
) -> None:
    await set_up(hass, dinstar_entry, {})
    service = hass.data[_LEGACY_SERVICES][dinstar_entry.entry_id]
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
    discovery = {"name": init_integration.title, "entry_id": init_integration.entry_id}
    unfinished = await async_get_service(hass, {}, discovery)
    assert unfinished is not None
    assert hass.data[_LEGACY_SERVICES][init_integration.entry_id] is unfinished

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.entry_id not in hass.data[_LEGACY_SERVICES]


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
