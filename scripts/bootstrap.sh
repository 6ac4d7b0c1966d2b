#!/usr/bin/env bash
# Creates one leg's virtualenv with its pinned test stack: `floor` (.venv, Python 3.13) or `newest`
# (.venv-newest, Python 3.14; run it through scripts/newest.sh where python3.14 is not on PATH).
# A quick no-op once the requirements are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

leg=${1:-floor}
case $leg in
  floor) want=3.13 venv=.venv ;;
  newest) want=3.14 venv=.venv-newest ;;
  *) echo "error: unknown leg '$leg' (floor or newest)" >&2; exit 2 ;;
esac
requirements=requirements_$leg.txt
stamp=$venv/.installed
right_python="import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))"

if [[ -f $stamp && $stamp -nt $requirements && $stamp -nt requirements_common.txt ]] \
  && "$venv/bin/python" -c "$right_python" 2>/dev/null; then
  exit 0
fi

find_python() {
  local candidate
  for candidate in "python$want" python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "$right_python" 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if [[ $leg == floor ]] && command -v pyenv >/dev/null 2>&1; then
    candidate="$(pyenv root)/versions/$(cat .python-version)/bin/python3"
    [[ -x $candidate ]] && { echo "$candidate"; return 0; }
  fi
  return 1
}

python=$(find_python) || {
  echo "error: no Python $want on PATH$([[ $leg == floor ]] && echo ' or under pyenv')" >&2
  [[ $leg == newest ]] && echo "  run the newest leg through scripts/newest.sh" >&2
  exit 1
}
echo "Setting up the $leg leg in $venv with $python ($("$python" --version))"

if ! "$venv/bin/python" -c "$right_python" 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
# uv installs the stack in well under a minute; pip alone takes several.
[[ -x $venv/bin/uv ]] || "$venv/bin/python" -m pip install --quiet uv
uv=("$venv/bin/uv" pip install --quiet --python "$venv/bin/python")
"${uv[@]}" -r "$requirements"

# The components we depend on (http, webhook, cloud) and those our platforms plug into (logbook,
# diagnostics, ...) need their own requirements to load, at the
# versions this Home Assistant pins.
constraints=$("$venv/bin/python" -c 'import homeassistant, pathlib
print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
mapfile -t components < <("$venv/bin/python" scripts/component_requirements.py)
if ((${#components[@]})); then
  "${uv[@]}" --constraint "$constraints" "${components[@]}"
fi
touch "$stamp"
echo "Installed the $leg test stack in $venv"
