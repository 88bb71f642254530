// Zone-map maintenance and range pruning. See segment_stats.h.
// Thread-safety: value types.
#include "formats/segment_stats.h"

#include <algorithm>
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

// Length in bytes of the UTF-8 sequence starting with lead byte `b` (1 for
// bytes that cannot start one: stored strings are valid UTF-8, and a stray
// byte then only shortens the prefix, never reads past the end).
size_t SequenceLength(unsigned char b) {
  if (b >= 0xF0) return 4;
  if (b >= 0xE0) return 3;
  if (b >= 0xC0) return 2;
  return 1;
}

// Byte length of the first kZoneMapStringCodePoints code points of s.
size_t PrefixBytes(std::string_view s) {
  size_t at = 0;
  for (size_t cp = 0; cp < kZoneMapStringCodePoints && at < s.size(); ++cp)
    at += SequenceLength(static_cast<unsigned char>(s[at]));
  return std::min(at, s.size());
}

uint32_t DecodeAt(std::string_view s, size_t at, size_t len) {
  auto c = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  switch (len) {
    case 2: return ((c(0) & 0x1F) << 6) | (c(1) & 0x3F);
    case 3: return ((c(0) & 0x0F) << 12) | ((c(1) & 0x3F) << 6) | (c(2) & 0x3F);
    case 4: return ((c(0) & 0x07) << 18) | ((c(1) & 0x3F) << 12) | ((c(2) & 0x3F) << 6) | (c(3) & 0x3F);
    default: return c(0);
  }
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

template <typename T, typename Less, typename MakeLo, typename MakeHi>
void FoldMinMax(const std::vector<T>& data, const ColumnVector& col, Value* min, Value* max,
                int64_t* nulls, Less less, MakeLo make_lo, MakeHi make_hi) {
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
  Value vlo = make_lo(data[lo]), vhi = make_hi(data[hi]);
  if (min->is_null() || vlo.Compare(*min) < 0) *min = std::move(vlo);
  if (max->is_null() || vhi.Compare(*max) > 0) *max = std::move(vhi);
}

Value LowerBoundValue(std::string_view s) { return Value::Varchar(ZoneMapLowerBound(s)); }
Value UpperBoundValue(std::string_view s) { return Value::Varchar(ZoneMapUpperBound(s)); }

}  // namespace

std::string ZoneMapLowerBound(std::string_view s) { return std::string(s.substr(0, PrefixBytes(s))); }

std::string ZoneMapUpperBound(std::string_view s) {
  size_t n = PrefixBytes(s);
  if (n == s.size()) return std::string(s);
  // The smallest string above every string starting with s[0, n): the
  // prefix with its last incrementable code point incremented (skipping
  // the surrogates, which UTF-8 cannot hold) and what follows it dropped.
  std::vector<size_t> starts;
  for (size_t at = 0; at < n; at += SequenceLength(static_cast<unsigned char>(s[at])))
    starts.push_back(at);
  while (!starts.empty()) {
    size_t at = starts.back();
    starts.pop_back();
    uint32_t cp = DecodeAt(s, at, std::min(SequenceLength(static_cast<unsigned char>(s[at])), n - at));
    if (cp >= 0x10FFFF) continue;
    uint32_t next = cp + 1 == 0xD800 ? 0xE000 : cp + 1;
    std::string out(s.substr(0, at));
    AppendUtf8(next, &out);
    return out;
  }
  return std::string(s);  // every code point is U+10FFFF: no shorter bound
}

ZoneMap ZoneMap::Truncated() const {
  ZoneMap z = *this;
  if (!z.min.is_null() && z.min.type() == TypeId::kVarchar) z.min = LowerBoundValue(z.min.string_value());
  if (!z.max.is_null() && z.max.type() == TypeId::kVarchar) z.max = UpperBoundValue(z.max.string_value());
  return z;
}

void ZoneMap::Update(const ColumnVector& col) {
  row_count += static_cast<int64_t>(col.size());
  if (IsList(col.type) || col.type == TypeId::kBlob) {
    // No min/max: a list's bytes do not order as the list (list_value.h),
    // and a BLOB's bytes are not UTF-8, which the string bounds assume;
    // only the NULL count prunes.
    for (size_t i = 0; i < col.size(); ++i) null_count += col.valid[i] == 0;
    return;
  }
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
    Value vlo = LowerBoundValue(*lo), vhi = UpperBoundValue(*hi);
    if (min.is_null() || vlo.Compare(min) < 0) min = std::move(vlo);
    if (max.is_null() || vhi.Compare(max) > 0) max = std::move(vhi);
    return;
  }
  switch (PhysicalClassOf(col.type)) {
    case PhysicalClass::kInt64:
      FoldMinMax(col.ints, col, &min, &max, &null_count, std::less<int64_t>(),
                 [&](int64_t v) { return Value::FromInt(col.type, v); },
                 [&](int64_t v) { return Value::FromInt(col.type, v); });
      break;
    case PhysicalClass::kString:
      if (col.type == TypeId::kUuid) {  // ASCII text: the bounds are UUIDs' own
        FoldMinMax(col.strings, col, &min, &max, &null_count, std::less<std::string>(),
                   [](std::string_view s) { return Value::FromString(TypeId::kUuid, ZoneMapLowerBound(s)); },
                   [](std::string_view s) { return Value::FromString(TypeId::kUuid, ZoneMapUpperBound(s)); });
        break;
      }
      FoldMinMax(col.strings, col, &min, &max, &null_count, std::less<std::string>(),
                 LowerBoundValue, UpperBoundValue);
      break;
    case PhysicalClass::kDouble:
      // NaN sorts above everything (as Value::Compare and DuckDB order it),
      // which operator< alone cannot express.
      FoldMinMax(col.doubles, col, &min, &max, &null_count,
                 [](double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; },
                 [](double v) { return Value::Double(v); }, [](double v) { return Value::Double(v); });
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
