#!/usr/bin/env bash
# Builds Vector Workbench and opens it on the sandbox: a private PostgreSQL + pgvector cluster
# under $XDG_DATA_HOME/vector-workbench/sandbox, created on first run and reused after, with the
# workbench's migrations applied and a demo forum, with vectors, loaded the first time.
# Extra arguments go to the GUI (for example --screenshot FILE).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/ensure-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release
vwb=./build/release/app/vwb
$vwb sandbox start
$vwb migrate latest --profile sandbox                       # the workbench's own schema, its own ledger (vwb_migrations)
$vwb demo seed --profile sandbox --if-empty --topics 5000   # a deterministic demo forum, first run only
# Its vectors, from the built-in offline provider (no network, no key), so the first search finds
# something. A backfill fills only rows without a vector: after the first run this returns at once.
started=$(date +%s%N)
$vwb backfill --profile sandbox --table topics --provider lexical
$vwb backfill --profile sandbox --table posts --provider lexical
echo "Demo vectors ready in $(( ($(date +%s%N) - started) / 1000000 )) ms (offline provider: it matches words, not meaning)"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this under a desktop session, or headless with: xvfb-run -a $0 $*" >&2
  exit 1
fi
exec ./build/release/ui/vector-workbench --profile sandbox "$@"
