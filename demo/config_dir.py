"""Build demo/config from scratch: configuration.yaml, the integration link and `.storage/`.

Everything Home Assistant would otherwise ask in the browser (onboarding, the owner account, the
gateway's config entry, the dashboard) is written here, so the demo needs no clicks.
"""

from datetime import UTC, datetime
from pathlib import Path
import shutil
from typing import Any

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.util.ulid import ulid_now

from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_BALANCE_UNIT,
    CONF_PROVIDER,
    DEFAULT_BALANCE_PATTERN,
    DOMAIN,
    PROVIDER_DINSTAR,
)

from .auth import DemoAccount, write_account
from .dashboard import dashboard_config
from .settings import (
    BALANCE_CODE,
    BALANCE_INTERVAL_MINUTES,
    BALANCE_PORTS,
    BALANCE_UNIT,
    HOST,
    INTEGRATION_SOURCE,
    TIME_ZONE,
    DemoEndpoints,
)
from .storage import write_store

# Only what the demo uses: no default_config, whose integrations need packages that the test
# stack does not install (Home Assistant runs with --skip-pip).
_CONFIGURATION_YAML = """\
homeassistant:
  name: SMS Gateway demo
  latitude: 33.5731
  longitude: -7.5898
  elevation: 50
  unit_system: metric
  time_zone: {time_zone}
  country: MA
  currency: MAD
  language: en
  internal_url: {ha_url}

http:
  server_host: {host}
  server_port: {ha_port}

frontend:
config:
history:
logbook:

logger:
  default: warning
  logs:
    custom_components.sms_gateway: info
    aiohttp_fast_zlib: error  # "isal not available": only a compression speed-up
    # libturbojpeg is a system library Home Assistant's images ship; only a camera speed-up.
    homeassistant.components.camera.img_util: critical
"""


def gateway_title(serial: str) -> str:
    """Title the entry the way the config flow titles a gateway."""
    return f"Dinstar {serial}"


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


def _config_entry(
    domain: str, title: str, source: str, data: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """Shape one entry as core.config_entries stores it."""
    now = datetime.now(UTC).isoformat()
    entry = {
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


def _write_config_entries(storage_dir: Path, endpoints: DemoEndpoints, serial: str) -> None:
    """Write the gateway's entry (data keys as the config flow creates them) and backup's.

    Onboarding leaves a backup entry behind; without it Home Assistant creates one at start-up
    and shows a stray "New devices discovered" notification.
    """
    gateway = _config_entry(
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
        options={CONF_BALANCE: _balance_options()},
    )
    backup = _config_entry("backup", "Backup", "system", {})
    write_store(
        storage_dir, "core.config_entries", 1, {"entries": [gateway, backup]}, minor_version=5
    )


def build_config_dir(config_dir: Path, endpoints: DemoEndpoints, serial: str) -> DemoAccount:
    """Delete and rewrite config_dir; return the owner account's API token."""
    if config_dir.exists():
        shutil.rmtree(config_dir)
    config_dir.mkdir(parents=True)
    (config_dir / "configuration.yaml").write_text(
        _CONFIGURATION_YAML.format(
            ha_url=endpoints.ha_url, host=HOST, ha_port=endpoints.ha_port, time_zone=TIME_ZONE
        ),
        encoding="utf-8",
    )
    custom_components = config_dir / "custom_components"
    custom_components.mkdir()
    (custom_components / DOMAIN).symlink_to(INTEGRATION_SOURCE, target_is_directory=True)
    storage_dir = config_dir / ".storage"
    account = write_account(storage_dir)
    _write_config_entries(storage_dir, endpoints, serial)
    write_store(storage_dir, "lovelace", 1, {"config": dashboard_config(gateway_title(serial))})
    return account
