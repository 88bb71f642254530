// String distances and similarities with DuckDB's semantics, over bytes as
// DuckDB counts them (a multi-byte UTF-8 character is several symbols):
// levenshtein/editdist3 (insert, delete, substitute), damerau_levenshtein
// (also unrestricted adjacent transpositions), hamming/mismatches (equal,
// non-zero lengths only), jaro_similarity and jaro_winkler_similarity (the
// rapidfuzz formulas DuckDB vendors, optional score cutoff: a result below
// it is 0), jaccard (the share of distinct bytes the two have in common;
// an empty argument is an error). The quadratic ones refuse inputs whose table would pass
// kMaxDistanceCells (kMaxDamerauCells for the one that keeps it whole).
// Thread-safety: pure functions.
#include <algorithm>
#include <array>
#include <bitset>
#include <string>
#include <vector>

#include "query/common/query_error.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

// Cells of the dynamic-programming table a distance may visit (about a
// second of work); longer inputs are an error rather than a stall.
// damerau_levenshtein keeps its whole table, so it gets fewer (64 MB).
constexpr size_t kMaxDistanceCells = size_t{1} << 28;
constexpr size_t kMaxDamerauCells = size_t{1} << 23;

void CheckCells(const char* function, size_t a, size_t b, size_t limit = kMaxDistanceCells) {
  if ((a + 2) > limit / (b + 2)) {
    throw QueryError(ErrorKind::kInvalidInput,
                     std::string(function) + ": the strings are too long (" + std::to_string(a) +
                         " and " + std::to_string(b) + " bytes); their product must stay below " +
                         std::to_string(limit));
  }
}

int64_t Levenshtein(const std::string& s, const std::string& t) {
  if (s.empty()) return static_cast<int64_t>(t.size());
  if (t.empty()) return static_cast<int64_t>(s.size());
  CheckCells("levenshtein", s.size(), t.size());
  std::vector<int64_t> prev(t.size() + 1), cur(t.size() + 1);
  for (size_t j = 0; j <= t.size(); ++j) prev[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= s.size(); ++i) {
    cur[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= t.size(); ++j) {
      const int64_t cost = s[i - 1] == t[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[t.size()];
}

// Lowrance and Wagner's algorithm (true Damerau-Levenshtein: a substring
// may be edited after a transposition), as DuckDB's damerau_levenshtein.
int64_t DamerauLevenshtein(const std::string& s, const std::string& t) {
  if (s.empty()) return static_cast<int64_t>(t.size());
  if (t.empty()) return static_cast<int64_t>(s.size());
  CheckCells("damerau_levenshtein", s.size(), t.size(), kMaxDamerauCells);
  const size_t n = s.size(), m = t.size();
  const int64_t inf = static_cast<int64_t>(n + m);
  const size_t w = m + 2;
  std::vector<int64_t> d((n + 2) * w);
  auto at = [&](size_t i, size_t j) -> int64_t& { return d[i * w + j]; };
  at(0, 0) = inf;
  for (size_t i = 0; i <= n; ++i) {
    at(i + 1, 0) = inf;
    at(i + 1, 1) = static_cast<int64_t>(i);
  }
  for (size_t j = 0; j <= m; ++j) {
    at(0, j + 1) = inf;
    at(1, j + 1) = static_cast<int64_t>(j);
  }
  std::array<size_t, 256> last_row{};  // last row (1-based) where a byte was seen in s
  for (size_t i = 1; i <= n; ++i) {
    size_t last_match_col = 0;
    for (size_t j = 1; j <= m; ++j) {
      const size_t i1 = last_row[static_cast<unsigned char>(t[j - 1])];
      const size_t j1 = last_match_col;
      int64_t cost = 1;
      if (s[i - 1] == t[j - 1]) {
        cost = 0;
        last_match_col = j;
      }
      at(i + 1, j + 1) = std::min({at(i, j) + cost, at(i + 1, j) + 1, at(i, j + 1) + 1,
                                   at(i1, j1) + static_cast<int64_t>(i - i1 - 1) + 1 +
                                       static_cast<int64_t>(j - j1 - 1)});
    }
    last_row[static_cast<unsigned char>(s[i - 1])] = i;
  }
  return at(n + 1, m + 1);
}

// rapidfuzz's jaro_similarity: characters match within max(len)/2 - 1 of
// each other; (m/|p| + m/|t| + (m - transpositions)/m) / 3.
double Jaro(const std::string& p, const std::string& t) {
  const int64_t pl = static_cast<int64_t>(p.size()), tl = static_cast<int64_t>(t.size());
  if (pl == 0 || tl == 0) return 0;
  if (pl == 1 && tl == 1) return p[0] == t[0] ? 1 : 0;
  const int64_t bound = std::max(pl, tl) / 2 - 1;
  // Each byte of p scans up to 2 * bound + 1 bytes of t: two 100 KB
  // strings took 12 s.
  CheckCells("jaro_similarity", p.size(), static_cast<size_t>(2 * std::max<int64_t>(bound, 0) + 1));
  std::vector<uint8_t> pf(p.size(), 0), tf(t.size(), 0);
  int64_t common = 0;
  for (int64_t i = 0; i < pl; ++i) {
    const int64_t lo = std::max<int64_t>(0, i - bound);
    const int64_t hi = std::min<int64_t>(tl - 1, i + bound);
    for (int64_t j = lo; j <= hi; ++j) {
      if (!tf[j] && p[i] == t[j]) {
        pf[i] = tf[j] = 1;
        ++common;
        break;
      }
    }
  }
  if (common == 0) return 0;
  int64_t half_transpositions = 0;
  for (int64_t i = 0, j = 0; i < pl; ++i) {
    if (!pf[i]) continue;
    while (!tf[j]) ++j;
    if (p[i] != t[j]) ++half_transpositions;
    ++j;
  }
  const int64_t transpositions = half_transpositions / 2;
  double sim = 0;
  sim += static_cast<double>(common) / static_cast<double>(pl);
  sim += static_cast<double>(common) / static_cast<double>(tl);
  sim += (static_cast<double>(common) - static_cast<double>(transpositions)) /
         static_cast<double>(common);
  return sim / 3.0;
}

double JaroWinkler(const std::string& p, const std::string& t) {
  if (!p.empty() && !t.empty()) {
    CheckCells("jaro_winkler_similarity", p.size(), std::max(p.size(), t.size()) + 1);
  }
  const size_t max_prefix = std::min<size_t>(std::min(p.size(), t.size()), 4);
  size_t prefix = 0;
  while (prefix < max_prefix && p[prefix] == t[prefix]) ++prefix;
  double sim = Jaro(p, t);
  if (sim > 0.7) sim += static_cast<double>(prefix) * 0.1 * (1.0 - sim);
  return sim;
}

void LevenshteinKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = Levenshtein(a[0].String(i), a[1].String(i)); });
}

void DamerauKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = DamerauLevenshtein(a[0].String(i), a[1].String(i)); });
}

void HammingKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string& t = a[1].String(i);
    if (s.size() != t.size()) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "Mismatch Function: Strings must be of equal length!");
    }
    if (s.empty()) {
      throw QueryError(ErrorKind::kInvalidInput, "Mismatch Function: Strings must be of length > 0!");
    }
    int64_t d = 0;
    for (size_t k = 0; k < s.size(); ++k) d += s[k] != t[k];
    out->ints[i] = d;
  });
}

template <double (*F)(const std::string&, const std::string&)>
void SimilarityKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double sim = F(a[0].String(i), a[1].String(i));
    const double cutoff = a.size() > 2 ? a[2].Double(i) : 0;
    out->doubles[i] = sim >= cutoff ? sim : 0;
  });
}

void JaccardKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& x = a[0].String(i);
    const std::string& y = a[1].String(i);
    if (x.empty() || y.empty()) {
      throw QueryError(ErrorKind::kInvalidInput, "Jaccard Function: An argument too short!");
    }
    std::bitset<256> sx, sy;
    for (unsigned char c : x) sx.set(c);
    for (unsigned char c : y) sy.set(c);
    out->doubles[i] = static_cast<double>((sx & sy).count()) / static_cast<double>((sx | sy).count());
  });
}

}  // namespace

void AddStringDistanceFunctions(std::vector<ScalarFunction>* f) {
  f->push_back({"levenshtein", {kStr, kStr}, kBig, LevenshteinKernel});
  f->push_back({"editdist3", {kStr, kStr}, kBig, LevenshteinKernel});
  f->push_back({"damerau_levenshtein", {kStr, kStr}, kBig, DamerauKernel});
  f->push_back({"hamming", {kStr, kStr}, kBig, HammingKernel});
  f->push_back({"jaccard", {kStr, kStr}, kDbl, JaccardKernel});
  f->push_back({"mismatches", {kStr, kStr}, kBig, HammingKernel});
  f->push_back({"jaro_similarity", {kStr, kStr}, kDbl, SimilarityKernel<Jaro>});
  f->push_back({"jaro_similarity", {kStr, kStr, kDbl}, kDbl, SimilarityKernel<Jaro>});
  f->push_back({"jaro_winkler_similarity", {kStr, kStr}, kDbl, SimilarityKernel<JaroWinkler>});
  f->push_back(
      {"jaro_winkler_similarity", {kStr, kStr, kDbl}, kDbl, SimilarityKernel<JaroWinkler>});
}

}  // namespace tsl::query
