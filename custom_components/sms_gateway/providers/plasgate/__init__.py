"""Plasgate (Cambodia): the REST client, its rate limits and the callback readers."""

from .callbacks import (
    DLR_ACK,
    BatchCallback,
    DeliveryReport,
    DeliveryState,
    parse_batch_callback,
    parse_delivery_report,
)
from .client import (
    DEFAULT_SENDER,
    MAX_CONTENT,
    MAX_RECIPIENTS_PER_BATCH,
    MAX_SENDER,
    DlrOptions,
    PlasgateClient,
)
from .transport import DEFAULT_BASE_URL, SendReceipt, ca_bundle_context

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_SENDER",
    "DLR_ACK",
    "MAX_CONTENT",
    "MAX_RECIPIENTS_PER_BATCH",
    "MAX_SENDER",
    "BatchCallback",
    "DeliveryReport",
    "DeliveryState",
    "DlrOptions",
    "PlasgateClient",
    "SendReceipt",
    "ca_bundle_context",
    "parse_batch_callback",
    "parse_delivery_report",
]
