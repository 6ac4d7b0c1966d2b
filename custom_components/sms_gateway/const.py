"""Constants shared by the SMS Gateway integration."""

from typing import Final

DOMAIN: Final = "sms_gateway"
