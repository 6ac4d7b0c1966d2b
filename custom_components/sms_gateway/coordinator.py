"""Coordinators: one request per refresh for every port, a slower one for the gateway itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import (
    CLOUD_BALANCE_INTERVAL,
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    SLOW_POLL_INTERVAL,
)
from .providers.dinstar import DinstarClient
from .providers.dinstar_models import (
    DeviceStats,
    PortInfo,
    RegisterChange,
    RegisterStatus,
    RegState,
)
from .providers.errors import AuthError, ProviderError
from .providers.smslink import Balance, SmsLinkClient

if TYPE_CHECKING:
    from .runtime import CloudConfigEntry, DinstarRuntimeData

type DinstarConfigEntry = ConfigEntry[DinstarRuntimeData]


async def _guarded[T](call: Callable[[], Awaitable[T]]) -> T:
    """Turn client errors into what a coordinator understands, with a translated message."""
    try:
        return await call()
    except AuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except ProviderError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err


class DinstarPortsCoordinator(DataUpdateCoordinator[dict[int, PortInfo]]):
    """Every info type of every port, read with one `get_port_info` request."""

    config_entry: DinstarConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll as often as the options say; unchanged data notifies nobody."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} ports",
            update_interval=timedelta(
                seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
            ),
            always_update=False,
        )
        self.client = client

    async def _async_update_data(self) -> dict[int, PortInfo]:
        ports = await _guarded(self.client.get_port_info)
        return {info.port: info for info in ports}

    def apply_register(self, change: RegisterChange) -> None:
        """Show a pushed registration change at once, without waiting for the next poll."""
        current = (self.data or {}).get(change.port)
        if current is None:
            return
        if change.status is RegisterStatus.UP:
            updated = replace(
                current,
                reg=RegState.REGISTER_OK,
                imsi=change.imsi or current.imsi,
                iccid=change.iccid or current.iccid,
                number=change.number or current.number,
                slot=change.slot if change.slot is not None else current.slot,
            )
        else:
            updated = replace(current, reg=RegState.UNREGISTER, imsi=None, iccid=None, signal=None)
        if updated != current:
            self.async_set_updated_data({**self.data, change.port: updated})


@dataclass(frozen=True, slots=True)
class GatewayStatus:
    """What the gateway says about itself: load figures and the SMS queue."""

    stats: DeviceStats
    sms_in_queue: int


class DinstarStatusCoordinator(DataUpdateCoordinator[GatewayStatus]):
    """CPU, memory, flash and queue length change slowly: read them on a slower cadence.

    Reachability is the ports coordinator's to report: when the gateway goes away this one turns
    unavailable with it, without a second log line, and reads again as soon as it is back.
    """

    config_entry: DinstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        ports: DinstarPortsCoordinator,
    ) -> None:
        """Poll every few minutes, and follow the ports coordinator's reachability."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} status",
            update_interval=SLOW_POLL_INTERVAL,
            always_update=False,
        )
        self.client = client
        self.ports = ports

    @callback
    def follow_ports(self) -> None:
        """Mirror the gateway being lost or back, as the ports coordinator found it."""
        if self.ports.last_update_success == self.last_update_success:
            return
        self.last_update_success = self.ports.last_update_success
        self.async_update_listeners()
        if self.last_update_success:
            self.config_entry.async_create_background_task(
                self.hass, self.async_request_refresh(), f"{DOMAIN} status after reconnect"
            )

    async def _async_update_data(self) -> GatewayStatus:
        if not self.ports.last_update_success:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="gateway_unreachable")
        stats = await _guarded(self.client.get_status)
        queue = await _guarded(self.client.query_sms_in_queue)
        return GatewayStatus(stats=stats, sms_in_queue=queue)


class SmsLinkBalanceCoordinator(DataUpdateCoordinator[Balance]):
    """The SMS left on an SMSLink account, read every half hour and after each send."""

    config_entry: CloudConfigEntry

    def __init__(self, hass: HomeAssistant, entry: CloudConfigEntry, client: SmsLinkClient) -> None:
        """Read every half hour; the first read also proves the credentials at set-up."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} SMSLink balance",
            update_interval=CLOUD_BALANCE_INTERVAL,
            always_update=False,
        )
        self.client = client

    async def _async_update_data(self) -> Balance:
        return await _guarded(self.client.balance)
