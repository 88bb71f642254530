// Column codec: one ColumnVector <-> one column block body (before
// compression): NULL count, optional null bitmap, then the non-NULL values
// through the smallest of the candidate encodings for the type
// (formats/segment.md, "Column body" and "Encodings").
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/column_vector.h"
#include "formats/status.h"

namespace tsl {

// The value encoding of a column block, recorded in the segment footer.
// int64-class types use 0-4, DOUBLE 16-18, VARCHAR 32-33.
enum class ColumnEncoding : uint8_t {
  kIntPlain = 0,
  kIntFrameOfReference = 1,
  kIntDelta = 2,
  kIntDeltaOfDelta = 3,
  kIntRunLength = 4,
  kDoublePlain = 16,
  kDoubleDecimal = 17,
  kDoubleGorilla = 18,
  kStringPlain = 32,
  kStringDictionary = 33,
};

std::string_view ColumnEncodingName(ColumnEncoding e);
// True when `e` is a known encoding for columns of `type`.
bool IsValidEncodingFor(TypeId type, uint8_t e);

struct EncodedColumn {
  ColumnEncoding encoding = ColumnEncoding::kIntPlain;
  std::string body;
};

// Encodes every row of `col` (REQUIRES: col.type is a stored type). A
// VARCHAR column may be in dictionary form: same bytes as its strings.
EncodedColumn EncodeColumn(const ColumnVector& col);

// Decodes a body of `rows` rows of `type` into *out (replacing its content).
// The body must be consumed exactly. kCorruption on any inconsistency,
// including values outside the type (BOOLEAN not 0/1, INTEGER outside int32).
// keep_dictionary: a kStringDictionary body is returned in dictionary form
// (ColumnVector::dictionary_form) instead of one string per row.
Status DecodeColumn(TypeId type, ColumnEncoding encoding, std::string_view body, size_t rows,
                    ColumnVector* out, bool keep_dictionary = false);

}  // namespace tsl
