#!/bin/sh
# Fails when a C++ file under app/, ui/ or tests/ is not laid out as .clang-format says; prints
# the first differences. Usage: format-check.sh SOURCE_ROOT CLANG_FORMAT
set -eu
cd "$1"
files=$(find app ui tests \( -name '*.cpp' -o -name '*.h' \) -not -path 'tests/data/*' | sort)
if ! "$2" --dry-run -Werror $files 2>/tmp/vwb-format-check.$$; then
  head -40 /tmp/vwb-format-check.$$
  echo "$(grep -c 'error:' /tmp/vwb-format-check.$$) places differ: run $2 -i on the files named above"
  rm -f /tmp/vwb-format-check.$$
  exit 1
fi
rm -f /tmp/vwb-format-check.$$
echo "$(echo "$files" | wc -l) files follow .clang-format"
