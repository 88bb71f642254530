// Logical types, fields and schemas shared by every layer.
//
// Physical classes: BOOLEAN, INTEGER, BIGINT and TIMESTAMP live in memory as
// int64_t (TIMESTAMP = microseconds since 1970-01-01 UTC, BOOLEAN = 0/1,
// INTEGER range-checked to int32); DOUBLE as double; VARCHAR as std::string.
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
};

enum class PhysicalClass : uint8_t { kInt64, kDouble, kString };

PhysicalClass PhysicalClassOf(TypeId type);
inline bool IsIntegral(TypeId t) { return t == TypeId::kInteger || t == TypeId::kBigint; }
inline bool IsNumeric(TypeId t) { return IsIntegral(t) || t == TypeId::kDouble; }
// TIMESTAMP or TIMESTAMPTZ: microseconds since the epoch in the TIMESTAMP range.
inline bool IsTimestampType(TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kTimestampTz; }

// "BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP", "INTERVAL", "DATE",
// "TIMESTAMP WITH TIME ZONE".
std::string_view TypeName(TypeId type);

// Parses a SQL type name, case-insensitive, with DuckDB's aliases
// (INT, INT4, INT8, LONG, FLOAT8, REAL, FLOAT, TEXT, STRING, BOOL, DATETIME,
// TIMESTAMPTZ ...). kInvalidArgument for unknown names.
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
