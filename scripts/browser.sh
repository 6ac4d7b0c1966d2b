#!/usr/bin/env bash
# make browser LEG=floor|newest: what a user sees, checked in headless Chromium (browser/checks.mjs)
# against that leg's demo, started here in the background and stopped however the run ends.
# Fails on a failed check or on an ERROR line naming sms_gateway in the demo's log.
# Chromium and node run on this machine; the newest leg's demo runs through scripts/newest.sh
# (a chroot sharing the network), so both talk to 127.0.0.1. PORT=N picks Home Assistant's port.
set -euo pipefail
cd "$(dirname "$0")/.."

leg=${1:-floor}
case $leg in
  floor | newest) ;;
  *)
    echo "usage: scripts/browser.sh floor|newest" >&2
    exit 2
    ;;
esac
shots=browser/screenshots
log=$shots/$leg-demo.log
start_timeout=900 # a first run's setup installs the leg's packages

# Debian's Chromium and node; this runs as root on a fresh machine, with nobody to answer.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
# npm ci writes node_modules/.package-lock.json: older than the lock file means stale.
if [[ ! browser/node_modules/.package-lock.json -nt browser/package-lock.json ]]; then
  echo "== npm ci (browser/)"
  (cd browser && npm ci --no-audit --no-fund)
fi

mkdir -p "$shots"
rm -f "$shots/$leg"-*.png

make_demo=(make demo-run "LEG=$leg")
[[ -n ${PORT:-} ]] && make_demo+=("DEMO_ARGS=run --port $PORT")
[[ $leg == newest ]] && make_demo=(bash scripts/newest.sh "${make_demo[@]}")

demo=
# Every process under pid (Home Assistant runs in a session of its own: a process group's
# signal misses it).
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}
# TERM to the demo's process group (the demo stops Home Assistant and the simulators itself),
# then KILL to whatever of that tree is left after a grace period.
checks=
stop_demo() {
  if [[ -n $checks ]]; then
    kill -TERM "$checks" 2>/dev/null || true
    wait "$checks" 2>/dev/null || true
    checks=
  fi
  [[ -n $demo ]] || return 0
  local tree pgid
  tree=("$demo" $(descendants "$demo"))
  pgid=$(ps -o pgid= -p "$demo" | tr -d ' ') || pgid=
  echo "== stopping the demo"
  if [[ -n $pgid ]]; then kill -TERM -- "-$pgid" 2>/dev/null || true; fi
  for _ in $(seq 90); do
    alive "${tree[@]}" || break
    sleep 1
  done
  if alive "${tree[@]}"; then
    echo "== the demo did not stop within 90 s: killing ${tree[*]}"
    kill -KILL "${tree[@]}" 2>/dev/null || true
  fi
  demo=
}
trap stop_demo EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== starting the $leg demo (log: $log)"
setsid "${make_demo[@]}" >"$log" 2>&1 &
demo=$!

url=
for _ in $(seq "$start_timeout"); do
  url=$(grep -oE 'Home Assistant: +http://[^ ]+' "$log" | awk '{print $3}' | head -1) || true
  [[ -n $url ]] && break
  if ! kill -0 "$demo" 2>/dev/null; then
    echo "the demo stopped before it was up; the end of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  sleep 1
done
if [[ -z $url ]]; then
  echo "the demo was not up within $start_timeout s; the end of $log:" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "== the demo is up at $url"
grep -E '^  Warning: ' "$log" || true

status=0
# In the background, so that INT or TERM reach the traps at once (bash runs them only between
# commands); node closes Chromium when it ends.
node browser/checks.mjs "$url" "$leg" &
checks=$!
wait "$checks" || status=$?
checks=
stop_demo

# The whole log, start-up and shutdown included. A record is a timestamped line and its
# traceback (the demo's own messages end it): an ERROR record counts when a line names sms_gateway.
errors=$(awk '
  function flush() { if (error && named) print head; error = 0 }
  /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:.]+ [A-Z]+ / {
    flush(); head = $0; error = ($3 == "ERROR"); named = /sms_gateway/; next
  }
  !/^([ \t]|Traceback |During handling|The above exception|[A-Za-z_][A-Za-z0-9_.]*(Error|Exception|Exit|Interrupt)(:|$)|$)/ {
    flush()
  }
  error && /sms_gateway/ { named = 1 }
  END { flush() }
' "$log")
if [[ -n $errors ]]; then
  echo "the demo's log has ERROR lines naming sms_gateway:" >&2
  echo "$errors" >&2
  status=1
else
  echo "== no ERROR line naming sms_gateway in $log"
fi
if ((status)); then
  echo "== browser checks ($leg): FAILED" >&2
else
  echo "== browser checks ($leg): passed"
fi
exit "$status"
