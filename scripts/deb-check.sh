#!/usr/bin/env bash
# The Debian packages, built and used as a user would get them.
#
#   bash scripts/deb-check.sh [--with-tests] [--keep] ROOT
#   bash scripts/deb-check.sh [--with-tests] [--keep] --make-root DIR
#
# ROOT is a fresh `debootstrap --variant=minbase bookworm` root that this
# script may change (it installs packages into it): pass a copy, e.g.
# `cp -a /tmp/droot /tmp/deb-root-1`. --make-root DIR makes one with
# debootstrap first (DIR must not exist; $DEB_CHECK_MIRROR overrides the
# mirror). Must run as root (chroot, mount); works on a host and inside
# another chroot.
#
#  1. deps      bash scripts/deps.sh build deb (+ test with --with-tests):
#               the build-dependencies; deps.sh is the one list.
#  2. build     copies the source tree (tracked and untracked-not-ignored
#               files; no build directories) to a temp dir and runs
#               DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck
#               dpkg-buildpackage -us -uc -b there; --with-tests runs the
#               test suite in dh_auto_test instead. Nothing is written to the
#               checkout.
#  3. lintian   on the .changes (all .debs); prints every tag, fails on E:.
#  4. install   copies the .debs into ROOT/tmp/deb-check, mounts proc on
#               ROOT/proc (unmounted by a trap; ROOT's own /dev is used,
#               the host's is never bind-mounted) and runs
#               apt-get install ./*.deb build-essential pkg-config in ROOT.
#  5. in ROOT   which file is in which package; dts-rules check of the
#               installed classifier; the tools find the default classifier
#               and indicators with no DTS_CLASSIFIER set; examples/classify.c
#               built with `cc $(pkg-config --cflags --libs dts)` and run
#               against the installed classifier; ldd resolves libdts.so.0
#               from /usr/lib/<multiarch>.
#
# The packages (see debian/README.source):
#   libdts0      libdts.so.0* (Multi-Arch: same; symbols in debian/libdts0.symbols)
#   libdts-dev   headers, libdts.so, libdts.a, dts.pc, libdts(3)
#   libdts-data  /usr/share/libdts: classifiers, RELAX NG schema, code lists,
#                indicators (Architecture: all)
#   dts-tools    the six dts-* tools and their man pages
#
# Each step prints its time; any failure exits non-zero with a message.
# --keep keeps the temp build dir (its path is printed).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
with_tests=0 keep=0 make_root="" root=""
usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --with-tests) with_tests=1 ;;
    --keep) keep=1 ;;
    --make-root) [ $# -ge 2 ] || usage; make_root=$2; shift ;;
    -h|--help) sed -n '2,43p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "deb-check: unknown option $1" >&2; usage ;;
    *) [ -z "$root" ] || usage; root=$1 ;;
  esac
  shift
done
if [ -n "$make_root" ]; then
  [ -z "$root" ] || { echo "deb-check: give ROOT or --make-root DIR, not both" >&2; exit 2; }
  root=$make_root
fi
[ -n "$root" ] || usage

fail() { echo "deb-check: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (it uses chroot and mount)"

t_all=$(date +%s)
t_step=$t_all
step() { t_step=$(date +%s); printf '\n==== deb-check: %s\n' "$*"; }
done_step() { printf -- '---- %s: ok (%ss)\n' "$1" "$(( $(date +%s) - t_step ))"; }

work="" proc_mounted=0
cleanup() {
  local rc=$?
  if [ "$proc_mounted" = 1 ]; then
    umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null ||
      echo "deb-check: could not unmount $root/proc" >&2
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
      echo "deb-check: build dir kept: $work" >&2
    else
      rm -rf "$work"
    fi
  fi
  if [ $rc -ne 0 ]; then
    echo "deb-check: exit $rc after $(( $(date +%s) - t_all ))s" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_root() {
  local abs
  abs=$(cd "$root" 2>/dev/null && pwd) || fail "ROOT $root is not a directory"
  root=$abs
  [ "$root" != / ] || fail "ROOT must not be /"
  [ -x "$root/usr/bin/apt-get" ] && [ -x "$root/bin/sh" ] ||
    fail "ROOT $root does not look like a debootstrap root (no usr/bin/apt-get or bin/sh)"
  [ -c "$root/dev/null" ] ||
    fail "ROOT $root has no /dev/null device (debootstrap as root makes it; the host's /dev is never bind-mounted)"
}
# before anything slow
if [ -n "$make_root" ]; then
  [ ! -e "$make_root" ] || fail "--make-root: $make_root exists (give it as ROOT instead)"
else
  check_root
fi

# ---- 1. build-dependencies (and debootstrap for --make-root)
groups=(build deb)
[ "$with_tests" = 0 ] || groups+=(test)
step "deps (scripts/deps.sh ${groups[*]})"
bash "$here/scripts/deps.sh" "${groups[@]}" || fail "scripts/deps.sh ${groups[*]}"
done_step deps

if [ -n "$make_root" ]; then
  step "debootstrap --variant=minbase bookworm $make_root"
  debootstrap --variant=minbase bookworm "$make_root" ${DEB_CHECK_MIRROR:+"$DEB_CHECK_MIRROR"} \
    >"$make_root.debootstrap.log" 2>&1 || { tail -20 "$make_root.debootstrap.log" >&2; fail "debootstrap"; }
  rm -f "$make_root.debootstrap.log"
  done_step debootstrap
fi
check_root

# ---- 2. build the packages from a clean copy of the tree
step "dpkg-buildpackage -us -uc -b ($([ $with_tests = 1 ] && echo 'with tests' || echo nocheck))"
work=$(mktemp -d "${TMPDIR:-/tmp}/deb-check.XXXXXX")
version=$(cd "$here" && dpkg-parsechangelog -S Version)
src="$work/libdts-${version%-*}"
mkdir "$src"
if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # What is committed or would be (untracked but not ignored): never the
  # build directories, never leftovers of an in-tree package build.
  (cd "$here" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do
       case "$f" in obj-*/*) continue ;; esac    # dh's in-tree build dir
       if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
     done |
     tar --null -T - -cf -) | tar -xf - -C "$src"
else
  tar -C "$here" --exclude=.git --exclude='./build*' --exclude='./obj-*' \
    --exclude=./debian/.debhelper --exclude=./debian/tmp --exclude=./debian/files \
    --exclude='./debian/*.substvars' --exclude=./debian/debhelper-build-stamp \
    --exclude=./debian/libdts0 --exclude=./debian/libdts-dev \
    --exclude=./debian/libdts-data --exclude=./debian/dts-tools -cf - . | tar -xf - -C "$src"
fi
[ -f "$src/debian/control" ] || fail "no debian/control in the copied tree"
jobs=${DEB_CHECK_JOBS:-2}
if [ "$with_tests" = 1 ]; then
  opts="parallel=$jobs" profiles=""
else
  opts="nocheck parallel=$jobs" profiles="nocheck"
fi
(cd "$src" && DEB_BUILD_OPTIONS="$opts" DEB_BUILD_PROFILES="$profiles" \
  dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
  tail -60 "$work/build.log" >&2
  fail "dpkg-buildpackage (whole log: $work/build.log)"; }
grep -E '^dpkg-deb: building package' "$work/build.log" || true
if [ "$with_tests" = 1 ]; then
  # meson test's summary, from dh_auto_test
  grep -E '^(Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout): ' "$work/build.log" ||
    fail "--with-tests: no meson test summary in $work/build.log"
fi
changes=$(ls "$work"/*.changes)
done_step build

# ---- 3. lintian
step "lintian"
set +e
# TMPDIR: lintian leaves mldbm-* files in its temp dir; keep them in $work.
TMPDIR="$work" lintian --display-info --pedantic --fail-on error "$changes" 2>&1 |
  grep -v 'running with root privileges is not recommended' >"$work/lintian.log"
lintian_rc=${PIPESTATUS[0]}
set -e
if [ -s "$work/lintian.log" ]; then cat "$work/lintian.log"; else echo "(no tags)"; fi
errors=$(grep -c '^E:' "$work/lintian.log" || true)
warnings=$(grep -c '^W:' "$work/lintian.log" || true)
[ "$errors" = 0 ] || fail "lintian: $errors error(s)"
[ "$lintian_rc" = 0 ] || fail "lintian exited $lintian_rc"
echo "lintian: 0 errors, $warnings warning(s)"
done_step lintian

# ---- 4. install into ROOT
step "install the .debs into $root"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
inroot=/tmp/deb-check
rm -rf "${root:?}$inroot"
mkdir -p "$root$inroot"
debs=()
for d in "$work"/*.deb; do
  case "$d" in *-dbgsym_*) continue ;; esac
  cp "$d" "$root$inroot/" && debs+=("./$(basename "$d")")
done
[ ${#debs[@]} -gt 0 ] || fail "no .deb was built"
cp "$here/examples/classify.c" "$here/examples/records-2024-2025.csv" "$root$inroot/"
chmod -R a+rX "$root$inroot"            # apt reads local .debs as _apt
if ! mountpoint -q "$root/proc" 2>/dev/null; then
  mount -t proc proc "$root/proc" || fail "mount -t proc proc $root/proc"
  proc_mounted=1
fi
# A clean environment in ROOT: no DTS_* or PKG_CONFIG_* from the caller.
inr() { chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
          PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
          DEBIAN_FRONTEND=noninteractive "$@"; }
inr apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update in ROOT"; }
inr sh -c "cd $inroot && apt-get install -y -q --no-install-recommends ${debs[*]} build-essential pkg-config" \
  >>"$work/apt.log" 2>&1 || { tail -40 "$work/apt.log" >&2; fail "apt-get install of the .debs in ROOT"; }
inr dpkg-query -W -f='${Package} ${Version} ${Architecture}\n' libdts0 libdts-dev libdts-data dts-tools
done_step install

# ---- 5. use them in ROOT
step "package contents"
owner() {  # owner PATH PACKAGE
  local got
  got=$(inr dpkg-query -S "$1" 2>/dev/null | sed 's/:.*//')
  [ -n "$got" ] || fail "$1 is in no installed package"
  [ "$got" = "$2" ] || fail "$1 is in package '$got', expected $2"
  printf '  %-55s %s\n' "$1" "$2"
}
owner /usr/lib/$multiarch/libdts.so.0 libdts0
owner /usr/lib/$multiarch/libdts.so.0.1.0 libdts0
owner /usr/lib/$multiarch/libdts.so libdts-dev
owner /usr/lib/$multiarch/libdts.a libdts-dev
owner /usr/lib/$multiarch/pkgconfig/dts.pc libdts-dev
owner /usr/include/dts.h libdts-dev
owner /usr/include/dts/scanner.h libdts-dev
owner /usr/share/man/man3/libdts.3.gz libdts-dev
owner /usr/share/libdts/classifiers/cn-digital-trade.xml libdts-data
owner /usr/share/libdts/classifiers/dts-classifier.rng libdts-data
owner /usr/share/libdts/classifiers/lists/ebops-deliverable.csv libdts-data
owner /usr/share/libdts/indicators/hangzhou-annex.csv libdts-data
for t in dts-rules dts-classify dts-aggregate dts-report dts-reconcile dts-gen; do
  owner /usr/bin/$t dts-tools
  owner /usr/share/man/man1/$t.1.gz dts-tools
done
done_step contents

classifier=/usr/share/libdts/classifiers/cn-digital-trade.xml
step "dts-rules check $classifier"
inr dts-rules check "$classifier" || fail "dts-rules check $classifier in ROOT"
inr dts-rules test -q "$classifier" || fail "dts-rules test $classifier in ROOT"
done_step "dts-rules check"

step "tools use the installed classifier and indicators (no DTS_CLASSIFIER)"
out=$(inr dts-rules explain ebops_code=SI22 description='阿里云 云服务器租用') ||
  fail "dts-rules explain with the default classifier"
printf '%s\n' "$out" | sed -n '1,2p;$p'
printf '%s\n' "$out" | grep -q "$classifier:" ||
  fail "dts-rules explain did not use $classifier"
printf '%s\n' "$out" | grep -q '^result: TECH.CLOUD ' || fail "dts-rules explain: wrong result"
inr sh -c "cd $inroot && dts-classify records-2024-2025.csv -o classified.csv --rejects rejects.csv --summary summary.json" ||
  fail "dts-classify with the default classifier in ROOT"
inr sh -c "cd $inroot && dts-report classified.csv --year 2025 >report.txt" ||
  fail "dts-report with the installed indicators in ROOT"
echo "dts-classify: $(cat "$root$inroot/summary.json" | tr -d '\n' | cut -c1-160)"
echo "dts-report: $(wc -l <"$root$inroot/report.txt") lines"
done_step tools

step "examples/classify.c against the installed library"
inr pkg-config --modversion dts
inr sh -c "cd $inroot && cc -std=c11 -Wall -Wextra -Werror -o classify classify.c \$(pkg-config --cflags --libs dts)" ||
  fail "compiling examples/classify.c with pkg-config dts in ROOT"
out=$(inr $inroot/classify "$classifier") || fail "examples/classify.c run in ROOT"
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -q "^libdts ${version%-*}, classifier " || fail "classify: unexpected first line"
lib=$(inr ldd $inroot/classify | awk '$1 == "libdts.so.0" { print $3 }')
[ -n "$lib" ] || fail "ldd finds no libdts.so.0 for the example"
# With merged /usr the loader may name /lib/<multiarch>, a symlink to it.
real=$(inr readlink -f "$lib")
echo "ldd: libdts.so.0 => $lib ($real)"
case "$real" in
  /usr/lib/$multiarch/libdts.so.0.*) ;;
  *) fail "ldd resolves libdts.so.0 to '$lib' ($real), expected /usr/lib/$multiarch/libdts.so.0" ;;
esac
owner "$real" libdts0
done_step example

rm -rf "${root:?}$inroot"
printf '\n==== deb-check: all passed in %ss (%s)\n' "$(( $(date +%s) - t_all ))" "$root"
