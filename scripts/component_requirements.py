"""Print the requirements of the Home Assistant components our manifest depends on.

Home Assistant installs a component's requirements when it loads it; the test harness does not, so
each leg installs them from the manifests of the Home Assistant it runs, at that release's pins.
With --defaults, also those of the components Home Assistant sets up on its own (the demo runs
a whole Home Assistant, with --skip-pip: newer releases set up every base platform).
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

from homeassistant import bootstrap
import homeassistant.components

MANIFEST = Path(__file__).parent.parent / "custom_components" / "sms_gateway" / "manifest.json"


def platform_domains(components: Path) -> list[str]:
    """Name the components our platforms plug into (logbook.py, diagnostics.py, ...).

    Home Assistant loads those components, and what they load, to use our platforms.
    """
    ours = MANIFEST.parent.glob("*.py")
    return sorted(module.stem for module in ours if (components / module.stem).is_dir())


def component_requirements(manifest: dict[str, list[str]], *, defaults: bool = False) -> list[str]:
    """Return the requirements of the components we use and of every component they load."""
    components = Path(next(iter(homeassistant.components.__path__)))
    todo = [
        *manifest.get("dependencies", []),
        *manifest.get("after_dependencies", []),
        *platform_domains(components),
        *(sorted(bootstrap.DEFAULT_INTEGRATIONS) if defaults else []),
    ]
    seen: set[str] = set()
    requirements: list[str] = []
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest_file = components / domain / "manifest.json"
        if not manifest_file.is_file():
            continue  # a name in the defaults that this release does not ship
        wanted = json.loads(manifest_file.read_text(encoding="utf-8"))
        requirements += wanted.get("requirements", [])
        todo += [*wanted.get("dependencies", []), *wanted.get("after_dependencies", [])]
    return sorted(set(requirements))


if __name__ == "__main__":
    ours = json.loads(MANIFEST.read_text(encoding="utf-8"))
    found = component_requirements(ours, defaults="--defaults" in sys.argv[1:])
    sys.stdout.write("".join(f"{line}\n" for line in found))
