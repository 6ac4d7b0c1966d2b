#!/usr/bin/env bash
# Creates .venv with Python 3.13 and the pinned test stack, installing uv first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat .python-version)
stamp=.venv/.installed
if [[ -f $stamp && $stamp -nt requirements_test.txt ]]; then
  exit 0
fi

find_python() {
  local candidate
  for candidate in "python$want" python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    candidate="$(pyenv root)/versions/$want/bin/python3"
    [[ -x $candidate ]] && { echo "$candidate"; return 0; }
  fi
  return 1
}

find_uv() {
  if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then echo uv; return 0; fi
  local py
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -m uv --version >/dev/null 2>&1; then
      echo "$py -m uv"; return 0
    fi
  done
  echo "uv not found: installing it with pip" >&2
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -m pip install --quiet --user uv >&2 2>&1 \
      || "$py" -m pip install --quiet uv >&2 2>&1; then
      "$py" -m uv --version >/dev/null 2>&1 && { echo "$py -m uv"; return 0; }
    fi
  done
  return 1
}

uv=$(find_uv) || { echo "error: could not install uv" >&2; exit 1; }
if python=$(find_python); then
  echo "Using $python ($("$python" --version))"
else
  echo "No Python $want on PATH or under pyenv: asking uv for one"
  $uv python install "$want"
  python=$($uv python find "$want")
fi

if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))'; then
  $uv venv --quiet --clear --python "$python" .venv
fi
$uv pip install --quiet --python .venv/bin/python -r requirements_test.txt
touch "$stamp"
echo "Installed the test stack in .venv"
