#!/usr/bin/env bash
# Installs what `make demo` needs on top of the test stack: Home Assistant's frontend, at the version
# pinned in this Home Assistant's package_constraints.txt. A quick no-op once it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

py=.venv/bin/python
constraints=$("$py" -c 'import homeassistant, pathlib
print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
wanted=$(grep -E '^home-assistant-frontend==' "$constraints")
installed=$("$py" -c 'import importlib.metadata as m
print("home-assistant-frontend==" + m.version("home-assistant-frontend"))' 2>/dev/null || true)
if [[ $installed == "$wanted" ]]; then
  exit 0
fi

echo "Installing $wanted for the demo"
if [[ -x .venv/bin/uv ]]; then
  .venv/bin/uv pip install --quiet --python "$py" "$wanted"
elif "$py" -m uv --version >/dev/null 2>&1; then
  "$py" -m uv pip install --quiet --python "$py" "$wanted"
else
  "$py" -m pip install --quiet "$wanted"
fi
