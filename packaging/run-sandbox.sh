#!/usr/bin/env bash
# Builds Vector Workbench and opens it on the sandbox (packaging/prepare-sandbox.sh readies it:
# a private PostgreSQL + pgvector cluster with a demo forum and its vectors).
# Extra arguments go to the GUI (for example --screenshot FILE).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/prepare-sandbox.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this under a desktop session, or headless with: xvfb-run -a $0 $*" >&2
  exit 1
fi
exec ./build/release/ui/vector-workbench --profile sandbox "$@"
