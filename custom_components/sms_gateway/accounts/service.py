"""What one cloud SMS service is to the integration: the shape of a catalog entry (catalog.py).

Everything that differs between SMSLink and Plasgate is a field here, filled in by the service's
own module (smslink.py, plasgate.py); the rest of the wing reads the entry and never asks which
service it is. A fourth service is one more entry plus its client in providers/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import ClientSession
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_URL, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..const import CONF_COUNTRY, CONF_DEFAULT_RECIPIENTS, CONF_SENDER
from ..phone_numbers import calling_code, default_country
from ..providers.smslink import Balance
from .callbacks import CallbackReceiver
from .devices import DeviceModel
from .sender import CloudSendTracker, Submitter

type BalanceRead = Callable[[], Awaitable[Balance]]
type ReceiverFactory = Callable[[ConfigEntry, CloudSendTracker], CallbackReceiver]


class CloudClient(Protocol):
    """What the wing asks of every service's client besides its own calls."""

    sender: str
    """The account's own sender, checked."""

    def normalise_number(self, number: str) -> str:
        """Return the number as the service takes it, or raise InvalidInputError."""
        ...


class ClientClass[C: CloudClient](Protocol):
    """A client's constructor: the login pair, then sender, address and home calling code."""

    def __call__(
        self,
        session: ClientSession,
        login: str,
        secret: str,
        /,
        *,
        sender: str,
        base_url: str,
        calling_code: str,
    ) -> C:
        """Build the client; raises InvalidInputError on a bad sender."""
        ...


@dataclass(frozen=True, slots=True)
class Connection:
    """What a set-up account works with: its submitter, its number form and its balance."""

    submitter: Submitter
    sender: str
    normalise_number: Callable[[str], str]
    read_balance: BalanceRead | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudService[C: CloudClient]:
    """One cloud SMS service: login form, client, sending, callbacks, device and options."""

    provider: str
    title: str
    credentials: tuple[str, str]  # the login fields in the client's order, the identity first
    secrets: tuple[str, ...]  # the fields a reauth asks for again
    base_url: str
    sender: str
    country: str
    client: ClientClass[C]
    login_check: Callable[[C], Awaitable[object]]  # a call that proves the login, sending nothing
    submitter: Callable[[C, HomeAssistant, ConfigEntry], Submitter]
    receiver: ReceiverFactory
    unique_id: Callable[[Mapping[str, Any]], str]
    device: DeviceModel
    platforms: tuple[Platform, ...]
    read_balance: Callable[[C], Awaitable[Balance]] | None = None
    login_names_account: bool = False  # another login is another account (reauth refuses it)
    callback_url_by_hand: bool = False  # the user pastes the callback URL into the account
    option_switches: tuple[str, ...] = ()  # on/off options of the account, off at first
    receives_sms: bool = False  # incoming SMS arrive (so SMS to Assist can be offered)
    smpp: bool = False  # the account may send and receive over SMPP instead (options)

    def form_error(self, key: str) -> str:
        """Name a form error in the service's own words: each has its own login and sender rules.

        The translations name them `<provider>_invalid_auth` and `<provider>_invalid_sender`.
        """
        if key == "cannot_connect":
            return "cloud_cannot_connect"
        if key in ("invalid_auth", "invalid_sender"):
            return f"{self.provider}_{key}"
        return key

    def first_options(self, hass: HomeAssistant, sender: str) -> dict[str, Any]:
        """Return the options a new entry starts with; the options flow changes them later."""
        return {
            CONF_SENDER: sender,
            CONF_COUNTRY: default_country(hass, self.country),
            CONF_DEFAULT_RECIPIENTS: [],
            **dict.fromkeys(self.option_switches, False),
        }

    def new_client(
        self, hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
    ) -> C:
        """Build the client of an entry (or a form); raises InvalidInputError on a bad sender."""
        login, secret = (data[key] for key in self.credentials)
        return self.client(
            async_get_clientsession(hass),
            login,
            secret,
            sender=options.get(CONF_SENDER) or self.sender,
            base_url=data.get(CONF_URL) or self.base_url,
            calling_code=calling_code(options.get(CONF_COUNTRY) or self.country),
        )

    def account_check(
        self, hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Callable[[], Awaitable[object]]:
        """Return the call that proves the login; raises InvalidInputError on a bad sender."""
        client = self.new_client(hass, data, options)
        return lambda: self.login_check(client)

    def number_check(
        self, hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Callable[[str], str]:
        """Return the one recipient normaliser of an account with these settings."""
        return self.new_client(hass, data, options).normalise_number

    def connect(self, hass: HomeAssistant, entry: ConfigEntry) -> Connection:
        """Build what a set-up entry sends and reads its balance with, from one client."""
        client = self.new_client(hass, entry.data, entry.options)
        read = self.read_balance
        return Connection(
            submitter=self.submitter(client, hass, entry),
            sender=client.sender,
            normalise_number=client.normalise_number,
            read_balance=None if read is None else lambda: read(client),
        )
