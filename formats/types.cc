// Type names and schema lookup. See types.h.
#include "formats/types.h"

#include <cctype>
#include <charconv>

#include "formats/decimal.h"

namespace tsl {

PhysicalClass PhysicalClassOf(TypeId type) {
  if (IsList(type)) return PhysicalClass::kString;
  switch (type) {
    case TypeId::kDouble: return PhysicalClass::kDouble;
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kUuid: return PhysicalClass::kString;
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
    case TypeId::kSmallint: return "SMALLINT";
    case TypeId::kTinyint: return "TINYINT";
    case TypeId::kTime: return "TIME";
    case TypeId::kBlob: return "BLOB";
    case TypeId::kUuid: return "UUID";
    default: break;
  }
  if (IsDecimal(type)) {
    // One name per code, built once (the names outlive every caller).
    static const std::vector<std::string>* const kNames = [] {
      auto* names = new std::vector<std::string>(kDecimalCodeLast - kDecimalCodeFirst + 1);
      for (int w = 1; w <= kMaxDecimalWidth; ++w)
        for (int s = 0; s <= w; ++s)
          (*names)[static_cast<size_t>(static_cast<int>(DecimalType(w, s)) - kDecimalCodeFirst)] =
              "DECIMAL(" + std::to_string(w) + "," + std::to_string(s) + ")";
      return names;
    }();
    return (*kNames)[static_cast<size_t>(static_cast<int>(type) - kDecimalCodeFirst)];
  }
  if (IsList(type)) {
    // DuckDB's names: INTEGER[], VARCHAR[], "NULL"[] (the type of `[]`).
    static const std::vector<std::string>* const kListNames = [] {
      auto* names = new std::vector<std::string>();
      for (int c = kListCodeFirst; c <= kListCodeLast; ++c) {
        const TypeId element = ListElementType(static_cast<TypeId>(c));
        names->push_back(element == TypeId::kNull ? "\"NULL\"[]"
                                                  : std::string(TypeName(element)) + "[]");
      }
      return names;
    }();
    return (*kListNames)[static_cast<size_t>(static_cast<int>(type) - kListCodeFirst)];
  }
  return "UNKNOWN";
}

Result<TypeId> ParseTypeName(std::string_view name) {
  std::string n = ToLower(name);
  // T[]: a list of T (blanks allowed before the brackets).
  if (n.size() > 2 && n.compare(n.size() - 2, 2, "[]") == 0) {
    std::string_view element = std::string_view(name).substr(0, name.size() - 2);
    while (!element.empty() && element.back() == ' ') element.remove_suffix(1);
    Result<TypeId> e = ParseTypeName(element);
    if (!e.ok()) return e;
    if (!CanBeListElement(*e) || *e == TypeId::kNull)
      return Status::InvalidArgument("unsupported list element type \"" + std::string(element) + "\"");
    return ListType(*e);
  }
  // DECIMAL(w[,s]) / NUMERIC(w[,s]): the modifiers, blanks allowed.
  if (const size_t open = n.find('('); open != std::string::npos && n.back() == ')') {
    std::string base = n.substr(0, open);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    if (base == "decimal" || base == "numeric" || base == "dec") {
      int64_t mods[2] = {0, 0};
      int count = 0;
      size_t i = open + 1;
      while (count < 2) {
        while (i < n.size() && n[i] == ' ') ++i;
        auto [ptr, ec] = std::from_chars(n.data() + i, n.data() + n.size(), mods[count]);
        if (ec != std::errc()) break;
        ++count;
        i = static_cast<size_t>(ptr - n.data());
        while (i < n.size() && n[i] == ' ') ++i;
        if (n[i] != ',') break;
        ++i;
      }
      if (count == 0 || i != n.size() - 1)
        return Status::InvalidArgument("unknown type \"" + std::string(name) + "\"");
      return MakeDecimalType(mods[0], count == 2 ? mods[1] : 0);
    }
  }
  if (n == "decimal" || n == "numeric" || n == "dec")
    return DecimalType(kDefaultDecimalWidth, kDefaultDecimalScale);
  if (n == "boolean" || n == "bool" || n == "logical") return TypeId::kBoolean;
  if (n == "integer" || n == "int" || n == "int4" || n == "int32" || n == "signed")
    return TypeId::kInteger;
  if (n == "smallint" || n == "int2" || n == "short" || n == "int16") return TypeId::kSmallint;
  if (n == "tinyint" || n == "int1") return TypeId::kTinyint;
  if (n == "time" || n == "time without time zone") return TypeId::kTime;
  if (n == "blob" || n == "bytea" || n == "binary" || n == "varbinary") return TypeId::kBlob;
  if (n == "uuid") return TypeId::kUuid;
  if (n == "bigint" || n == "int8" || n == "long" || n == "int64") return TypeId::kBigint;
  if (n == "double" || n == "float8" || n == "float" || n == "real" || n == "float4" ||
      n == "double precision")
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
