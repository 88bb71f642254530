// Zone-map maintenance and range pruning. See segment_stats.h.
// Thread-safety: value types.
#include "formats/segment_stats.h"

#include <cmath>
#include <functional>
#include <string>
#include <type_traits>

namespace tsl {
namespace {

bool IsOrderedNumeric(TypeId t) { return IsNumeric(t) || t == TypeId::kBoolean; }

// True when Value::Compare orders a and b by value (not by type tag).
bool Comparable(const Value& a, const Value& b) {
  if (IsOrderedNumeric(a.type()) && IsOrderedNumeric(b.type())) return true;
  return a.type() == b.type();
}

template <typename T, typename Less, typename Make>
void FoldMinMax(const std::vector<T>& data, const ColumnVector& col, Value* min, Value* max,
                int64_t* nulls, Less less, Make make) {
  bool have = false;
  size_t lo = 0, hi = 0;
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.valid[i] == 0) {
      ++*nulls;
      continue;
    }
    // Runs of one string (a segment sorted by tag) cost one equality test
    // per row instead of two ordered comparisons.
    if constexpr (std::is_same_v<T, std::string>) {
      if (have && i > 0 && col.valid[i - 1] != 0 && data[i] == data[i - 1]) continue;
    }
    if (!have) {
      lo = hi = i;
      have = true;
      continue;
    }
    if (less(data[i], data[lo])) lo = i;
    if (less(data[hi], data[i])) hi = i;
  }
  if (!have) return;
  Value vlo = make(data[lo]), vhi = make(data[hi]);
  if (min->is_null() || vlo.Compare(*min) < 0) *min = std::move(vlo);
  if (max->is_null() || vhi.Compare(*max) > 0) *max = std::move(vhi);
}

}  // namespace

void ZoneMap::Update(const ColumnVector& col) {
  row_count += static_cast<int64_t>(col.size());
  if (col.dictionary_form) {
    // Min and max among the dictionary entries some non-NULL row uses.
    std::vector<uint8_t> used(col.dictionary.size(), 0);
    for (size_t i = 0; i < col.size(); ++i) {
      if (col.valid[i] == 0) {
        ++null_count;
        continue;
      }
      used[col.codes[i]] = 1;
    }
    const std::string* lo = nullptr;
    const std::string* hi = nullptr;
    for (size_t k = 0; k < used.size(); ++k) {
      if (!used[k]) continue;
      const std::string& s = col.dictionary[k];
      if (lo == nullptr || s < *lo) lo = &s;
      if (hi == nullptr || *hi < s) hi = &s;
    }
    if (lo == nullptr) return;
    Value vlo = Value::Varchar(*lo), vhi = Value::Varchar(*hi);
    if (min.is_null() || vlo.Compare(min) < 0) min = std::move(vlo);
    if (max.is_null() || vhi.Compare(max) > 0) max = std::move(vhi);
    return;
  }
  switch (PhysicalClassOf(col.type)) {
    case PhysicalClass::kInt64:
      FoldMinMax(col.ints, col, &min, &max, &null_count, std::less<int64_t>(),
                 [&](int64_t v) { return Value::FromInt(col.type, v); });
      break;
    case PhysicalClass::kString:
      FoldMinMax(col.strings, col, &min, &max, &null_count, std::less<std::string>(),
                 [](const std::string& v) { return Value::Varchar(v); });
      break;
    case PhysicalClass::kDouble:
      // NaN sorts above everything (as Value::Compare and DuckDB order it),
      // which operator< alone cannot express.
      FoldMinMax(col.doubles, col, &min, &max, &null_count,
                 [](double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; },
                 [](double v) { return Value::Double(v); });
      break;
  }
}

bool ZoneMap::MayContainRange(const Value& lo, const Value& hi) const {
  // No non-NULL value: no row satisfies a comparison (NULL compares unknown).
  // Only a zone map that counted rows and saw nothing but NULLs proves it;
  // one without min/max for other reasons (unknown stats) cannot prune.
  if (min.is_null() || max.is_null()) return !(row_count > 0 && null_count >= row_count);
  if (!lo.is_null() && Comparable(lo, max) && max.Compare(lo) < 0) return false;
  if (!hi.is_null() && Comparable(hi, min) && min.Compare(hi) > 0) return false;
  return true;
}

}  // namespace tsl
