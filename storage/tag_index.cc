// Tag index computation: see tag_index.h.
#include "storage/tag_index.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "formats/segment_reader.h"

namespace tsl {
namespace {

constexpr size_t kNoRow = std::numeric_limits<size_t>::max();

// The table directory's own name (the catalog's `dir`).
std::string DirName(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

int UnitsColumn(const Schema& schema, int tag_col) {
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& f = schema.fields[i];
    if (static_cast<int>(i) == tag_col || f.type != TypeId::kVarchar || f.name.size() != 5)
      continue;
    std::string lower = f.name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "units") return static_cast<int>(i);
  }
  return -1;
}

// Row i's string of a VARCHAR vector in either form; nullptr for NULL.
const std::string* StringAt(const ColumnVector& v, size_t i) {
  if (v.IsNull(i)) return nullptr;
  return v.dictionary_form ? &v.dictionary[v.codes[i]] : &v.strings[i];
}

struct Acc {
  SegmentTagRange range;
  size_t units_row = kNoRow;
};

// The ranges of `n` rows given the tag column and optional ts/units columns.
std::vector<SegmentTagRange> Compute(const ColumnVector& tag, const ColumnVector* ts,
                                     const ColumnVector* units, size_t n) {
  std::vector<Acc> accs;
  std::unordered_map<std::string, size_t> by_tag;
  size_t null_acc = kNoRow;
  const std::string* last = nullptr;
  size_t last_acc = kNoRow;
  for (size_t i = 0; i < n; ++i) {
    const std::string* t = StringAt(tag, i);
    size_t a;
    if (t == nullptr) {
      if (null_acc == kNoRow) {
        null_acc = accs.size();
        accs.emplace_back();
      }
      a = null_acc;
    } else if (last != nullptr && (last == t || *last == *t)) {
      a = last_acc;
    } else {
      auto [it, inserted] = by_tag.try_emplace(*t, accs.size());
      if (inserted) {
        accs.emplace_back();
        accs.back().range.tag = *t;
      }
      a = it->second;
      last = t;
      last_acc = a;
    }
    Acc& acc = accs[a];
    ++acc.range.rows;
    if (ts == nullptr || ts->IsNull(i)) continue;
    const int64_t v = ts->ints[i];
    if (!acc.range.max_ts || v > *acc.range.max_ts) acc.range.max_ts = v;
    if (!acc.range.min_ts || v < *acc.range.min_ts) acc.range.min_ts = v;
    if (units != nullptr && !units->IsNull(i) &&
        (!acc.range.units_ts || v >= *acc.range.units_ts)) {
      acc.range.units_ts = v;
      acc.units_row = i;
    }
  }
  std::vector<SegmentTagRange> out;
  out.reserve(accs.size());
  for (Acc& acc : accs) {
    if (acc.units_row != kNoRow) acc.range.units = *StringAt(*units, acc.units_row);
    out.push_back(std::move(acc.range));
  }
  std::sort(out.begin(), out.end(), [](const SegmentTagRange& a, const SegmentTagRange& b) {
    return a.tag < b.tag;  // nullopt first
  });
  return out;
}

}  // namespace

std::shared_ptr<const std::vector<SegmentTagRange>> ComputeTagRanges(const Schema& physical,
                                                                     const DataChunk& rows) {
  const int tag_col = Catalog::IndexedTagColumn(physical);
  const int ts_col = Catalog::IndexedTimeColumn(physical);
  const int units_col = UnitsColumn(physical, tag_col);
  if (tag_col < 0 || rows.column_count() != physical.size())
    return std::make_shared<const std::vector<SegmentTagRange>>();
  return std::make_shared<const std::vector<SegmentTagRange>>(Compute(
      rows.columns[static_cast<size_t>(tag_col)],
      ts_col >= 0 ? &rows.columns[static_cast<size_t>(ts_col)] : nullptr,
      units_col >= 0 ? &rows.columns[static_cast<size_t>(units_col)] : nullptr, rows.size()));
}

Result<std::vector<SegmentTagRange>> ReadTagRanges(Env* env, const std::string& table_dir,
                                                   const Schema& physical, const AddAction& add) {
  const int tag_col = Catalog::IndexedTagColumn(physical);
  if (tag_col < 0) return std::vector<SegmentTagRange>();
  const int ts_col = Catalog::IndexedTimeColumn(physical);
  const int units_col = UnitsColumn(physical, tag_col);
  const std::string path = JoinPath(table_dir, add.path);
  if (env->IsSymlink(path))  // invariant (14), transaction_log.cc
    return Status::Corruption(path + " is a symbolic link; tslake never creates links in a table");
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, env->NewRandomAccessFile(path));
  ASSIGN_OR_RETURN(std::unique_ptr<SegmentReader> reader, SegmentReader::Open(file.get()));
  const size_t n = static_cast<size_t>(reader->row_count());
  // A column the file lacks (added later) reads as all NULL.
  auto read = [&](int col, ColumnVector* out) -> Result<bool> {
    if (col < 0) return false;
    const Field& f = physical.fields[static_cast<size_t>(col)];
    int idx = reader->schema().FindField(f.name);
    if (idx < 0 || reader->schema().fields[static_cast<size_t>(idx)].type != f.type) {
      *out = ColumnVector(f.type);
      out->Resize(n);
      return true;
    }
    RETURN_IF_ERROR(reader->ReadColumn(idx, out, /*keep_dictionary=*/true));
    if (out->size() != n)
      return Status::Corruption(path + ": column \"" + f.name + "\" decoded " +
                                std::to_string(out->size()) + " rows, expected " +
                                std::to_string(n));
    return true;
  };
  ColumnVector tag, ts, units;
  RETURN_IF_ERROR(read(tag_col, &tag).status());
  ASSIGN_OR_RETURN(bool has_ts, read(ts_col, &ts));
  ASSIGN_OR_RETURN(bool has_units, read(units_col, &units));
  return Compute(tag, has_ts ? &ts : nullptr, has_units ? &units : nullptr, n);
}

Status SyncCatalogTable(Catalog* catalog, Env* env, const std::string& table_dir,
                        const std::string& table_name, const Snapshot& snapshot,
                        bool only_same_table) {
  Catalog::TagRangesByPath ranges;
  Result<std::set<std::string>> indexed = catalog->IndexedSegmentPaths(table_name);
  if (indexed.ok()) {
    for (const AddAction& add : snapshot.files()) {
      if (indexed->count(add.path)) continue;
      Result<std::vector<SegmentTagRange>> r =
          ReadTagRanges(env, table_dir, snapshot.physical_schema(), add);
      if (!r.ok()) continue;  // left unindexed: the latest-per-tag rule stays off
      ranges.emplace(add.path, std::move(r).value());
    }
  }
  return catalog->SyncTable(table_name, DirName(table_dir), snapshot, &ranges, only_same_table);
}

bool FillMissingTagRanges(Env* env, const std::string& table_dir, const Schema& physical,
                          std::vector<LogAction>* actions) {
  Schema schema = physical;
  for (LogAction& a : *actions) {
    if (const auto* m = std::get_if<MetaDataAction>(&a)) schema = PhysicalSchema(*m);
  }
  bool all = true;
  for (LogAction& a : *actions) {
    auto* add = std::get_if<AddAction>(&a);
    if (add == nullptr || add->tag_ranges != nullptr) continue;
    Result<std::vector<SegmentTagRange>> r = ReadTagRanges(env, table_dir, schema, *add);
    if (!r.ok()) {
      all = false;  // stays unindexed
      continue;
    }
    add->tag_ranges = std::make_shared<const std::vector<SegmentTagRange>>(std::move(r).value());
  }
  return all;
}

bool HasAddWithoutTagRanges(const std::vector<LogAction>& actions) {
  for (const LogAction& a : actions) {
    const auto* add = std::get_if<AddAction>(&a);
    if (add != nullptr && add->tag_ranges == nullptr) return true;
  }
  return false;
}

}  // namespace tsl
