// LIST values: the canonical byte encoding of a list of scalars (specified
// in formats/list_value.md), its builder and decoder, DuckDB's text form
// ([1, 2, NULL], ['a,b', c]) both ways, and DuckDB's ordering of lists.
// A LIST(T) type code (types.h) lives in the string physical class holding
// these bytes; the encoding is canonical (one byte string per SQL value),
// so byte equality is SQL equality and hashing, GROUP BY, DISTINCT and the
// segment codec need nothing list-specific. Thread-safety: pure functions;
// a ListBuilder has one owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"
#include "formats/types.h"
#include "formats/value.h"

namespace tsl {

// Builds one list's bytes element by element.
class ListBuilder {
 public:
  // REQUIRES: CanBeListElement(element_type).
  explicit ListBuilder(TypeId element_type) : element_(element_type) {}
  void AppendNull();
  void AppendInt(int64_t v);
  void AppendDouble(double v);  // -0.0 and NaN payloads are canonicalized
  void AppendString(std::string_view v);
  // REQUIRES: v is NULL or of the element type's physical class.
  void AppendValue(const Value& v);
  size_t size() const { return count_; }
  // Bytes appended so far (for memory accounting).
  size_t ByteSize() const { return payload_.size() + validity_.size() + 4; }
  std::string Finish() const;

 private:
  TypeId element_;
  uint32_t count_ = 0;
  std::vector<uint8_t> validity_;  // bit i set: element i is not NULL
  std::string payload_;
};

// The elements of an encoded list, as Values of the element type (NULL
// elements as Value::Null(element)). kCorruption for bytes that are not a
// canonical encoding of `list_type`.
Result<std::vector<Value>> DecodeList(TypeId list_type, std::string_view bytes);
// Encodes `elements` (each NULL or of the element type's class).
std::string EncodeList(TypeId list_type, const std::vector<Value>& elements);
// The element count, read from the header; 0 for malformed bytes.
uint32_t ListSize(std::string_view bytes);

// DuckDB's CAST(list AS VARCHAR): [1, 2, NULL]; a string element is quoted
// ('x,y', with \' and \\ escaped) only when it is empty, starts or ends with
// a blank, spells NULL, or holds one of "'(),:=[]{}.
std::string ListToText(TypeId list_type, std::string_view bytes);
// DuckDB's CAST(text AS T[]): "[1, 2]", elements trimmed, 'quoted' or
// "quoted" with backslash escapes, unquoted NULL is NULL. The element casts
// follow Value::CastTo. kInvalidArgument with DuckDB's message otherwise.
Result<std::string> ParseListText(std::string_view text, TypeId list_type);

// DuckDB's order of lists: elementwise, a NULL element after every value,
// a proper prefix before the longer list. -1, 0 or 1.
int CompareLists(TypeId list_type, std::string_view a, std::string_view b);

}  // namespace tsl
