"""The config entries the demo writes, in the shapes the config flows create them.

A gateway entry for the Dinstar simulator, an SMSLink and a Plasgate entry for theirs (DESIGN.md
and the cloud-account contract: unique ids without secrets, `url` pointing at the simulator). The
Plasgate entry carries the SMPP options its options page saves, pointing at the simulator's SMPP
server, so the account sends and receives over SMPP.
"""

from datetime import UTC, datetime
from typing import Any

from homeassistant.const import (
    CONF_ENABLED,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.util.ulid import ulid_now

from custom_components.sms_gateway.accounts.catalog import plasgate_unique_id
from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_BALANCE_UNIT,
    CONF_CONNECTION_ID,
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SECRET,
    CONF_SENDER,
    CONF_SMPP,
    CONF_SYSTEM_ID,
    CONF_TEST_MODE,
    CONF_THROUGHPUT,
    CONF_TLS,
    CONF_WINDOW,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_PLASGATE_COUNTRY,
    DEFAULT_SMSLINK_COUNTRY,
    DOMAIN,
    PROVIDER_DINSTAR,
    PROVIDER_PLASGATE,
    PROVIDER_SMSLINK,
)
from custom_components.sms_gateway.gateway import flow as gateway_flow
from simulators.dinstar.settings import DinstarSettings

from .home_assistant import DemoError
from .settings import (
    BALANCE_CODE,
    BALANCE_INTERVAL_MINUTES,
    BALANCE_PORTS,
    BALANCE_UNIT,
    GATEWAY_RECIPIENT,
    GATEWAY_TITLE,
    PLASGATE_PRIVATE_KEY,
    PLASGATE_RECIPIENT,
    PLASGATE_SECRET,
    SMPP_PASSWORD,
    SMPP_SYSTEM_ID,
    SMPP_THROUGHPUT,
    SMPP_WINDOW,
    SMSLINK_CONNECTION_ID,
    SMSLINK_PASSWORD,
    SMSLINK_RECIPIENT,
    DemoEndpoints,
    SmppEndpoint,
)

SMSLINK_TITLE = "SMSLink"
PLASGATE_TITLE = "Plasgate"
_SMSLINK_SENDER = "numeric"
_PLASGATE_SENDER = "SMS Info"


def gateway_title(serial: str) -> str:
    """Title the entry the way the config flow titles a first gateway.

    Checked against settings.GATEWAY_TITLE, which `python -m demo sms` reads without loading
    the integration.
    """
    title = gateway_flow.gateway_title(serial, [])
    if serial == DinstarSettings.sn and title != GATEWAY_TITLE:
        raise DemoError(f"settings.GATEWAY_TITLE should be {title!r}")
    return title


def _config_entry(
    domain: str, title: str, source: str, data: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """Shape one entry as core.config_entries stores it."""
    now = datetime.now(UTC).isoformat()
    entry: dict[str, Any] = {
        "created_at": now,
        "data": data,
        "discovery_keys": {},
        "disabled_by": None,
        "domain": domain,
        "entry_id": ulid_now(),
        "minor_version": 1,
        "modified_at": now,
        "options": {},
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": source,
        "subentries": [],
        "title": title,
        "unique_id": None,
        "version": 1,
    }
    return entry | fields


def _balance_options() -> dict[str, dict[str, str | int]]:
    return {
        str(port): {
            CONF_BALANCE_CODE: BALANCE_CODE,
            CONF_BALANCE_PATTERN: DEFAULT_BALANCE_PATTERN,
            CONF_BALANCE_UNIT: BALANCE_UNIT,
            CONF_BALANCE_INTERVAL: BALANCE_INTERVAL_MINUTES,
        }
        for port in BALANCE_PORTS
    }


def _gateway_entry(endpoints: DemoEndpoints, serial: str) -> dict[str, Any]:
    return _config_entry(
        DOMAIN,
        gateway_title(serial),
        "user",
        {
            CONF_PROVIDER: PROVIDER_DINSTAR,
            CONF_HOST: endpoints.simulator_url,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "admin",
            CONF_VERIFY_SSL: False,
            CONF_WEBHOOK_ID: endpoints.webhook_id,
        },
        unique_id=serial,
        options={
            CONF_BALANCE: _balance_options(),
            CONF_DEFAULT_RECIPIENTS: [GATEWAY_RECIPIENT],
        },
    )


def _smslink_entry(endpoints: DemoEndpoints) -> dict[str, Any]:
    """Use the connection id as the unique id: an identifier, not a secret."""
    return _config_entry(
        DOMAIN,
        SMSLINK_TITLE,
        "user",
        {
            CONF_PROVIDER: PROVIDER_SMSLINK,
            CONF_CONNECTION_ID: SMSLINK_CONNECTION_ID,
            CONF_PASSWORD: SMSLINK_PASSWORD,
            CONF_WEBHOOK_ID: endpoints.smslink.webhook_id,
            CONF_URL: endpoints.smslink.url,
        },
        unique_id=SMSLINK_CONNECTION_ID,
        options={
            CONF_SENDER: _SMSLINK_SENDER,
            CONF_COUNTRY: DEFAULT_SMSLINK_COUNTRY,
            CONF_DEFAULT_RECIPIENTS: [SMSLINK_RECIPIENT],
            CONF_TEST_MODE: False,
        },
    )


def _smpp_options(smpp: SmppEndpoint) -> dict[str, Any]:
    """Shape the SMPP settings as the account's options page saves them (no TLS: a local port)."""
    return {
        CONF_ENABLED: True,
        CONF_HOST: smpp.host,
        CONF_PORT: smpp.port,
        CONF_SYSTEM_ID: SMPP_SYSTEM_ID,
        CONF_PASSWORD: SMPP_PASSWORD,
        CONF_TLS: False,
        CONF_THROUGHPUT: SMPP_THROUGHPUT,
        CONF_WINDOW: SMPP_WINDOW,
    }


def _plasgate_entry(endpoints: DemoEndpoints) -> dict[str, Any]:
    return _config_entry(
        DOMAIN,
        PLASGATE_TITLE,
        "user",
        {
            CONF_PROVIDER: PROVIDER_PLASGATE,
            CONF_PRIVATE_KEY: PLASGATE_PRIVATE_KEY,
            CONF_SECRET: PLASGATE_SECRET,
            CONF_WEBHOOK_ID: endpoints.plasgate.webhook_id,
            CONF_URL: endpoints.plasgate.url,
        },
        unique_id=plasgate_unique_id(PLASGATE_PRIVATE_KEY),
        options={
            CONF_SENDER: _PLASGATE_SENDER,
            CONF_COUNTRY: DEFAULT_PLASGATE_COUNTRY,
            CONF_DEFAULT_RECIPIENTS: [PLASGATE_RECIPIENT],
            CONF_SMPP: _smpp_options(endpoints.plasgate_smpp),
        },
    )


def config_entries(endpoints: DemoEndpoints, serial: str) -> list[dict[str, Any]]:
    """List the three accounts' entries, and backup's.

    Onboarding leaves a backup entry behind; without it Home Assistant creates one at start-up
    and shows a stray "New devices discovered" notification.
    """
    return [
        _gateway_entry(endpoints, serial),
        _smslink_entry(endpoints),
        _plasgate_entry(endpoints),
        _config_entry("backup", "Backup", "system", {}),
    ]
