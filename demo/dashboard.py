"""The demo's dashboard is the one users get: examples/dashboard.yaml, read as it stands.

So the demo shows what the README shows, and the demo's start-up check (every entity the file
names exists) keeps the example true to the integration.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from homeassistant.util import slugify
from homeassistant.util.yaml import load_yaml_dict

from .home_assistant import DemoError
from .settings import REPO_ROOT

EXAMPLE_DASHBOARD: Final = REPO_ROOT / "examples" / "dashboard.yaml"


def dashboard_config(path: Path = EXAMPLE_DASHBOARD) -> dict[str, Any]:
    """Read the example: the Lovelace configuration (storage mode) of the default dashboard."""
    return dict(load_yaml_dict(path))


def _named_in(node: Any) -> Iterator[str]:
    """Walk cards: an `entity:` value, or a plain string in an `entities:` list."""
    if isinstance(node, list):
        for item in node:
            yield from _named_in(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "entity" and isinstance(value, str):
            yield value
        elif key == "entities" and isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))
            yield from _named_in([item for item in value if not isinstance(item, str)])
        else:
            yield from _named_in(value)


def referenced_entity_ids(config: dict[str, Any]) -> list[str]:
    """List every entity a dashboard configuration names, once each, in order."""
    return list(dict.fromkeys(_named_in(config)))


def dashboard_entity_ids(title: str) -> list[str]:
    """List the example's entities of one entry: their object ids start with its slugified title.

    Raise DemoError when there is none: the example was written for other titles.
    """
    prefix = f"{slugify(title)}_"
    named = [
        entity_id
        for entity_id in referenced_entity_ids(dashboard_config())
        if entity_id.partition(".")[2].startswith(prefix)
    ]
    if not named:
        raise DemoError(f"{EXAMPLE_DASHBOARD.name} names no entity of {title!r}")
    return named
