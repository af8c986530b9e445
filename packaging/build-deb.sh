#!/usr/bin/env bash
# packaging/build-deb.sh — builds the .deb: dependencies, a Release build in build/package, cpack; prints the .deb's path.
#   bash packaging/build-deb.sh          (again after a change: the build is incremental)
# Progress goes to stderr; stdout is only the path, so deb=$(bash packaging/build-deb.sh) works.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
exec 3>&1 1>&2

bash packaging/ensure-deps.sh
umask 022 # the package's files and folders get the modes Debian expects, whatever the caller's umask
build=build/package
# Debian's own build flags with all hardening on (dpkg-buildflags: -O2, _FORTIFY_SOURCE, the stack
# protector, relro and bindnow), the ones lintian checks a package for; Release adds only NDEBUG.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVWB_BUILD_TESTS=OFF -DVWB_WERROR=ON \
  -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" -DCMAKE_CXX_FLAGS_RELEASE="-DNDEBUG" \
  -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)"
cmake --build "$build" --parallel "$(nproc)"

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb="$build/vector-workbench_${version}_$(dpkg --print-architecture).deb"
rm -f "$deb"
(cd "$build" && cpack -G DEB)
if [ ! -s "$deb" ]; then
  echo "build-deb.sh: cpack did not write $deb" >&2
  exit 1
fi
readlink -f "$deb" >&3
