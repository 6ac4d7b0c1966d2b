"""Constants shared by the SMS Gateway integration: keys, defaults and the event contract."""

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "sms_gateway"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
PROVIDER_DINSTAR: Final = "dinstar"
PROVIDER_SMSLINK: Final = "smslink"
PROVIDER_PLASGATE: Final = "plasgate"
PROVIDER_ROUTE: Final = "route"
"""A failover route: no service of its own, an ordered list of the other entries."""

# Cloud accounts (entry data; CONF_URL from homeassistant.const overrides the service's address)
CONF_CONNECTION_ID: Final = "connection_id"
CONF_PRIVATE_KEY: Final = "private_key"
CONF_SECRET: Final = "secret"  # noqa: S105 (a key name, not a secret)
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"

# Options
CONF_POLL_INTERVAL: Final = "poll_interval"
CONF_DEFAULT_PORTS: Final = "default_ports"
CONF_DEFAULT_RECIPIENTS: Final = "default_recipients"
CONF_SENDER: Final = "sender"
CONF_COUNTRY: Final = "country"
CONF_TEST_MODE: Final = "test_mode"
# Plasgate over SMPP, under options[CONF_SMPP] (CONF_HOST, CONF_PORT, CONF_PASSWORD from
# homeassistant.const); no CONF_SMPP (or None) means REST.
CONF_SMPP: Final = "smpp"
CONF_SYSTEM_ID: Final = "system_id"
CONF_TLS: Final = "tls"
CONF_THROUGHPUT: Final = "throughput"
CONF_WINDOW: Final = "window"
CONF_BALANCE: Final = "balance"
CONF_BALANCE_CODE: Final = "code"
CONF_BALANCE_PATTERN: Final = "pattern"
CONF_BALANCE_UNIT: Final = "unit"
CONF_BALANCE_INTERVAL: Final = "interval"
CONF_BALANCE_THRESHOLD: Final = "threshold"
CONF_ROUTE_SERVICES: Final = "services"
"""A route's gateways and accounts, by entry id, in the order they are tried."""

# SMS to Assist, under options[CONF_ASSIST] (CONF_ENABLED from homeassistant.const)
CONF_ASSIST: Final = "assist"
CONF_NUMBERS: Final = "numbers"
CONF_AGENT: Final = "agent_id"
CONF_RATE_LIMIT: Final = "rate_limit"

DEFAULT_POLL_INTERVAL: Final = 30
DEFAULT_BALANCE_PATTERN: Final = r"(\d+(?:[.,]\d+)?)"
DEFAULT_BALANCE_INTERVAL: Final = 360  # minutes
SLOW_POLL_INTERVAL: Final = timedelta(minutes=5)
CLOUD_BALANCE_INTERVAL: Final = timedelta(minutes=30)
DEFAULT_SMSLINK_COUNTRY: Final = "RO"
DEFAULT_PLASGATE_COUNTRY: Final = "KH"

# Actions and their fields (ATTR_CODE and ATTR_DEVICE_ID from homeassistant.const); the send
# options are also the `data` of the notify services.
SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_SEND_USSD: Final = "send_ussd"
SERVICE_REFRESH_BALANCE: Final = "refresh_balance"
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_MESSAGE: Final = "message"
ATTR_PORTS: Final = "ports"
ATTR_ENCODING: Final = "encoding"
ATTR_SENDER: Final = "sender"
ATTR_DELIVERY_REPORT: Final = "delivery_report"
ATTR_WAIT: Final = "wait"
ATTR_TIMEOUT: Final = "timeout"

# Bus events; their data keys are a public contract (README, DESIGN.md).
EVENT_SMS_RECEIVED: Final = "sms_gateway_sms_received"
EVENT_DELIVERY_REPORT: Final = "sms_gateway_delivery_report"
EVENT_SMS_SENT: Final = "sms_gateway_sms_sent"
EVENT_USSD_REPLY: Final = "sms_gateway_ussd_reply"
EVENT_ASSIST: Final = "sms_gateway_assist"


class AssistOutcome(StrEnum):
    """What became of an SMS to Assist command: the `outcome` of `sms_gateway_assist`."""

    ANSWERED = "answered"
    RATE_LIMITED = "rate_limited"
    NO_ANSWER = "no_answer"
    """The agent failed, or the conversation integration is not loaded."""
    NOT_SENT = "not_sent"
    """The agent answered; the answer could not be sent (or may have gone: it was not repeated)."""


SMS_UNIT: Final = "SMS"
"""Unit of counts of SMS: an account's allowance, a gateway's queue."""
