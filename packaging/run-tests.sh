#!/usr/bin/env bash
# Builds Vector Workbench with warnings as errors and runs the whole test suite, including the
# db tests against a throwaway PostgreSQL + pgvector cluster that the suite starts and removes.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/ensure-deps.sh

cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci
