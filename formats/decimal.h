// DECIMAL(p,s) values: an int64 holding value * 10^s, DuckDB's physical
// layout for widths up to 18 (its int64 decimals). Widths 19..38 (DuckDB's
// int128 decimals) are not supported: ParseDecimalType refuses them with a
// clear error. The width and scale are carried in the TypeId itself (codes
// kDecimalFirst..kDecimalLast, formats/types.h), so every layer that passes
// a TypeId passes the full type. Text, double and integer conversions with
// DuckDB's rounding (half away from zero) and messages. Thread-safe (pure).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

constexpr int kMaxDecimalWidth = 18;
// DuckDB's DECIMAL without modifiers.
constexpr int kDefaultDecimalWidth = 18;
constexpr int kDefaultDecimalScale = 3;

// 10^n for n in 0..18.
int64_t Pow10(int n);

// The DECIMAL(width, scale) type; kInvalidArgument with DuckDB's binder
// wording for a bad width or scale ("DECIMAL type width must be between 1
// and 38"), and a tslake message for widths 19..38.
Result<TypeId> MakeDecimalType(int64_t width, int64_t scale);
// REQUIRES: 1 <= width <= 18, 0 <= scale <= width.
TypeId DecimalType(int width, int scale);
int DecimalWidth(TypeId t);   // REQUIRES: IsDecimal(t)
int DecimalScale(TypeId t);   // REQUIRES: IsDecimal(t)
// The integer digits DuckDB's DECIMAL rules give a numeric type: its width
// minus scale for a DECIMAL, TINYINT 3, SMALLINT 5, INTEGER 10, BIGINT 19.
inline int DecimalIntegerDigits(TypeId t) {
  if (IsDecimal(t)) return DecimalWidth(t) - DecimalScale(t);
  switch (t) {
    case TypeId::kTinyint: return 3;
    case TypeId::kSmallint: return 5;
    case TypeId::kBigint: return 19;
    default: return 10;
  }
}

// "-1.50" for raw -150 at scale 2; "0.5" for 5 at scale 1 (DuckDB's text).
std::string FormatDecimal(int64_t raw, int scale);

// DuckDB's string -> DECIMAL(w,s): blanks around, sign, digits with an
// optional point and an optional exponent; extra fraction digits round half
// away from zero. kInvalidArgument "Could not convert string "x" to
// DECIMAL(w,s)" for bad text or a value that does not fit.
Result<int64_t> ParseDecimal(std::string_view text, TypeId type);
// A double's value at the type's scale, rounded half away from zero;
// kInvalidArgument "Could not cast value 12345.000000 to DECIMAL(4,1)".
Result<int64_t> DoubleToDecimal(double d, TypeId type);
// An integer (BOOLEAN, INTEGER, BIGINT) as DECIMAL; kInvalidArgument
// "Could not cast value 12345 to DECIMAL(4,1)" when it does not fit.
Result<int64_t> IntegerToDecimal(int64_t v, TypeId type);
// Rescales from one DECIMAL to another (half away from zero);
// kInvalidArgument "Casting value "123.45" to type DECIMAL(3,1) failed:
// value is out of range!".
Result<int64_t> RescaleDecimal(int64_t raw, TypeId from, TypeId to);
// The integer nearest the decimal (half away from zero).
int64_t DecimalToInteger(int64_t raw, int scale);
double DecimalToDouble(int64_t raw, int scale);
// True when |raw| < 10^width.
bool DecimalFits(int64_t raw, int width);

}  // namespace tsl
