"""Notify: a legacy service per entry (`notify.<title slug>`) and an entity for the default list.

Automations call `notify.<name>` with targets, so each entry keeps its own service, made through
the notify integration's public discovery and removed with the entry; a second entry of the
same title gets `<title slug>_2`.

An SMS has no subject, so a title is sent as the first line of the message rather than dropped:
nothing the caller wrote is lost. The legacy service takes a `target` list of numbers (the
default recipients when none is given) and the send options of `sms_gateway.send_sms` in `data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.components.notify import (
    ATTR_DATA,
    ATTR_TARGET,
    ATTR_TITLE,
    BaseNotificationService,
    NotifyEntity,
    NotifyEntityDescription,
)
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import discovery
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.util import slugify
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from .const import CONF_DEFAULT_RECIPIENTS, CONF_PROVIDER, DOMAIN, PROVIDER_DINSTAR
from .errors import translate_errors
from .gateway.coordinator import DinstarPortsCoordinator
from .gateway.entity import DinstarEntity
from .gateway.runtime import GatewayConfigEntry
from .runtime import SmsGatewayEntry
from .send_request import async_send
from .services import SEND_OPTIONS

HASS_CONFIG: HassKey[ConfigType] = HassKey(f"{DOMAIN}_hass_config")
"""The configuration given to async_setup: discovery.async_load_platform needs the real one."""
_ENTRY_ID: Final = "entry_id"
_DATA_SCHEMA: Final = vol.Schema(SEND_OPTIONS)

# Sends are not throttled here: the client already puts one request at a time on the wire.
PARALLEL_UPDATES = 0

SEND_MESSAGE = NotifyEntityDescription(key="send_message", translation_key="send_message")


def compose(message: str, title: str | None) -> str:
    """Put the title on the first line: SMS have no subject field."""
    return f"{title}\n{message}" if title else message


def default_recipients(entry: SmsGatewayEntry) -> list[str]:
    """Read the default recipients; a text field may hold several, split on commas or lines."""
    value = entry.options.get(CONF_DEFAULT_RECIPIENTS) or []
    items = [value] if isinstance(value, str) else list(value)
    numbers = (part.strip() for item in items for part in str(item).replace("\n", ",").split(","))
    return [number for number in numbers if number]


async def _async_send(
    entry: SmsGatewayEntry,
    message: str,
    title: str | None,
    targets: list[str] | None,
    data: Mapping[str, Any] | None,
    *,
    takes_targets: bool,
) -> None:
    """Send to the targets, else the default recipients; errors say what the caller can do."""
    recipients = targets or default_recipients(entry)
    if not recipients:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_recipients" if takes_targets else "no_default_recipients",
            translation_placeholders={"title": entry.title},
        )
    try:
        options = _DATA_SCHEMA(dict(data or {}))
    except vol.Invalid as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_notify_data",
            translation_placeholders={"error": str(err)},
        ) from err
    await async_send(entry, recipients, compose(message, title), options)


# --- the legacy service ---------------------------------------------------------------------

_RESERVED: Final = frozenset({"notify", "persistent_notification", "send_message"})
"""The notify integration's own services: an entry's service must never take their place."""


def legacy_service_names(hass: HomeAssistant) -> dict[str, str]:
    """Give each entry `<title slug>`, or `<title slug>_2`, `_3`... when an older entry has it.

    Every entry counts, loaded or not, oldest first: a name stays the same across restarts,
    reloads and other entries being disabled, and the first entry of a title keeps the slug.
    """
    taken = set(_RESERVED)
    names: dict[str, str] = {}
    entries = hass.config_entries.async_entries(DOMAIN, include_ignore=False)
    for entry in sorted(entries, key=lambda entry: entry.created_at):
        base = slugify(entry.title) or DOMAIN
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        names[entry.entry_id] = name
    return names


@callback
def async_setup_legacy_notify(hass: HomeAssistant, entry: SmsGatewayEntry) -> None:
    """Have the notify integration create this entry's `notify.<name>` through discovery."""
    name = legacy_service_names(hass)[entry.entry_id]
    hass.async_create_task(
        discovery.async_load_platform(
            hass,
            Platform.NOTIFY,
            DOMAIN,
            {CONF_NAME: name, _ENTRY_ID: entry.entry_id},
            hass.data[HASS_CONFIG],
        ),
        f"{DOMAIN} legacy notify {entry.entry_id}",
        eager_start=True,
    )


async def async_get_service(
    hass: HomeAssistant, config: ConfigType, discovery_info: DiscoveryInfoType | None = None
) -> SmsGatewayNotificationService | None:
    """Build the service the entry asked for; nothing when it is set up from YAML or gone."""
    if discovery_info is None:
        return None
    entry = hass.config_entries.async_get_entry(discovery_info[_ENTRY_ID])
    if entry is None or entry.state not in (
        ConfigEntryState.LOADED,
        ConfigEntryState.SETUP_IN_PROGRESS,
    ):
        return None
    return SmsGatewayNotificationService(entry)


class SmsGatewayNotificationService(BaseNotificationService):
    """`notify.<name>`: message, title, target numbers, data = send options."""

    def __init__(self, entry: ConfigEntry) -> None:
        """Leave with the entry; find the entry at send time, so a reloaded one is used."""
        self._entry_id = entry.entry_id
        self._unloaded = False
        entry.async_on_unload(self._async_unload)

    async def _async_unload(self) -> None:
        """Remove the service; the notify integration may not have set it up yet."""
        self._unloaded = True
        if self.hass is not None:
            await self.async_unregister_services()

    async def async_register_services(self) -> None:
        """Register only while the entry that asked for this service is still loaded."""
        if not self._unloaded:
            await super().async_register_services()

    @translate_errors
    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send to the targets, or to the default recipients when none are given."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if self._unloaded or entry is None or entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_loaded",
                translation_placeholders={"title": entry.title if entry else self._entry_id},
            )
        await _async_send(
            entry,
            message,
            kwargs.get(ATTR_TITLE),
            kwargs.get(ATTR_TARGET),
            kwargs.get(ATTR_DATA),
            takes_targets=True,
        )


# --- the entity -----------------------------------------------------------------------------


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One notify entity, on the gateway device, the account device or the route device."""
    if entry.data.get(CONF_PROVIDER) == PROVIDER_DINSTAR:
        async_add_entities([GatewayNotifyEntity(entry, SEND_MESSAGE)])
    else:
        async_add_entities([ServiceNotifyEntity(entry, SEND_MESSAGE)])


class GatewayNotifyEntity(DinstarEntity[DinstarPortsCoordinator], NotifyEntity):
    """`notify.send_message` to the default recipients, through the default ports."""

    def __init__(self, entry: ConfigEntry[Any], description: NotifyEntityDescription) -> None:
        """Keep the entry: its options are read at send time."""
        gateway: GatewayConfigEntry = entry
        ports = gateway.runtime_data.ports
        super().__init__(ports, ports, description)
        self._entry: SmsGatewayEntry = entry

    @translate_errors
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send to the default recipients; without any, say where to set them."""
        await _async_send(self._entry, message, title, None, None, takes_targets=False)


class ServiceNotifyEntity(NotifyEntity):
    """`notify.send_message` to an account's or a route's default recipients."""

    _attr_has_entity_name = True

    def __init__(self, entry: SmsGatewayEntry, description: NotifyEntityDescription) -> None:
        """Tie the entity to the entry's device; the entry's options are read at send time."""
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = entry.runtime_data.device_info
        self._entry = entry

    @translate_errors
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send to the default recipients; without any, say where to set them."""
        await _async_send(self._entry, message, title, None, None, takes_targets=False)
