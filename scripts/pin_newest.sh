#!/usr/bin/env bash
# Moves the newest leg's pin (requirements_newest.txt) to the newest
# pytest-homeassistant-custom-component for Python 3.14, or to the version given.
# Then run `make test` and fix what it shows.
set -euo pipefail
cd "$(dirname "$0")/.."

package=pytest-homeassistant-custom-component
version=${1:-}
if [[ -z $version ]]; then
  version=$(echo "$package" | .venv/bin/uv pip compile --quiet --no-deps --no-header \
    --no-annotate --python-version 3.14 - | sed -n "s/^$package==//p")
fi
[[ -n $version ]] || { echo "error: could not find the newest $package" >&2; exit 1; }
sed -i "s/^$package==.*/$package==$version/" requirements_newest.txt
echo "requirements_newest.txt now pins $package==$version; run make test"
