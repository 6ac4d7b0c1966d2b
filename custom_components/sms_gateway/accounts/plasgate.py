"""Plasgate (Cambodia) in the catalog: a REST key pair, its sends and its callbacks.

One recipient goes through /rest/send, several through /rest/batch-send, 100 per request. The
callback URL goes with each send, so it follows the external URL without the user. The private
key is the account's identity and a secret at once: only a short hash of it names the account.
Plasgate has no balance call; the CA bundle GET proves a login without sending.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import hashlib
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from ..const import CONF_PRIVATE_KEY, CONF_SECRET, DEFAULT_PLASGATE_COUNTRY, PROVIDER_PLASGATE
from ..providers import plasgate
from ..providers.errors import MAY_HAVE_SENT, InvalidPushError, ProviderError
from ..providers.plasgate import (
    MAX_RECIPIENTS_PER_BATCH,
    DeliveryReport,
    DeliveryState,
    DlrOptions,
    PlasgateClient,
)
from ..sending import (
    STATUS_DELIVERED,
    STATUS_FAILED,
    STATUS_NOT_SENT,
    STATUS_SENT,
    STATUS_UNCERTAIN,
)
from .callback_url import callback_url
from .callbacks import CallbackReceiver
from .devices import DeviceModel
from .sender import CloudSendTracker, CloudSms, Outgoing, Submission
from .service import CloudService

PLASGATE_ID_PREFIX: Final = "plasgate_"
_STATUS: Final = {
    DeliveryState.ACCEPTED: STATUS_SENT,
    DeliveryState.DELIVERED: STATUS_DELIVERED,
    DeliveryState.EXPIRED: STATUS_FAILED,
    DeliveryState.UNDELIVERED: STATUS_FAILED,
    DeliveryState.REJECTED: STATUS_FAILED,
}


def report_status(report: DeliveryReport) -> str | None:
    """Name the send status a Plasgate report (callback or SMPP receipt) gives; None for none."""
    return _STATUS.get(report.state)


def plasgate_unique_id(private_key: str) -> str:
    """Name the account by a short hash of its key: the key itself is a secret."""
    return PLASGATE_ID_PREFIX + hashlib.sha256(private_key.encode()).hexdigest()[:16]


class PlasgateSubmitter:
    """One recipient through /rest/send, several through /rest/batch-send, 100 per request."""

    def __init__(self, client: PlasgateClient, url: Callable[[], str | None]) -> None:
        """Read the callback URL at each send: the external URL may change meanwhile."""
        self._client = client
        self._callback_url = url

    async def submit(self, sms: Outgoing, accepted: Callable[[list[CloudSms]], None]) -> Submission:
        """Send once; batches already accepted stay accepted when a later one fails."""
        url = self._callback_url()
        # Level 3: the SMSC's report (`sent`) and the handset's (`delivered` or `failed`).
        dlr = DlrOptions(url, level=3) if sms.delivery_report and url else None
        if len(sms.numbers) == 1:
            receipt = await self._client.send(sms.numbers[0], sms.text, sender=sms.sender, dlr=dlr)
            single = [CloudSms(sms.numbers[0], message_id=receipt.queue_id)]
            accepted(single)
            return Submission(single)
        recipients: list[CloudSms] = []
        chunks = [
            sms.numbers[start : start + MAX_RECIPIENTS_PER_BATCH]
            for start in range(0, len(sms.numbers), MAX_RECIPIENTS_PER_BATCH)
        ]
        for index, chunk in enumerate(chunks):
            try:
                receipts = await self._client.send_batch(
                    chunk, sms.text, sender=sms.sender, dlr=dlr, **_batch_callbacks(url)
                )
            except ProviderError as err:
                if not recipients:
                    raise
                lost = STATUS_UNCERTAIN if isinstance(err, MAY_HAVE_SENT) else STATUS_FAILED
                recipients += [CloudSms(number, status=lost, error=str(err)) for number in chunk]
                recipients += [
                    CloudSms(number, status=STATUS_NOT_SENT)
                    for later in chunks[index + 1 :]
                    for number in later
                ]
                return Submission(recipients, err)
            batch_id = receipts[0].queue_id if receipts else None
            batch = [CloudSms(number, batch_id=batch_id) for number in chunk]
            accepted(batch)
            recipients += batch
        return Submission(recipients)


def _batch_callbacks(url: str | None) -> Mapping[str, Any]:
    """Per-message success and failure callbacks tie a batch's messages to their reports."""
    return {} if url is None else {"callback_url": url, "errback_url": url}


class PlasgateCallbacks(CallbackReceiver):
    """Delivery reports (dlr_url) and batch callbacks (callback_url, errback_url) of one key."""

    def __init__(self, entry: ConfigEntry, sends: CloudSendTracker) -> None:
        """Match reports to sends through the entry's tracker."""
        super().__init__(entry, sends, "a Plasgate")

    def _take(self, _hass: HomeAssistant, fields: dict[str, Any]) -> web.Response:
        """Take a batch callback or a delivery report, acknowledged the way Jasmin expects."""
        if "batchId" in fields:
            self._on_batch(_strings(fields))
            return web.Response(status=HTTPStatus.OK)
        report = plasgate.parse_delivery_report(_strings(fields))
        self._report(report.message_id, report_status(report), report.status)
        return web.Response(status=HTTPStatus.OK, text=plasgate.DLR_ACK)

    def _on_batch(self, fields: Mapping[str, str]) -> None:
        callback = plasgate.parse_batch_callback(fields)
        if not self._sends.knows_batch(callback.batch_id):
            raise InvalidPushError("A batch callback for a batch this entry did not send")
        if not callback.success:
            self._sends.handle_batch_failure(callback.batch_id, callback.reason)
        elif callback.message_id:
            self._sends.handle_batch_success(callback.batch_id, callback.message_id)


def _strings(fields: Mapping[str, Any]) -> dict[str, str]:
    """Plasgate sends query or form fields: strings only, whatever a JSON body held.

    A JSON integer is read as its digits (the JSON reader bounds them); a boolean is no field.
    """
    return {
        key: str(value)
        for key, value in fields.items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    }


def _submitter(
    client: PlasgateClient, hass: HomeAssistant, entry: ConfigEntry
) -> PlasgateSubmitter:
    # The entry's data as it stands at each send: its cloudhook comes and goes.
    return PlasgateSubmitter(client, lambda: callback_url(hass, entry.data))


def _unique_id(data: Mapping[str, Any]) -> str:
    return plasgate_unique_id(data[CONF_PRIVATE_KEY])


PLASGATE: Final = CloudService[PlasgateClient](
    provider=PROVIDER_PLASGATE,
    title="Plasgate",
    credentials=(CONF_PRIVATE_KEY, CONF_SECRET),
    secrets=(CONF_PRIVATE_KEY, CONF_SECRET),
    base_url=plasgate.DEFAULT_BASE_URL,
    sender=plasgate.DEFAULT_SENDER,
    country=DEFAULT_PLASGATE_COUNTRY,
    client=PlasgateClient,
    login_check=lambda client: client.certificates(),
    submitter=_submitter,
    receiver=PlasgateCallbacks,
    unique_id=_unique_id,
    device=DeviceModel("Plasgate", "REST API key", "https://cloud.plasgate.com"),
    platforms=(Platform.NOTIFY, Platform.SENSOR),
    smpp=True,
)
