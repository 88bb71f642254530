// ColumnVector and DataChunk operations. See column_vector.h.
// Thread-safety: not synchronized; one owner at a time.
#include "formats/column_vector.h"

#include <algorithm>
#include <cassert>

namespace tsl {

void ColumnVector::Reserve(size_t n) {
  valid.reserve(n);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: ints.reserve(n); break;
    case PhysicalClass::kDouble: doubles.reserve(n); break;
    case PhysicalClass::kString: strings.reserve(n); break;
  }
}

void ColumnVector::Clear() {
  ints.clear();
  doubles.clear();
  strings.clear();
  valid.clear();
  dictionary_form = false;
  dictionary.clear();
  codes.clear();
}

void ColumnVector::MaterializeStrings() {
  if (!dictionary_form) return;
  strings.clear();
  strings.reserve(valid.size());
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i]) {
      strings.push_back(dictionary[codes[i]]);
    } else {
      strings.emplace_back();
    }
  }
  dictionary_form = false;
  dictionary.clear();
  codes.clear();
}

void ColumnVector::Resize(size_t n) {
  valid.resize(n, 0);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: ints.resize(n, 0); break;
    case PhysicalClass::kDouble: doubles.resize(n, 0.0); break;
    case PhysicalClass::kString: strings.resize(n); break;
  }
}

void ColumnVector::AppendNull() {
  // The value slot is kept (zero / empty) so arrays stay row-aligned.
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: ints.push_back(0); break;
    case PhysicalClass::kDouble: doubles.push_back(0.0); break;
    case PhysicalClass::kString: strings.emplace_back(); break;
  }
  valid.push_back(0);
}

void ColumnVector::AppendValue(const Value& v) {
  if (v.is_null()) {
    AppendNull();
    return;
  }
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      assert(PhysicalClassOf(v.type()) == PhysicalClass::kInt64);
      AppendInt(v.int_value());
      break;
    case PhysicalClass::kDouble:
      // An integer Value widens; anything else violates the REQUIRES.
      assert(PhysicalClassOf(v.type()) != PhysicalClass::kString);
      AppendDouble(v.AsDouble());
      break;
    case PhysicalClass::kString:
      assert(PhysicalClassOf(v.type()) == PhysicalClass::kString);  // VARCHAR or a LIST
      AppendString(v.string_value());
      break;
  }
}

void ColumnVector::AppendRange(const ColumnVector& other, size_t begin, size_t end) {
  assert(begin <= end && end <= other.size());
  valid.insert(valid.end(), other.valid.begin() + begin, other.valid.begin() + end);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      ints.insert(ints.end(), other.ints.begin() + begin, other.ints.begin() + end);
      break;
    case PhysicalClass::kDouble:
      doubles.insert(doubles.end(), other.doubles.begin() + begin, other.doubles.begin() + end);
      break;
    case PhysicalClass::kString:
      strings.insert(strings.end(), other.strings.begin() + begin, other.strings.begin() + end);
      break;
  }
}

void ColumnVector::AppendSelection(const ColumnVector& other, const std::vector<uint32_t>& sel) {
  // Grow geometrically: reserving exactly size()+n on every call would copy
  // the whole vector each time a caller appends batch after batch.
  const size_t n = size() + sel.size();
  if (n > valid.capacity()) Reserve(std::max(n, 2 * valid.capacity()));
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      for (uint32_t r : sel) ints.push_back(other.ints[r]);
      break;
    case PhysicalClass::kDouble:
      for (uint32_t r : sel) doubles.push_back(other.doubles[r]);
      break;
    case PhysicalClass::kString:
      for (uint32_t r : sel) strings.push_back(other.strings[r]);
      break;
  }
  for (uint32_t r : sel) valid.push_back(other.valid[r]);
}

Value ColumnVector::GetValue(size_t row) const {
  if (type == TypeId::kNull || IsNull(row)) return Value::Null(type);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: return Value::FromInt(type, ints[row]);
    case PhysicalClass::kDouble: return Value::Double(doubles[row]);
    case PhysicalClass::kString: return Value::FromString(type, strings[row]);
  }
  return Value::Null(type);
}

void DataChunk::Initialize(const std::vector<TypeId>& types) {
  columns.clear();
  columns.reserve(types.size());
  for (TypeId t : types) {
    columns.emplace_back(t);
    columns.back().Reserve(kVectorSize);
  }
}

void DataChunk::Reset() {
  for (ColumnVector& c : columns) c.Clear();
}

}  // namespace tsl
