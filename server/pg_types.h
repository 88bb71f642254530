// tslake types as PostgreSQL sees them: the type OID of each column, the
// text and binary wire encodings of a result value, and the decoding of a
// Bind parameter into a PreparedStatement binding.
//   BOOLEAN bool 16, INTEGER int4 23, BIGINT int8 20, DOUBLE float8 701,
//   VARCHAR text 25, TIMESTAMP timestamp 1114, DATE date 1082,
//   INTERVAL interval 1186; a NULL-typed column is text.
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tslake/tslake.hpp"

namespace tslake::server {

namespace oid {
constexpr int32_t kBool = 16;
constexpr int32_t kBytea = 17;
constexpr int32_t kInt8 = 20;
constexpr int32_t kInt2 = 21;
constexpr int32_t kInt4 = 23;
constexpr int32_t kText = 25;
constexpr int32_t kOid = 26;
constexpr int32_t kFloat4 = 700;
constexpr int32_t kFloat8 = 701;
constexpr int32_t kUnknown = 705;
constexpr int32_t kBpchar = 1042;
constexpr int32_t kVarchar = 1043;
constexpr int32_t kDate = 1082;
constexpr int32_t kTime = 1083;
constexpr int32_t kUuid = 2950;
constexpr int32_t kTimestamp = 1114;
constexpr int32_t kTimestampTz = 1184;
constexpr int32_t kInterval = 1186;
constexpr int32_t kNumeric = 1700;
}  // namespace oid

// The OID a column of `type` is described with, and its typlen (-1 variable).
int32_t TypeOid(Type type);
int16_t TypeLength(Type type);

// Appends value (column, row) of `result` in the text (format 0) or binary
// (format 1) encoding, without the length word. REQUIRES: not NULL.
void EncodeText(const Result& result, int column, int64_t row, std::string* out);
void EncodeBinary(const Result& result, int column, int64_t row, std::string* out);

// Text encodings shared with COPY TO.
std::string FormatTimestamp(int64_t micros);
std::string FormatDate(int32_t days);
std::string FormatDouble(double v);
std::string FormatInterval(int64_t months, int64_t micros);

// Appends one field of a binary COPY FROM to `appender` as a value of a
// column of `type`, from PostgreSQL's binary encoding of that type (or of
// a narrower one: int2/int4 into BIGINT, float4 into DOUBLE).
// kInvalidArgument when the length does not fit the type.
Status AppendBinaryCopyValue(Appender* appender, Type type, std::string_view bytes);

// Binds parameter `index` (1-based) of `statement` from a Bind value of
// type `type_oid` (0 = unspecified) in `format` (0 text, 1 binary).
// kInvalidArgument (SQLSTATE 22P02) when the bytes are not a value of
// that type, or a binary value has no known type.
Status BindParameter(PreparedStatement* statement, int index, int32_t type_oid, int16_t format,
                     const std::optional<std::string>& value);

}  // namespace tslake::server
