#!/bin/sh
# Install test: `cmake --install` into a temporary prefix, then build
# against that prefix alone (no source-tree header, no build-tree library):
#   1. examples/gateway.c with -std=c99 -Wall -Werror via pkg-config, run briefly;
#   2. examples/consumer (C++ and C) via find_package(tslake);
#   3. the embedding contract's C tests, tests/embed/c (issue 23): misuse
#      returns codes (misuse_test), flushes that fail or carry nothing and
#      refused rows (flush_test; on a 4 MiB tmpfs too when it can mount one),
#      exactly-once replay after SIGKILL in SYNC_FULL and SYNC_NORMAL
#      (replay_test, TSLAKE_REPLAY_ROUNDS rounds each, default 100; 20
#      in a sanitizer build);
#   4. the archive's global symbols are the public API only (tslake_*,
#      tslake::): no engine (tsl::) symbol, no FaultInjectionEnv;
#   5. the same of libtslake.so's dynamic symbols (nm -D), and a C test
#      linked against the shared library alone runs;
#   6. neither library contains test support, not even as a local symbol
#      (nm, every symbol): FaultInjectionEnv (storage's test tooling, its
#      own tslake_fault_injection library), GoogleTest (testing::), and the
#      namespaces of tests/ (tsl::testing, tslake::testing, tslake_test,
#      tsl::reliability, tsl::query::difftest, tsl::fuzz). TEST_ hooks
#      (STYLE.md: product code paths a test may call) are allowed; their
#      count is printed.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tslake_install_test.XXXXXX")
full=$tmp/full
trap 'umount "$full" 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in lib/libtslake.a lib/libtslake.so include/tslake/tslake.h include/tslake/tslake.hpp lib/pkgconfig/tslake.pc \
         lib/cmake/tslake/tslakeConfig.cmake; do
  [ -f "$prefix/$f" ] || { echo "install_test: $f was not installed" >&2; exit 1; }
done

# A sanitizer build's archive needs the sanitizer runtimes at link time.
extra=""
if grep -q '^TSLAKE_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  extra="-fsanitize=address,undefined"
fi
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --static --cflags --libs tslake)
# shellcheck disable=SC2086  # flags are words
"${cc:-cc}" -std=c99 -Wall -Wextra -Werror -pedantic $extra -o "$tmp/gateway" "$src/examples/gateway.c" $flags
"$tmp/gateway" "$tmp/gw.db" --tags 20 --rate 5000 --seconds 2 --query-ms 200

cmake -S "$src/examples/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="${cc:-cc}" -DCMAKE_CXX_COMPILER="${cxx:-c++}" \
  -DCMAKE_C_FLAGS="$extra" -DCMAKE_CXX_FLAGS="$extra" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
"$tmp/consumer/consumer"
"$tmp/consumer/consumer_c"
# 3. The C tests of the embedding contract.
for t in misuse_test flush_test replay_test; do
  # shellcheck disable=SC2086
  "${cc:-cc}" -std=c99 -Wall -Wextra -Werror -pedantic $extra -o "$tmp/$t" "$src/tests/embed/c/$t.c" $flags
done
mkdir -p "$tmp/scratch"
"$tmp/misuse_test" "$tmp/scratch"
mkdir -p "$full"
if mount -t tmpfs -o size=4m tmpfs "$full" 2>/dev/null; then
  "$tmp/flush_test" "$tmp/scratch" "$full"
  umount "$full"
else
  "$tmp/flush_test" "$tmp/scratch"
fi
# The sanitizer suite looks for memory errors, which a few rounds reach; the
# exactly-once property gets its 100 rounds in the Release suite.
if [ -n "$extra" ]; then rounds=${TSLAKE_REPLAY_ROUNDS:-20}; else rounds=${TSLAKE_REPLAY_ROUNDS:-100}; fi
"$tmp/replay_test" "$tmp/replay_full.db" full "$rounds"
"$tmp/replay_test" "$tmp/replay_normal.db" normal "$rounds"

# 4. Exported symbols: whatever links libtslake.a (a program, or a shared
# object that would export it) sees only the public API as global: the C
# functions tslake_* and namespace tslake. No engine symbol (tsl::, also as a
# template argument) and no FaultInjectionEnv may be a global, weak or unique
# definition; weak and unique ones of library templates (std::string's
# members, nlohmann::json's statics) stay, as cmake/localize_engine_symbols.sh
# explains.
readelf -sW "$prefix/lib/libtslake.a" |
  awk '$7 != "UND" && $6 == "DEFAULT" && ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") {print $5, $8}' |
  sort -u | c++filt > "$tmp/exported"
bad=$(awk '{ name = substr($0, index($0, " ") + 1) }
           ($1 == "GLOBAL" && name !~ /^tslake_/ &&
            name !~ /^(typeinfo for |typeinfo name for |vtable for |guard variable for )?tslake::/) ||
           (name !~ /^(typeinfo for |typeinfo name for |vtable for |guard variable for )?tslake::/ &&
            name ~ /(^|[^_a-z])tsl::/) || name ~ /FaultInjection/' "$tmp/exported")
if [ -n "$bad" ]; then
  echo "install_test: libtslake.a exports engine symbols:" >&2
  echo "$bad" | head -20 >&2
  exit 1
fi
echo "install_test: libtslake.a exports $(grep -c '^GLOBAL' "$tmp/exported") global symbols, all public API"

# 5. The shared library: its dynamic symbols (nm -D) are the public API
# only, and a C program linked against it alone runs.
sh "$src/tests/embed/shared_symbols_test.sh" "$prefix/lib/libtslake.so"
# shellcheck disable=SC2086
"${cc:-cc}" -std=c99 -Wall -Wextra -Werror -pedantic $extra -I"$prefix/include" -o "$tmp/misuse_shared" \
  "$src/tests/embed/c/misuse_test.c" -L"$prefix/lib" -l:libtslake.so -Wl,-rpath,"$prefix/lib"
if ldd "$tmp/misuse_shared" | grep -q "$prefix/lib/libtslake.so"; then :; else
  echo "install_test: misuse_shared is not linked to the installed libtslake.so" >&2
  exit 1
fi
mkdir -p "$tmp/scratch_shared"
"$tmp/misuse_shared" "$tmp/scratch_shared"

# 6. No test support in the installed libraries (local symbols included).
test_support='FaultInjection|(^|[^A-Za-z0-9_])testing::|tslake_test|tsl::reliability|difftest::|tsl::fuzz::|gtest'
for lib in "$prefix/lib/libtslake.a" "$prefix/lib/libtslake.so"; do
  syms=$(nm -C "$lib" 2>/dev/null)
  [ "$(printf '%s\n' "$syms" | grep -c 'tslake_open')" -gt 0 ] || {
    echo "install_test: nm found no symbols in $lib" >&2
    exit 1
  }
  found=$(printf '%s\n' "$syms" | grep -E "$test_support" || true)
  if [ -n "$found" ]; then
    echo "install_test: $lib contains test-support symbols:" >&2
    printf '%s\n' "$found" | sort -u | head -20 >&2
    exit 1
  fi
  echo "install_test: $(basename "$lib"): no test-support symbol," \
       "$(printf '%s\n' "$syms" | grep -c 'TEST_') TEST_ hook symbols"
done
echo "install_test: ok"
