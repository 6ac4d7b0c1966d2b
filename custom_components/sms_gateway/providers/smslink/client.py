"""Async client for SMSLink's SMS Gateway (spec specs/smslink.md): single send, BULK v3, balance.

A single message goes to `index.php` as a POST form (the password stays out of URLs and logs);
many recipients go in one BULK v3 package compressed with zlib. No send is ever retried: once a
request may have reached the service, a repeat could cost a duplicate SMS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
import logging
import time
from typing import TYPE_CHECKING, Final, TypedDict, Unpack

import aiohttp
from yarl import URL

from ..endpoint import Credentials, Endpoint
from ..errors import (
    InvalidInputError,
    InvalidResponseError,
)
from ..text import check_calling_code, mask_number
from .numbers import ROMANIA, smslink_number
from .package import (
    CLIENT_VERSION,
    BulkStatus,
    LineOutcome,
    PackageLine,
    build_upload,
    check_sender,
    check_text,
    read_outcomes,
)
from .replies import ReplyLine, read_reply

if TYPE_CHECKING:
    from collections.abc import Mapping

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://secure.smslink.ro"
DEFAULT_SENDER: Final = "numeric"
INDEX_PATH: Final = "/sms/gateway/communicate/index.php"
BULK_PATH: Final = "/sms/gateway/communicate/bulk-v3.php"
_BALANCE_VARIABLES: Final = 2


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A single send the service took; message_id is 0 in test mode."""

    message_id: int
    to: str
    sender: str


@dataclass(frozen=True, slots=True)
class BulkResult:
    """One recipient of a package; message_id is set only when status is SENT."""

    to: str
    status: BulkStatus | None
    message_id: int | None

    @property
    def sent(self) -> bool:
        """Whether the service accepted this message."""
        return self.status is BulkStatus.SENT


@dataclass(frozen=True, slots=True)
class BulkReceipt:
    """A package the service took, with a result per recipient in the order given."""

    package_id: str
    results: tuple[BulkResult, ...]


@dataclass(frozen=True, slots=True)
class Balance:
    """SMS left on the account, national (Romania) and international."""

    national: int
    international: int
    checked_at: datetime | None


class SendOptions(TypedDict, total=False):
    """What a single send and a package may both say: the sender, when, and test mode."""

    sender: str | None
    scheduled_at: datetime | None
    test: bool


def _variables(reply: ReplyLine) -> list[str]:
    return reply.fields[0].split(",") if reply.fields else []


def _unix_time(when: datetime | None) -> int:
    if when is None:
        return 0
    if when.tzinfo is None:
        raise InvalidInputError("The schedule time needs a time zone")
    return int(when.timestamp())


class SmsLinkClient:
    """One SMS Gateway connection (connection_id and password) of an SMSLink account."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        connection_id: str,
        password: str,
        *,
        sender: str = DEFAULT_SENDER,
        base_url: str = DEFAULT_BASE_URL,
        calling_code: str = ROMANIA,
        timeout: float = 30.0,
    ) -> None:
        """Send through the caller's session; national numbers belong to `calling_code`."""
        self._account = Credentials.checked(
            connection_id, password, "The connection ID and password must not be empty"
        )
        self.sender = check_sender(sender)
        url = URL(base_url.strip().rstrip("/"))
        if url.scheme not in ("http", "https") or not url.host:
            raise InvalidInputError("The SMSLink address must be an http:// or https:// URL")
        self._endpoint = Endpoint("SMSLink", session, str(url), timeout)
        self.calling_code = check_calling_code(calling_code)

    def normalise_number(self, number: str) -> str:
        """Return the number in the form SMSLink takes (07… or 00…)."""
        return smslink_number(number, self.calling_code)

    def _credentials(self) -> dict[str, str]:
        return {"connection_id": self._account.key, "password": self._account.secret}

    def _chosen(self, options: SendOptions) -> tuple[str, int, bool]:
        """Return the checked sender, the schedule as Unix time (0: now) and the test mode."""
        sender = options.get("sender")
        chosen_sender = check_sender(sender) if sender is not None else self.sender
        return chosen_sender, _unix_time(options.get("scheduled_at")), options.get("test", False)

    async def _call(
        self,
        path: str,
        data: Mapping[str, str] | aiohttp.FormData,
        *,
        params: Mapping[str, str] | None = None,
        auth_on_error: bool = False,
    ) -> ReplyLine:
        """POST once (never retried: a repeat could cost a duplicate SMS) and read the reply."""
        name = path.rsplit("/", 1)[-1]
        answer = await self._endpoint.fetch("POST", path, name, data=data, params=params)
        secret = self._account.secret
        return read_reply(
            name, answer.status, answer.text(), password=secret, auth_on_error=auth_on_error
        )

    async def balance(self) -> Balance:
        """`mode=account-balance`: national and international SMS left.

        The request carries nothing but the credentials, so a refusal is an AuthError: this is
        also how credentials are checked.
        """
        reply = await self._call(
            INDEX_PATH, {**self._credentials(), "mode": "account-balance"}, auth_on_error=True
        )
        values = _variables(reply)
        if len(values) < _BALANCE_VARIABLES or not all(v.isdigit() for v in values):
            raise InvalidResponseError("SMSLink answered a balance we cannot read")
        checked_at = None
        if len(values) > _BALANCE_VARIABLES:
            checked_at = datetime.fromtimestamp(int(values[2]), UTC)
        return Balance(national=int(values[0]), international=int(values[1]), checked_at=checked_at)

    async def send(self, to: str, text: str, **options: Unpack[SendOptions]) -> SentMessage:
        """Send one SMS through index.php and return the ID its delivery report will carry."""
        number = self.normalise_number(to)
        chosen_sender, schedule, test = self._chosen(options)
        check_text(text)
        form = {**self._credentials(), "to": number, "message": text, "sender": chosen_sender}
        if schedule:
            form["timestamp"] = str(schedule)
        if test:
            form["test"] = "1"
        reply = await self._call(INDEX_PATH, form)
        values = _variables(reply)
        if not values or not values[0].isdigit():
            raise InvalidResponseError("SMSLink index.php answered a send without a message ID")
        _LOGGER.debug("SMSLink accepted a message to %s", mask_number(number))
        used_sender = values[2] if len(values) > 2 and values[2] else chosen_sender  # noqa: PLR2004
        return SentMessage(message_id=int(values[0]), to=number, sender=used_sender)

    async def send_bulk(
        self, recipients: Sequence[str], text: str, **options: Unpack[SendOptions]
    ) -> BulkReceipt:
        """Send one text to many recipients in one BULK v3 package; a result per recipient."""
        numbers = [self.normalise_number(number) for number in recipients]
        chosen_sender, schedule, test = self._chosen(options)
        lines = [
            PackageLine(local_id, number, chosen_sender, text, schedule)
            for local_id, number in enumerate(numbers, start=1)
        ]
        upload = build_upload(lines)
        now = str(int(time.time()))
        form = aiohttp.FormData()
        fields = {
            **self._credentials(),
            "test": "1" if test else "0",
            **upload.fields(),
            "Timestamp": now,
            "Buffering": "1",
            "Version": CLIENT_VERSION,
        }
        for name, value in fields.items():
            form.add_field(name, value)
        form.add_field(
            "Package",
            upload.compressed,
            filename="sms-package",
            content_type="application/octet-stream",
        )
        reply = await self._call(BULK_PATH, form, params={"timestamp": now})
        package_id, outcomes = read_outcomes(reply.fields)
        by_local: dict[int, LineOutcome] = {outcome.local_id: outcome for outcome in outcomes}
        results = []
        for line in lines:
            outcome = by_local.get(line.local_id)
            results.append(
                BulkResult(
                    to=line.number,
                    status=None if outcome is None else outcome.status,
                    message_id=None if outcome is None else outcome.message_id,
                )
            )
        return BulkReceipt(package_id=package_id, results=tuple(results))
