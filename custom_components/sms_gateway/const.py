"""Constants shared by the SMS Gateway integration: keys, defaults and the event contract."""

from datetime import timedelta
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
CONF_BALANCE: Final = "balance"
CONF_BALANCE_CODE: Final = "code"
CONF_BALANCE_PATTERN: Final = "pattern"
CONF_BALANCE_UNIT: Final = "unit"
CONF_BALANCE_INTERVAL: Final = "interval"
CONF_BALANCE_THRESHOLD: Final = "threshold"
CONF_ROUTE_SERVICES: Final = "services"
"""A route's gateways and accounts, by entry id, in the order they are tried."""

DEFAULT_POLL_INTERVAL: Final = 30
DEFAULT_BALANCE_PATTERN: Final = r"(\d+(?:[.,]\d+)?)"
DEFAULT_BALANCE_INTERVAL: Final = 360  # minutes
SLOW_POLL_INTERVAL: Final = timedelta(minutes=5)
CLOUD_BALANCE_INTERVAL: Final = timedelta(minutes=30)
DEFAULT_SMSLINK_COUNTRY: Final = "RO"
DEFAULT_PLASGATE_COUNTRY: Final = "KH"

# Bus events; their data keys are a public contract (README, DESIGN.md).
EVENT_SMS_RECEIVED: Final = "sms_gateway_sms_received"
EVENT_DELIVERY_REPORT: Final = "sms_gateway_delivery_report"
EVENT_SMS_SENT: Final = "sms_gateway_sms_sent"
EVENT_USSD_REPLY: Final = "sms_gateway_ussd_reply"
EVENT_ASSIST: Final = "sms_gateway_assist"

SMS_UNIT: Final = "SMS"
"""Unit of counts of SMS: an account's allowance, a gateway's queue."""
