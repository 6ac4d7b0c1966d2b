#!/usr/bin/env bash
# Installs what `make demo` needs on top of a leg's test stack (the virtualenv given, .venv by
# default): Home Assistant's frontend and the requirements of the components Home Assistant sets
# up on its own, at the versions pinned in that Home Assistant's package_constraints.txt. A quick
# no-op once they are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${1:-.venv}
py=$venv/bin/python
constraints=$("$py" -c 'import homeassistant, pathlib
print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
stamp=$venv/.demo-installed
if [[ -f $stamp && $stamp -nt $constraints && $stamp -nt custom_components/sms_gateway/manifest.json ]]; then
  exit 0
fi

mapfile -t wanted < <(grep -E '^home-assistant-frontend==' "$constraints"
  "$py" scripts/component_requirements.py --defaults)
echo "Installing what the demo's Home Assistant loads (${#wanted[@]} requirements)"
"$venv/bin/uv" pip install --quiet --python "$py" --constraint "$constraints" "${wanted[@]}"
touch "$stamp"
