#!/usr/bin/env bash
# Builds Vector Workbench (release preset) and readies the sandbox: a private PostgreSQL +
# pgvector cluster under $XDG_DATA_HOME/vector-workbench/sandbox, created on first run and reused
# after, with the workbench's migrations applied and a demo forum, with vectors, loaded the first
# time. run-sandbox.sh and screenshots.sh start with it; arguments are extra build targets.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/ensure-deps.sh

cmake --preset release >/dev/null
if [ $# -gt 0 ]; then
  cmake --build --preset release --target vector-workbench vwb "$@"
else
  cmake --build --preset release
fi
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
