// GLOB pattern matching, DuckDB's `s GLOB pattern` (function ~~~): `*` any
// run of bytes, `?` one byte, `[abc]`/`[a-z]` one byte of a set (`[!...]`
// its complement; a `]` first in the set is literal), `\x` the byte x.
// Bytes, not characters, as DuckDB matches them; a pattern with an
// unclosed `[` matches nothing. Linear backtracking on the last `*` only,
// so no pattern is exponential. Thread-safety: pure functions.
#include <string_view>

#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

// Matches `c` against the set starting at pattern[*p] (just past '['),
// leaving *p past the closing ']'. *valid is false when there is none.
bool MatchSet(char c, std::string_view pattern, size_t* p, bool* valid) {
  size_t i = *p;
  const bool invert = i < pattern.size() && pattern[i] == '!';
  if (invert) ++i;
  const size_t first = i;
  bool hit = false;
  *valid = false;
  while (i < pattern.size()) {
    const char x = pattern[i];
    if (x == ']' && i > first) {
      *valid = true;
      ++i;
      break;
    }
    if (i + 1 == pattern.size()) break;
    if (pattern[i + 1] == '-') {
      if (i + 2 == pattern.size()) break;
      hit = hit || (c >= x && c <= pattern[i + 2]);
      i += 3;
    } else {
      hit = hit || c == x;
      ++i;
    }
  }
  *p = i;
  return *valid && hit != invert;
}

bool GlobMatch(std::string_view s, std::string_view pattern) {
  size_t si = 0, pi = 0;
  size_t star_p = 0, star_s = 0;
  bool star = false;
  while (si < s.size()) {
    bool ok = false;
    size_t next = pi;
    if (pi < pattern.size()) {
      const char p = pattern[pi];
      if (p == '*') {
        while (pi < pattern.size() && pattern[pi] == '*') ++pi;
        if (pi == pattern.size()) return true;  // a trailing * takes the rest
        star = true;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (p == '?') {
        ok = true;
        next = pi + 1;
      } else if (p == '[') {
        next = pi + 1;
        bool valid = false;
        ok = MatchSet(s[si], pattern, &next, &valid);
        if (!valid) return false;
      } else if (p == '\\') {
        if (pi + 1 == pattern.size()) return false;
        ok = s[si] == pattern[pi + 1];
        next = pi + 2;
      } else {
        ok = s[si] == p;
        next = pi + 1;
      }
    }
    if (ok) {
      ++si;
      pi = next;
      continue;
    }
    if (!star) return false;
    // The last * takes one more byte; retry the rest of the pattern there.
    si = ++star_s;
    pi = star_p;
  }
  while (pi < pattern.size() && pattern[pi] == '*') ++pi;
  return pi == pattern.size();
}

void Glob(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBool, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = GlobMatch(a[0].String(i), a[1].String(i)) ? 1 : 0; });
}

}  // namespace

void AddGlobFunctions(std::vector<ScalarFunction>* out) {
  out->push_back({"~~~", {kStr, kStr}, kBool, Glob});
}

}  // namespace tsl::query
