"""Every icon the integration names exists in the frontend this Home Assistant serves.

A name the frontend's Material Design Icons set lacks shows as a blank space. The set differs
between releases, so the check reads the icon list of the installed frontend package: each Home
Assistant leg checks against its own.
"""

from collections.abc import Iterator
import json
from pathlib import Path
import re

import hass_frontend

ROOT = Path(__file__).parent.parent
ICON_LIST = Path(hass_frontend.where()) / "static" / "mdi" / "iconList.json"
ICON = re.compile(r"mdi:([a-z0-9-]+)")
# Where the integration, its services and the shipped demo dashboard name icons.
SOURCES = (
    *sorted((ROOT / "custom_components" / "sms_gateway").rglob("*.json")),
    *sorted((ROOT / "custom_components" / "sms_gateway").rglob("*.py")),
    *sorted((ROOT / "custom_components" / "sms_gateway").rglob("*.yaml")),
    *sorted((ROOT / "demo").rglob("*.py")),
)


def frontend_icons() -> set[str]:
    return {icon["name"] for icon in json.loads(ICON_LIST.read_text())}


def named_icons() -> Iterator[tuple[str, str]]:
    for source in SOURCES:
        for name in ICON.findall(source.read_text()):
            yield str(source.relative_to(ROOT)), name


def test_every_named_icon_is_in_the_frontend() -> None:
    known = frontend_icons()
    missing = sorted({(where, name) for where, name in named_icons() if name not in known})
    assert not missing, f"icons the frontend does not have: {missing}"


def test_the_check_reads_real_names() -> None:
    named = {name for _where, name in named_icons()}
    assert len(named) > 20  # icons.json alone names more: the scan reads the real files
    assert "cash-refresh" not in frontend_icons()  # the name that once showed as a blank space
    assert {"sim", "cash-sync"} <= frontend_icons()
