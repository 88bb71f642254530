// IgnitionReader: the sqlth_te dictionary and the row conversion (see
// ignition_reader.h). Thread-safety: one thread.
#include "ingest/ignition_reader.h"

#include <algorithm>
#include <limits>

#include "formats/timestamp.h"
#include "ingest/text_parsers.h"

namespace tsl {
namespace {

enum DataCol { kTagId, kIntValue, kFloatValue, kStringValue, kDateValue, kIntegrity, kTStamp };
enum OutCol { kTag, kTs, kValue, kQuality, kText, kTagIdOut };

Schema VarcharSchema(std::initializer_list<const char*> names) {
  Schema s;
  for (const char* n : names) s.fields.push_back({n, TypeId::kVarchar});
  return s;
}

// Epoch milliseconds, or ISO 8601 text.
bool ParseMillis(std::string_view text, int64_t* ms) {
  if (ParseInt64Text(text, ms)) return true;
  int64_t micros;
  if (!ParseTimestampText(text, &micros)) return false;
  *ms = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
  return true;
}

std::string_view Cell(const DataChunk& c, size_t col, size_t row) {
  const ColumnVector& v = c.columns[col];
  return v.IsNull(row) ? std::string_view() : std::string_view(v.strings[row]);
}

std::string RawRow(const DataChunk& c, size_t row) {
  std::string raw;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    if (i) raw += ',';
    raw += Cell(c, i, row);
  }
  return raw;
}

}  // namespace

Schema IgnitionReader::NativeSchema() {
  return Schema{{{"tag", TypeId::kVarchar},
                 {"ts", TypeId::kTimestamp},
                 {"value", TypeId::kDouble},
                 {"quality", TypeId::kInteger},
                 {"text_value", TypeId::kVarchar},
                 {"tag_id", TypeId::kBigint}}};
}

IgnitionReader::IgnitionReader(std::string path, SchemaMapper mapper,
                               std::unique_ptr<CsvReader> data,
                               std::unordered_map<int64_t, std::vector<TagEntry>> tags)
    : path_(std::move(path)),
      mapper_(std::move(mapper)),
      data_(std::move(data)),
      tags_(std::move(tags)) {}

IgnitionReader::~IgnitionReader() = default;

Result<std::unique_ptr<IgnitionReader>> IgnitionReader::Open(const std::string& path,
                                                             IgnitionOptions options) {
  if (options.tags_path.empty())
    return Status::InvalidArgument(
        "read_ignition needs the sqlth_te export that names the tag ids: read_ignition('" + path +
        "', tags => 'sqlth_te.csv')");
  CsvOptions csv;
  csv.header = options.header;
  csv.delimiter = options.delimiter;
  csv.target_schema =
      VarcharSchema({"id", "tagpath", "scid", "datatype", "querymode", "created", "retired"});
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> te, CsvReader::Open(options.tags_path, csv));
  std::unordered_map<int64_t, std::vector<TagEntry>> tags;
  DataChunk chunk;
  for (;;) {
    const int64_t line_before = te->line();
    ASSIGN_OR_RETURN(bool more, te->Next(&chunk));
    if (!more) break;
    for (size_t r = 0; r < chunk.size(); ++r) {
      auto bad = [&](const char* column, std::string_view text, const char* expected) {
        return Status::InvalidArgument(
            options.tags_path + " line " + std::to_string(line_before + 1 + static_cast<int64_t>(r)) +
            ": sqlth_te column " + column + " \"" + std::string(text) + "\" is not " + expected +
            "; the tags file must be an export of sqlth_te (id, tagpath, scid, datatype, "
            "querymode, created, retired)");
      };
      int64_t id;
      std::string_view text = Cell(chunk, 0, r);
      if (!ParseInt64Text(text, &id)) return bad("id", text, "an integer");
      TagEntry e;
      e.path = std::string(Cell(chunk, 1, r));
      if (e.path.empty()) return bad("tagpath", "", "a tag path");
      int64_t dt;
      text = Cell(chunk, 3, r);
      if (!text.empty()) {
        if (!ParseInt64Text(text, &dt)) return bad("datatype", text, "an integer");
        e.datatype = static_cast<int>(dt);
      }
      text = TrimBlanks(Cell(chunk, 5, r));
      if (!text.empty() && !ParseMillis(text, &e.created_ms))
        return bad("created", text, "epoch milliseconds");
      text = TrimBlanks(Cell(chunk, 6, r));
      if (!text.empty() && !ParseMillis(text, &e.retired_ms))
        return bad("retired", text, "epoch milliseconds");
      tags[id].push_back(std::move(e));
    }
  }
  for (auto& [id, entries] : tags)
    std::sort(entries.begin(), entries.end(),
              [](const TagEntry& a, const TagEntry& b) { return a.created_ms < b.created_ms; });

  csv.target_schema = VarcharSchema({"tagid", "intvalue", "floatvalue", "stringvalue", "datevalue",
                                     "dataintegrity", "t_stamp"});
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> data, CsvReader::Open(path, csv));
  ASSIGN_OR_RETURN(SchemaMapper mapper, SchemaMapper::Make(NativeSchema(), options.target_schema,
                                                           "read_ignition(" + path + ")"));
  return std::unique_ptr<IgnitionReader>(
      new IgnitionReader(path, std::move(mapper), std::move(data), std::move(tags)));
}

std::vector<RejectedRow> IgnitionReader::TakeRejects() {
  std::vector<RejectedRow> out;
  out.swap(rejects_);
  return out;
}

std::string IgnitionReader::AppendRow(size_t r) {
  const DataChunk& c = raw_;
  int64_t id, ms;
  std::string_view text = Cell(c, kTagId, r);
  if (!ParseInt64Text(text, &id)) return "tagid \"" + std::string(text) + "\" is not an integer";
  text = Cell(c, kTStamp, r);
  if (!ParseMillis(text, &ms))
    return "t_stamp \"" + std::string(text) + "\" is not epoch milliseconds";
  int64_t micros;
  if (__builtin_mul_overflow(ms, int64_t{1000}, &micros) || !IsValidTimestamp(micros))
    return "t_stamp " + std::string(TrimBlanks(text)) +
           " is outside the supported TIMESTAMP range (" + TimestampRangeText() + ")";
  auto it = tags_.find(id);
  if (it == tags_.end()) return "tag id " + std::to_string(id) + " is not in the sqlth_te file";
  const TagEntry* entry = nullptr;
  for (const TagEntry& e : it->second)
    if (e.created_ms <= ms && ms < e.retired_ms) entry = &e;
  if (entry == nullptr)
    return "tag id " + std::to_string(id) + " (" + it->second.back().path +
           ") has no sqlth_te row whose [created, retired) covers t_stamp " + std::to_string(ms);
  std::optional<int64_t> quality;
  text = TrimBlanks(Cell(c, kIntegrity, r));
  if (!text.empty()) {
    int64_t q;
    if (!ParseInt64Text(text, &q) || q < INT32_MIN || q > INT32_MAX)
      return "dataintegrity \"" + std::string(text) + "\" is not an integer";
    quality = q;
  }
  std::optional<double> value;
  std::optional<std::string> textv;
  auto number = [&](int col, const char* name) -> std::string {
    std::string_view t = TrimBlanks(Cell(c, static_cast<size_t>(col), r));
    if (t.empty()) return "";
    double d;
    if (!ParseDoubleText(t, &d)) return std::string(name) + " \"" + std::string(t) + "\" is not a number";
    value = d;
    return "";
  };
  std::string reason;
  switch (entry->datatype) {
    case 0:
      reason = number(kIntValue, "intvalue");
      if (reason.empty() && !value) reason = number(kFloatValue, "floatvalue");
      break;
    case 1:
      reason = number(kFloatValue, "floatvalue");
      if (reason.empty() && !value) reason = number(kIntValue, "intvalue");
      break;
    case 2:
      if (!c.columns[kStringValue].IsNull(r)) textv = std::string(Cell(c, kStringValue, r));
      break;
    case 3:
      if (!c.columns[kDateValue].IsNull(r)) textv = std::string(Cell(c, kDateValue, r));
      break;
    default:
      reason = number(kFloatValue, "floatvalue");
      if (reason.empty() && !value) reason = number(kIntValue, "intvalue");
      if (reason.empty() && !value) {
        if (!c.columns[kStringValue].IsNull(r)) textv = std::string(Cell(c, kStringValue, r));
        else if (!c.columns[kDateValue].IsNull(r)) textv = std::string(Cell(c, kDateValue, r));
      }
  }
  if (!reason.empty()) return reason;
  auto& cols = native_.columns;
  cols[kTag].AppendString(entry->path);
  cols[kTs].AppendInt(micros);
  if (value) cols[kValue].AppendDouble(*value);
  else cols[kValue].AppendNull();
  if (quality) cols[kQuality].AppendInt(*quality);
  else cols[kQuality].AppendNull();
  if (textv) cols[kText].AppendString(std::move(*textv));
  else cols[kText].AppendNull();
  cols[kTagIdOut].AppendInt(id);
  return "";
}

Result<bool> IgnitionReader::Next(DataChunk* out) {
  native_.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble, TypeId::kInteger,
                      TypeId::kVarchar, TypeId::kBigint});
  // Rejected rows make a chunk short; read on until some rows or the end.
  while (native_.size() == 0) {
    const int64_t line_before = data_->line();
    ASSIGN_OR_RETURN(bool more, data_->Next(&raw_));
    if (!more) return false;
    for (size_t r = 0; r < raw_.size(); ++r) {
      std::string reason = AppendRow(r);
      if (reason.empty()) continue;
      ++rejected_;
      rejects_.push_back(RejectedRow{path_, line_before + 1 + static_cast<int64_t>(r), "",
                                     RawRow(raw_, r).substr(0, kMaxRejectRawBytes), reason});
    }
  }
  RETURN_IF_ERROR(mapper_.Map(&native_, out));
  return true;
}

}  // namespace tsl
