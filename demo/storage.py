"""Home Assistant `.storage/` files written the way Home Assistant itself writes them."""

import json
from pathlib import Path
from typing import Any


def write_store(
    storage_dir: Path, key: str, version: int, data: Any, minor_version: int = 1
) -> None:
    """Write one storage file (the envelope of homeassistant.helpers.storage.Store)."""
    storage_dir.mkdir(parents=True, exist_ok=True)
    envelope = {"version": version, "minor_version": minor_version, "key": key, "data": data}
    path = storage_dir / key
    path.write_text(json.dumps(envelope, indent=2, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
