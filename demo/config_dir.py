"""Build demo/config from scratch: configuration.yaml, the integration link and `.storage/`.

Everything Home Assistant would otherwise ask in the browser (onboarding, the owner account, the
config entries, the dashboard: examples/dashboard.yaml) is written here, so the demo needs no
clicks.
"""

from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
import shutil
from typing import Any

from custom_components.sms_gateway.const import DOMAIN

from .auth import DemoAccount, write_account
from .dashboard import dashboard_config
from .entries import config_entries
from .settings import HOST, INTEGRATION_SOURCE, TIME_ZONE, DemoEndpoints
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
  # Cloud services call back on the external URL; the demo's simulators run on this machine.
  external_url: {ha_url}

{http}
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


_HTTP_YAML = """\
http:
  server_host: {host}
  server_port: {ha_port}
"""


def _stored_http_settings(endpoints: DemoEndpoints) -> dict[str, Any] | None:
    """Return `.storage/http` settings for a Home Assistant that keeps them there (2026.x).

    Such a release migrates an `http:` YAML section once, then asks in the browser to confirm
    the new listen address and reverts (restarting) after five minutes without an answer; stored
    as confirmed, the demo's address needs no click. None: this release reads the YAML section.
    """
    try:
        http_config: Any = import_module("homeassistant.components.http.config")
    except ModuleNotFoundError:
        return None
    settings = http_config.HTTP_STORAGE_SCHEMA(
        {"server_host": [HOST], "server_port": endpoints.ha_port}
    )
    confirmed = {"created_at": datetime.now(UTC).isoformat(), "error": None, "error_message": None}
    return {"stable": {**settings, **confirmed}, "pending": None, "yaml_migration_done": True}


def build_config_dir(config_dir: Path, endpoints: DemoEndpoints, serial: str) -> DemoAccount:
    """Delete and rewrite config_dir; return the owner account's API token."""
    if config_dir.exists():
        shutil.rmtree(config_dir)
    config_dir.mkdir(parents=True)
    stored_http = _stored_http_settings(endpoints)
    http = "" if stored_http else _HTTP_YAML.format(host=HOST, ha_port=endpoints.ha_port)
    (config_dir / "configuration.yaml").write_text(
        _CONFIGURATION_YAML.format(ha_url=endpoints.ha_url, time_zone=TIME_ZONE, http=http),
        encoding="utf-8",
    )
    custom_components = config_dir / "custom_components"
    custom_components.mkdir()
    (custom_components / DOMAIN).symlink_to(INTEGRATION_SOURCE, target_is_directory=True)
    storage_dir = config_dir / ".storage"
    account = write_account(storage_dir)
    if stored_http:
        write_store(storage_dir, "http", 2, stored_http, minor_version=2)
    write_store(
        storage_dir,
        "core.config_entries",
        1,
        {"entries": config_entries(endpoints, serial)},
        minor_version=5,
    )
    write_store(storage_dir, "lovelace", 1, {"config": dashboard_config()})
    return account
