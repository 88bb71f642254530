// JsonlReader: schema inference from a sample, then one simdjson DOM parse
// per line (see jsonl_reader.h). Thread-safety: one thread.
#include "ingest/jsonl_reader.h"

#include <simdjson.h>

#include <limits>

#include "ingest/text_parsers.h"

namespace tsl {
namespace {

using simdjson::dom::element_type;

// The type a sampled value suggests (kNull: no information).
TypeId SampleType(simdjson::dom::element v) {
  switch (v.type()) {
    case element_type::INT64:
    case element_type::UINT64:
      return TypeId::kBigint;
    case element_type::DOUBLE:
      return TypeId::kDouble;
    case element_type::BOOL:
      return TypeId::kBoolean;
    case element_type::NULL_VALUE:
      return TypeId::kNull;
    case element_type::STRING: {
      std::string_view s = v.get_string().value_unsafe();
      int64_t ts;
      // DuckDB's read_json: "YYYY-MM-DD" is a DATE, a full timestamp a
      // TIMESTAMP (a column with both becomes VARCHAR in MergeTypes, as there).
      if (ParseDateText(s, &ts)) return TypeId::kDate;
      return ParseTimestampText(s, &ts) ? TypeId::kTimestamp : TypeId::kVarchar;
    }
    default:
      return TypeId::kVarchar;
  }
}

TypeId MergeTypes(TypeId a, TypeId b) {
  if (a == TypeId::kNull) return b;
  if (b == TypeId::kNull || a == b) return a;
  if ((a == TypeId::kBigint && b == TypeId::kDouble) || (a == TypeId::kDouble && b == TypeId::kBigint))
    return TypeId::kDouble;
  return TypeId::kVarchar;
}

// Converts `v` for a column of `type` into `col`; "" or the reason.
std::string AppendJson(simdjson::dom::element v, TypeId type, ColumnVector* col) {
  const element_type t = v.type();
  if (t == element_type::NULL_VALUE) {
    col->AppendNull();
    return "";
  }
  if (t == element_type::STRING && type != TypeId::kVarchar) {
    std::string_view s = v.get_string().value_unsafe();
    if (AppendParsedValue(s, type, col)) return "";
    return "\"" + std::string(s) + "\" is not a " + std::string(TypeName(type));
  }
  switch (type) {
    case TypeId::kVarchar:
      if (t == element_type::STRING) col->AppendString(std::string(v.get_string().value_unsafe()));
      else col->AppendString(simdjson::minify(v));
      return "";
    case TypeId::kBoolean:
      if (t == element_type::BOOL) {
        col->AppendInt(v.get_bool().value_unsafe() ? 1 : 0);
        return "";
      }
      break;
    case TypeId::kBigint:
    case TypeId::kInteger: {
      int64_t i = 0;
      bool ok = false;
      if (t == element_type::INT64) {
        i = v.get_int64().value_unsafe();
        ok = true;
      } else if (t == element_type::DOUBLE) {
        double d = v.get_double().value_unsafe();
        // Range first: casting a double outside int64 is undefined.
        ok = d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
             d == static_cast<double>(static_cast<int64_t>(d));
        if (ok) i = static_cast<int64_t>(d);
      } else if (t == element_type::BOOL) {
        i = v.get_bool().value_unsafe() ? 1 : 0;
        ok = true;
      }
      if (ok && type == TypeId::kInteger &&
          (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()))
        ok = false;
      if (ok) {
        col->AppendInt(i);
        return "";
      }
      break;
    }
    case TypeId::kDouble: {
      double d;
      if (v.get(d) == simdjson::SUCCESS) {  // any number
        col->AppendDouble(d);
        return "";
      }
      if (t == element_type::BOOL) {
        col->AppendDouble(v.get_bool().value_unsafe() ? 1 : 0);
        return "";
      }
      break;
    }
    default:
      break;
  }
  return simdjson::minify(v) + " is not a " + std::string(TypeName(type));
}

}  // namespace

struct JsonlReader::Parsed {
  simdjson::dom::parser parser;
};

Result<Schema> ParseColumnList(const std::string& function, std::string_view text) {
  Schema schema;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = TrimBlanks(text.substr(pos, end - pos));
    pos = end + 1;
    if (part.empty()) {
      if (end == text.size() && !schema.fields.empty()) break;
      return Status::InvalidArgument(function + ": columns '" + std::string(text) +
                                     "' has an empty entry; expected 'name TYPE, name TYPE'");
    }
    size_t sp = part.find_first_of(" \t");
    if (sp == std::string_view::npos)
      return Status::InvalidArgument(function + ": column \"" + std::string(part) +
                                     "\" has no type; expected 'name TYPE, name TYPE'");
    std::string name(part.substr(0, sp));
    Result<TypeId> type = ParseTypeName(TrimBlanks(part.substr(sp + 1)));
    if (!type.ok())
      return Status::InvalidArgument(function + ": column \"" + name + "\": " +
                                     type.status().message());
    if (schema.FindField(name) >= 0)
      return Status::InvalidArgument(function + ": column \"" + name + "\" is listed twice");
    schema.fields.push_back({name, *type});
  }
  return schema;
}

JsonlReader::JsonlReader(std::string path, Schema schema, std::unique_ptr<LineReader> lines)
    : path_(std::move(path)),
      schema_(std::move(schema)),
      lines_(std::move(lines)),
      parsed_(std::make_unique<Parsed>()) {
  for (size_t i = 0; i < schema_.size(); ++i) {
    exact_.emplace(schema_.fields[i].name, static_cast<int>(i));
    lower_.emplace(ToLower(schema_.fields[i].name), static_cast<int>(i));
  }
  seen_.assign(schema_.size(), 0);
}

JsonlReader::~JsonlReader() = default;

Result<std::unique_ptr<JsonlReader>> JsonlReader::Open(const std::string& path,
                                                       JsonlOptions options) {
  Schema schema;
  if (options.columns) {
    schema = *options.columns;
  } else if (options.target_schema) {
    schema = *options.target_schema;
  } else {
    ASSIGN_OR_RETURN(std::unique_ptr<LineReader> sample, LineReader::Open(path));
    simdjson::dom::parser parser;
    std::vector<TypeId> types;
    size_t seen = 0;
    std::string_view line;
    for (;;) {
      if (seen >= options.sample_lines) break;
      ASSIGN_OR_RETURN(bool more, sample->Next(&line));
      if (!more) break;
      if (TrimBlanks(line).empty()) continue;
      ++seen;
      simdjson::dom::object obj;
      if (parser.parse(line.data(), line.size(), true).get(obj) != simdjson::SUCCESS)
        continue;  // rejected when read
      for (auto field : obj) {
        std::string key(field.key);
        int idx = schema.FindField(key);
        if (idx < 0) {
          schema.fields.push_back({key, TypeId::kNull});
          types.push_back(TypeId::kNull);
          idx = static_cast<int>(types.size()) - 1;
        }
        types[static_cast<size_t>(idx)] = MergeTypes(types[static_cast<size_t>(idx)],
                                                     SampleType(field.value));
      }
    }
    if (schema.fields.empty())
      return Status::InvalidArgument(
          "read_jsonl: " + path + ": no JSON object in its first " +
          std::to_string(options.sample_lines) +
          " lines to infer columns from; give them with columns => 'ts TIMESTAMP, tag VARCHAR, "
          "value DOUBLE'");
    for (size_t i = 0; i < types.size(); ++i)
      schema.fields[i].type = types[i] == TypeId::kNull ? TypeId::kVarchar : types[i];
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open(path));
  return std::unique_ptr<JsonlReader>(new JsonlReader(path, std::move(schema), std::move(lines)));
}

std::vector<RejectedRow> JsonlReader::TakeRejects() {
  std::vector<RejectedRow> out;
  out.swap(rejects_);
  return out;
}

std::string JsonlReader::AppendLine(std::string_view line, DataChunk* out) {
  simdjson::dom::element el;
  simdjson::error_code err = parsed_->parser.parse(line.data(), line.size(), true).get(el);
  if (err != simdjson::SUCCESS) return std::string("malformed JSON: ") + simdjson::error_message(err);
  simdjson::dom::object obj;
  if (el.get(obj) != simdjson::SUCCESS) return "the line is not a JSON object";
  const size_t n = out->size();
  std::fill(seen_.begin(), seen_.end(), 0);
  std::string reason;
  for (auto field : obj) {
    int idx = -1;
    if (auto it = exact_.find(std::string(field.key)); it != exact_.end()) {
      idx = it->second;
    } else if (auto lit = lower_.find(ToLower(field.key)); lit != lower_.end()) {
      idx = lit->second;
    }
    if (idx < 0) continue;
    const size_t c = static_cast<size_t>(idx);
    if (seen_[c]) continue;  // a repeated key: the first one counts
    seen_[c] = 1;
    reason = AppendJson(field.value, schema_.fields[c].type, &out->columns[c]);
    if (!reason.empty()) {
      reason = "column \"" + schema_.fields[c].name + "\": " + reason;
      break;
    }
  }
  if (reason.empty()) {
    for (size_t c = 0; c < seen_.size(); ++c)
      if (!seen_[c]) out->columns[c].AppendNull();
    return "";
  }
  for (ColumnVector& col : out->columns) col.Resize(n);
  return reason;
}

Result<bool> JsonlReader::Next(DataChunk* out) {
  std::vector<TypeId> types;
  for (const Field& f : schema_.fields) types.push_back(f.type);
  out->Initialize(types);
  std::string_view line;
  while (out->size() < kVectorSize) {
    ASSIGN_OR_RETURN(bool more, lines_->Next(&line));
    if (!more) break;
    if (TrimBlanks(line).empty()) continue;
    std::string reason = AppendLine(line, out);
    if (!reason.empty()) {
      ++rejected_;
      rejects_.push_back(RejectedRow{path_, lines_->line_number(), "",
                                     std::string(line.substr(0, kMaxRejectRawBytes)), reason});
    }
  }
  return out->size() > 0;
}

}  // namespace tsl
