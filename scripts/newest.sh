#!/usr/bin/env bash
# Runs a command (from the repository's top) on Python 3.14, for the newest Home Assistant leg:
# directly where python3.14 is on PATH, otherwise inside a Debian sid root (scripts/sid_root.sh)
# with the repository mounted at /src, /proc mounted for the run only, and a clean environment.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v python3.14 >/dev/null 2>&1; then
  exec "$@"
fi

root=$(bash scripts/sid_root.sh)
# Name resolution and the certificate authorities this machine trusts (a proxy's included).
cp /etc/resolv.conf "$root/etc/resolv.conf"
for bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
  if [[ -f $bundle ]]; then
    cp "$bundle" "$root/etc/ssl/certs/ca-certificates.crt"
    break
  fi
done

mkdir -p "$root/src"
unmount() {
  umount -l "$root/proc" 2>/dev/null || true
  umount -l "$root/src" 2>/dev/null || true
}
# Unmount however the run ends: normally, Ctrl-C (the whole foreground group gets it) or TERM.
trap unmount EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mount --bind "$PWD" "$root/src"
mount -t proc proc "$root/proc"

certs=/etc/ssl/certs/ca-certificates.crt
chroot "$root" /usr/bin/env -i \
  HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  SSL_CERT_FILE=$certs PIP_CERT=$certs PIP_DISABLE_PIP_VERSION_CHECK=1 \
  bash -c 'cd /src && exec "$@"' newest "$@"
