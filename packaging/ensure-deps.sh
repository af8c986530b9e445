#!/usr/bin/env bash
# Makes sure setup-debian.sh's packages are installed: returns at once when they are; otherwise
# runs it as root, through sudo for a normal user, or says exactly what to run and fails.
set -euo pipefail
here="$(dirname "$(readlink -f "$0")")"
bash "$here/setup-debian.sh" --check >/dev/null && exit 0
if [ "$(id -u)" -eq 0 ]; then
  exec bash "$here/setup-debian.sh"
fi
bash "$here/setup-debian.sh" --check || true
if command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
  echo "Installing the missing packages with sudo:"
  exec sudo bash "$here/setup-debian.sh"
fi
echo "Install them first, as root:"
echo "  sudo bash $here/setup-debian.sh"
exit 1
