#!/usr/bin/env bash
# aarch64 build and unit tests (`./run aarch64`): on Debian 12 (amd64, as
# root or with sudo), installs the cross toolchain, qemu-user and the arm64
# -dev packages (dpkg --add-architecture arm64), cross-builds everything into
# build-aarch64/ and runs ctest with every test binary under
# qemu-aarch64-static. The install test is skipped: it compiles and runs a
# program with the build's (cross) compiler, which needs binfmt rather than
# an explicit emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${AARCH64_BUILD_DIR:-build-aarch64}
log() { printf '==> %s\n' "$*" >&2; }
sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)

HOST_PACKAGES=(g++-aarch64-linux-gnu qemu-user-static cmake pkg-config nlohmann-json3-dev)
# Multi-Arch: same packages, installed beside their amd64 twins.
ARM_PACKAGES=(libc6-dev:arm64 libstdc++-12-dev:arm64 libsqlite3-dev:arm64 liblz4-dev:arm64 libzstd-dev:arm64
              libreadline-dev:arm64 libssl-dev:arm64 libboost-program-options-dev:arm64 libgtest-dev:arm64 libsimdjson14:arm64)
# libsimdjson-dev is not co-installable: its arm64 build would REPLACE the
# host's amd64 one (breaking native builds), so it is only unpacked into
# $SYSROOT (dpkg -x), never installed.
SYSROOT=$PWD/$BUILD-sysroot
missing=()
for p in "${HOST_PACKAGES[@]}" "${ARM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx arm64 || "${sudo[@]}" dpkg --add-architecture arm64
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$SYSROOT/usr/lib/aarch64-linux-gnu/cmake/simdjson/simdjson-config.cmake" ]; then
  log "unpacking libsimdjson-dev:arm64 into $SYSROOT"
  mkdir -p "$SYSROOT/debs"
  (cd "$SYSROOT/debs" && apt-get download libsimdjson-dev:arm64 libsimdjson14:arm64)
  for deb in "$SYSROOT"/debs/*.deb; do dpkg -x "$deb" "$SYSROOT"; done
fi

export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
log "configuring $BUILD"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTSLAKE_WERROR=ON \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64-linux-gnu.cmake" \
  -Dsimdjson_DIR="$SYSROOT/usr/lib/aarch64-linux-gnu/cmake/simdjson" >/dev/null
log "building (this takes a while on 2 cores)"
cmake --build "$BUILD" -j"$(nproc)"
file "$BUILD/tslake" >&2
log "running the tests under qemu-aarch64-static"
# Tests that start the tslake binary themselves put the emulator in front.
export TSLAKE_TEST_EMULATOR=qemu-aarch64-static
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" -E '^embed/install$'
