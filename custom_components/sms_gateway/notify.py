"""Notify: a legacy service per entry (`notify.<title slug>`) and an entity for the default list.

An SMS has no subject, so a title is sent as the first line of the message rather than dropped:
nothing the caller wrote is lost. The legacy service takes a `target` list of numbers (the
default recipients when none is given) and the send options of `sms_gateway.send_sms` in `data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from homeassistant.components.notify import NotifyEntity, NotifyEntityDescription
from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET, ATTR_TITLE
from homeassistant.components.notify.legacy import NOTIFY_SERVICES, BaseNotificationService
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import discovery
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from .const import CONF_DEFAULT_RECIPIENTS, DOMAIN
from .coordinator import DinstarConfigEntry, DinstarPortsCoordinator
from .entity import DinstarEntity, account_device_info
from .errors import translate_errors
from .route_setup import route_device_info
from .runtime import (
    CloudConfigEntry,
    DinstarRuntimeData,
    RouteConfigEntry,
    RouteRuntimeData,
    SmsGatewayConfigEntry,
)
from .send_request import async_send
from .services import SEND_OPTIONS

HASS_CONFIG: HassKey[ConfigType] = HassKey(f"{DOMAIN}_hass_config")
"""Home Assistant's configuration, kept by async_setup for loading the legacy platform."""
_LEGACY_SERVICES: HassKey[dict[str, SmsGatewayNotificationService]] = HassKey(
    f"{DOMAIN}_legacy_notify"
)
_ENTRY_ID: Final = "entry_id"
_DATA_SCHEMA: Final = vol.Schema(SEND_OPTIONS)

# Sends are not throttled here: the client already puts one request at a time on the wire.
PARALLEL_UPDATES = 0

SEND_MESSAGE = NotifyEntityDescription(key="send_message", translation_key="send_message")


def compose(message: str, title: str | None) -> str:
    """Put the title on the first line: SMS have no subject field."""
    return f"{title}\n{message}" if title else message


def default_recipients(entry: SmsGatewayConfigEntry) -> list[str]:
    """Read the default recipients; a text field may hold several, split on commas or lines."""
    value = entry.options.get(CONF_DEFAULT_RECIPIENTS) or []
    items = [value] if isinstance(value, str) else list(value)
    numbers = (part.strip() for item in items for part in str(item).replace("\n", ",").split(","))
    return [number for number in numbers if number]


async def _async_send(
    entry: SmsGatewayConfigEntry,
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


@callback
def async_setup_legacy_notify(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> None:
    """Have the notify integration create `notify.<slug of the entry title>` for this entry."""
    hass.async_create_task(
        discovery.async_load_platform(
            hass,
            Platform.NOTIFY,
            DOMAIN,
            {CONF_NAME: entry.title, _ENTRY_ID: entry.entry_id},
            hass.data.get(HASS_CONFIG, {}),
        ),
        f"{DOMAIN} legacy notify {entry.entry_id}",
        eager_start=True,
    )

    async def remove() -> None:
        service = hass.data.get(_LEGACY_SERVICES, {}).pop(entry.entry_id, None)
        # The notify integration may not have set the service up yet: nothing to unregister.
        if service is not None and service.hass is not None:
            await service.async_unregister_services()
        registered = hass.data.get(NOTIFY_SERVICES, {}).get(DOMAIN, [])
        if service in registered:
            registered.remove(service)

    entry.async_on_unload(remove)


async def async_get_service(
    hass: HomeAssistant, config: ConfigType, discovery_info: DiscoveryInfoType | None = None
) -> SmsGatewayNotificationService | None:
    """Build the service the entry asked for; nothing when it is set up from YAML or gone."""
    if discovery_info is None:
        return None
    entry_id: str = discovery_info[_ENTRY_ID]
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.state not in (
        ConfigEntryState.LOADED,
        ConfigEntryState.SETUP_IN_PROGRESS,
    ):
        return None
    service = SmsGatewayNotificationService(entry_id)
    hass.data.setdefault(_LEGACY_SERVICES, {})[entry_id] = service
    return service


class SmsGatewayNotificationService(BaseNotificationService):
    """`notify.<entry title slug>`: message, title, target numbers, data = send options."""

    def __init__(self, entry_id: str) -> None:
        """Find the entry at send time, so a reloaded entry is the one used."""
        self._entry_id = entry_id

    async def async_register_services(self) -> None:
        """Register only while the entry still wants this service (it may have unloaded)."""
        if self.hass.data.get(_LEGACY_SERVICES, {}).get(self._entry_id) is self:
            await super().async_register_services()

    @translate_errors
    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send to the targets, or to the default recipients when none are given."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_loaded",
                translation_placeholders={"title": entry.title if entry else self._entry_id},
            )
        await _async_send(
            cast("SmsGatewayConfigEntry", entry),
            message,
            kwargs.get(ATTR_TITLE),
            kwargs.get(ATTR_TARGET),
            kwargs.get(ATTR_DATA),
            takes_targets=True,
        )


# --- the entity -----------------------------------------------------------------------------


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One notify entity, on the gateway device or on the account device."""
    runtime = entry.runtime_data
    if isinstance(runtime, DinstarRuntimeData):
        gateway = cast("DinstarConfigEntry", entry)
        async_add_entities([DinstarNotifyEntity(gateway, runtime.ports, SEND_MESSAGE)])
    elif isinstance(runtime, RouteRuntimeData):
        route = cast("RouteConfigEntry", entry)
        async_add_entities([AccountNotifyEntity(entry, SEND_MESSAGE, route_device_info(route))])
    else:
        account = cast("CloudConfigEntry", entry)
        async_add_entities([AccountNotifyEntity(entry, SEND_MESSAGE, account_device_info(account))])


class DinstarNotifyEntity(DinstarEntity[DinstarPortsCoordinator], NotifyEntity):
    """`notify.send_message` to the default recipients, through the default ports."""

    def __init__(
        self,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortsCoordinator,
        description: NotifyEntityDescription,
    ) -> None:
        """Keep the entry: its options are read at send time."""
        super().__init__(entry, coordinator, description)
        self._entry = entry

    @translate_errors
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send to the default recipients; without any, say where to set them."""
        entry = cast("SmsGatewayConfigEntry", self._entry)
        await _async_send(entry, message, title, None, None, takes_targets=False)


class AccountNotifyEntity(NotifyEntity):
    """`notify.send_message` to an account's or a route's default recipients."""

    _attr_has_entity_name = True

    def __init__(
        self,
        entry: SmsGatewayConfigEntry,
        description: NotifyEntityDescription,
        device_info: DeviceInfo,
    ) -> None:
        """Tie the entity to the entry's device; the entry's options are read at send time."""
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = device_info
        self._entry = entry

    @translate_errors
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send to the default recipients; without any, say where to set them."""
        await _async_send(self._entry, message, title, None, None, takes_targets=False)
