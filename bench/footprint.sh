#!/usr/bin/env bash
# Edge footprint (issue 9), two measurements, written to stdout as markdown
# rows for bench/results/FOOTPRINT.md:
#   1. the `tslake` shell built MinSizeRel and linked fully static,
#      stripped: its size in bytes;
#   2. examples/gateway.c built against the installed package of the same
#      build, appending RATE points/s over TAGS tags for SECONDS seconds while
#      a second thread runs windowed queries: its peak RSS (/usr/bin/time -v).
#
#   bench/footprint.sh [--rate 100000] [--tags 1000] [--seconds 60]
#
# Builds in build-footprint/ (override with FOOTPRINT_BUILD_DIR). `tslake` is
# linked fully static (-static): every library Debian ships as an archive
# (.a) is linked from it, and simdjson, which Debian ships only as a shared
# object, is compiled from the single-file source in Debian's own simdjson
# source package, fetched once through apt (`apt-get source` with a private
# deb-src list; nothing else is downloaded) into $BUILD/simdjson-src.
# `ldd` in the output shows what stays dynamic (nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=100000 TAGS=1000 SECONDS_TO_RUN=60
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --tags) TAGS=$2; shift 2 ;;
    --seconds) SECONDS_TO_RUN=$2; shift 2 ;;
    *) echo "usage: bench/footprint.sh [--rate N] [--tags N] [--seconds N]" >&2; exit 2 ;;
  esac
done
BUILD=${FOOTPRINT_BUILD_DIR:-build-footprint}
[ -x /usr/bin/time ] || { echo "bench/footprint.sh needs GNU time: apt-get install time" >&2; exit 1; }
log() { printf '==> %s\n' "$*" >&2; }

# simdjson's single-file source from Debian's source package, through apt.
simdjson_src=$PWD/$BUILD/simdjson-src
if [ ! -f "$simdjson_src/simdjson.cpp" ]; then
  log "fetching Debian's simdjson source package through apt (for a static simdjson)"
  apt_dir=$(mktemp -d "${TMPDIR:-/tmp}/tslake_aptsrc.XXXXXX")
  mkdir -p "$apt_dir/lists/partial" "$simdjson_src"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$(. /etc/os-release && echo "$VERSION_CODENAME")" > "$apt_dir/src.sources"
  apt_opts=(-o Dir::Etc::SourceList="$apt_dir/src.sources" -o Dir::Etc::SourceParts=/dev/null
            -o Dir::State::Lists="$apt_dir/lists")
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$apt_dir" && apt-get "${apt_opts[@]}" source --download-only simdjson >/dev/null 2>&1)
  tar xzf "$apt_dir"/simdjson_*.orig.tar.gz -C "$apt_dir"
  cp "$apt_dir"/simdjson-*/singleheader/simdjson.cpp "$apt_dir"/simdjson-*/singleheader/simdjson.h "$simdjson_src/"
  rm -rf "$apt_dir"
fi
log "configuring $BUILD (MinSizeRel, static, gc-sections)"
libdir=/usr/lib/$(gcc -print-multiarch)
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=MinSizeRel -DTSLAKE_BUILD_TESTS=OFF \
  -DTSLAKE_SIMDJSON_SOURCE_DIR="$simdjson_src" \
  -DSQLite3_LIBRARY="$libdir/libsqlite3.a" -DREADLINE_LIBRARY="$libdir/libreadline.a" \
  -Dpkgcfg_lib_LZ4_lz4="$libdir/liblz4.a" -Dpkgcfg_lib_ZSTD_zstd="$libdir/libzstd.a" \
  -DBoost_USE_STATIC_LIBS=ON -DTSLAKE_SERVER=OFF \
  -DCMAKE_C_FLAGS="-ffunction-sections -fdata-sections" \
  -DCMAKE_CXX_FLAGS="-ffunction-sections -fdata-sections" \
  -DCMAKE_EXE_LINKER_FLAGS="-static -Wl,--gc-sections" \
  -DCMAKE_CXX_STANDARD_LIBRARIES="-l:libtinfo.a" >/dev/null
log "building tslake and the bundled library"
cmake --build "$BUILD" --target tslake_cli tslake_bundle -j2 >/dev/null
strip -o "$BUILD/tslake.stripped" "$BUILD/tslake"
size=$(stat -c %s "$BUILD/tslake.stripped")
ldd_out=$(ldd "$BUILD/tslake.stripped" 2>&1 || true)  # exits 1 for a static binary
if grep -q 'not a dynamic executable' <<<"$ldd_out"; then
  deps="none (static executable) "
else
  deps=$(awk '{print $1}' <<<"$ldd_out" | grep -v -e linux-vdso -e ld-linux | tr '\n' ' ')
fi

log "installing and building examples/gateway.c"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tslake_footprint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
cc -std=c99 -Os -Wall -Werror -o "$tmp/gateway" examples/gateway.c \
  $(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --static --cflags --libs tslake) \
  -static-libgcc -Wl,--gc-sections
log "running the gateway: $RATE points/s over $TAGS tags for $SECONDS_TO_RUN s"
/usr/bin/time -v "$tmp/gateway" "$tmp/gw.db" --tags "$TAGS" --rate "$RATE" --seconds "$SECONDS_TO_RUN" \
  >"$tmp/gateway.out" 2>"$tmp/time.out" || { cat "$tmp/gateway.out" "$tmp/time.out" >&2; exit 1; }
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.out")
db_bytes=$(du -sb "$tmp/gw.db" | cut -f1)

echo "| Measure | Value | Target |"
echo "|---|---|---|"
printf '| stripped MinSizeRel `tslake` | %s bytes (%.2f MB) | <= 8 MB |\n' "$size" "$(awk "BEGIN{print $size / 1048576}")"
printf '| its dynamic dependencies | %s| none (fully static) |\n' "$deps"
printf '| gateway peak RSS, %s points/s, %s tags, %s s, queries running | %s KiB (%.1f MB) | <= 64 MB |\n' \
  "$RATE" "$TAGS" "$SECONDS_TO_RUN" "$rss_kb" "$(awk "BEGIN{print $rss_kb / 1024}")"
printf '| gateway database on disk after the run | %s bytes |  |\n' "$db_bytes"
echo
echo "gateway output: $(cat "$tmp/gateway.out")"
