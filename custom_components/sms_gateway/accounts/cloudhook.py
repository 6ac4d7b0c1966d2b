"""An account's cloudhook follows the user's Home Assistant Cloud subscription while it runs.

The config flow makes a cloudhook when the user is subscribed at that moment; a subscription taken
later, ended, or a logout changes where the service must call. So at set-up, on every Cloud
connection change and when Home Assistant's own URLs change, the entry's cloudhook is made or
given back and the callback URL worked out again. Plasgate is told the URL with each send, so it
simply follows. SMSLink calls the URL pasted in the SMSLink account: a change raises a repair that
sends the user to the options page, which shows the new URL (a repair must not hold it: it is a
secret). Losing the last URL raises a repair for either service.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID, EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..const import CONF_CLOUDHOOK_URL, DOMAIN, LOGGER
from .callback_url import callback_url, external_webhook_url

if TYPE_CHECKING:
    from homeassistant.components.cloud import CloudConnectionState

ISSUE_CALLBACK_URL_CHANGED: Final = "callback_url_changed"
ISSUE_NO_CALLBACK_URL: Final = "no_callback_url"


def callback_issue_id(kind: str, entry_id: str) -> str:
    """Give the id of one entry's callback repair of that kind."""
    return f"{kind}_{entry_id}"


def async_delete_callback_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Drop the entry's callback repairs: the entry is gone."""
    for kind in (ISSUE_CALLBACK_URL_CHANGED, ISSUE_NO_CALLBACK_URL):
        ir.async_delete_issue(hass, DOMAIN, callback_issue_id(kind, entry_id))


class CloudhookManager:
    """Makes or gives back one account's cloudhook and says when its callback URL changed."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, *, url_by_hand: bool) -> None:
        """Start from the URL the entry was last shown with: its cloudhook, else the external.

        url_by_hand: the user pastes the URL into the service's account (SMSLink), so a change
        needs a repair; a service told the URL with each send simply follows.
        """
        self._hass = hass
        self._entry = entry
        self._url_by_hand = url_by_hand
        self._lock = asyncio.Lock()
        self._url = entry.data.get(CONF_CLOUDHOOK_URL) or external_webhook_url(
            hass, entry.data[CONF_WEBHOOK_ID]
        )

    async def async_start(self) -> None:
        """Follow the subscription now and on each change until the entry unloads."""
        self._entry.async_on_unload(
            self._hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_core_config_updated)
        )
        if "cloud" not in self._hass.config.components:
            # No Cloud integration: a cloudhook stays the entry's until Cloud is back or the
            # entry is deleted, unused meanwhile (callback_url skips it).
            self._url = callback_url(self._hass, self._entry.data)
            return
        from homeassistant.components import cloud  # loaded only when the cloud integration is

        await self.async_follow()
        self._entry.async_on_unload(
            cloud.async_listen_connection_change(self._hass, self._async_cloud_changed)
        )

    async def _async_cloud_changed(self, _state: CloudConnectionState) -> None:
        await self.async_follow()

    async def _async_core_config_updated(self, _event: Event[Any]) -> None:
        await self.async_follow()

    async def async_follow(self) -> None:
        """Make or give back the cloudhook, then tell the user if the URL is no longer the same."""
        async with self._lock:
            if "cloud" in self._hass.config.components:
                await self._async_match_subscription()
            url = callback_url(self._hass, self._entry.data)
            if url is not None:
                self._delete_issue(ISSUE_NO_CALLBACK_URL)
            if url == self._url:
                return
            self._url = url
            self._tell(url)

    async def _async_match_subscription(self) -> None:
        from homeassistant.components import cloud  # loaded only when the cloud integration is

        webhook_id: str = self._entry.data[CONF_WEBHOOK_ID]
        has_cloudhook = CONF_CLOUDHOOK_URL in self._entry.data
        if cloud.async_active_subscription(self._hass):
            if has_cloudhook or not cloud.async_is_connected(self._hass):
                return  # made already, or made once Cloud connects
            try:
                url = await cloud.async_get_or_create_cloudhook(self._hass, webhook_id)
            except cloud.CloudNotAvailable:
                LOGGER.debug("Home Assistant Cloud is not reachable; no cloudhook for now")
                return
            LOGGER.info("Made a Home Assistant Cloud webhook for %s", self._entry.title)
            self._store(url)
            return
        if not has_cloudhook:
            return
        if cloud.async_is_logged_in(self._hass):
            # Subscription ended: the cloudhook relays nothing now; give it back.
            with suppress(cloud.CloudNotAvailable, ValueError):
                await cloud.async_delete_cloudhook(self._hass, webhook_id)
        # Logged out: the cloudhooks went with the account.
        LOGGER.info("Dropped the Home Assistant Cloud webhook of %s", self._entry.title)
        self._store(None)

    def _store(self, cloudhook: str | None) -> None:
        data = {k: v for k, v in self._entry.data.items() if k != CONF_CLOUDHOOK_URL}
        if cloudhook is not None:
            data[CONF_CLOUDHOOK_URL] = cloudhook
        self._hass.config_entries.async_update_entry(self._entry, data=data)

    def _tell(self, url: str | None) -> None:
        """SMSLink must be given a new URL by hand; with none at all, no callback can arrive."""
        if url is None:
            LOGGER.warning(
                "%s has no callback URL: delivery reports and incoming SMS cannot arrive",
                self._entry.title,
            )
            self._delete_issue(ISSUE_CALLBACK_URL_CHANGED)
            self._raise_issue(ISSUE_NO_CALLBACK_URL, is_fixable=False)
            return
        LOGGER.info("The callback URL of %s changed", self._entry.title)
        if self._url_by_hand:
            self._raise_issue(ISSUE_CALLBACK_URL_CHANGED, is_fixable=True)

    def _raise_issue(self, kind: str, *, is_fixable: bool) -> None:
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            callback_issue_id(kind, self._entry.entry_id),
            is_fixable=is_fixable,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
            translation_placeholders={"account": self._entry.title},
        )

    def _delete_issue(self, kind: str) -> None:
        ir.async_delete_issue(self._hass, DOMAIN, callback_issue_id(kind, self._entry.entry_id))
