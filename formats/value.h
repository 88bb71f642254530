// Value: one typed scalar, possibly NULL. Used for literals, stats (zone-map
// min/max), parameters and row-at-a-time paths that are not hot.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>

#include "formats/types.h"

namespace tsl {

class Value {
 public:
  Value() = default;  // NULL of type kNull
  static Value Null(TypeId type = TypeId::kNull) { Value v; v.type_ = type; return v; }
  static Value Boolean(bool b) { return Value(TypeId::kBoolean, b ? 1 : 0); }
  static Value Integer(int32_t i) { return Value(TypeId::kInteger, i); }
  static Value Bigint(int64_t i) { return Value(TypeId::kBigint, i); }
  static Value Timestamp(int64_t micros) { return Value(TypeId::kTimestamp, micros); }
  static Value Interval(int64_t micros) { return Value(TypeId::kInterval, micros); }
  static Value Date(int64_t days) { return Value(TypeId::kDate, days); }  // formats/date.h
  // TIMESTAMP WITH TIME ZONE: UTC microseconds (formats/time_zone.h).
  static Value TimestampTz(int64_t micros) { return Value(TypeId::kTimestampTz, micros); }
  static Value Double(double d) { Value v; v.type_ = TypeId::kDouble; v.null_ = false; v.d_ = d; return v; }
  static Value Varchar(std::string s) { Value v; v.type_ = TypeId::kVarchar; v.null_ = false; v.s_ = std::move(s); return v; }
  // A LIST value: `bytes` is its canonical encoding (formats/list_value.h).
  static Value List(TypeId list_type, std::string bytes) {
    Value v; v.type_ = list_type; v.null_ = false; v.s_ = std::move(bytes); return v;
  }
  // Any string-class type: VARCHAR text or a LIST's encoding.
  static Value FromString(TypeId type, std::string s) {
    Value v; v.type_ = type; v.null_ = false; v.s_ = std::move(s); return v;
  }
  // Any int64-class type (BOOLEAN, INTEGER, BIGINT, TIMESTAMP, INTERVAL, DATE,
  // DECIMAL: the value * 10^scale, formats/decimal.h).
  static Value FromInt(TypeId type, int64_t i) { return Value(type, i); }

  TypeId type() const { return type_; }
  bool is_null() const { return null_; }
  int64_t int_value() const { return i_; }      // REQUIRES: int64 class, not null
  double double_value() const { return d_; }    // REQUIRES: DOUBLE, not null
  const std::string& string_value() const { return s_; }  // REQUIRES: string class
  bool bool_value() const { return i_ != 0; }
  // Numeric value as double (INTEGER/BIGINT/DOUBLE/TIMESTAMP).
  double AsDouble() const;

  // Text as DuckDB prints it: NULL, true/false, 2.5, 2024-01-01 00:00:00.
  std::string ToString() const;

  // Casts to `target` with DuckDB's rules (VARCHAR parses; DOUBLE->INTEGER
  // rounds; overflow is an error). kInvalidArgument names both types.
  Result<Value> CastTo(TypeId target) const;

  // Total order within one type class; NULL sorts first. Numeric types
  // compare by value across INTEGER/BIGINT/DOUBLE.
  int Compare(const Value& other) const;
  bool operator==(const Value& o) const { return null_ == o.null_ && (null_ || Compare(o) == 0); }

 private:
  Result<Value> CastDecimal(TypeId target) const;
  Value(TypeId t, int64_t i) : type_(t), null_(false), i_(i) {}
  TypeId type_ = TypeId::kNull;
  bool null_ = true;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
};

// DuckDB's shortest round-trip text for a double ("2.5", "0.1", "1e+20",
// "inf", "nan").
std::string FormatDouble(double d);

}  // namespace tsl
