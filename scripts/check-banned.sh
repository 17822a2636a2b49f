#!/usr/bin/env bash
# Fail when library, tool, bench or example code calls a banned function
# (curl's habit): unbounded string functions and number parsers that cannot
# report errors. Use snprintf, memcpy with a checked length, strtol with an
# end pointer, strtok_r.
set -u
cd "$(dirname "$0")/.."
banned='sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|atoi|atol|atoll|atof|gets|tmpnam|mktemp'
hits=$(grep -nE "(^|[^a-zA-Z0-9_])($banned)[[:space:]]*\(" lib/*/*.c lib/*/*.h include/*.h include/dts/*.h tools/*.c tools/*.h bench/*.c examples/*.c 2>/dev/null)
if [ -n "$hits" ]; then
  echo "banned functions:"
  echo "$hits"
  exit 1
fi
echo "no banned function calls"
