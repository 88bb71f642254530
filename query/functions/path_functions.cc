// DuckDB's path string functions: parse_dirname(path [, separator]) (the
// first component), parse_dirpath(path [, separator]) (everything before
// the last separator), parse_filename(path [, trim_extension] [,
// separator]) (the last component, without its extension when asked).
// separator names a set: 'forward_slash' (/), 'backslash' (\), 'system'
// (/ here) and anything else, NULL included, 'both_slash' (/ and \), the
// default. A NULL path gives NULL; a NULL separator or trim flag is the
// default, as in DuckDB. Thread-safety: pure functions.
#include <string>
#include <string_view>

#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

std::string_view Separators(const VectorView* sep, size_t i) {
  if (!sep || sep->IsNull(i)) return "/\\";
  const std::string& option = sep->String(i);
  if (option == "system" || option == "forward_slash") return "/";
  if (option == "backslash") return "\\";
  return "/\\";
}

// The first / last position of any separator, or npos.
size_t FindFirst(std::string_view path, std::string_view seps) { return path.find_first_of(seps); }
size_t FindLast(std::string_view path, std::string_view seps) { return path.find_last_of(seps); }

// parse_dirname: up to the first separator; a leading separator is the
// component itself; no separator: empty.
void ParseDirname(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  const VectorView* sep = a.size() > 1 ? &a[1] : nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const std::string& path = a[0].String(i);
    size_t pos = FindFirst(path, Separators(sep, i));
    if (pos == 0) pos = 1;
    out->strings[i] = pos == std::string::npos ? std::string() : path.substr(0, pos);
  }
}

// parse_dirpath: before the last separator (a path that is one separator
// keeps it); no separator: empty.
void ParseDirpath(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  const VectorView* sep = a.size() > 1 ? &a[1] : nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const std::string& path = a[0].String(i);
    size_t last = FindLast(path, Separators(sep, i));
    if (last == 0 && path.size() == 1) last = 1;
    out->strings[i] = last == std::string::npos ? std::string() : path.substr(0, last);
  }
}

// parse_filename: after the last separator; trim_extension drops from the
// last '.' of the file name on.
void ParseFilename(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  const VectorView* trim = nullptr;
  const VectorView* sep = nullptr;
  for (size_t k = 1; k < a.size(); ++k) {
    if (a[k].vec->type == kBool) trim = &a[k];
    else sep = &a[k];
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const std::string& path = a[0].String(i);
    const size_t last = FindLast(path, Separators(sep, i));
    const size_t begin = last == std::string::npos ? 0 : last + 1;
    size_t end = path.size();
    if (trim && !trim->IsNull(i) && trim->Int(i)) {
      const size_t dot = path.rfind('.');
      if (dot != std::string::npos && dot >= begin) end = dot;
    }
    out->strings[i] = path.substr(begin, end - begin);
  }
}

}  // namespace

void AddPathFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"parse_dirname", {kStr}, kStr, ParseDirname},
      {"parse_dirname", {kStr, kStr}, kStr, ParseDirname},
      {"parse_dirpath", {kStr}, kStr, ParseDirpath},
      {"parse_dirpath", {kStr, kStr}, kStr, ParseDirpath},
      {"parse_filename", {kStr}, kStr, ParseFilename},
      {"parse_filename", {kStr, kStr}, kStr, ParseFilename},
      {"parse_filename", {kStr, kBool}, kStr, ParseFilename},
      {"parse_filename", {kStr, kBool, kStr}, kStr, ParseFilename},
  });
}

}  // namespace tsl::query
