"""Coordinators: one request per refresh for every port, a slower one for the gateway itself.

A login the gateway refuses while the entry runs asks for the password (re-authentication) but
does not stop polling: the ports are read every few minutes instead, and when the gateway takes
the stored login again everything comes back by itself and the re-authentication is dismissed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Final

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import UpdateFailed

from ..const import (
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    SLOW_POLL_INTERVAL,
)
from ..coordinator import EntryCoordinator
from ..errors import update_failed
from ..providers.dinstar import (
    DeviceStats,
    DinstarClient,
    PortInfo,
    RegisterChange,
    RegisterStatus,
    RegState,
)
from ..providers.errors import (
    ApiDisabledError,
    AuthError,
    ProviderConnectionError,
    ProviderError,
)


class _GatewayCoordinator[DataT](EntryCoordinator[DataT]):
    """Reads one gateway through its client."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: DinstarClient,
        *,
        name: str,
        interval: timedelta,
    ) -> None:
        """Poll every interval."""
        super().__init__(hass, entry, name=name, interval=interval)
        self.client = client


class DinstarPortsCoordinator(_GatewayCoordinator[dict[int, PortInfo]]):
    """Every info type of every port, read with one `get_port_info` request.

    It also keeps watch over the login: refused at set-up, the set-up fails and asks for the
    password; refused later, the gateway is polled slowly until it takes the login again. It
    names the gateway too: `serial` is fixed by the first read that works.
    """

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: DinstarClient) -> None:
        """Poll as often as the options say."""
        interval = timedelta(seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL))
        super().__init__(hass, entry, client, name="ports", interval=interval)
        self._interval = interval
        self.serial = ""
        """The gateway's serial as the first read found it; what its devices are named by."""
        self.login_refused = False
        """The gateway refused the stored login since it last took it."""

    async def _async_update_data(self) -> dict[int, PortInfo]:
        try:
            ports = await self.client.get_port_info()
        except AuthError as err:
            if self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS:
                # Refused at set-up: the set-up fails and asks for the password.
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="invalid_auth"
                ) from err
            raise self.refused() from err
        except ProviderError as err:
            raise update_failed(err) from err
        if not self.serial:
            entry = self.config_entry
            self.serial = self.client.serial or entry.unique_id or entry.entry_id
        self._accepted()
        return {info.port: info for info in ports}

    @callback
    def refused(self) -> UpdateFailed:
        """Ask for the password, poll slowly meanwhile; return the failure to raise.

        A coordinator that raises ConfigEntryAuthFailed stops polling until the entry reloads,
        so the gateway would never be seen taking the login again: this one keeps going.
        """
        self.login_refused = True
        self.update_interval = SLOW_POLL_INTERVAL
        self.config_entry.async_start_reauth(self.hass)
        return UpdateFailed(translation_domain=DOMAIN, translation_key="invalid_auth")

    @callback
    def _accepted(self) -> None:
        """Go back to the normal pace and withdraw the password question: the login works."""
        if not self.login_refused:
            return
        self.login_refused = False
        self.update_interval = self._interval
        entry = self.config_entry
        for flow in list(entry.async_get_active_flows(self.hass, {SOURCE_REAUTH})):
            self.hass.config_entries.flow.async_abort(flow["flow_id"])
        # Newer releases drop the re-authentication repair with its flow; older ones do not.
        ir.async_delete_issue(
            self.hass, HOMEASSISTANT_DOMAIN, f"config_entry_reauth_{DOMAIN}_{entry.entry_id}"
        )
        LOGGER.info("The gateway takes the stored login again; re-authentication dismissed")

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
    """What the gateway says about itself: load figures and the SMS queue.

    Either is None while its endpoint fails: `get_status` is not in the official document and
    some firmware may lack it. These figures are optional, so their sensors go unavailable alone.
    """

    stats: DeviceStats | None
    sms_in_queue: int | None


_OPTIONAL_ENDPOINTS: Final = {
    "get_status": "the CPU, memory and flash sensors",
    "query_sms_in_queue": "the SMS queue sensor",
}
"""The status endpoints, and the sensors that go unavailable while one fails."""


class DinstarStatusCoordinator(_GatewayCoordinator[GatewayStatus]):
    """CPU, memory, flash and queue length change slowly: read them on a slower cadence.

    Reachability is the ports coordinator's to report: when the gateway goes away this one turns
    unavailable with it, without a second log line, and reads again as soon as it is back. An
    endpoint that fails while the gateway answers (missing, refusing, hanging) only takes its own
    sensors away, and is logged once when it starts failing and once when it works again.
    """

    def __init__(
        self, hass: HomeAssistant, client: DinstarClient, ports: DinstarPortsCoordinator
    ) -> None:
        """Poll every few minutes, and follow the ports coordinator's reachability."""
        super().__init__(
            hass, ports.config_entry, client, name="status", interval=SLOW_POLL_INTERVAL
        )
        self.ports = ports
        self.data = GatewayStatus(stats=None, sms_in_queue=None)
        """Nothing read yet: every status sensor is unavailable until a read succeeds."""
        self._failing: set[str] = set()
        self._reachable = True
        self._lost_with_ports = False

    @callback
    def follow_ports(self) -> None:
        """Mirror the gateway being lost or back, as the ports coordinator found it.

        Only what this mirrored is undone when the gateway is back; a failure of this
        coordinator's own stays (and is not logged again) until one of its reads works.
        """
        if self.ports.last_update_success == self._reachable:
            return
        self._reachable = self.ports.last_update_success
        if not self._reachable:
            if self.last_update_success:
                self._lost_with_ports = True
                self.last_update_success = False
                self.async_update_listeners()
            return
        if self._lost_with_ports:
            self._lost_with_ports = False
            self.last_update_success = True
            self.async_update_listeners()
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{DOMAIN} status after reconnect"
        )

    async def _async_update_data(self) -> GatewayStatus:
        if not self.ports.last_update_success:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="gateway_unreachable")
        stats, stats_error = await self._read(self.client.get_status)
        queue, queue_error = await self._read(self.client.query_sms_in_queue)
        if isinstance(stats_error, ProviderConnectionError) and isinstance(
            queue_error, ProviderConnectionError
        ):
            raise update_failed(stats_error)  # neither answered: the gateway itself is away
        self._note("get_status", stats_error)
        self._note("query_sms_in_queue", queue_error)
        return GatewayStatus(stats=stats, sms_in_queue=queue)

    async def _read[T](
        self, call: Callable[[], Awaitable[T]]
    ) -> tuple[T | None, ProviderError | None]:
        """Read one optional endpoint: its value, or the error it failed with."""
        try:
            return await call(), None
        except AuthError as err:
            raise self.ports.refused() from err
        except ProviderError as err:
            return None, err

    def _note(self, endpoint: str, error: ProviderError | None) -> None:
        """Log once that an endpoint fails, and once that it answers again."""
        sensors = _OPTIONAL_ENDPOINTS[endpoint]
        if error is None:
            if endpoint in self._failing:
                self._failing.discard(endpoint)
                LOGGER.info("The gateway answers %s again; back: %s", endpoint, sensors)
            return
        if endpoint not in self._failing:
            self._failing.add(endpoint)
            # The ports answered, so the API is on: a page instead of JSON means no such endpoint.
            reason = "no such endpoint" if isinstance(error, ApiDisabledError) else str(error)
            LOGGER.warning(
                "The gateway does not answer %s (%s); unavailable until it does: %s. Some "
                "firmware lacks this endpoint; the ports are not affected",
                endpoint,
                reason,
                sensors,
            )
