#!/usr/bin/env bash
# Install what libdts needs to build and test on a fresh Debian machine.
set -euo pipefail
pkgs=(build-essential meson ninja-build pkg-config python3
      libxml2-dev libxml2-utils libpcre2-dev check libxlsxwriter-dev
      clang libclang-rt-14-dev unzip)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
