"""SMSLink (Romania): the client, BULK v3 package outcomes and the callback reader."""

from .callbacks import (
    DeliveryReport,
    IncomingSms,
    callback_fields,
    parse_callback,
    parse_delivery_report,
    parse_incoming_sms,
)
from .client import (
    DEFAULT_BASE_URL,
    DEFAULT_SENDER,
    Balance,
    BulkReceipt,
    BulkResult,
    SentMessage,
    SmsLinkClient,
)
from .package import BulkStatus

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_SENDER",
    "Balance",
    "BulkReceipt",
    "BulkResult",
    "BulkStatus",
    "DeliveryReport",
    "IncomingSms",
    "SentMessage",
    "SmsLinkClient",
    "callback_fields",
    "parse_callback",
    "parse_delivery_report",
    "parse_incoming_sms",
]
