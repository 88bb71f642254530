// Logical types, fields and schemas shared by every layer.
//
// Physical classes: BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, TIMESTAMP, TIME and
// DECIMAL live in memory as int64_t (TIMESTAMP = microseconds since 1970-01-01 UTC,
// BOOLEAN = 0/1, TINYINT/SMALLINT/INTEGER range-checked to int8/int16/int32);
// DOUBLE as double; VARCHAR, BLOB and UUID as std::string.
// Thread-safety: values; copy freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl {

enum class TypeId : uint8_t {
  kNull = 0,  // type of a bare NULL literal before binding; never stored
  kBoolean = 1,
  kInteger = 2,
  kBigint = 3,
  kDouble = 4,
  kVarchar = 5,
  kTimestamp = 6,
  kInterval = 7,  // microseconds; expression-only, never stored in a table
  kDate = 8,      // days since 1970-01-01 (formats/date.h); int64 class
  // TIMESTAMP WITH TIME ZONE: microseconds since 1970-01-01 UTC, stored and
  // compared as TIMESTAMP; shown in the session's time zone (time_zone.h).
  kTimestampTz = 9,
  kSmallint = 10,  // int64 class, range-checked to int16
  kTinyint = 11,   // int64 class, range-checked to int8
  kTime = 12,      // microseconds since midnight, 0..86400000000; int64 class
  kBlob = 13,      // raw bytes; string class, ordered bytewise as DuckDB
  // 128-bit UUID; string class holding the canonical lowercase 36-character
  // text (8-4-4-4-12), whose bytewise order is DuckDB's UUID order.
  kUuid = 14,
  // Code 15: reserved for one more scalar type.
  // Codes 16..31 are LIST(T) for a scalar element type T with code 0..15:
  // code = 16 + T (LIST of NULL is the type of `[]`). String class holding
  // the canonical encoding of formats/list_value.md (list_value.h). A list of
  // DECIMAL has no code: list literals widen DECIMAL elements to DOUBLE.
  // Codes 64..252 are DECIMAL(w,s) with 1 <= w <= 18, 0 <= s <= w: the type
  // code carries width and scale (formats/decimal.h); int64 class holding
  // value * 10^s. Not enumerators, so switches over TypeId need a default.
};

constexpr int kDecimalCodeFirst = 64;
constexpr int kDecimalCodeLast = 252;  // DECIMAL(18,18)
inline bool IsDecimal(TypeId t) {
  return static_cast<int>(t) >= kDecimalCodeFirst && static_cast<int>(t) <= kDecimalCodeLast;
}

constexpr int kListCodeFirst = 16;
constexpr int kListCodeLast = 31;
inline bool IsList(TypeId t) {
  return static_cast<int>(t) >= kListCodeFirst && static_cast<int>(t) <= kListCodeLast;
}
// True when LIST(t) has a code (scalar types 0..15, not DECIMAL, not a list).
inline bool CanBeListElement(TypeId t) { return static_cast<int>(t) < kListCodeFirst; }
// REQUIRES: CanBeListElement(element).
inline TypeId ListType(TypeId element) {
  return static_cast<TypeId>(kListCodeFirst + static_cast<int>(element));
}
// REQUIRES: IsList(list).
inline TypeId ListElementType(TypeId list) {
  return static_cast<TypeId>(static_cast<int>(list) - kListCodeFirst);
}

enum class PhysicalClass : uint8_t { kInt64, kDouble, kString };

PhysicalClass PhysicalClassOf(TypeId type);
inline bool IsIntegral(TypeId t) {
  return t == TypeId::kInteger || t == TypeId::kBigint || t == TypeId::kSmallint ||
         t == TypeId::kTinyint;
}
// Value range of an integral type (REQUIRES: IsIntegral(t)).
inline int64_t IntegralMin(TypeId t) {
  switch (t) {
    case TypeId::kTinyint: return -128;
    case TypeId::kSmallint: return -32768;
    case TypeId::kInteger: return -2147483648LL;
    default: return INT64_MIN;
  }
}
inline int64_t IntegralMax(TypeId t) {
  switch (t) {
    case TypeId::kTinyint: return 127;
    case TypeId::kSmallint: return 32767;
    case TypeId::kInteger: return 2147483647LL;
    default: return INT64_MAX;
  }
}
// Width rank for DuckDB's integer promotion: TINYINT 1 < SMALLINT 2 < INTEGER 3 <
// BIGINT 4; 0 for other types.
inline int IntegralRank(TypeId t) {
  switch (t) {
    case TypeId::kTinyint: return 1;
    case TypeId::kSmallint: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kBigint: return 4;
    default: return 0;
  }
}
inline bool IsNumeric(TypeId t) { return IsIntegral(t) || t == TypeId::kDouble || IsDecimal(t); }
// TIMESTAMP or TIMESTAMPTZ: microseconds since the epoch in the TIMESTAMP range.
inline bool IsTimestampType(TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kTimestampTz; }

// "BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP", "INTERVAL", "DATE",
// "TIMESTAMP WITH TIME ZONE", "SMALLINT", "TINYINT", "TIME", "BLOB", "UUID", "DECIMAL(18,3)", "INTEGER[]", "\"NULL\"[]".
std::string_view TypeName(TypeId type);

// Parses a SQL type name, case-insensitive, with DuckDB's aliases
// (INT, INT4, INT8, LONG, FLOAT8, REAL, FLOAT, TEXT, STRING, BOOL, DATETIME,
// TIMESTAMPTZ ...), and "DECIMAL(w,s)"/"NUMERIC(w)" with modifiers (bare
// DECIMAL is DECIMAL(18,3)), and "T[]" for a list of T. kInvalidArgument for
// unknown names.
Result<TypeId> ParseTypeName(std::string_view name);

struct Field {
  std::string name;
  TypeId type = TypeId::kNull;
  bool operator==(const Field&) const = default;
};

struct Schema {
  std::vector<Field> fields;

  size_t size() const { return fields.size(); }
  // Index of the column named `name` (case-insensitive), or -1.
  int FindField(std::string_view name) const;
  bool operator==(const Schema&) const = default;
};

// ASCII case-insensitive equality (SQL identifiers).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);

}  // namespace tsl
