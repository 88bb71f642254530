// Column codec: one ColumnVector <-> one column block body (before
// compression): NULL count, optional null bitmap, then the non-NULL values
// through the smallest of the candidate encodings for the type
// (formats/segment.md, "Column body" and "Encodings").
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/byte_reader.h"
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

// The first DOUBLE and VARCHAR encoding: a DoubleEncoding or StringEncoding
// (double_codec.h, string_codec.h) is stored as base + its value.
constexpr uint8_t kDoubleEncodingBase = static_cast<uint8_t>(ColumnEncoding::kDoublePlain);
constexpr uint8_t kStringEncodingBase = static_cast<uint8_t>(ColumnEncoding::kStringPlain);

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

// The start of every column body (formats/segment.md, "Column body"):
// checks that `encoding` is valid for `type` and reads the NULL count (at
// most `rows`). The full decode and the range decode both start here.
Status ReadColumnBodyHeader(TypeId type, ColumnEncoding encoding, size_t rows, ByteReader* in,
                            uint64_t* nulls);

// Decodes a body of `rows` rows of `type` into *out (replacing its content).
// The body must be consumed exactly. kCorruption on any inconsistency,
// including values outside the type (BOOLEAN not 0/1, INTEGER outside int32).
// keep_dictionary: a kStringDictionary body is returned in dictionary form
// (ColumnVector::dictionary_form) instead of one string per row.
Status DecodeColumn(TypeId type, ColumnEncoding encoding, std::string_view body, size_t rows,
                    ColumnVector* out, bool keep_dictionary = false);

// kCorruption when a decoded int64-class value lies outside `type`
// (BOOLEAN not 0/1, INTEGER outside int32, DATE outside its range, DECIMAL
// wider than its width); used by
// the full decode and the range decode (range_decode.h) alike.
Status CheckIntRange(TypeId type, const std::vector<int64_t>& v);

}  // namespace tsl
