#!/bin/sh
# meson install script (meson.build: meson.add_install_script): after
# `meson install` into the real root, refresh the dynamic linker's cache so
# programs find the new libdts.so.0 at once (else: "cannot open shared
# object file" until someone runs ldconfig).
#
# It does nothing for a staged install (DESTDIR set: packaging, tests),
# when not root (the cache is root's: run `sudo ldconfig`, or use
# LD_LIBRARY_PATH for a prefix of your own), or where there is no ldconfig.
if [ -n "${DESTDIR:-}" ]; then
  exit 0
fi
if [ "$(id -u 2>/dev/null)" != 0 ]; then
  echo "install-ldconfig.sh: not root, so ldconfig was not run" >&2
  exit 0
fi
PATH="$PATH:/usr/sbin:/sbin"
if ! command -v ldconfig >/dev/null 2>&1; then
  echo "install-ldconfig.sh: no ldconfig on this system, not run" >&2
  exit 0
fi
echo "install-ldconfig.sh: running ldconfig"
exec ldconfig
