// Log action (de)serialization: the JSON encoding specified in
// formats/log.md. Serialization never fails (invalid UTF-8 is replaced);
// parsing is strict about required fields and their JSON types and reports
// kCorruption with the file name and 1-based line number, but skips unknown
// keys and unknown action types so newer writers stay readable.
// Serialization uses nlohmann::json; parsing uses simdjson's DOM parser
// (a log open parses tens of thousands of add lines), through its
// error-code API only, so no exceptions escape.
// Thread-safety: pure functions (parsing keeps one simdjson parser per
// thread, reused across calls).
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "formats/log_action.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/timestamp.h"
#include "formats/value.h"

namespace tsl {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A Value as a JSON stats value; discarded (is_discarded()) when the value
// has no exact JSON form (NULL, NaN, infinities): such bounds are simply
// omitted, which only makes pruning more conservative.
Json ValueToJson(const Value& v) {
  if (v.is_null()) return Json(Json::value_t::discarded);
  switch (v.type()) {
    case TypeId::kBoolean: return Json(v.bool_value());
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
    case TypeId::kTime:  // microseconds since midnight
    case TypeId::kInterval: return Json(v.int_value());
    case TypeId::kUuid: return Json(v.string_value());
    // BLOB: raw bytes have no JSON text; no bounds (no pruning on BLOBs).
    case TypeId::kDouble:
      if (!std::isfinite(v.double_value())) return Json(Json::value_t::discarded);
      return Json(v.double_value());
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return Json(FormatTimestampIso(v.int_value()));
    case TypeId::kDate: return Json(FormatDateIso(v.int_value()));
    case TypeId::kVarchar: return Json(v.string_value());
    case TypeId::kNull: break;
    default:
      // DECIMAL: its exact text (a JSON number would round through double
      // and could misplace a zone-map bound).
      if (IsDecimal(v.type())) return Json(v.ToString());
      break;
  }
  return Json(Json::value_t::discarded);
}

Json StringMapToJson(const std::map<std::string, std::string>& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

Json StatsToJson(const FileStats& s) {
  Json j = Json::object();
  if (s.num_records >= 0) j["numRecords"] = s.num_records;
  Json mins = Json::object(), maxs = Json::object(), nulls = Json::object();
  for (const auto& [k, v] : s.min_values) {
    Json x = ValueToJson(v);
    if (!x.is_discarded()) mins[k] = std::move(x);
  }
  for (const auto& [k, v] : s.max_values) {
    Json x = ValueToJson(v);
    if (!x.is_discarded()) maxs[k] = std::move(x);
  }
  for (const auto& [k, v] : s.null_count) nulls[k] = v;
  j["minValues"] = std::move(mins);
  j["maxValues"] = std::move(maxs);
  j["nullCount"] = std::move(nulls);
  return j;
}

constexpr const char* kPhysicalNameKey = "tslake.physicalName";

// Fields as Delta's schemaString lists them; a physical name that differs
// from the field's name goes in the field's metadata (column mapping).
Json SchemaToJson(const Schema& schema, const std::vector<std::string>& physical_names) {
  Json fields = Json::array();
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& f = schema.fields[i];
    Json j{{"name", f.name}, {"type", std::string(TypeName(f.type))}};
    if (i < physical_names.size() && physical_names[i] != f.name)
      j["metadata"] = Json{{kPhysicalNameKey, physical_names[i]}};
    fields.push_back(std::move(j));
  }
  return fields;
}

Json ActionToJson(const LogAction& action) {
  Json out = Json::object();
  if (const auto* p = std::get_if<ProtocolAction>(&action)) {
    out["protocol"] = Json{{"minReaderVersion", p->min_reader_version},
                           {"minWriterVersion", p->min_writer_version}};
  } else if (const auto* m = std::get_if<MetaDataAction>(&action)) {
    Json j = Json::object();
    j["id"] = m->id;
    j["name"] = m->name;
    j["format"] = Json{{"provider", "tslake-segment"}, {"options", Json::object()}};
    j["schemaString"] = Dump(SchemaToJson(m->schema, m->physical_names));
    j["partitionColumns"] = m->partition_columns;
    j["configuration"] = StringMapToJson(m->configuration);
    j["createdTime"] = m->created_time;
    out["metaData"] = std::move(j);
  } else if (const auto* a = std::get_if<AddAction>(&action)) {
    Json j = Json::object();
    j["path"] = a->path;
    j["partitionValues"] = StringMapToJson(a->partition_values);
    j["size"] = a->size;
    j["modificationTime"] = a->modification_time;
    j["dataChange"] = a->data_change;
    if (a->stats.num_records >= 0) j["stats"] = Dump(StatsToJson(a->stats));
    out["add"] = std::move(j);
  } else if (const auto* r = std::get_if<RemoveAction>(&action)) {
    out["remove"] = Json{{"path", r->path},
                         {"deletionTimestamp", r->deletion_timestamp},
                         {"dataChange", r->data_change}};
  } else if (const auto* c = std::get_if<CommitInfoAction>(&action)) {
    Json j = Json::object();
    j["timestamp"] = c->timestamp;
    j["operation"] = c->operation;
    j["operationParameters"] = StringMapToJson(c->operation_parameters);
    if (c->read_version) j["readVersion"] = *c->read_version;
    j["isBlindAppend"] = c->is_blind_append;
    j["operationMetrics"] = StringMapToJson(c->operation_metrics);
    out["commitInfo"] = std::move(j);
  } else if (const auto* t = std::get_if<TxnAction>(&action)) {
    out["txn"] = Json{{"appId", t->app_id}, {"version", t->version},
                      {"lastUpdated", t->last_updated}};
  }
  return out;
}

// ---- Parsing (simdjson DOM; a log file is parsed one line at a time, each
// line a view into one padded copy of the file, so no per-line copy).

using JElement = simdjson::dom::element;
using JType = simdjson::dom::element_type;

// Where an error is: "<file> line <n>: <path>", built only on error.
struct Location {
  std::string_view file;
  size_t line = 0;
};

// Reads typed fields of one JSON object, producing kCorruption messages of
// the form "<file> line <n>: <action>.<field> ...".
class FieldReader {
 public:
  FieldReader(simdjson::dom::object obj, const Location* loc, std::string path)
      : obj_(obj), loc_(loc), path_(std::move(path)) {}

  std::string where() const {
    return std::string(loc_->file) + " line " + std::to_string(loc_->line) + ": " + path_;
  }
  const Location* loc() const { return loc_; }
  const std::string& path() const { return path_; }
  Status Error(const std::string& msg) const { return Status::Corruption(where() + ": " + msg); }

  // The field's value; nullopt when absent.
  std::optional<JElement> Find(std::string_view key) const {
    JElement e;
    if (obj_.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
    return e;
  }
  // Absent or JSON null.
  std::optional<JElement> FindNonNull(std::string_view key) const {
    std::optional<JElement> e = Find(key);
    if (e && e->is_null()) return std::nullopt;
    return e;
  }
  Status Missing(const char* key) const {
    return Error(std::string("missing required field \"") + key + "\"");
  }
  Status WrongType(const char* key, const char* expected) const {
    return Error(std::string("field \"") + key + "\" must be " + expected);
  }

  Status Int(const char* key, bool required, int64_t* out) const {
    std::optional<JElement> j = FindNonNull(key);
    if (!j) return required ? Missing(key) : Status::OK();
    if (j->type() == JType::INT64) {
      *out = j->get_int64().value_unsafe();
      return Status::OK();
    }
    if (j->type() == JType::UINT64) return WrongType(key, "an integer within int64 range");
    return WrongType(key, "an integer");
  }
  Status Int32(const char* key, bool required, int* out) const {
    int64_t v = *out;
    RETURN_IF_ERROR(Int(key, required, &v));
    if (v < INT32_MIN || v > INT32_MAX) return WrongType(key, "a 32-bit integer");
    *out = static_cast<int>(v);
    return Status::OK();
  }
  Status Str(const char* key, bool required, std::string* out) const {
    std::optional<JElement> j = FindNonNull(key);
    if (!j) return required ? Missing(key) : Status::OK();
    std::string_view s;
    if (j->get_string().get(s) != simdjson::SUCCESS) return WrongType(key, "a string");
    out->assign(s.data(), s.size());
    return Status::OK();
  }
  Status Bool(const char* key, bool required, bool* out) const {
    std::optional<JElement> j = FindNonNull(key);
    if (!j) return required ? Missing(key) : Status::OK();
    if (j->get_bool().get(*out) != simdjson::SUCCESS) return WrongType(key, "true or false");
    return Status::OK();
  }
  // A JSON object whose values become strings (non-string values are kept
  // as their JSON text, as Delta readers do for operationParameters).
  Status StrMap(const char* key, bool required, std::map<std::string, std::string>* out) const {
    std::optional<JElement> j = FindNonNull(key);
    if (!j) return required ? Missing(key) : Status::OK();
    simdjson::dom::object obj;
    if (j->get_object().get(obj) != simdjson::SUCCESS) return WrongType(key, "an object");
    for (simdjson::dom::key_value_pair kv : obj) {
      std::string_view s;
      if (kv.value.get_string().get(s) == simdjson::SUCCESS) {
        (*out)[std::string(kv.key)] = std::string(s);
      } else {
        (*out)[std::string(kv.key)] = simdjson::minify(kv.value);
      }
    }
    return Status::OK();
  }
  Status StrList(const char* key, bool required, std::vector<std::string>* out) const {
    std::optional<JElement> j = FindNonNull(key);
    if (!j) return required ? Missing(key) : Status::OK();
    simdjson::dom::array arr;
    if (j->get_array().get(arr) != simdjson::SUCCESS) return WrongType(key, "an array of strings");
    for (JElement e : arr) {
      std::string_view s;
      if (e.get_string().get(s) != simdjson::SUCCESS) return WrongType(key, "an array of strings");
      out->emplace_back(s);
    }
    return Status::OK();
  }

 private:
  simdjson::dom::object obj_;
  const Location* loc_;
  std::string path_;
};

// Parsers reused across calls on one thread (a parser keeps its buffers).
struct Parsers {
  simdjson::dom::parser line;
  simdjson::dom::parser nested;  // JSON held in a string field (stats, schemaString)
  std::string nested_buf;        // padded copy of that string
};
Parsers& ThreadParsers() {
  thread_local Parsers p;
  return p;
}

// Parses JSON text held in a string field; the element is valid until the
// next ParseNested on this thread.
simdjson::error_code ParseNested(std::string_view text, JElement* out) {
  Parsers& p = ThreadParsers();
  p.nested_buf.assign(text.data(), text.size());
  p.nested_buf.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  return p.nested.parse(p.nested_buf.data(), text.size(), false).get(*out);
}

// `physical_names` (nullable) receives each field's physical name; it is
// left empty when every physical name equals its field's name.
Result<Schema> ParseSchemaFields(JElement fields, const FieldReader& r,
                                 std::vector<std::string>* physical_names = nullptr) {
  simdjson::dom::array arr;
  if (fields.get_array().get(arr) != simdjson::SUCCESS)
    return r.Error("schema must be an array of {\"name\", \"type\"}");
  Schema schema;
  std::vector<std::string> physical;
  bool mapped = false;
  for (JElement f : arr) {
    simdjson::dom::object fo;
    if (f.get_object().get(fo) != simdjson::SUCCESS)
      return r.Error("schema field must be an object");
    FieldReader fr(fo, r.loc(), r.path() + ": schema field " + std::to_string(schema.size()));
    Field field;
    std::string type;
    RETURN_IF_ERROR(fr.Str("name", true, &field.name));
    RETURN_IF_ERROR(fr.Str("type", true, &type));
    Result<TypeId> t = ParseTypeName(type);
    if (!t.ok()) return fr.Error("unknown type \"" + type + "\"");
    field.type = *t;
    std::string phys = field.name;
    if (std::optional<JElement> md = fr.FindNonNull("metadata")) {
      simdjson::dom::object mo;
      if (md->get_object().get(mo) != simdjson::SUCCESS)
        return fr.WrongType("metadata", "an object");
      FieldReader mr(mo, fr.loc(), fr.path() + ": metadata");
      RETURN_IF_ERROR(mr.Str(kPhysicalNameKey, false, &phys));
      if (phys.empty()) return mr.Error(std::string(kPhysicalNameKey) + " is empty");
      mapped = mapped || phys != field.name;
    }
    physical.push_back(std::move(phys));
    schema.fields.push_back(std::move(field));
  }
  for (size_t i = 0; i < physical.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (EqualsIgnoreCase(physical[i], physical[j]))
        return r.Error("two schema fields share the physical name \"" + physical[i] + "\"");
  if (physical_names != nullptr && mapped) *physical_names = std::move(physical);
  return schema;
}

Result<Value> JsonToValue(JElement j, const FieldReader& r, std::string_view key) {
  switch (j.type()) {
    case JType::BOOL: return Value::Boolean(j.get_bool().value_unsafe());
    case JType::INT64: return Value::Bigint(j.get_int64().value_unsafe());
    case JType::UINT64:
      return r.Error("stats value for \"" + std::string(key) + "\" is out of int64 range");
    case JType::DOUBLE: return Value::Double(j.get_double().value_unsafe());
    case JType::STRING: return Value::Varchar(std::string(j.get_string().value_unsafe()));
    default: break;
  }
  return r.Error("stats value for \"" + std::string(key) +
                 "\" must be a number, string or boolean");
}

// `obj` is the stats object: parsed from the `stats` string of a version
// file, or inline in a checkpoint (format 2).
Result<FileStats> ParseStats(simdjson::dom::object obj, const FieldReader& outer) {
  FieldReader r(obj, outer.loc(), outer.path() + ": add.stats");
  FileStats s;
  s.num_records = -1;
  RETURN_IF_ERROR(r.Int("numRecords", false, &s.num_records));
  for (auto [key, dest] : {std::pair{"minValues", &s.min_values},
                           std::pair{"maxValues", &s.max_values}}) {
    std::optional<JElement> m = r.FindNonNull(key);
    if (!m) continue;
    simdjson::dom::object mo;
    if (m->get_object().get(mo) != simdjson::SUCCESS) return r.WrongType(key, "an object");
    dest->reserve(mo.size());
    for (simdjson::dom::key_value_pair kv : mo) {
      if (kv.value.is_null()) continue;
      ASSIGN_OR_RETURN(Value v, JsonToValue(kv.value, r, kv.key));
      (*dest)[std::string(kv.key)] = std::move(v);
    }
  }
  if (std::optional<JElement> n = r.FindNonNull("nullCount")) {
    simdjson::dom::object no;
    if (n->get_object().get(no) != simdjson::SUCCESS) return r.WrongType("nullCount", "an object");
    s.null_count.reserve(no.size());
    for (simdjson::dom::key_value_pair kv : no) {
      int64_t c = 0;
      if (kv.value.type() != JType::INT64 || kv.value.get_int64().get(c))
        return r.Error("nullCount of \"" + std::string(kv.key) + "\" must be an integer");
      s.null_count[std::string(kv.key)] = c;
    }
  }
  return s;
}

Result<LogAction> ParseProtocol(const FieldReader& r) {
  ProtocolAction p;
  RETURN_IF_ERROR(r.Int32("minReaderVersion", true, &p.min_reader_version));
  RETURN_IF_ERROR(r.Int32("minWriterVersion", true, &p.min_writer_version));
  return LogAction(p);
}

Result<LogAction> ParseMetaData(const FieldReader& r) {
  MetaDataAction m;
  RETURN_IF_ERROR(r.Str("id", true, &m.id));
  RETURN_IF_ERROR(r.Str("name", false, &m.name));
  std::optional<JElement> format = r.Find("format");
  if (!format) return r.Missing("format");
  simdjson::dom::object fo;
  if (format->get_object().get(fo) != simdjson::SUCCESS) return r.WrongType("format", "an object");
  std::string provider;
  RETURN_IF_ERROR(FieldReader(fo, r.loc(), r.path() + ": format").Str("provider", true, &provider));
  if (provider != "tslake-segment")
    return r.Error("format.provider \"" + provider + "\" is not \"tslake-segment\"");
  if (std::optional<JElement> ss = r.Find("schemaString")) {
    std::string_view text;
    if (ss->get_string().get(text) != simdjson::SUCCESS)
      return r.WrongType("schemaString", "a string");
    JElement fields;
    if (ParseNested(text, &fields) != simdjson::SUCCESS)
      return r.Error("schemaString is not valid JSON");
    ASSIGN_OR_RETURN(m.schema, ParseSchemaFields(fields, r, &m.physical_names));
  } else if (std::optional<JElement> sc = r.Find("schema")) {
    ASSIGN_OR_RETURN(m.schema, ParseSchemaFields(*sc, r, &m.physical_names));
  } else {
    return r.Missing("schemaString");
  }
  RETURN_IF_ERROR(r.StrList("partitionColumns", true, &m.partition_columns));
  RETURN_IF_ERROR(r.StrMap("configuration", true, &m.configuration));
  RETURN_IF_ERROR(r.Int("createdTime", false, &m.created_time));
  return LogAction(std::move(m));
}

Result<LogAction> ParseAdd(const FieldReader& r) {
  AddAction a;
  RETURN_IF_ERROR(r.Str("path", true, &a.path));
  if (a.path.empty()) return r.Error("add.path is empty");
  RETURN_IF_ERROR(r.StrMap("partitionValues", false, &a.partition_values));
  RETURN_IF_ERROR(r.Int("size", true, &a.size));
  RETURN_IF_ERROR(r.Int("modificationTime", true, &a.modification_time));
  RETURN_IF_ERROR(r.Bool("dataChange", true, &a.data_change));
  // Delta's `stats` is JSON text in a string; checkpoints (format 2) hold
  // the same object inline, which saves a second parse per file.
  std::optional<JElement> stats = r.FindNonNull("stats");
  simdjson::dom::object obj;
  std::string_view text;
  if (!stats) {
    a.stats.num_records = -1;
  } else if (stats->get_object().get(obj) == simdjson::SUCCESS) {
    ASSIGN_OR_RETURN(a.stats, ParseStats(obj, r));
  } else if (stats->get_string().get(text) != simdjson::SUCCESS) {
    return r.WrongType("stats", "a string");
  } else if (text.empty()) {
    a.stats.num_records = -1;
  } else {
    JElement root;
    if (ParseNested(text, &root) != simdjson::SUCCESS || root.get_object().get(obj))
      return r.Error("add.stats is not a JSON object");
    ASSIGN_OR_RETURN(a.stats, ParseStats(obj, r));
  }
  return LogAction(std::move(a));
}

Result<LogAction> ParseRemove(const FieldReader& r) {
  RemoveAction a;
  RETURN_IF_ERROR(r.Str("path", true, &a.path));
  if (a.path.empty()) return r.Error("remove.path is empty");
  RETURN_IF_ERROR(r.Int("deletionTimestamp", false, &a.deletion_timestamp));
  RETURN_IF_ERROR(r.Bool("dataChange", true, &a.data_change));
  return LogAction(std::move(a));
}

Result<LogAction> ParseCommitInfo(const FieldReader& r) {
  CommitInfoAction c;
  RETURN_IF_ERROR(r.Int("timestamp", true, &c.timestamp));
  RETURN_IF_ERROR(r.Str("operation", true, &c.operation));
  RETURN_IF_ERROR(r.StrMap("operationParameters", false, &c.operation_parameters));
  if (r.FindNonNull("readVersion")) {
    int64_t v = 0;
    RETURN_IF_ERROR(r.Int("readVersion", true, &v));
    c.read_version = v;
  }
  RETURN_IF_ERROR(r.Bool("isBlindAppend", false, &c.is_blind_append));
  RETURN_IF_ERROR(r.StrMap("operationMetrics", false, &c.operation_metrics));
  return LogAction(std::move(c));
}

Result<LogAction> ParseTxn(const FieldReader& r) {
  TxnAction t;
  RETURN_IF_ERROR(r.Str("appId", true, &t.app_id));
  RETURN_IF_ERROR(r.Int("version", true, &t.version));
  RETURN_IF_ERROR(r.Int("lastUpdated", false, &t.last_updated));
  return LogAction(std::move(t));
}

Status StatsTypeError(const std::string& column, const Value& v, TypeId type) {
  return Status::Corruption("stats value " + v.ToString() + " of column \"" + column +
                            "\" is not a valid " + std::string(TypeName(type)));
}

Result<Value> ConformValue(const std::string& column, const Value& v, TypeId type) {
  if (v.type() == type) return v;
  switch (type) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      if (v.type() != TypeId::kVarchar) break;
      Result<int64_t> micros = ParseTimestamp(v.string_value());
      if (!micros.ok()) break;
      return Value::FromInt(type, *micros);
    }
    case TypeId::kDate: {
      if (v.type() != TypeId::kVarchar) break;
      Result<int64_t> days = ParseDateIso(v.string_value());
      if (!days.ok()) break;
      return Value::Date(*days);
    }
    case TypeId::kInteger:
      if (v.type() == TypeId::kBigint && v.int_value() >= INT32_MIN && v.int_value() <= INT32_MAX)
        return Value::Integer(static_cast<int32_t>(v.int_value()));
      break;
    case TypeId::kBigint:
    case TypeId::kInterval:
      if (v.type() == TypeId::kBigint || v.type() == TypeId::kInteger)
        return Value::FromInt(type, v.int_value());
      break;
    case TypeId::kSmallint:
    case TypeId::kTinyint:
    case TypeId::kTime: {
      const int64_t lo = type == TypeId::kTime ? 0 : IntegralMin(type);
      const int64_t hi = type == TypeId::kTime ? 86400LL * 1000000 : IntegralMax(type);
      if ((v.type() == TypeId::kBigint || v.type() == TypeId::kInteger) && v.int_value() >= lo &&
          v.int_value() <= hi)
        return Value::FromInt(type, v.int_value());
      break;
    }
    case TypeId::kUuid:
      if (v.type() == TypeId::kVarchar) return Value::FromString(type, v.string_value());
      break;
    case TypeId::kDouble:
      if (v.type() == TypeId::kBigint || v.type() == TypeId::kInteger)
        return Value::Double(static_cast<double>(v.int_value()));
      break;
    default:
      // DECIMAL stats are their exact text (ValueToJson).
      if (IsDecimal(type) && v.type() == TypeId::kVarchar) {
        Result<int64_t> raw = ParseDecimal(v.string_value(), type);
        if (!raw.ok()) break;
        return Value::FromInt(type, *raw);
      }
      break;
  }
  return StatsTypeError(column, v, type);
}

// Schema::FindField, with an exact-match pass first: stats keys are the
// physical names as written, so the case-insensitive pass is rarely needed.
int FindStatsColumn(const Schema& schema, const std::string& name) {
  for (size_t i = 0; i < schema.fields.size(); ++i)
    if (schema.fields[i].name == name) return static_cast<int>(i);
  return schema.FindField(name);
}

}  // namespace


// String min/max bounds longer than this are left out of FileStats.
constexpr size_t kMaxStatsStringBytes = 1024;

Schema PhysicalSchema(const MetaDataAction& m) {
  Schema s = m.schema;
  for (size_t i = 0; i < s.size() && i < m.physical_names.size(); ++i)
    s.fields[i].name = m.physical_names[i];
  return s;
}

FileStats FileStatsFromSegment(const Schema& schema, const SegmentStats& stats) {
  FileStats out;
  out.num_records = stats.row_count;
  for (size_t i = 0; i < schema.size() && i < stats.columns.size(); ++i) {
    const std::string& name = schema.fields[i].name;
    const ZoneMap& zm = stats.columns[i];
    // Bounds without an exact JSON form are left out (see ValueToJson) so the
    // in-memory stats equal what a replay of the log reads back; so are
    // string bounds over kMaxStatsStringBytes, which the log and the catalog
    // would otherwise copy whole (a 64 MiB value was written out four times
    // per commit). Without bounds a column is never pruned: still correct.
    auto long_string = [](const Value& v) {
      return !v.is_null() && v.type() == TypeId::kVarchar &&
             v.string_value().size() > kMaxStatsStringBytes;
    };
    if (long_string(zm.min) || long_string(zm.max)) {
      out.null_count[name] = zm.null_count;
      continue;
    }
    if (!ValueToJson(zm.min).is_discarded() && !ValueToJson(zm.max).is_discarded()) {
      out.min_values[name] = zm.min;
      out.max_values[name] = zm.max;
    }
    out.null_count[name] = zm.null_count;
  }
  return out;
}

std::string SerializeFileStats(const FileStats& stats) { return Dump(StatsToJson(stats)); }

Status ConformStatsToSchema(const Schema& schema, FileStats* stats) {
  // A bound that does not fit its column (e.g. a TIMESTAMP outside the
  // supported range, written before it was enforced) makes both bounds of
  // that column unknown: the file is then never pruned on it, and the table
  // stays readable (formats/log.md, "Stats values").
  std::vector<std::string> unusable;
  for (auto* values : {&stats->min_values, &stats->max_values}) {
    for (auto it = values->begin(); it != values->end();) {
      int idx = FindStatsColumn(schema, it->first);
      if (idx < 0) {
        it = values->erase(it);
        continue;
      }
      Result<Value> v = ConformValue(it->first, it->second, schema.fields[idx].type);
      if (!v.ok()) {
        unusable.push_back(it->first);
        it = values->erase(it);
        continue;
      }
      it->second = std::move(v).value();
      ++it;
    }
  }
  for (const std::string& column : unusable) {
    stats->min_values.erase(column);
    stats->max_values.erase(column);
  }
  for (auto it = stats->null_count.begin(); it != stats->null_count.end();) {
    if (FindStatsColumn(schema, it->first) < 0) {
      it = stats->null_count.erase(it);
    } else {
      ++it;
    }
  }
  return Status::OK();
}

std::string SerializeAction(const LogAction& action) { return Dump(ActionToJson(action)); }

std::string SerializeCheckpointAdd(const AddAction& add) {
  Json out = ActionToJson(add);
  Json& j = out["add"];
  if (j.contains("stats")) j["stats"] = StatsToJson(add.stats);
  return Dump(out);
}

std::string SerializeActions(const std::vector<LogAction>& actions) {
  std::string out;
  for (const LogAction& a : actions) {
    out += SerializeAction(a);
    out += '\n';
  }
  return out;
}

Result<std::vector<LogAction>> ParseLogFile(std::string_view content, std::string_view file_name) {
  std::vector<LogAction> actions;
  // One padded copy of the file: every line is then followed by at least
  // SIMDJSON_PADDING readable bytes and parses in place.
  simdjson::padded_string padded(content);
  const std::string_view text(padded.data(), content.size());
  simdjson::dom::parser& parser = ThreadParsers().line;
  Location loc{file_name, 0};
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++loc.line;
    auto where = [&] { return std::string(file_name) + " line " + std::to_string(loc.line); };
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    JElement root;
    if (parser.parse(line.data(), line.size(), false).get(root) != simdjson::SUCCESS)
      return Status::Corruption(where() + ": not valid JSON");
    simdjson::dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS || obj.size() != 1)
      return Status::Corruption(where() + ": expected one action key");
    simdjson::dom::key_value_pair kv = *obj.begin();
    const std::string_view key = kv.key;
    simdjson::dom::object body;
    if (kv.value.get_object().get(body) != simdjson::SUCCESS)
      return Status::Corruption(where() + ": " + std::string(key) + " must be an object");
    FieldReader r(body, &loc, std::string(key));
    Result<LogAction> action = Status::NotFound("");
    if (key == "add") {
      action = ParseAdd(r);
    } else if (key == "remove") {
      action = ParseRemove(r);
    } else if (key == "commitInfo") {
      action = ParseCommitInfo(r);
    } else if (key == "protocol") {
      action = ParseProtocol(r);
    } else if (key == "metaData") {
      action = ParseMetaData(r);
    } else if (key == "txn") {
      action = ParseTxn(r);
    } else {
      continue;  // unknown action type: skipped for forward compatibility
    }
    if (!action.ok()) return action.status();
    actions.push_back(std::move(action).value());
  }
  return actions;
}

}  // namespace tsl
