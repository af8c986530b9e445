#!/usr/bin/env bash
# Installs everything Vector Workbench needs to build, test and run on Debian 12 (bookworm):
# the apt packages, and pgvector built from Debian 13's source package for PostgreSQL 15.
# Idempotent: a second run checks and returns in a second or two.
# Run as root (or with sudo). As a normal user it prints what to run and stops.
#   --sandbox   only what the installed workbench's sandbox needs: PostgreSQL and pgvector (the .deb
#               ships this script as /usr/share/vector-workbench/setup-debian.sh for that)
set -euo pipefail

PG_MAJOR=${VWB_PG_MAJOR:-15}
PGVECTOR_VERSION=${VWB_PGVECTOR_VERSION:-0.8.0}
PACKAGES=(
  build-essential cmake ninja-build pkg-config git openssl python3 clang-format
  clang libclang-rt-14-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-tools-dev qt6-l10n-tools
  qtkeychain-qt6-dev libgl-dev
  libpq-dev libstemmer-dev "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}"
  xvfb xauth fonts-dejavu-core dpkg-dev
  lintian desktop-file-utils appstream
  nodejs npm
)
mode_flag=""
if [ "${1:-}" = "--sandbox" ]; then
  shift
  mode_flag=" --sandbox"
  PACKAGES=(build-essential dpkg-dev "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}")
fi

log() { printf '[setup] %s\n' "$*"; }

missing=()
for p in "${PACKAGES[@]}"; do
  # npm ships with nodesource's nodejs on some machines: accept a working npm either way.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
pg_config="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
control="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
pgvector_ok() { [ -f "$control" ] && grep -q "default_version = '${PGVECTOR_VERSION}'" "$control"; }

if [ "${1:-}" = "--check" ]; then # any user: is everything there?
  pgvector_ok || missing+=("pgvector-${PGVECTOR_VERSION}")
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "missing: ${missing[*]}"
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  if [ ${#missing[@]} -eq 0 ] && pgvector_ok; then
    log "everything is installed"
    exit 0
  fi
  echo "Vector Workbench set-up needs root to install packages. Run:"
  echo "  sudo bash $(readlink -f "$0")${mode_flag}"
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages present"
fi

if pgvector_ok; then
  log "pgvector ${PGVECTOR_VERSION} present for PostgreSQL ${PG_MAJOR}"
  exit 0
fi

# Debian 12 has no pgvector package; Debian 13 has it as a source package. Add a source-only
# entry so no trixie binary can ever be installed by accident.
src_list=/etc/apt/sources.list.d/vwb-trixie-src.sources
if [ ! -f "$src_list" ]; then
  log "adding a source-only trixie entry ($src_list)"
  cat >"$src_list" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cd "$work"
log "fetching the pgvector source package"
apt-get source --download-only -qq "pgvector=${PGVECTOR_VERSION}*" >/dev/null 2>&1 \
  || apt-get source --download-only -qq pgvector >/dev/null
dpkg-source -x --no-check ./pgvector_*.dsc src >/dev/null
cd src
log "building pgvector ($(dpkg-parsechangelog -S Version 2>/dev/null || echo '?'))"
make -s USE_PGXS=1 PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
make -s USE_PGXS=1 PG_CONFIG="$pg_config" OPTFLAGS="" install >/dev/null
grep -q "default_version" "$control" && log "installed: $(grep default_version "$control")"
