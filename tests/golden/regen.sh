#!/usr/bin/env bash
# Rewrite tests/golden/expected/ from the tools of BUILDDIR (default build):
# review the change with git diff tests/golden/expected/ before committing it.
# Usage: tests/golden/regen.sh [BUILDDIR] [GROUP...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
[ $# -gt 0 ] && shift
exec bash "$here/golden.sh" "$build" --regen "$@"
