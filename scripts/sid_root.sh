#!/usr/bin/env bash
# Builds, once, a Debian sid root with Python 3.14 for the newest Home Assistant leg, and reuses it.
# Needs root on Debian (debootstrap and chroot); the archive is the one this machine's apt names.
# Prints the root's path on stdout; everything else goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD/.cache/sid-root
packages=python3.14,python3.14-venv,python3.14-dev,build-essential,git,ca-certificates

fail() { echo "error: $*" >&2; exit 1; }

if [[ -x $root/usr/bin/python3.14 && -f $root/.complete ]]; then
  echo "$root"; exit 0
fi

[[ $(id -u) == 0 ]] || fail "no python3.14 on PATH, and building a Debian sid root for it needs root
  (debootstrap and chroot). Install Python 3.14 (python3.14 on PATH), or run as root on Debian."
[[ -f /etc/debian_version ]] || fail "no python3.14 on PATH, and this is not Debian: the sid root
  needs debootstrap from Debian. Install Python 3.14 so that python3.14 is on PATH."

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "Installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2 \
    || fail "could not install debootstrap with apt-get"
fi

# The main Debian archive this machine's apt already uses (never a host written here).
mirror=$(apt-get indextargets --format '$(LABEL) $(SITE)' 2>/dev/null \
  | awk '$1 == "Debian" { print $2; exit }')
[[ -n $mirror ]] || fail "apt names no Debian archive (apt-get indextargets shows no label Debian)"

echo "Building a Debian sid root with Python 3.14 in $root from $mirror (once, about a minute)" >&2
rm -rf "$root"
mkdir -p "$root"
debootstrap --variant=minbase --include="$packages" sid "$root" "$mirror" >&2 \
  || fail "debootstrap of sid from $mirror failed (see above)"
touch "$root/.complete"
echo "$root"
