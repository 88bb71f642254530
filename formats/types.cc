// Type names and schema lookup. See types.h.
#include "formats/types.h"

#include <cctype>

namespace tsl {

PhysicalClass PhysicalClassOf(TypeId type) {
  switch (type) {
    case TypeId::kDouble: return PhysicalClass::kDouble;
    case TypeId::kVarchar: return PhysicalClass::kString;
    default: return PhysicalClass::kInt64;
  }
}

std::string_view TypeName(TypeId type) {
  switch (type) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kInteger: return "INTEGER";
    case TypeId::kBigint: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kVarchar: return "VARCHAR";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kInterval: return "INTERVAL";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestampTz: return "TIMESTAMP WITH TIME ZONE";
  }
  return "UNKNOWN";
}

Result<TypeId> ParseTypeName(std::string_view name) {
  std::string n = ToLower(name);
  if (n == "boolean" || n == "bool" || n == "logical") return TypeId::kBoolean;
  if (n == "integer" || n == "int" || n == "int4" || n == "int32" || n == "signed" ||
      n == "smallint" || n == "int2" || n == "tinyint" || n == "int1")
    return TypeId::kInteger;
  if (n == "bigint" || n == "int8" || n == "long" || n == "int64") return TypeId::kBigint;
  if (n == "double" || n == "float8" || n == "float" || n == "real" || n == "float4" ||
      n == "numeric" || n == "decimal" || n == "double precision")
    return TypeId::kDouble;
  if (n == "varchar" || n == "text" || n == "string" || n == "char" || n == "bpchar")
    return TypeId::kVarchar;
  if (n == "timestamp" || n == "datetime" || n == "timestamp_us" || n == "timestamp without time zone")
    return TypeId::kTimestamp;
  if (n == "timestamptz" || n == "timestamp with time zone") return TypeId::kTimestampTz;
  if (n == "interval") return TypeId::kInterval;
  if (n == "date") return TypeId::kDate;
  return Status::InvalidArgument("unknown type \"" + std::string(name) + "\"");
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int Schema::FindField(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (EqualsIgnoreCase(fields[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tsl
