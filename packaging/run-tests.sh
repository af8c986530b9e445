#!/usr/bin/env bash
# Builds Vector Workbench with warnings as errors and runs the whole test suite, including the
# db tests against a throwaway PostgreSQL + pgvector cluster that the suite starts and removes.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/setup-debian.sh # installs as root; as a user, checks and says what to run with sudo

cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci
