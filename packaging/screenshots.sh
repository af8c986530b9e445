#!/usr/bin/env bash
# Regenerates the README's screenshots from the real window on the sandbox, after real use (a
# search, a health check, two plans, a REINDEX in the Jobs dock), on a virtual 1280x800 screen:
#   bash packaging/screenshots.sh [OUT_DIR]     (default resources/screenshots)
# The window starts as a new user first sees it (its own empty settings folder); the sandbox is
# the one run-sandbox.sh uses, readied the same way.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=$(readlink -f "${1:-resources/screenshots}")

bash packaging/prepare-sandbox.sh vwb_screenshots
settings=$(mktemp -d)
trap 'rm -rf "$settings"' EXIT
XDG_CONFIG_HOME="$settings" xvfb-run -a -s "-screen 0 1280x800x24" \
  ./build/release/tests/vwb_screenshots --profile sandbox --size 1280x800 --out "$out"
