// LIST scalar functions (DuckDB's): list_value ([a, b] literals),
// list_extract (l[i]), list_slice (l[a:b]), len, list_contains,
// list_position, list_concat (||), list_append/prepend, list_sort,
// list_reverse_sort, list_distinct, list_unique, list_reverse, the
// list_sum/min/max/avg/first/last aggregates over one list, string_split,
// regexp_split_to_array and range/generate_series as lists. A LIST value is
// its canonical encoding (formats/list_value.h) in the string class; each
// kernel decodes a row's list, works on Values and encodes the result.
// Overloads exist per element type (the LIST(T) codes of types.h); a
// kernel reads the element type from its argument's or result's type.
#include <algorithm>
#include <limits>

#include <re2/re2.h>

#include "formats/list_value.h"
#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {

namespace {

// The element types with overloads; "NULL" first so that `[]` and `[NULL]`
// match it exactly where it fits.
constexpr TypeId kElements[] = {TypeId::kNull,     TypeId::kBoolean,  TypeId::kInteger,
                                TypeId::kBigint,   TypeId::kDouble,   TypeId::kVarchar,
                                TypeId::kTimestamp, TypeId::kInterval, TypeId::kDate,
                                TypeId::kTimestampTz, TypeId::kSmallint, TypeId::kTinyint,
                                TypeId::kTime,     TypeId::kBlob,     TypeId::kUuid};

std::vector<Value> Decode(const VectorView& v, size_t row) {
  Result<std::vector<Value>> r = DecodeList(v.vec->type, v.String(row));
  if (!r.ok()) throw QueryError(ErrorKind::kInternal, r.status().message());
  return std::move(*r);
}

// Writes one list result, refusing one larger than a value may be.
void PutList(ColumnVector* out, size_t row, const std::vector<Value>& elements) {
  std::string bytes = EncodeList(out->type, elements);
  if (bytes.size() > kMaxValueBytes) {
    throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(bytes.size()));
  }
  out->strings[row] = std::move(bytes);
}

// Writes one scalar result of out's type (NULL when `v` is).
void PutValue(ColumnVector* out, size_t row, const Value& v) {
  if (v.is_null()) {
    out->valid[row] = 0;
    return;
  }
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64: out->ints[row] = v.int_value(); break;
    case PhysicalClass::kDouble: out->doubles[row] = v.AsDouble(); break;
    case PhysicalClass::kString: out->strings[row] = v.string_value(); break;
  }
}

// The element as a Value of its type, read from a vector of that type.
Value ElementAt(const VectorView& v, size_t row) {
  if (v.IsNull(row)) return Value::Null(v.vec->type);
  switch (PhysicalClassOf(v.vec->type)) {
    case PhysicalClass::kInt64: return Value::FromInt(v.vec->type, v.Int(row));
    case PhysicalClass::kDouble: return Value::Double(v.Double(row));
    case PhysicalClass::kString: return Value::FromString(v.vec->type, v.String(row));
  }
  return Value::Null(v.vec->type);
}

TypeId Prepare(ColumnVector* out, size_t n) {
  const TypeId type = out->type;
  PrepareOutput(out, type, n);
  return type;
}

void ListValue(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  std::vector<Value> elements;
  for (size_t i = 0; i < n; ++i) {
    elements.clear();
    for (const VectorView& v : a) elements.push_back(ElementAt(v, i));
    PutList(out, i, elements);
  }
}

// DuckDB's index rules: 1-based, negative from the end; -1 when outside.
int64_t ResolveIndex(int64_t index, int64_t size) {
  if (index < 0) index += size + 1;
  if (index < 1 || index > size) return -1;
  return index - 1;
}

void ListExtract(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> elements = Decode(a[0], i);
    const int64_t at = ResolveIndex(a[1].Int(i), static_cast<int64_t>(elements.size()));
    if (at < 0) {
      out->valid[i] = 0;
      return;
    }
    PutValue(out, i, elements[static_cast<size_t>(at)]);
  });
}

// The code points of a UTF-8 string, as byte offsets (plus the end).
std::vector<size_t> CodePointOffsets(const std::string& s) {
  std::vector<size_t> offsets;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(s.size());
  return offsets;
}

void StringExtract(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    std::vector<size_t> cp = CodePointOffsets(s);
    const int64_t at = ResolveIndex(a[1].Int(i), static_cast<int64_t>(cp.size() - 1));
    out->strings[i] = at < 0 ? std::string() : s.substr(cp[at], cp[at + 1] - cp[at]);
  });
}

// DuckDB's slice bounds over `size` elements: [begin, end) zero-based.
std::pair<int64_t, int64_t> SliceBounds(int64_t begin, int64_t end, int64_t size) {
  if (begin < 0) begin += size + 1;
  if (end < 0) end += size + 1;
  begin = std::max<int64_t>(begin, 1);
  end = std::min(end, size);
  if (begin > end) return {0, 0};
  return {begin - 1, end};
}

void ListSlice(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> elements = Decode(a[0], i);
    auto [b, e] = SliceBounds(a[1].Int(i), a[2].Int(i), static_cast<int64_t>(elements.size()));
    PutList(out, i, std::vector<Value>(elements.begin() + b, elements.begin() + e));
  });
}

void StringSlice(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    std::vector<size_t> cp = CodePointOffsets(s);
    auto [b, e] = SliceBounds(a[1].Int(i), a[2].Int(i), static_cast<int64_t>(cp.size() - 1));
    out->strings[i] = s.substr(cp[b], cp[e] - cp[b]);
  });
}

void ListLength(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = ListSize(a[0].String(i)); });
}

// list_contains: NULL for a NULL needle; list_position finds NULL too.
void ListContains(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const Value needle = ElementAt(a[1], i);
    bool found = false;
    for (const Value& v : Decode(a[0], i)) found = found || (!v.is_null() && v.Compare(needle) == 0);
    out->ints[i] = found;
  });
}

void ListPosition(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const Value needle = ElementAt(a[1], i);
    std::vector<Value> elements = Decode(a[0], i);
    out->valid[i] = 0;
    for (size_t k = 0; k < elements.size(); ++k) {
      const Value& v = elements[k];
      if (v.is_null() ? needle.is_null() : (!needle.is_null() && v.Compare(needle) == 0)) {
        out->valid[i] = 1;
        out->ints[i] = static_cast<int64_t>(k + 1);
        break;
      }
    }
  }
}

// list_concat(a, b, ...): NULL lists are skipped; NULL when all are.
void ListConcat(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> all;
    bool any = false;
    for (const VectorView& v : a) {
      if (v.IsNull(i)) continue;
      any = true;
      for (Value& e : Decode(v, i)) all.push_back(std::move(e));
    }
    if (!any) {
      out->valid[i] = 0;
      continue;
    }
    PutList(out, i, all);
  }
}

// The || operator: NULL when either side is.
void ListConcatStrict(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> all = Decode(a[0], i);
    for (Value& e : Decode(a[1], i)) all.push_back(std::move(e));
    PutList(out, i, all);
  });
}

// list_append/list_prepend: a NULL list is empty (DuckDB 1.5).
void ListAppend(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> all;
    if (!a[0].IsNull(i)) all = Decode(a[0], i);
    all.push_back(ElementAt(a[1], i));
    PutList(out, i, all);
  }
}

void ListPrepend(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> all = {ElementAt(a[0], i)};
    if (a[1].IsNull(i)) {
      PutList(out, i, all);
      continue;
    }
    for (Value& e : Decode(a[1], i)) all.push_back(std::move(e));
    PutList(out, i, all);
  }
}

struct SortOrder {
  bool descending = false;
  bool nulls_first = false;  // DuckDB's default: NULLS LAST
};

SortOrder ParseOrder(const VectorView* order, const VectorView* nulls, size_t row, bool reverse) {
  SortOrder s;
  s.descending = reverse;
  if (order && !reverse) {
    const std::string o = ToLower(order->String(row));
    if (o == "desc") {
      s.descending = true;
    } else if (o != "asc") {
      throw QueryError(ErrorKind::kNotImplemented, "Enum value: unrecognized value \"" +
                                                       order->String(row) + "\" for enum \"OrderType\"");
    }
  }
  if (nulls) {
    const std::string o = ToLower(nulls->String(row));
    if (o == "nulls first") {
      s.nulls_first = true;
    } else if (o != "nulls last") {
      throw QueryError(ErrorKind::kNotImplemented, "Enum value: unrecognized value \"" +
                                                       nulls->String(row) + "\" for enum \"OrderByNullType\"");
    }
  }
  return s;
}

void SortValues(std::vector<Value>* elements, SortOrder s) {
  std::stable_sort(elements->begin(), elements->end(), [&](const Value& x, const Value& y) {
    if (x.is_null() || y.is_null()) {
      if (x.is_null() == y.is_null()) return false;
      return x.is_null() == s.nulls_first;
    }
    const int c = x.Compare(y);
    return s.descending ? c > 0 : c < 0;
  });
}

template <bool kReverse>
void ListSort(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  const size_t first_null_arg = kReverse ? 1 : 2;
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> elements = Decode(a[0], i);
    const VectorView* order = !kReverse && a.size() > 1 ? &a[1] : nullptr;
    const VectorView* nulls = a.size() > first_null_arg ? &a[first_null_arg] : nullptr;
    SortValues(&elements, ParseOrder(order, nulls, i, kReverse));
    PutList(out, i, elements);
  });
}

void ListReverse(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> elements = Decode(a[0], i);
    std::reverse(elements.begin(), elements.end());
    PutList(out, i, elements);
  });
}

// The distinct non-NULL elements, in order of first appearance (DuckDB's
// order is its hash table's: tests sort the result).
std::vector<Value> DistinctValues(const std::vector<Value>& elements) {
  std::vector<Value> sorted;
  for (const Value& v : elements) {
    if (!v.is_null()) sorted.push_back(v);
  }
  std::vector<Value> out;
  std::vector<Value> seen = sorted;
  std::sort(seen.begin(), seen.end(), [](const Value& x, const Value& y) { return x.Compare(y) < 0; });
  std::vector<bool> taken(seen.size(), false);
  for (const Value& v : sorted) {
    auto it = std::lower_bound(seen.begin(), seen.end(), v,
                               [](const Value& x, const Value& y) { return x.Compare(y) < 0; });
    const size_t k = static_cast<size_t>(it - seen.begin());
    // Equal values occupy a run; its first slot marks the run as taken.
    if (!taken[k]) {
      taken[k] = true;
      out.push_back(v);
    }
  }
  return out;
}

void ListDistinct(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) { PutList(out, i, DistinctValues(Decode(a[0], i))); });
}

void ListUnique(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    out->ints[i] = static_cast<int64_t>(DistinctValues(Decode(a[0], i)).size());
  });
}

enum class Fold { kSum, kMin, kMax, kAvg, kFirst, kLast };

template <Fold kFold>
void ListFold(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  const TypeId type = Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::vector<Value> elements = Decode(a[0], i);
    if (kFold == Fold::kFirst || kFold == Fold::kLast) {  // NULL elements count (DuckDB)
      if (elements.empty()) {
        out->valid[i] = 0;
      } else {
        PutValue(out, i, kFold == Fold::kFirst ? elements.front() : elements.back());
      }
      return;
    }
    std::vector<Value> values;
    for (Value& v : elements) {
      if (!v.is_null()) values.push_back(std::move(v));
    }
    if (values.empty()) {
      out->valid[i] = 0;
      return;
    }
    switch (kFold) {
      case Fold::kFirst: PutValue(out, i, values.front()); return;
      case Fold::kLast: PutValue(out, i, values.back()); return;
      case Fold::kMin:
      case Fold::kMax: {
        const Value* best = &values[0];
        for (const Value& v : values) {
          const int c = v.Compare(*best);
          if (kFold == Fold::kMin ? c < 0 : c > 0) best = &v;
        }
        PutValue(out, i, *best);
        return;
      }
      case Fold::kAvg:
      case Fold::kSum: {
        if (type == kDbl) {
          double sum = 0;
          for (const Value& v : values) sum += v.AsDouble();
          out->doubles[i] = kFold == Fold::kAvg ? sum / static_cast<double>(values.size()) : sum;
          return;
        }
        __int128 sum = 0;
        for (const Value& v : values) sum += v.int_value();
        if (sum > std::numeric_limits<int64_t>::max() || sum < std::numeric_limits<int64_t>::min()) {
          throw QueryError(ErrorKind::kOutOfRange, "Overflow in list_sum of BIGINT values");
        }
        out->ints[i] = static_cast<int64_t>(sum);
        return;
      }
    }
  });
}

// string_split(s, sep): the pieces between separators; an empty
// separator splits into characters (code points); a NULL one keeps the
// string whole (DuckDB 1.5).
void StringSplit(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    const std::string& s = a[0].String(i);
    ListBuilder b(TypeId::kVarchar);
    if (a[1].IsNull(i)) {
      b.AppendString(s);
    } else if (const std::string& sep = a[1].String(i); sep.empty()) {
      std::vector<size_t> cp = CodePointOffsets(s);
      for (size_t k = 0; k + 1 < cp.size(); ++k) b.AppendString(std::string_view(s).substr(cp[k], cp[k + 1] - cp[k]));
      if (s.empty()) b.AppendString("");
    } else {
      size_t start = 0;
      while (true) {
        const size_t at = s.find(sep, start);
        if (at == std::string::npos) {
          b.AppendString(std::string_view(s).substr(start));
          break;
        }
        b.AppendString(std::string_view(s).substr(start, at - start));
        start = at + sep.size();
      }
    }
    out->strings[i] = b.Finish();
  }
}

// regexp_split_to_array(s, pattern): the pieces between matches (RE2); an
// empty match splits between characters.
void RegexpSplit(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    re2::RE2 re(a[1].String(i), re2::RE2::Quiet);
    if (!re.ok()) throw QueryError(ErrorKind::kInvalidInput, "Invalid regular expression: " + re.error());
    ListBuilder b(TypeId::kVarchar);
    size_t start = 0, from = 0;
    re2::StringPiece match;
    while (from <= s.size() &&
           re.Match(s, from, s.size(), re2::RE2::UNANCHORED, &match, 1)) {
      size_t at = static_cast<size_t>(match.data() - s.data());
      size_t len = match.size();
      if (len == 0) {  // between characters: one code point per piece
        if (at >= s.size()) break;
        size_t next = at + 1;
        while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
        if (at == start) {
          from = next;
          if (next >= s.size()) break;
          b.AppendString(std::string_view(s).substr(start, next - start));
          start = next;
          continue;
        }
      }
      b.AppendString(std::string_view(s).substr(start, at - start));
      start = at + len;
      from = len == 0 ? at + 1 : start;
    }
    b.AppendString(std::string_view(s).substr(start));
    out->strings[i] = b.Finish();
  });
}

// range(stop) / range(start, stop[, step]) (stop excluded) and
// generate_series (stop included) as BIGINT[] values. The list is
// reserved against memory_limit and bounded by the largest value before
// it is built, so range(1e12) fails at once instead of exhausting memory.
template <bool kInclusive>
void RangeList(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  Prepare(out, n);
  MemoryReservation reservation(kInclusive ? "generate_series" : "range");
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t start = 0, stop = 0, step = 1;
    if (a.size() == 1) {
      stop = a[0].Int(i);
    } else {
      start = a[0].Int(i);
      stop = a[1].Int(i);
      if (a.size() == 3) step = a[2].Int(i);
    }
    __int128 count = 0;
    if (step != 0) {
      const __int128 span = static_cast<__int128>(stop) - start;
      if ((step > 0 && span > 0) || (step < 0 && span < 0)) {
        count = (span + (step > 0 ? step - 1 : step + 1)) / step;  // ceil(span / step)
      }
      if (kInclusive && (span == 0 || (step > 0) == (span > 0)) && span % step == 0) ++count;
    }
    const __int128 bytes = 4 + (count + 7) / 8 + count * 8;
    if (count >= (static_cast<__int128>(1) << 32)) {  // DuckDB's limit and wording
      throw QueryError(ErrorKind::kInvalidInput, "Lists larger than 2^32 elements are not supported");
    }
    if (bytes > static_cast<__int128>(kMaxValueBytes)) {
      throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(static_cast<size_t>(bytes)));
    }
    reservation.Resize(reservation.bytes() + static_cast<int64_t>(bytes));
    ListBuilder b(TypeId::kBigint);
    __int128 v = start;
    for (__int128 k = 0; k < count; ++k, v += step) b.AppendInt(static_cast<int64_t>(v));
    out->strings[i] = b.Finish();
  });
}

}  // namespace

void AddListFunctions(std::vector<ScalarFunction>* f) {
  f->push_back({"list_value", {}, ListType(TypeId::kNull), ListValue});
  f->push_back({"list_pack", {}, ListType(TypeId::kNull), ListValue});
  for (const char* name : {"list_extract", "list_element", "array_extract"}) {
    f->push_back({name, {kStr, kBig}, kStr, StringExtract});
  }
  for (const char* name : {"list_slice", "array_slice"}) {
    f->push_back({name, {kStr, kBig, kBig}, kStr, StringSlice});
  }
  const TypeId strings = ListType(kStr), bigints = ListType(kBig);
  for (const char* name : {"string_split", "str_split", "string_to_array", "split"}) {
    f->push_back({name, {kStr, kStr}, strings, StringSplit});
  }
  for (const char* name : {"regexp_split_to_array", "string_split_regex", "str_split_regex"}) {
    f->push_back({name, {kStr, kStr}, strings, RegexpSplit});
  }
  for (const char* name : {"range"}) {
    f->push_back({name, {kBig}, bigints, RangeList<false>});
    f->push_back({name, {kBig, kBig}, bigints, RangeList<false>});
    f->push_back({name, {kBig, kBig, kBig}, bigints, RangeList<false>});
  }
  f->push_back({"generate_series", {kBig}, bigints, RangeList<true>});
  f->push_back({"generate_series", {kBig, kBig}, bigints, RangeList<true>});
  f->push_back({"generate_series", {kBig, kBig, kBig}, bigints, RangeList<true>});
  for (TypeId e : kElements) {
    const TypeId l = ListType(e);
    for (const char* name : {"list_value", "list_pack"}) {
      f->push_back({name, {e}, l, ListValue, kScalarVariadic});
    }
    for (const char* name : {"list_extract", "list_element", "array_extract"}) {
      f->push_back({name, {l, kBig}, e, ListExtract});
    }
    for (const char* name : {"list_slice", "array_slice"}) {
      f->push_back({name, {l, kBig, kBig}, l, ListSlice});
    }
    for (const char* name : {"len", "length", "array_length"}) {
      f->push_back({name, {l}, kBig, ListLength});
    }
    for (const char* name : {"list_contains", "list_has", "array_contains", "array_has"}) {
      f->push_back({name, {l, e}, kBool, ListContains});
    }
    for (const char* name : {"list_position", "list_indexof", "array_position", "array_indexof"}) {
      f->push_back({name, {l, e}, TypeId::kInteger, ListPosition});
    }
    for (const char* name : {"list_concat", "list_cat", "array_concat", "array_cat"}) {
      f->push_back({name, {l, l}, l, ListConcat, kScalarVariadic});
    }
    f->push_back({"$list_concat_operator", {l, l}, l, ListConcatStrict});
    for (const char* name : {"list_append", "array_append", "array_push_back"}) {
      f->push_back({name, {l, e}, l, ListAppend});
    }
    for (const char* name : {"list_prepend", "array_prepend", "array_push_front"}) {
      f->push_back({name, {e, l}, l, ListPrepend});
    }
    for (const char* name : {"list_sort", "array_sort"}) {
      f->push_back({name, {l}, l, ListSort<false>});
      f->push_back({name, {l, kStr}, l, ListSort<false>});
      f->push_back({name, {l, kStr, kStr}, l, ListSort<false>});
    }
    for (const char* name : {"list_reverse_sort", "array_reverse_sort"}) {
      f->push_back({name, {l}, l, ListSort<true>});
      f->push_back({name, {l, kStr}, l, ListSort<true>});
    }
    for (const char* name : {"list_reverse", "array_reverse"}) {
      f->push_back({name, {l}, l, ListReverse});
    }
    for (const char* name : {"list_distinct", "array_distinct"}) {
      f->push_back({name, {l}, l, ListDistinct});
    }
    for (const char* name : {"list_unique", "array_unique"}) {
      f->push_back({name, {l}, kBig, ListUnique});
    }
    if (e == TypeId::kNull) continue;
    f->push_back({"list_min", {l}, e, ListFold<Fold::kMin>});
    f->push_back({"list_max", {l}, e, ListFold<Fold::kMax>});
    f->push_back({"list_first", {l}, e, ListFold<Fold::kFirst>});
    f->push_back({"list_last", {l}, e, ListFold<Fold::kLast>});
    if (e == TypeId::kInteger || e == TypeId::kBigint) {
      f->push_back({"list_sum", {l}, kBig, ListFold<Fold::kSum>});
    }
    if (e == TypeId::kDouble) f->push_back({"list_sum", {l}, kDbl, ListFold<Fold::kSum>});
    if (e == TypeId::kInteger || e == TypeId::kBigint || e == TypeId::kDouble) {
      f->push_back({"list_avg", {l}, kDbl, ListFold<Fold::kAvg>});
    }
  }
}

}  // namespace tsl::query
