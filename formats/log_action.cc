// Log action (de)serialization: the JSON encoding specified in
// formats/log.md. Serialization never fails (invalid UTF-8 is replaced);
// parsing is strict about required fields and their JSON types and reports
// kCorruption with the file name and 1-based line number, but skips unknown
// keys and unknown action types so newer writers stay readable.
// No exceptions escape: nlohmann::json is used only through its
// non-throwing calls (parse with allow_exceptions=false, typed checks
// before every get<>).
// Thread-safety: pure functions.
#include <cmath>
#include <nlohmann/json.hpp>

#include "formats/log_action.h"
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
    case TypeId::kInterval: return Json(v.int_value());
    case TypeId::kDouble:
      if (!std::isfinite(v.double_value())) return Json(Json::value_t::discarded);
      return Json(v.double_value());
    case TypeId::kTimestamp: return Json(FormatTimestampIso(v.int_value()));
    case TypeId::kVarchar: return Json(v.string_value());
    case TypeId::kNull: break;
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

// Reads typed fields of one JSON object, producing kCorruption messages of
// the form "<file> line <n>: <action>.<field> ...".
class FieldReader {
 public:
  FieldReader(const Json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  Status Error(const std::string& msg) const { return Status::Corruption(where_ + ": " + msg); }

  const Json* Find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  Status Missing(const char* key) const {
    return Error(std::string("missing required field \"") + key + "\"");
  }
  Status WrongType(const char* key, const char* expected) const {
    return Error(std::string("field \"") + key + "\" must be " + expected);
  }

  Status Int(const char* key, bool required, int64_t* out) const {
    const Json* j = Find(key);
    if (j == nullptr || j->is_null()) return required ? Missing(key) : Status::OK();
    if (j->is_number_integer()) {
      if (j->is_number_unsigned() && j->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
        return WrongType(key, "an integer within int64 range");
      *out = j->get<int64_t>();
      return Status::OK();
    }
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
    const Json* j = Find(key);
    if (j == nullptr || j->is_null()) return required ? Missing(key) : Status::OK();
    if (!j->is_string()) return WrongType(key, "a string");
    *out = j->get<std::string>();
    return Status::OK();
  }
  Status Bool(const char* key, bool required, bool* out) const {
    const Json* j = Find(key);
    if (j == nullptr || j->is_null()) return required ? Missing(key) : Status::OK();
    if (!j->is_boolean()) return WrongType(key, "true or false");
    *out = j->get<bool>();
    return Status::OK();
  }
  // A JSON object whose values become strings (non-string values are kept
  // as their JSON text, as Delta readers do for operationParameters).
  Status StrMap(const char* key, bool required, std::map<std::string, std::string>* out) const {
    const Json* j = Find(key);
    if (j == nullptr || j->is_null()) return required ? Missing(key) : Status::OK();
    if (!j->is_object()) return WrongType(key, "an object");
    for (auto it = j->begin(); it != j->end(); ++it)
      (*out)[it.key()] = it.value().is_string() ? it.value().get<std::string>() : Dump(it.value());
    return Status::OK();
  }
  Status StrList(const char* key, bool required, std::vector<std::string>* out) const {
    const Json* j = Find(key);
    if (j == nullptr || j->is_null()) return required ? Missing(key) : Status::OK();
    if (!j->is_array()) return WrongType(key, "an array of strings");
    for (const Json& e : *j) {
      if (!e.is_string()) return WrongType(key, "an array of strings");
      out->push_back(e.get<std::string>());
    }
    return Status::OK();
  }

  const std::string& where() const { return where_; }

 private:
  const Json& obj_;
  std::string where_;
};

// `physical_names` (nullable) receives each field's physical name; it is
// left empty when every physical name equals its field's name.
Result<Schema> ParseSchemaFields(const Json& fields, const FieldReader& r,
                                 std::vector<std::string>* physical_names = nullptr) {
  if (!fields.is_array()) return r.Error("schema must be an array of {\"name\", \"type\"}");
  Schema schema;
  std::vector<std::string> physical;
  bool mapped = false;
  for (const Json& f : fields) {
    if (!f.is_object()) return r.Error("schema field must be an object");
    FieldReader fr(f, r.where() + ": schema field " + std::to_string(schema.size()));
    Field field;
    std::string type;
    RETURN_IF_ERROR(fr.Str("name", true, &field.name));
    RETURN_IF_ERROR(fr.Str("type", true, &type));
    Result<TypeId> t = ParseTypeName(type);
    if (!t.ok()) return fr.Error("unknown type \"" + type + "\"");
    field.type = *t;
    std::string phys = field.name;
    if (const Json* md = fr.Find("metadata"); md != nullptr && !md->is_null()) {
      if (!md->is_object()) return fr.WrongType("metadata", "an object");
      FieldReader mr(*md, fr.where() + ": metadata");
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

Result<Value> JsonToValue(const Json& j, const FieldReader& r, const std::string& key) {
  if (j.is_boolean()) return Value::Boolean(j.get<bool>());
  if (j.is_number_integer()) {
    if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return r.Error("stats value for \"" + key + "\" is out of int64 range");
    return Value::Bigint(j.get<int64_t>());
  }
  if (j.is_number_float()) return Value::Double(j.get<double>());
  if (j.is_string()) return Value::Varchar(j.get<std::string>());
  return r.Error("stats value for \"" + key + "\" must be a number, string or boolean");
}

Result<FileStats> ParseStats(const std::string& text, const FieldReader& outer) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return outer.Error("add.stats is not a JSON object");
  FieldReader r(j, outer.where() + ": add.stats");
  FileStats s;
  s.num_records = -1;
  RETURN_IF_ERROR(r.Int("numRecords", false, &s.num_records));
  for (auto [key, dest] : {std::pair{"minValues", &s.min_values},
                           std::pair{"maxValues", &s.max_values}}) {
    const Json* m = r.Find(key);
    if (m == nullptr || m->is_null()) continue;
    if (!m->is_object()) return r.WrongType(key, "an object");
    for (auto it = m->begin(); it != m->end(); ++it) {
      if (it.value().is_null()) continue;
      ASSIGN_OR_RETURN(Value v, JsonToValue(it.value(), r, it.key()));
      (*dest)[it.key()] = std::move(v);
    }
  }
  if (const Json* n = r.Find("nullCount"); n != nullptr && !n->is_null()) {
    if (!n->is_object()) return r.WrongType("nullCount", "an object");
    for (auto it = n->begin(); it != n->end(); ++it) {
      if (!it.value().is_number_integer())
        return r.Error("nullCount of \"" + it.key() + "\" must be an integer");
      s.null_count[it.key()] = it.value().get<int64_t>();
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
  const Json* format = r.Find("format");
  if (format == nullptr) return r.Missing("format");
  if (!format->is_object()) return r.WrongType("format", "an object");
  std::string provider;
  RETURN_IF_ERROR(FieldReader(*format, r.where() + ": format").Str("provider", true, &provider));
  if (provider != "tslake-segment")
    return r.Error("format.provider \"" + provider + "\" is not \"tslake-segment\"");
  if (const Json* ss = r.Find("schemaString"); ss != nullptr) {
    if (!ss->is_string()) return r.WrongType("schemaString", "a string");
    Json fields = Json::parse(ss->get<std::string>(), nullptr, false);
    if (fields.is_discarded()) return r.Error("schemaString is not valid JSON");
    ASSIGN_OR_RETURN(m.schema, ParseSchemaFields(fields, r, &m.physical_names));
  } else if (const Json* sc = r.Find("schema"); sc != nullptr) {
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
  std::string stats;
  RETURN_IF_ERROR(r.Str("stats", false, &stats));
  if (stats.empty()) {
    a.stats.num_records = -1;
  } else {
    ASSIGN_OR_RETURN(a.stats, ParseStats(stats, r));
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
  if (const Json* rv = r.Find("readVersion"); rv != nullptr && !rv->is_null()) {
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
    case TypeId::kTimestamp: {
      if (v.type() != TypeId::kVarchar) break;
      Result<int64_t> micros = ParseTimestamp(v.string_value());
      if (!micros.ok()) break;
      return Value::Timestamp(*micros);
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
    case TypeId::kDouble:
      if (v.type() == TypeId::kBigint || v.type() == TypeId::kInteger)
        return Value::Double(static_cast<double>(v.int_value()));
      break;
    default: break;
  }
  return StatsTypeError(column, v, type);
}

}  // namespace

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
    // in-memory stats equal what a replay of the log reads back.
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
  for (auto* values : {&stats->min_values, &stats->max_values}) {
    for (auto it = values->begin(); it != values->end();) {
      int idx = schema.FindField(it->first);
      if (idx < 0) {
        it = values->erase(it);
        continue;
      }
      ASSIGN_OR_RETURN(it->second, ConformValue(it->first, it->second, schema.fields[idx].type));
      ++it;
    }
  }
  for (auto it = stats->null_count.begin(); it != stats->null_count.end();) {
    if (schema.FindField(it->first) < 0) {
      it = stats->null_count.erase(it);
    } else {
      ++it;
    }
  }
  return Status::OK();
}

std::string SerializeAction(const LogAction& action) { return Dump(ActionToJson(action)); }

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
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string where = std::string(file_name) + " line " + std::to_string(line_no);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::Corruption(where + ": not valid JSON");
    if (!j.is_object() || j.size() != 1)
      return Status::Corruption(where + ": expected one action key");
    const std::string& key = j.begin().key();
    const Json& body = j.begin().value();
    if (!body.is_object()) return Status::Corruption(where + ": " + key + " must be an object");
    FieldReader r(body, where + ": " + key);
    Result<LogAction> action = Status::NotFound("");
    if (key == "protocol") {
      action = ParseProtocol(r);
    } else if (key == "metaData") {
      action = ParseMetaData(r);
    } else if (key == "add") {
      action = ParseAdd(r);
    } else if (key == "remove") {
      action = ParseRemove(r);
    } else if (key == "commitInfo") {
      action = ParseCommitInfo(r);
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
