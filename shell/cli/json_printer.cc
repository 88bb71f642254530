// json output (an array of objects, one per line, as DuckDB's -json) and
// jsonl (one object per line). Numbers and booleans are JSON numbers and
// booleans, NULL is null, timestamps and intervals are strings; a double
// that JSON cannot hold (nan, inf) is written as a string.
// Thread-safety: a pure function of its arguments.
#include <cmath>

#include "shell/cli/result_printer.h"

namespace tslake::cli {

namespace {

void WriteJsonString(const std::string& s, std::ostream& out) {
  static const char kHex[] = "0123456789abcdef";
  out << '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      case '\b': out << "\\b"; break;
      case '\f': out << "\\f"; break;
      default:
        if (c < 0x20) {
          out << "\\u00" << kHex[c >> 4] << kHex[c & 15];
        } else {
          out << ch;
        }
    }
  }
  out << '"';
}

void WriteJsonValue(const Result& result, int c, int64_t r, std::ostream& out) {
  if (result.IsNull(c, r)) {
    out << "null";
    return;
  }
  switch (result.column_type(c)) {
    case Type::kBoolean:
      out << (result.GetInt64(c, r) ? "true" : "false");
      return;
    case Type::kInteger:
    case Type::kBigint:
    case Type::kSmallint:
    case Type::kTinyint:
      out << result.GetInt64(c, r);
      return;
    case Type::kDecimal:  // a JSON number, exact as DuckDB prints it
      out << result.GetString(c, r);
      return;
    case Type::kDouble:
      if (std::isfinite(result.GetDouble(c, r))) {
        out << result.GetString(c, r);
      } else {
        WriteJsonString(result.GetString(c, r), out);
      }
      return;
    default:
      WriteJsonString(result.GetString(c, r), out);
  }
}

void WriteObject(const Result& result, int64_t r, std::ostream& out) {
  out << '{';
  for (int c = 0; c < result.column_count(); ++c) {
    if (c > 0) out << ',';
    WriteJsonString(result.column_name(c), out);
    out << ':';
    WriteJsonValue(result, c, r, out);
  }
  out << '}';
}

}  // namespace

void PrintJsonRows(const Result& result, bool lines, bool continued, std::ostream& out) {
  int64_t rows = result.row_count();
  for (int64_t r = 0; r < rows; ++r) {
    if (!lines && (r > 0 || continued)) out << ",\n";
    WriteObject(result, r, out);
    if (lines) out << '\n';
  }
}

void PrintJson(const Result& result, const OutputSettings& settings, bool lines, std::ostream& out) {
  (void)settings;
  if (!lines) out << '[';
  PrintJsonRows(result, lines, false, out);
  if (!lines) out << "]\n";
}

}  // namespace tslake::cli
