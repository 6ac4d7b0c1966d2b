#!/usr/bin/env bash
# Installs what `make demo` needs on top of a leg's test stack (the virtualenv given, .venv by
# default): Home Assistant's frontend, at the version pinned in that Home Assistant's
# package_constraints.txt. A quick no-op once it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${1:-.venv}
py=$venv/bin/python
constraints=$("$py" -c 'import homeassistant, pathlib
print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
wanted=$(grep -E '^home-assistant-frontend==' "$constraints")
installed=$("$py" -c 'import importlib.metadata as m
print("home-assistant-frontend==" + m.version("home-assistant-frontend"))' 2>/dev/null || true)
if [[ $installed == "$wanted" ]]; then
  exit 0
fi

echo "Installing $wanted for the demo"
"$venv/bin/uv" pip install --quiet --python "$py" "$wanted"
