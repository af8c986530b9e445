#!/usr/bin/env bash
# Builds Vector Workbench and opens it on the sandbox: a private PostgreSQL + pgvector cluster
# under $XDG_DATA_HOME/vector-workbench/sandbox, created on first run and reused after.
# Extra arguments go to the GUI (for example --screenshot FILE).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/ensure-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release
./build/release/app/vwb sandbox start
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this under a desktop session, or headless with: xvfb-run -a $0 $*" >&2
  exit 1
fi
exec ./build/release/ui/vector-workbench --profile sandbox "$@"
