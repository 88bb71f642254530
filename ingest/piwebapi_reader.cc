// PiWebApiReader: one Items element at a time through simdjson's DOM
// parser (the element is small: a point, or one stream of a streamsets
// response), points turned into rows (see piwebapi_reader.h).
// Thread-safety: one thread.
#include "ingest/piwebapi_reader.h"

#include <simdjson.h>

#include <filesystem>
#include <optional>

#include "formats/timestamp.h"

namespace tsl {
namespace {

enum Col { kTag, kTs, kValue, kText, kGood, kQuestionable, kSubstituted, kAnnotated, kUnits };

// The members of a point that become columns (absent: nullopt).
struct PointFields {
  std::optional<simdjson::dom::element> timestamp, value, good, questionable, substituted,
      annotated, units;
  void Take(std::string_view key, simdjson::dom::element v) {
    std::optional<simdjson::dom::element>* slot = nullptr;
    switch (key.size()) {
      case 4: slot = key == "Good" ? &good : nullptr; break;
      case 5: slot = key == "Value" ? &value : nullptr; break;
      case 9:
        slot = key == "Timestamp" ? &timestamp : key == "Annotated" ? &annotated : nullptr;
        break;
      case 11: slot = key == "Substituted" ? &substituted : nullptr; break;
      case 12: slot = key == "Questionable" ? &questionable : nullptr; break;
      case 17: slot = key == "UnitsAbbreviation" ? &units : nullptr; break;
      default: break;
    }
    if (slot != nullptr && !slot->has_value()) *slot = v;
  }
};

void AppendOptionalBool(const std::optional<simdjson::dom::element>& v, ColumnVector* col) {
  bool b;
  if (v && v->get(b) == simdjson::SUCCESS) {
    col->AppendInt(b ? 1 : 0);
  } else {
    col->AppendNull();
  }
}

std::string Truncated(std::string_view raw) {
  return std::string(raw.substr(0, kMaxRejectRawBytes));
}

}  // namespace

struct PiWebApiReader::Parsed {
  simdjson::dom::parser parser;
  // The stream being emitted (a streamsets element) or a single point.
  bool have = false;
  bool single_point = false;
  simdjson::dom::element point;  // single_point
  simdjson::dom::array items;
  simdjson::dom::array::iterator it, end;
  int64_t index = 0;
  std::string tag;
  std::string element_path;
};

Schema PiWebApiReader::NativeSchema() {
  return Schema{{{"tag", TypeId::kVarchar},
                 {"ts", TypeId::kTimestamp},
                 {"value", TypeId::kDouble},
                 {"text_value", TypeId::kVarchar},
                 {"good", TypeId::kBoolean},
                 {"questionable", TypeId::kBoolean},
                 {"substituted", TypeId::kBoolean},
                 {"annotated", TypeId::kBoolean},
                 {"units", TypeId::kVarchar}}};
}

PiWebApiReader::PiWebApiReader(std::string path, PiWebApiOptions options, SchemaMapper mapper,
                               std::unique_ptr<JsonItemSplitter> splitter)
    : path_(std::move(path)),
      options_(std::move(options)),
      mapper_(std::move(mapper)),
      splitter_(std::move(splitter)),
      parsed_(std::make_unique<Parsed>()) {}

PiWebApiReader::~PiWebApiReader() = default;

Result<std::unique_ptr<PiWebApiReader>> PiWebApiReader::Open(const std::string& path,
                                                             PiWebApiOptions options) {
  ASSIGN_OR_RETURN(std::unique_ptr<JsonItemSplitter> splitter,
                   JsonItemSplitter::Open(path, size_t{1} << 20, options.max_element_bytes));
  if (options.tag.empty()) options.tag = std::filesystem::path(path).stem().string();
  ASSIGN_OR_RETURN(SchemaMapper mapper, SchemaMapper::Make(NativeSchema(), options.target_schema,
                                                           "read_piwebapi(" + path + ")"));
  return std::unique_ptr<PiWebApiReader>(
      new PiWebApiReader(path, std::move(options), std::move(mapper), std::move(splitter)));
}

std::vector<RejectedRow> PiWebApiReader::TakeRejects() {
  std::vector<RejectedRow> out;
  out.swap(rejects_);
  return out;
}

void PiWebApiReader::Reject(std::string location, std::string_view raw, std::string reason) {
  ++rejected_;
  rejects_.push_back(RejectedRow{path_, 0, std::move(location), Truncated(raw), std::move(reason)});
}

Result<bool> PiWebApiReader::LoadElement() {
  Parsed& p = *parsed_;
  JsonItem item;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, splitter_->Next(&item));
    if (!more) return false;
    simdjson::dom::element el;
    simdjson::error_code err = p.parser.parse(item.bytes.data(), item.bytes.size(), false).get(el);
    if (item.kind == JsonItem::Kind::kError) {
      std::string_view text;
      std::string reason = err == simdjson::SUCCESS && el.get(text) == simdjson::SUCCESS
                               ? std::string(text)
                               : std::string(item.bytes);
      Reject(item.path, item.bytes, "PI Web API error: " + reason);
      continue;
    }
    if (err != simdjson::SUCCESS) {
      Reject(item.path, item.bytes, std::string("malformed JSON: ") + simdjson::error_message(err));
      continue;
    }
    simdjson::dom::object obj;
    if (el.get(obj) != simdjson::SUCCESS) {
      Reject(item.path, item.bytes, "an Items entry must be a JSON object");
      continue;
    }
    simdjson::dom::array errors;
    if (obj["Errors"].get(errors) == simdjson::SUCCESS) {
      int64_t i = 0;
      for (simdjson::dom::element e : errors) {
        std::string_view text;
        std::string reason = e.get(text) == simdjson::SUCCESS ? std::string(text)
                                                               : simdjson::minify(e);
        Reject(item.path + ".Errors[" + std::to_string(i++) + "]", simdjson::minify(e),
               "PI Web API error: " + reason);
      }
    }
    p.element_path = std::move(item.path);
    simdjson::dom::array items;
    if (obj["Items"].get(items) == simdjson::SUCCESS) {
      std::string_view name;
      if (obj["Name"].get(name) == simdjson::SUCCESS || obj["Path"].get(name) == simdjson::SUCCESS ||
          obj["WebId"].get(name) == simdjson::SUCCESS) {
        p.tag.assign(name);
      } else {
        p.tag = options_.tag;
      }
      p.single_point = false;
      p.items = items;
      p.it = items.begin();
      p.end = items.end();
      p.index = 0;
      p.have = true;
      return true;
    }
    if (obj["Errors"].error() == simdjson::SUCCESS && obj["Timestamp"].error() != simdjson::SUCCESS)
      continue;  // a stream that only reports errors
    p.single_point = true;
    p.point = el;
    p.tag = options_.tag;
    p.have = true;
    return true;
  }
}

Result<bool> PiWebApiReader::Next(DataChunk* out) {
  Parsed& p = *parsed_;
  native_.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble, TypeId::kVarchar,
                      TypeId::kBoolean, TypeId::kBoolean, TypeId::kBoolean, TypeId::kBoolean,
                      TypeId::kVarchar});
  auto& cols = native_.columns;
  std::string location;
  // Appends one point; rejects it (with its JSON path) when unusable.
  auto emit = [&](simdjson::dom::element point, int64_t index) {
    auto where = [&] {
      return index < 0 ? p.element_path
                       : p.element_path + ".Items[" + std::to_string(index) + "]";
    };
    simdjson::dom::object obj;
    if (point.get(obj) != simdjson::SUCCESS)
      return Reject(where(), simdjson::minify(point), "a point must be a JSON object");
    // One pass over the point's members (not a key search per column); the
    // first occurrence of a key counts, as obj[key] would find it.
    PointFields f;
    for (simdjson::dom::key_value_pair kv : obj) f.Take(kv.key, kv.value);
    std::string_view ts_text;
    if (!f.timestamp || f.timestamp->get(ts_text) != simdjson::SUCCESS)
      return Reject(where(), simdjson::minify(point), "the point has no Timestamp string");
    Result<int64_t> ts = ParseTimestamp(ts_text);
    if (!ts.ok())
      return Reject(where(), simdjson::minify(point), "Timestamp " + ts.status().message());
    cols[kTag].AppendString(p.tag);
    cols[kTs].AppendInt(*ts);
    double d;
    int64_t i64;
    uint64_t u64;
    bool b;
    std::string_view s;
    simdjson::dom::object state;
    if (!f.value || f.value->is_null()) {
      cols[kValue].AppendNull();
      cols[kText].AppendNull();
    } else if (simdjson::dom::element v = *f.value; v.get(d) == simdjson::SUCCESS) {  // any number
      cols[kValue].AppendDouble(d);
      cols[kText].AppendNull();
    } else if (v.get(i64) == simdjson::SUCCESS) {
      cols[kValue].AppendDouble(static_cast<double>(i64));
      cols[kText].AppendNull();
    } else if (v.get(u64) == simdjson::SUCCESS) {
      cols[kValue].AppendDouble(static_cast<double>(u64));
      cols[kText].AppendNull();
    } else if (v.get(b) == simdjson::SUCCESS) {
      cols[kValue].AppendDouble(b ? 1.0 : 0.0);
      cols[kText].AppendNull();
    } else if (v.get(s) == simdjson::SUCCESS) {
      cols[kValue].AppendNull();
      cols[kText].AppendString(std::string(s));
    } else if (v.get(state) == simdjson::SUCCESS &&
               state["Name"].get(s) == simdjson::SUCCESS) {  // a digital state
      cols[kValue].AppendNull();
      cols[kText].AppendString(std::string(s));
    } else {
      cols[kValue].AppendNull();
      cols[kText].AppendString(simdjson::minify(v));
    }
    AppendOptionalBool(f.good, &cols[kGood]);
    AppendOptionalBool(f.questionable, &cols[kQuestionable]);
    AppendOptionalBool(f.substituted, &cols[kSubstituted]);
    AppendOptionalBool(f.annotated, &cols[kAnnotated]);
    if (f.units && f.units->get(s) == simdjson::SUCCESS && !s.empty()) {
      cols[kUnits].AppendString(std::string(s));
    } else {
      cols[kUnits].AppendNull();
    }
  };

  while (native_.size() < kVectorSize) {
    if (!p.have) {
      ASSIGN_OR_RETURN(bool more, LoadElement());
      if (!more) break;
    }
    if (p.single_point) {
      emit(p.point, -1);
      p.have = false;
      continue;
    }
    while (p.it != p.end && native_.size() < kVectorSize) {
      emit(*p.it, p.index);
      ++p.it;
      ++p.index;
    }
    if (p.it == p.end) p.have = false;
  }
  if (native_.size() == 0) return false;
  RETURN_IF_ERROR(mapper_.Map(&native_, out));
  return true;
}

}  // namespace tsl
