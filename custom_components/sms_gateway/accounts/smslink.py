"""SMSLink (Romania) in the catalog: an SMS Gateway connection, its sends, callbacks and balance.

One recipient goes through index.php, whose answer carries the message id the delivery report
will name; several go in one BULK v3 package. The balance call carries nothing but the
credentials, so it also proves a login. SMSLink calls the one URL pasted in the account, for
delivery reports and 2-Way SMS alike.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, Platform
from homeassistant.core import HomeAssistant

from ..bus_events import async_fire_sms_received
from ..const import (
    CONF_CONNECTION_ID,
    CONF_TEST_MODE,
    DEFAULT_SMSLINK_COUNTRY,
    LOGGER,
    PROVIDER_SMSLINK,
)
from ..providers import smslink
from ..providers.smslink import BulkStatus, DeliveryReport, IncomingSms, SmsLinkClient
from ..sending import STATUS_DELIVERED, STATUS_FAILED, STATUS_UNCERTAIN
from ..webhooks import RefusalLog, remember
from .callbacks import CallbackReceiver
from .devices import DeviceModel, account_origin
from .sender import CloudSendTracker, CloudSms, Outgoing, Submission
from .service import CloudService

_BULK_ERRORS: Final = {
    BulkStatus.SENDER_FAILED: "sender refused",
    BulkStatus.NUMBER_FAILED: "number refused",
    BulkStatus.INTERNAL_ERROR_OR_BLACKLISTED: "blacklisted or internal error",
    BulkStatus.INSUFFICIENT_CREDIT: "insufficient credit",
}
_KEEP_SEEN: Final = 1024


class SmsLinkSubmitter:
    """One recipient through index.php, several in one BULK v3 package."""

    def __init__(self, client: SmsLinkClient, *, test_mode: bool) -> None:
        """In test mode SMSLink checks and answers but sends nothing and reports nothing."""
        self._client = client
        self._test_mode = test_mode

    async def submit(self, sms: Outgoing, accepted: Callable[[list[CloudSms]], None]) -> Submission:
        """Send once; a package answers for each recipient. Reports go to the account's URL."""
        if len(sms.numbers) == 1:
            sent = await self._client.send(
                sms.numbers[0], sms.text, sender=sms.sender, test=self._test_mode
            )
            message_id = str(sent.message_id) if sent.message_id else None
            recipients = [CloudSms(sent.to, message_id=message_id)]
        else:
            receipt = await self._client.send_bulk(
                sms.numbers, sms.text, sender=sms.sender, test=self._test_mode
            )
            recipients = [
                _bulk_sms(result.to, result.status, result.message_id) for result in receipt.results
            ]
        accepted(recipients)
        return Submission(recipients)


def _bulk_sms(number: str, status: BulkStatus | None, message_id: int | None) -> CloudSms:
    if status is BulkStatus.SENT:
        return CloudSms(number, message_id=str(message_id) if message_id else None)
    if status is None:
        return CloudSms(number, status=STATUS_UNCERTAIN, error="no answer for this number")
    return CloudSms(number, status=STATUS_FAILED, error=_BULK_ERRORS[status])


class SmsLinkCallbacks(CallbackReceiver):
    """Delivery reports and 2-Way SMS of one SMSLink account, told apart by their fields."""

    def __init__(self, entry: ConfigEntry, sends: CloudSendTracker) -> None:
        """Remember recent incoming SMS: SMSLink retries a callback that did not get a 200."""
        super().__init__(entry, sends, "an SMSLink")
        self._seen: OrderedDict[tuple[str, str, str, str], None] = OrderedDict()
        self._strangers = RefusalLog("an SMSLink report for another connection")

    def _take(self, hass: HomeAssistant, fields: dict[str, Any]) -> web.Response:
        event = smslink.parse_callback(fields)
        if not isinstance(event, DeliveryReport):
            self._on_incoming(hass, event)
        elif event.connection_id not in {None, self._entry.data[CONF_CONNECTION_ID]}:
            # The extended fields name the connection: one not ours is no report of ours.
            self._strangers.refused("it names another connection ID")
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        else:
            status = STATUS_DELIVERED if event.delivered else STATUS_FAILED
            self._report(str(event.message_id), status, event.raw_status)
        return web.Response(status=HTTPStatus.OK)

    def _on_incoming(self, hass: HomeAssistant, sms: IncomingSms) -> None:
        key = (sms.sender, sms.receiver, sms.received_at.isoformat(), sms.text)
        if key in self._seen:
            LOGGER.debug("SMSLink repeated an incoming SMS already fired")
            return
        remember(self._seen, key, None, limit=_KEEP_SEEN)
        async_fire_sms_received(
            hass,
            account_origin(hass, self._entry),
            sender=sms.sender,
            text=sms.text,
            received_at=sms.received_at,
            receiver=sms.receiver,
            network=sms.network_name or None,
        )


def _submitter(client: SmsLinkClient, _hass: HomeAssistant, entry: ConfigEntry) -> SmsLinkSubmitter:
    return SmsLinkSubmitter(client, test_mode=bool(entry.options.get(CONF_TEST_MODE, False)))


def _unique_id(data: Mapping[str, Any]) -> str:
    """Return the connection ID as it is: it names the account and is no secret."""
    return str(data[CONF_CONNECTION_ID])


SMSLINK: Final = CloudService[SmsLinkClient](
    provider=PROVIDER_SMSLINK,
    title="SMSLink",
    credentials=(CONF_CONNECTION_ID, CONF_PASSWORD),
    secrets=(CONF_PASSWORD,),
    base_url=smslink.DEFAULT_BASE_URL,
    sender=smslink.DEFAULT_SENDER,
    country=DEFAULT_SMSLINK_COUNTRY,
    client=SmsLinkClient,
    login_check=lambda client: client.balance(),
    submitter=_submitter,
    receiver=SmsLinkCallbacks,
    unique_id=_unique_id,
    device=DeviceModel("SMSLink", "SMS Gateway connection", "https://www.smslink.ro"),
    platforms=(Platform.NOTIFY, Platform.SENSOR),
    read_balance=lambda client: client.balance(),
    login_names_account=True,
    callback_url_by_hand=True,
    option_switches=(CONF_TEST_MODE,),
    receives_sms=True,
)
