#!/usr/bin/env bash
# packaging/check-deb.sh — CI, as root: installs the .deb and checks what it installed; one "ok:"/"FAIL:" line per check.
#   bash packaging/check-deb.sh [DEB]     (default: the newest build/package/vector-workbench_*.deb)
# Exits 1 when any check failed. The programs run from /usr/bin with a scratch HOME and XDG folders.
# shellcheck disable=SC2317 # the check functions run through check() and the trap
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

deb=${1:-}
if [ -z "$deb" ]; then
  for f in build/package/vector-workbench_*.deb; do
    if [ -f "$f" ] && { [ -z "$deb" ] || [ "$f" -nt "$deb" ]; }; then deb=$f; fi
  done
fi
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "check-deb.sh: no .deb (give one, or run packaging/build-deb.sh first)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "check-deb.sh: run as root (it installs the package)" >&2
  exit 1
fi
deb=$(readlink -f "$deb")
package=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)

failed=0
sandbox_started=0
tmp=$(mktemp -d)
chmod 755 "$tmp" # the sandbox's server runs as postgres and must reach its folder in here
cleanup() {
  if [ "$sandbox_started" -eq 1 ]; then # ours only: the scratch XDG_DATA_HOME's sandbox
    /usr/bin/vwb sandbox remove >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # a canceled CI job cleans up too

# check WHAT COMMAND...: runs it, prints ok or FAIL with the tail of its output.
check() {
  local what=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    tail -n 20 "$tmp/out" | sed 's/^/    /'
    failed=1
  fi
}

install_deb() {
  export DEBIAN_FRONTEND=noninteractive
  # --reinstall: the same version again (a rebuild) replaces the installed files too
  local apt=(apt-get install -y --reinstall --allow-downgrades "$deb")
  "${apt[@]}" || { apt-get update && "${apt[@]}"; }
  [ "$(dpkg-query -W -f='${Version}' "$package")" = "$version" ]
}
check "installed $package $version from $deb" install_deb
if [ "$failed" -ne 0 ]; then
  exit 1
fi

# Nothing from the caller's environment picks a profile; every program gets fresh settings.
unset DATABASE_URL NODE_ENV VWB_PROJECT_DIR PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE
unset POSTGRES_HOST POSTGRES_PORT POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
chmod 755 "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"

installed() { dpkg -L "$package" | grep -E "$1" | head -n 1 || true; }

vwb_version() {
  local shown
  shown=$(/usr/bin/vwb --version) || return 1
  echo "$shown"
  [ "$shown" = "vwb $version" ]
}
check "vwb --version prints vwb $version" vwb_version

gui_version() {
  local shown
  shown=$(QT_QPA_PLATFORM=offscreen timeout 60 /usr/bin/vector-workbench --version) || return 1
  echo "$shown"
  [[ $(head -n 1 <<<"$shown") == *" $version" ]]
}
check "vector-workbench --version ends with $version" gui_version

no_postgres() { # without a PostgreSQL to run, the sandbox says what to install and how
  local out
  if out=$(VWB_PG_BINDIR="$tmp/no-postgres" /usr/bin/vwb sandbox start 2>&1); then return 1; fi
  echo "$out"
  grep -q "sudo bash /usr/share/vector-workbench/setup-debian.sh --sandbox" <<<"$out"
}
check "vwb sandbox start without PostgreSQL names the installed setup-debian.sh --sandbox" no_postgres

sandbox_started=1
check "vwb sandbox start --ephemeral" timeout 300 /usr/bin/vwb sandbox start --ephemeral
check "vwb sandbox status" /usr/bin/vwb sandbox status
check "vwb check --profile sandbox" timeout 60 /usr/bin/vwb check --profile sandbox
check "vwb sandbox stop" timeout 120 /usr/bin/vwb sandbox stop
check "vwb sandbox remove" timeout 120 /usr/bin/vwb sandbox remove

first_window() { # a first run of its own: the welcome window, grabbed, then it quits
  local png="$tmp/first.png"
  XDG_CONFIG_HOME="$tmp/gui-config" XDG_DATA_HOME="$tmp/gui-data" QT_QPA_PLATFORM=offscreen \
    timeout 60 /usr/bin/vector-workbench --screenshot "$png" || return 1
  [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
}
check "vector-workbench --screenshot writes a PNG of the first window (offscreen)" first_window

desktop=$(installed '^/usr/share/applications/.*\.desktop$')
check "desktop-file-validate ${desktop:-(no .desktop file installed)}" desktop-file-validate "${desktop:-/nonexistent.desktop}"
metainfo=$(installed '^/usr/share/metainfo/.*\.metainfo\.xml$')
check "appstreamcli validate --no-net ${metainfo:-(no metainfo installed)}" \
  appstreamcli validate --no-net "${metainfo:-/nonexistent.metainfo.xml}"

man_page() { # renders, without groff warnings, and is not empty
  [ -f "$1" ] || return 1
  local warnings
  warnings=$(man --warnings -E UTF-8 -l -Tutf8 -Z "$1" 2>&1 >/dev/null)
  [ -z "$warnings" ] || { echo "$warnings"; return 1; }
  local text
  text=$(MANWIDTH=80 man -E UTF-8 -l "$1") || return 1
  grep -q '^NAME' <<<"$text"
}
check "man -l /usr/share/man/man1/vwb.1.gz" man_page /usr/share/man/man1/vwb.1.gz
check "man -l /usr/share/man/man1/vector-workbench.1.gz" man_page /usr/share/man/man1/vector-workbench.1.gz

completion() { # the file is there and completes a command name
  local file=/usr/share/bash-completion/completions/vwb
  [ -f "$file" ] || return 1
  # shellcheck disable=SC2016 # expanded by the inner bash
  bash -c 'source "$1"; COMP_WORDS=(vwb sa); COMP_CWORD=1; _vwb; [ "${COMPREPLY[*]}" = sandbox ]' _ "$file"
}
check "bash completion /usr/share/bash-completion/completions/vwb" completion

icons() { # every size, each PNG as wide as its folder says, and the SVG
  local size png width
  for size in 16 24 32 48 64 128 256 512; do
    png="/usr/share/icons/hicolor/${size}x${size}/apps/vector-workbench.png"
    [ -s "$png" ] || { echo "missing: $png"; return 1; }
    width=$(od -An -tu4 --endian=big -j16 -N4 "$png" | tr -d ' ')
    [ "$width" = "$size" ] || { echo "$png is ${width}px wide"; return 1; }
  done
  [ -s /usr/share/icons/hicolor/scalable/apps/vector-workbench.svg ]
}
check "icons 16-512 px and scalable" icons

check "setup-debian.sh installed and executable" test -x /usr/share/vector-workbench/setup-debian.sh

if lintian --fail-on error "$deb" >"$tmp/lintian" 2>&1; then
  echo "ok: lintian --fail-on error ($(grep -c '^W: ' "$tmp/lintian" || true) warnings)"
else
  echo "FAIL: lintian --fail-on error"
  failed=1
fi
sed 's/^/    /' "$tmp/lintian"

exit "$failed"
