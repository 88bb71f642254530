// Ingest watermarks in `<table>_watermarks` (see ingest_watermarks.h).
// Thread-safety: see the header.
#include "storage/ingest_watermarks.h"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "formats/bool_text.h"
#include "storage/table.h"

namespace tsl {
namespace {

// Every row of a table's latest version, the given columns.
Status ScanAll(Table& table, const std::vector<int>& columns,
               const std::function<void(const DataChunk&)>& fn) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table.GetSnapshot());
  ScanOptions opts;
  opts.columns = columns;
  ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> scan, table.NewScan(snap, opts));
  DataChunk c;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, scan->Next(&c));
    if (!more) break;
    fn(c);
  }
  return Status::OK();
}

}  // namespace

bool WatermarksEnabled(const Snapshot& snapshot) {
  const auto& conf = snapshot.metadata().configuration;
  auto it = conf.find("watermarks");
  if (it == conf.end()) return false;
  return ParseBoolText(it->second, BoolWords::kDuckDBOrOnOff).value_or(false);
}

Schema WatermarkTableSchema() {
  return Schema{{{"source", TypeId::kVarchar},
                 {"tag", TypeId::kVarchar},
                 {"max_ts", TypeId::kTimestamp},
                 {"points", TypeId::kBigint},
                 {"version", TypeId::kBigint}}};
}

Schema WatermarkReportSchema() {
  return Schema{{{"tag", TypeId::kVarchar},
                 {"source", TypeId::kVarchar},
                 {"watermark", TypeId::kTimestamp},
                 {"points", TypeId::kBigint},
                 {"imports", TypeId::kBigint}}};
}

bool FindTagTimeColumns(const Schema& s, int* tag, int* ts) {
  *tag = -1;
  *ts = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.fields[i].type == TypeId::kVarchar &&
        (*tag < 0 || (EqualsIgnoreCase(s.fields[i].name, "tag") &&
                      !EqualsIgnoreCase(s.fields[static_cast<size_t>(*tag)].name, "tag"))))
      *tag = static_cast<int>(i);
    if (IsTimestampType(s.fields[i].type) && *ts < 0) *ts = static_cast<int>(i);
  }
  if (*tag < 0 || *ts < 0) {
    *tag = *ts = -1;
    return false;
  }
  return true;
}

WatermarkTracker::WatermarkTracker(const Schema& schema) { FindTagTimeColumns(schema, &tag_, &ts_); }

void WatermarkTracker::Add(const DataChunk& chunk) {
  if (tag_ < 0) return;
  const ColumnVector& tag = chunk.columns[static_cast<size_t>(tag_)];
  const ColumnVector& ts = chunk.columns[static_cast<size_t>(ts_)];
  const std::string* last = nullptr;
  std::pair<int64_t, int64_t>* entry = nullptr;
  for (size_t r = 0; r < chunk.size(); ++r) {
    if (tag.IsNull(r) || ts.IsNull(r)) continue;
    if (last == nullptr || *last != tag.strings[r]) {
      auto [it, inserted] = tags_.try_emplace(tag.strings[r], ts.ints[r], 0);
      entry = &it->second;
      last = &it->first;
    }
    entry->first = std::max(entry->first, ts.ints[r]);
    ++entry->second;
  }
}

Status WatermarkTracker::Commit(Database* db, const std::string& table, const std::string& source,
                                int64_t version) {
  if (tag_ < 0 || tags_.empty()) return Status::OK();
  ASSIGN_OR_RETURN(std::shared_ptr<Table> t,
                   db->CreateTable(table + "_watermarks", WatermarkTableSchema(), {},
                                   /*if_not_exists=*/true));
  TableWriter writer(t, db->options().segment_options);
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kVarchar, TypeId::kTimestamp, TypeId::kBigint,
                TypeId::kBigint});
  auto flush = [&]() -> Status {
    if (c.size() == 0) return Status::OK();
    RETURN_IF_ERROR(writer.Append(c));
    c.Reset();
    return Status::OK();
  };
  for (const auto& [tag, e] : tags_) {
    c.columns[0].AppendString(source);
    c.columns[1].AppendString(tag);
    c.columns[2].AppendInt(e.first);
    c.columns[3].AppendInt(e.second);
    c.columns[4].AppendInt(version);
    if (c.size() >= kVectorSize) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  ASSIGN_OR_RETURN(CommitResult r, writer.Commit("WATERMARK", {{"source_table", table}}));
  (void)r;
  tags_.clear();
  return Status::OK();
}

Result<std::unordered_map<std::string, int64_t>> LoadTagWatermarks(Database* db,
                                                                  const std::string& table) {
  std::unordered_map<std::string, int64_t> out;
  Result<std::shared_ptr<Table>> t = db->GetTable(table + "_watermarks");
  if (!t.ok()) {
    if (t.status().IsNotFound()) return out;
    return t.status();
  }
  RETURN_IF_ERROR(ScanAll(**t, {1, 2}, [&](const DataChunk& c) {
    for (size_t r = 0; r < c.size(); ++r) {
      if (c.columns[0].IsNull(r) || c.columns[1].IsNull(r)) continue;
      auto [it, inserted] = out.try_emplace(c.columns[0].strings[r], c.columns[1].ints[r]);
      if (!inserted) it->second = std::max(it->second, c.columns[1].ints[r]);
    }
  }));
  return out;
}

Result<DataChunk> WatermarkReport(Database* db, const std::string& table) {
  ASSIGN_OR_RETURN(std::shared_ptr<Table> base, db->GetTable(table));
  (void)base;
  struct Agg {
    int64_t max_ts;
    int64_t points = 0;
    int64_t imports = 0;
  };
  std::map<std::pair<std::string, std::string>, Agg> agg;
  Result<std::shared_ptr<Table>> t = db->GetTable(table + "_watermarks");
  if (t.ok()) {
    RETURN_IF_ERROR(ScanAll(**t, {0, 1, 2, 3}, [&](const DataChunk& c) {
      for (size_t r = 0; r < c.size(); ++r) {
        if (c.columns[1].IsNull(r) || c.columns[2].IsNull(r)) continue;
        std::string source = c.columns[0].IsNull(r) ? "" : c.columns[0].strings[r];
        auto [it, inserted] = agg.try_emplace({c.columns[1].strings[r], source},
                                              Agg{c.columns[2].ints[r]});
        it->second.max_ts = std::max(it->second.max_ts, c.columns[2].ints[r]);
        it->second.points += c.columns[3].IsNull(r) ? 0 : c.columns[3].ints[r];
        ++it->second.imports;
      }
    }));
  } else if (!t.status().IsNotFound()) {
    return t.status();
  }
  DataChunk out;
  out.Initialize({TypeId::kVarchar, TypeId::kVarchar, TypeId::kTimestamp, TypeId::kBigint,
                  TypeId::kBigint});
  for (const auto& [key, a] : agg) {
    out.columns[0].AppendString(key.first);
    out.columns[1].AppendString(key.second);
    out.columns[2].AppendInt(a.max_ts);
    out.columns[3].AppendInt(a.points);
    out.columns[4].AppendInt(a.imports);
  }
  return out;
}

int64_t DropAtOrBeforeWatermark(const std::unordered_map<std::string, int64_t>& watermarks,
                                int tag, int ts, DataChunk* chunk) {
  if (watermarks.empty() || tag < 0) return 0;
  const size_t n = chunk->size();
  const ColumnVector& tags = chunk->columns[static_cast<size_t>(tag)];
  const ColumnVector& times = chunk->columns[static_cast<size_t>(ts)];
  std::vector<uint32_t> keep;
  keep.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    if (!tags.IsNull(r) && !times.IsNull(r)) {
      auto it = watermarks.find(tags.strings[r]);
      if (it != watermarks.end() && times.ints[r] <= it->second) continue;
    }
    keep.push_back(static_cast<uint32_t>(r));
  }
  if (keep.size() == n) return 0;
  DataChunk out;
  out.columns.resize(chunk->columns.size());
  for (size_t c = 0; c < chunk->columns.size(); ++c) {
    out.columns[c] = ColumnVector(chunk->columns[c].type);
    out.columns[c].AppendSelection(chunk->columns[c], keep);
  }
  *chunk = std::move(out);
  return static_cast<int64_t>(n - keep.size());
}

}  // namespace tsl
