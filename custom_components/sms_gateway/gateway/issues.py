"""What the gateway's repair issues carry, so the repair flows find the entry and the port."""

from __future__ import annotations

from typing import Final

ISSUE_ENTRY_ID: Final = "entry_id"
"""Key of the issue data that names the entry the issue is about."""
ISSUE_PORT: Final = "port"
"""Key of the issue data that names the port the issue is about."""
