#!/bin/sh
# libtslake.so exports the public API only: every defined dynamic symbol
# (nm -D) is a C function tslake_* or in namespace tslake (with its vtables
# and typeinfo); no engine (tsl::) symbol, no library-template instance
# (std::, nlohmann::), no test support (FaultInjectionEnv).
# Usage: shared_symbols_test.sh LIBTSLAKE_SO
set -eu
lib=$1
[ -f "$lib" ] || { echo "shared_symbols_test: $lib is missing" >&2; exit 1; }
syms=$(nm -D --defined-only "$lib" | awk '{print $NF}' | c++filt)
bad=$(printf '%s\n' "$syms" | grep -Ev '^(tslake_[A-Za-z0-9_]*|(typeinfo for |typeinfo name for |vtable for )?tslake::.*|TSLAKE_[0-9.]*)$' || true)
fault=$(printf '%s\n' "$syms" | grep -i 'FaultInjection' || true)
if [ -n "$bad$fault" ]; then
  echo "shared_symbols_test: $lib exports symbols outside the public API:" >&2
  printf '%s\n%s\n' "$bad" "$fault" | head -20 >&2
  exit 1
fi
c=$(printf '%s\n' "$syms" | grep -c '^tslake_' || true)
cpp=$(printf '%s\n' "$syms" | grep -c 'tslake::' || true)
[ "$c" -gt 50 ] && [ "$cpp" -gt 20 ] || {
  echo "shared_symbols_test: only $c C and $cpp C++ public symbols exported" >&2
  exit 1
}
echo "shared_symbols_test: $c tslake_* and $cpp tslake:: symbols exported, nothing else"
