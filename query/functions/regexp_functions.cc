// The regular expression functions, on RE2 as in DuckDB (linear time in
// the input, no recursion per character, no exponential backtracking):
// regexp_matches (a match anywhere: RE2::PartialMatch), regexp_full_match
// (RE2::FullMatch), regexp_replace (the first match, every match with 'g';
// RE2 rewrite syntax, \0..\9 and \\) and regexp_extract (group 0..9 of the
// first match, '' when nothing matches or the pattern lacks that group).
// Options, as DuckDB's regexp_util.cpp parses them: 'c' case-sensitive,
// 'i' case-insensitive, 'l' the pattern is a literal string, 'm'/'n'/'p'
// newline-sensitive ('.' does not match '\n', RE2's default), 's' '.'
// matches '\n', 'g' global (regexp_replace only), whitespace ignored; the
// options and regexp_extract's group must be constants. LIST-valued forms
// (regexp_extract with group names, regexp_extract_all,
// regexp_split_to_array) are not offered: tslake has no LIST type.
// Compiled patterns are shared through a small process-wide cache keyed by
// (pattern, options), so a constant pattern is compiled once, not per row
// or per chunk; RE2 objects are immutable and safe to use from any thread.
// Thread-safety: the cache is guarded by a mutex; kernels are reentrant.
#include <re2/re2.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "query/common/query_error.h"

#include "formats/mutex.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

struct RegexOptions {
  bool case_sensitive = true;
  bool literal = false;
  bool dot_nl = false;
  bool global = false;

  re2::RE2::Options ToRe2() const {
    re2::RE2::Options o;
    o.set_log_errors(false);
    o.set_case_sensitive(case_sensitive);
    o.set_literal(literal);
    o.set_dot_nl(dot_nl);
    return o;
  }
  char Key() const {
    return static_cast<char>('0' + (case_sensitive ? 1 : 0) + (literal ? 2 : 0) + (dot_nl ? 4 : 0));
  }
};

// The options argument at `index` (absent: defaults). DuckDB requires a
// constant, non-NULL string; regexp_replace alone returns NULL for NULL
// options (the row loop does that), so it passes `null_is_error` false.
RegexOptions ParseOptions(const Args& a, size_t index, bool allow_global, bool null_is_error) {
  RegexOptions o;
  if (a.size() <= index) return o;
  const VectorView& v = a[index];
  if (!v.constant) {
    throw QueryError(ErrorKind::kInvalidInput, "Regex options field must be a constant");
  }
  if (v.IsNull(0)) {
    if (null_is_error) {
      throw QueryError(ErrorKind::kInvalidInput, "Regex options field must not be NULL");
    }
    return o;
  }
  for (char c : v.String(0)) {
    switch (c) {
      case 'c':
        o.case_sensitive = true;
        break;
      case 'i':
        o.case_sensitive = false;
        break;
      case 'l':
        o.literal = true;
        break;
      case 'm':
      case 'n':
      case 'p':
        o.dot_nl = false;
        break;
      case 's':
        o.dot_nl = true;
        break;
      case 'g':
        if (!allow_global) {
          throw QueryError(ErrorKind::kInvalidInput,
                           "Option 'g' (global replace) is only valid for regexp_replace");
        }
        o.global = true;
        break;
      case ' ':
      case '\t':
      case '\n':
        break;
      default:
        throw QueryError(ErrorKind::kInvalidInput, std::string("Unrecognized Regex option ") + c);
    }
  }
  return o;
}

// Process-wide compiled patterns. Bounded: when full it starts over, which
// costs a recompile of the patterns still in use, never correctness.
class CompiledPatterns {
 public:
  static std::shared_ptr<const re2::RE2> Get(const std::string& pattern, const RegexOptions& o) {
    static CompiledPatterns* cache = new CompiledPatterns();  // never destroyed
    std::string key = pattern;
    key += '\0';
    key += o.Key();
    {
      tsl::MutexLock lock(cache->mu_);
      auto it = cache->patterns_.find(key);
      if (it != cache->patterns_.end()) return it->second;
    }
    auto re = std::make_shared<const re2::RE2>(pattern, o.ToRe2());  // outside the lock
    if (!re->ok()) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "Invalid regular expression \"" + pattern + "\": " + re->error());
    }
    tsl::MutexLock lock(cache->mu_);
    if (cache->patterns_.size() >= kCapacity) cache->patterns_.clear();
    cache->patterns_.emplace(std::move(key), re);
    return re;
  }

 private:
  static constexpr size_t kCapacity = 64;
  tsl::Mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const re2::RE2>> patterns_ GUARDED_BY(mu_);
};

// The pattern of each row, looked up only when it differs from the last
// row's (a constant pattern: once per chunk, compiled once per process).
class PatternOfRow {
 public:
  explicit PatternOfRow(const RegexOptions& options) : options_(options) {}
  const re2::RE2& Get(const std::string& pattern) {
    if (!re_ || pattern != pattern_) {
      re_ = CompiledPatterns::Get(pattern, options_);
      pattern_ = pattern;
    }
    return *re_;
  }

 private:
  RegexOptions options_;
  std::string pattern_;
  std::shared_ptr<const re2::RE2> re_;
};

template <bool kFull>
void RegexpMatches(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBool, n);
  const RegexOptions o = ParseOptions(a, 2, false, true);
  PatternOfRow patterns(o);
  ForEachValid(a, n, out, [&](size_t i) {
    const re2::RE2& re = patterns.Get(a[1].String(i));
    const std::string& s = a[0].String(i);
    out->ints[i] = kFull ? re2::RE2::FullMatch(s, re) : re2::RE2::PartialMatch(s, re);
  });
}

void RegexpReplace(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  const RegexOptions o = ParseOptions(a, 3, true, false);
  PatternOfRow patterns(o);
  ForEachValid(a, n, out, [&](size_t i) {
    const re2::RE2& re = patterns.Get(a[1].String(i));
    std::string s = a[0].String(i);
    // An invalid rewrite (\5 of a pattern with fewer groups) leaves the
    // string unchanged, as in DuckDB.
    if (o.global) {
      re2::RE2::GlobalReplace(&s, re, a[2].String(i));
    } else {
      re2::RE2::Replace(&s, re, a[2].String(i));
    }
    out->strings[i] = std::move(s);
  });
}

void RegexpExtract(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  const RegexOptions o = ParseOptions(a, 3, false, true);
  // The rewrite: "\N" for group N; a NULL group extracts '' from every
  // match (DuckDB's empty rewrite), so it does not make the row NULL.
  std::string rewrite = "\\0";
  if (a.size() > 2) {
    if (!a[2].constant) {
      throw QueryError(ErrorKind::kInvalidInput, "Group specification field must be a constant!");
    }
    if (a[2].IsNull(0)) {
      rewrite.clear();
    } else {
      const int64_t group = a[2].Int(0);
      if (group < 0 || group > 9) {
        throw QueryError(ErrorKind::kInvalidInput, "Group index must be between 0 and 9!");
      }
      rewrite = "\\" + std::to_string(group);
    }
  }
  PatternOfRow patterns(o);
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i) || a[1].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const re2::RE2& re = patterns.Get(a[1].String(i));
    std::string extracted;  // stays '' when nothing matches or the group is missing
    re2::RE2::Extract(a[0].String(i), re, rewrite, &extracted);
    out->strings[i] = std::move(extracted);
  }
}

}  // namespace

namespace {

// regexp_escape(s): s with RE2's metacharacters escaped (RE2::QuoteMeta,
// as DuckDB), a pattern that matches s literally.
void RegexpEscape(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) { out->strings[i] = RE2::QuoteMeta(a[0].String(i)); });
}

}  // namespace

void AddRegexpFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"regexp_escape", {kStr}, kStr, RegexpEscape},
      {"regexp_matches", {kStr, kStr}, kBool, RegexpMatches<false>},
      {"regexp_matches", {kStr, kStr, kStr}, kBool, RegexpMatches<false>},
      {"regexp_full_match", {kStr, kStr}, kBool, RegexpMatches<true>},
      {"regexp_full_match", {kStr, kStr, kStr}, kBool, RegexpMatches<true>},
      {"regexp_replace", {kStr, kStr, kStr}, kStr, RegexpReplace},
      {"regexp_replace", {kStr, kStr, kStr, kStr}, kStr, RegexpReplace},
      {"regexp_extract", {kStr, kStr}, kStr, RegexpExtract},
      {"regexp_extract", {kStr, kStr, kBig}, kStr, RegexpExtract},
      {"regexp_extract", {kStr, kStr, kBig, kStr}, kStr, RegexpExtract},
  });
}

}  // namespace tsl::query
