#!/bin/sh
# localize_engine_symbols.sh OBJCOPY OBJECT
# Makes the engine's symbols local in OBJECT (the `ld -r` of every layer,
# cmake/install.cmake), so that whatever links libtslake.a sees as global
# only the public API: the C functions tslake_* and namespace tslake.
#   - every strong global symbol outside the public API is localized;
#   - a weak (COMDAT) symbol is localized only when it names the engine
#     (tsl::, also as a template argument): no user object can hold the
#     same COMDAT group, so ours is always the one kept. Weak instances of
#     library templates alone (std::string's members...) stay weak: a C++
#     program that instantiates them too keeps one copy of the group, and a
#     local symbol in a discarded copy would be a dangling reference.
# gnu_unique symbols (static data members of inline code) are treated as weak ones.
set -eu
objcopy=$1
obj=$2
tmp=$obj.symbols
readelf -sW "$obj" | awk '$7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") && $8 != "" {print $5, $8}' |
  sort -u > "$tmp"
cut -d' ' -f2 "$tmp" | c++filt > "$tmp.demangled"
paste -d'\t' "$tmp" "$tmp.demangled" | awk -F'\t' '{
    split($1, f, " "); bind = f[1]; sym = f[2]; name = $2
    if (sym ~ /^tslake_/ || sym ~ /^_Z(N|NK|TVN|TIN|TSN)6tslake/) next
    if (bind == "GLOBAL" || name ~ /(^|[^_a-z])tsl::/) print sym
  }' > "$tmp.localize"
"$objcopy" --localize-symbols="$tmp.localize" "$obj"
rm -f "$tmp" "$tmp.demangled" "$tmp.localize"
