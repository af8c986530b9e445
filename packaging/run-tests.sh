#!/usr/bin/env bash
# Builds Vector Workbench with warnings as errors, AddressSanitizer and UndefinedBehaviorSanitizer
# (the ci preset) and runs the whole test suite under them, including the db tests against a
# throwaway PostgreSQL + pgvector cluster that the suite starts and removes. A memory error, a leak
# or undefined behaviour in a test — or in a vwb process that a test starts — fails that test.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash packaging/ensure-deps.sh

cmake --preset ci >/dev/null
cmake --build --preset ci
# The benchmarks are not run here (they take minutes), but they are built: they can't rot unseen.
cmake --build --preset ci --target benchmarks
# Both cores (or all): under the sanitizers the suite takes ~520 s one test at a time, ~350 s with -j2.
ctest --preset ci -j "$(nproc)"

# The parsers' libFuzzer targets need clang (setup-debian.sh installs it): a short run of each
# (20,000-50,000 inputs, seconds) goes with the suite. Without clang it is left out and says so — and in
# CI (CI=true) that is a failure.
ci=false
case "${CI:-}" in 1|[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss]) ci=true ;; esac
if command -v clang++ >/dev/null 2>&1; then
  cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DVWB_FUZZ=ON >/dev/null
  cmake --build build/fuzz --target fuzz_planparser fuzz_connectionstrings fuzz_corpusfiles fuzz_evalfiles
  ctest --test-dir build/fuzz -L fuzz --output-on-failure
else
  echo "clang++ is not installed: the parsers' fuzz targets are left out (apt-get install clang libclang-rt-14-dev)"
  if [ "$ci" = true ]; then exit 1; fi
fi

# The package: built (Release, packaging/build-deb.sh), installed with apt and checked from the
# installed paths (packaging/check-deb.sh: --version, the sandbox, the GUI offscreen, desktop entry,
# AppStream, man pages, lintian). Installing needs root; CI runs as root.
deb=$(bash packaging/build-deb.sh)
if [ "$(id -u)" -eq 0 ]; then
  bash packaging/check-deb.sh "$deb"
else
  echo "Built $deb; installing and checking it needs root: sudo bash packaging/check-deb.sh $deb"
  if [ "$ci" = true ]; then exit 1; fi
fi
