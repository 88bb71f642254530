// TableScan: see table_scan.h. Pruning is conservative: a file is skipped
// only when its stats (min/max per column, null counts, row count) prove
// that no row lies in some range; missing or unusable stats never skip.
#include "storage/table_scan.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>

namespace tsl {
namespace {

// Counts the bytes a SegmentReader pulls from a file (ScanMetrics).
class CountingByteSource final : public ByteSource {
 public:
  CountingByteSource(std::unique_ptr<RandomAccessFile> file, int64_t* counter)
      : file_(std::move(file)), counter_(counter) {}
  uint64_t Size() const override { return file_->Size(); }
  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    Status st = file_->Read(offset, n, out);
    if (st.ok()) *counter_ += static_cast<int64_t>(n);
    return st;
  }
  const std::string& name() const override { return file_->name(); }

 private:
  std::unique_ptr<RandomAccessFile> file_;
  int64_t* counter_;
};

// `v` made comparable with values of column type `type`, or NULL when it
// cannot be (then the range is not used for pruning).
bool Comparable(const Value& v, TypeId type, Value* out) {
  if (v.is_null()) {
    *out = v;
    return true;
  }
  if (v.type() == type || (IsNumeric(v.type()) && IsNumeric(type))) {
    *out = v;
    return true;
  }
  Result<Value> cast = v.CastTo(type);
  if (!cast.ok()) return false;
  *out = *cast;
  return true;
}

// `col` holds the rows of `over`, concatenated; keeps those of `keep` (a
// subset of them), in order, moving values forward in place.
void KeepRanges(ColumnVector* col, const RowRanges& over, const RowRanges& keep) {
  std::vector<std::pair<size_t, size_t>> pieces;  // (position in col, length)
  size_t oi = 0, base = 0;                         // base: position of over[oi].begin
  for (const RowRange& k : keep) {
    size_t b = k.begin;
    while (b < k.end) {
      while (over[oi].end <= b) base += over[oi].end - over[oi].begin, ++oi;
      const size_t e = std::min(k.end, over[oi].end);
      pieces.emplace_back(base + b - over[oi].begin, e - b);
      b = e;
    }
  }
  const auto compact = [&](auto& v) {
    if (v.empty()) return;
    size_t w = 0;
    for (const auto& [src, len] : pieces) {
      if (w != src)
        for (size_t i = 0; i < len; ++i) v[w + i] = std::move(v[src + i]);
      w += len;
    }
    v.resize(w);
  };
  compact(col->valid);
  compact(col->ints);
  compact(col->doubles);
  compact(col->strings);
  compact(col->codes);
}

}  // namespace

bool TableScan::MayMatch(const AddAction& file, const Schema& schema,
                         const std::vector<ScanRange>& ranges) {
  const FileStats& stats = file.stats;
  if (stats.num_records < 0) return true;  // no stats: cannot prune
  if (stats.num_records == 0) return false;
  for (const ScanRange& r : ranges) {
    if (r.column < 0 || static_cast<size_t>(r.column) >= schema.size()) continue;
    const Field& field = schema.fields[r.column];
    auto min = stats.min_values.find(field.name);
    auto max = stats.max_values.find(field.name);
    if (min == stats.min_values.end() || max == stats.max_values.end()) {
      // No bounds: prunable only when every row is NULL (a NULL lies in no range).
      auto nulls = stats.null_count.find(field.name);
      if (nulls != stats.null_count.end() && nulls->second >= stats.num_records) return false;
      continue;
    }
    Value lo, hi;
    if (!Comparable(r.lo, field.type, &lo) || !Comparable(r.hi, field.type, &hi)) continue;
    ZoneMap zm;
    zm.min = min->second;
    zm.max = max->second;
    zm.row_count = stats.num_records;
    auto nulls = stats.null_count.find(field.name);
    zm.null_count = nulls == stats.null_count.end() ? 0 : nulls->second;
    if (!zm.MayContainRange(lo, hi)) return false;
    // A set of strings: one of them must lie in [min, max].
    if (r.one_of && field.type == TypeId::kVarchar && zm.min.type() == TypeId::kVarchar &&
        zm.max.type() == TypeId::kVarchar && !zm.min.is_null() && !zm.max.is_null()) {
      auto at = std::lower_bound(r.one_of->begin(), r.one_of->end(), zm.min.string_value());
      if (at == r.one_of->end() || *at > zm.max.string_value()) return false;
    }
  }
  return true;
}

TableScan::TableScan(Env* env, std::string dir, std::shared_ptr<const Snapshot> snapshot,
                     ScanOptions options, ScanMetrics* metrics,
                     std::vector<const AddAction*> files, std::vector<uint64_t> file_ordinals)
    : env_(env),
      dir_(std::move(dir)),
      snapshot_(std::move(snapshot)),
      options_(std::move(options)),
      metrics_(metrics ? metrics : &local_metrics_),
      files_(std::move(files)),
      file_ordinals_(std::move(file_ordinals)) {
  const Schema& schema = snapshot_->schema();
  if (options_.columns.empty())
    for (size_t i = 0; i < schema.size(); ++i) options_.columns.push_back(static_cast<int>(i));
  for (int c : options_.columns) output_schema_.fields.push_back(schema.fields[c]);
  if (options_.drop_rows_outside_ranges) {
    for (const ScanRange& r : options_.ranges) {
      auto at = std::find(options_.columns.begin(), options_.columns.end(), r.column);
      if (at == options_.columns.end()) continue;
      RowFilter f;
      f.slot = static_cast<size_t>(at - options_.columns.begin());
      const TypeId type = output_schema_.fields[f.slot].type;
      const PhysicalClass cls = PhysicalClassOf(type);
      // The planner gives ranges the column's own type; anything else is
      // left to the caller's filter.
      if (cls == PhysicalClass::kDouble || (!r.lo.is_null() && r.lo.type() != type) ||
          (!r.hi.is_null() && r.hi.type() != type)) {
        continue;
      }
      f.has_lo = !r.lo.is_null();
      f.has_hi = !r.hi.is_null();
      f.strings = cls == PhysicalClass::kString;
      if (f.strings) {
        if (f.has_lo) f.lo_text = r.lo.string_value();
        if (f.has_hi) f.hi_text = r.hi.string_value();
        f.one_of = r.one_of.get();
      } else {
        if (f.has_lo) f.lo_int = r.lo.int_value();
        if (f.has_hi) f.hi_int = r.hi.int_value();
      }
      row_filters_.push_back(std::move(f));
    }
    // A tag's dictionary codes are the cheapest column to narrow by.
    std::stable_partition(row_filters_.begin(), row_filters_.end(), [](const RowFilter& f) { return f.strings; });
  }
  if (options_.top_key && options_.top_key->keep > 0) {
    auto at = std::find(options_.columns.begin(), options_.columns.end(), options_.top_key->column);
    if (at != options_.columns.end()) {
      const size_t slot = static_cast<size_t>(at - options_.columns.begin());
      if (PhysicalClassOf(output_schema_.fields[slot].type) != PhysicalClass::kString)
        top_slot_ = static_cast<int>(slot);
    }
  }
  metrics_->segments_total += static_cast<int64_t>(files_.size());
  for (const AddAction* f : files_) metrics_->bytes_total += f->size;
}

Result<std::unique_ptr<ChunkSource>> TableScan::Make(
    Env* env, std::string dir, std::shared_ptr<const Snapshot> snapshot, ScanOptions options,
    ScanMetrics* metrics, std::optional<std::set<std::string>> candidates) {
  const int n = static_cast<int>(snapshot->schema().size());
  for (int c : options.columns)
    if (c < 0 || c >= n)
      return Status::InvalidArgument("scan column index " + std::to_string(c) +
                                     " is out of range (table has " + std::to_string(n) +
                                     " columns)");
  for (const ScanRange& r : options.ranges)
    if (r.column < 0 || r.column >= n)
      return Status::InvalidArgument("scan range column index " + std::to_string(r.column) +
                                     " is out of range (table has " + std::to_string(n) +
                                     " columns)");
  if (!options.only_rows.empty() && options.only_files.size() != 1)
    return Status::InvalidArgument("a scan of chosen rows (only_rows) reads exactly one file");
  std::vector<const AddAction*> files;
  std::vector<uint64_t> ordinals;
  const FileList& live_files = snapshot->files();
  if (options.only_files.empty()) {
    files.reserve(live_files.size());
    ordinals.reserve(live_files.size());
    for (size_t i = 0; i < live_files.size(); ++i) {
      files.push_back(&live_files[i]);
      ordinals.push_back(i);
    }
  } else {
    std::map<std::string_view, uint64_t> live;
    for (size_t i = 0; i < live_files.size(); ++i) live.emplace(live_files[i].path, i);
    for (const std::string& p : options.only_files) {
      auto it = live.find(p);
      if (it == live.end())
        return Status::NotFound("\"" + p + "\" is not a live file at version " +
                                std::to_string(snapshot->version()));
      files.push_back(&live_files[it->second]);
      ordinals.push_back(it->second);
    }
  }
  auto* scan = new TableScan(env, std::move(dir), std::move(snapshot), std::move(options),
                             metrics, std::move(files), std::move(ordinals));
  if (candidates) {
    scan->candidates_ = std::move(candidates);
    scan->metrics_->used_catalog = true;
  }
  return std::unique_ptr<ChunkSource>(scan);
}

Status TableScan::CheckIdentity(const SegmentReader& reader, const AddAction& file,
                                const std::string& table_id, const std::string& path) {
  if (!reader.table_id().empty() && reader.table_id() != table_id)
    return Status::Corruption(path + ": the segment footer records table id " + reader.table_id() +
                              " but the table's id is " + table_id +
                              " (a segment file copied from another table?)");
  if (!reader.segment_id().empty()) {
    std::string_view name = file.path;
    if (size_t slash = name.rfind('/'); slash != std::string_view::npos)
      name.remove_prefix(slash + 1);
    constexpr std::string_view kSuffix = ".tsl";
    if (name.size() > kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix)
      name.remove_suffix(kSuffix.size());
    if (name != reader.segment_id())
      return Status::Corruption(path + ": the segment footer records segment id " +
                                reader.segment_id() +
                                ", not the file's name (segment files swapped or renamed?)");
  }
  return Status::OK();
}

Status TableScan::CheckNoSymlink(const AddAction& file) {
  // One lstat per file plus one per directory level not seen before.
  size_t slash = file.path.find('/');
  while (slash != std::string::npos) {
    std::string sub = file.path.substr(0, slash);
    if (!checked_dirs_.count(sub)) {
      if (env_->IsSymlink(JoinPath(dir_, sub)))
        return Status::Corruption(
            JoinPath(dir_, file.path) + " (a live file of version " +
            std::to_string(snapshot_->version()) + "): directory \"" + sub +
            "\" is a symbolic link; the log names files inside the table directory and tslake "
            "never creates links there, so the file is refused (replace the link with the "
            "directory it points to)");
      checked_dirs_.insert(std::move(sub));
    }
    slash = file.path.find('/', slash + 1);
  }
  if (env_->IsSymlink(JoinPath(dir_, file.path)))
    return Status::Corruption(
        JoinPath(dir_, file.path) + " (a live file of version " +
        std::to_string(snapshot_->version()) +
        ") is a symbolic link; the log names files inside the table directory and tslake "
        "never creates links there, so the file is refused (replace the link with the file)");
  return Status::OK();
}

Status TableScan::OpenError(const std::string& path, const Status& st) const {
  if (env_->FileExists(path)) return st;
  return Status::NotFound(
      "data file " + path + " of version " + std::to_string(snapshot_->version()) +
      " no longer exists: VACUUM removes files that only versions " +
      "older than its retention window need (or the file was lost); query a newer version " +
      "(DESCRIBE HISTORY lists them) or the latest");
}

Result<bool> TableScan::OpenNextFile() {
  const Schema& physical = snapshot_->physical_schema();
  while (next_file_ < files_.size()) {
    const AddAction& file = *files_[next_file_++];
    if ((candidates_ && !candidates_->count(file.path)) ||
        !MayMatch(file, physical, options_.ranges) ||
        (options_.skip_file && (*options_.skip_file)(file))) {
      ++metrics_->segments_skipped;
      continue;
    }
    ++metrics_->segments_scanned;
    std::string path = JoinPath(dir_, file.path);
    RETURN_IF_ERROR(CheckNoSymlink(file));
    Result<std::unique_ptr<RandomAccessFile>> opened = env_->NewRandomAccessFile(path);
    if (!opened.ok()) return OpenError(path, opened.status());
    std::unique_ptr<RandomAccessFile> raw = std::move(opened).value();
    CountingByteSource source(std::move(raw), &metrics_->bytes_read);
    ASSIGN_OR_RETURN(std::unique_ptr<SegmentReader> reader, SegmentReader::Open(&source));
    RETURN_IF_ERROR(CheckIdentity(*reader, file, snapshot_->metadata().id, path));
    if (file.stats.num_records >= 0 && reader->row_count() != file.stats.num_records)
      return Status::Corruption(path + ": segment has " + std::to_string(reader->row_count()) +
                                " rows but the log's add action says " +
                                std::to_string(file.stats.num_records));
    rows_ = static_cast<size_t>(reader->row_count());
    pos_ = 0;
    file_ordinal_ = file_ordinals_[next_file_ - 1];
    RETURN_IF_ERROR(ReadColumns(*reader, path));
    if (rows_ > 0) return true;
  }
  return false;
}

Status TableScan::ReadColumns(const SegmentReader& reader, const std::string& path) {
  const Schema& table_schema = snapshot_->schema();
  const Schema& physical = snapshot_->physical_schema();
  const size_t ncols = options_.columns.size();
  const size_t file_rows = rows_;
  std::vector<int> index(ncols, -1);  // the column in the segment; -1: added after it was written
  for (size_t i = 0; i < ncols; ++i) {
    const Field& want = table_schema.fields[options_.columns[i]];
    const int idx = reader.schema().FindField(physical.fields[options_.columns[i]].name);
    if (idx >= 0 && reader.schema().fields[idx].type != want.type)
      return Status::Corruption(path + ": column \"" + want.name + "\" is " +
                                std::string(TypeName(reader.schema().fields[idx].type)) +
                                " in the segment but " + std::string(TypeName(want.type)) + " in the table");
    index[i] = idx;
  }
  columns_.assign(ncols, ColumnVector());
  const RowRanges all = {{0, file_rows}};
  std::vector<RowRanges> over(ncols);  // the rows each decoded column holds
  std::vector<bool> read(ncols, false);
  const auto read_column = [&](size_t i, const RowRanges& ranges) -> Status {
    ColumnVector& col = columns_[i];
    const size_t n = RowRangesSize(ranges);
    if (index[i] < 0) {
      col = ColumnVector(output_schema_.fields[i].type);
      col.Resize(n);
    } else {
      // A dictionary-encoded string column stays (dictionary, codes) until
      // Next() emits it: no string per row for the whole file.
      RETURN_IF_ERROR(ranges == all ? reader.ReadColumn(index[i], &col, /*keep_dictionary=*/true)
                                    : reader.ReadColumnRanges(index[i], ranges, &col, /*keep_dictionary=*/true));
      if (col.size() != n)
        return Status::Corruption(path + ": column \"" + output_schema_.fields[i].name + "\" decoded " +
                                  std::to_string(col.size()) + " rows, expected " + std::to_string(n));
    }
    read[i] = true;
    over[i] = ranges;
    return Status::OK();
  };
  // Each filtered column is decoded over the rows still possible and
  // narrows them (all filters on one column at once).
  // The first, when it is a dictionary-encoded VARCHAR, is matched on its
  // encoded ids (a sorted tag column: one check per run) and decoded later
  // with the other columns, over the kept ranges only.
  RowRanges keep = all;
  if (!options_.only_rows.empty()) {
    RETURN_IF_ERROR(CheckRowRanges(options_.only_rows, file_rows));
    keep = options_.only_rows;
  }
  std::vector<bool> applied(ncols, false);
  for (size_t f = 0; f < row_filters_.size() && !keep.empty(); ++f) {
    const size_t slot = row_filters_[f].slot;
    if (applied[slot]) continue;
    applied[slot] = true;
    if (row_filters_[f].strings && keep == all && index[slot] >= 0) {
      bool used = false;
      RowRanges matched;
      RETURN_IF_ERROR(reader.MatchDictionaryRanges(
          index[slot], [&](std::string_view s) { return TextPasses(slot, s); }, &matched, &used));
      if (used) {
        keep = std::move(matched);
        continue;
      }
    }
    RETURN_IF_ERROR(read_column(slot, keep));
    keep = PassingRanges(slot, columns_[slot], keep);
  }
  // A top-N's key: only the rows among this file's best (see TopKey).
  if (top_slot_ >= 0 && !keep.empty() && RowRangesSize(keep) > options_.top_key->keep) {
    const size_t slot = static_cast<size_t>(top_slot_);
    if (!read[slot]) RETURN_IF_ERROR(read_column(slot, keep));
    if (over[slot] != keep) KeepRanges(&columns_[slot], over[slot], keep);
    over[slot] = keep;
    keep = TopKeyRanges(columns_[slot], keep);
  }
  // The other columns: over the kept ranges, or in full (then cut) when
  // they hold most of the rows and a range decode would save little.
  const size_t kept = RowRangesSize(keep);
  if (kept > 0) {
    const RowRanges& rest = kept * 2 > file_rows ? all : keep;
    for (size_t i = 0; i < ncols; ++i)
      if (!read[i]) RETURN_IF_ERROR(read_column(i, rest));
  }
  size_t min_decoded = file_rows;
  for (size_t i = 0; i < ncols; ++i) {
    if (!read[i]) {
      min_decoded = 0;
      continue;
    }
    if (index[i] >= 0) min_decoded = std::min(min_decoded, RowRangesSize(over[i]));
    if (over[i] != keep) KeepRanges(&columns_[i], over[i], keep);
  }
  if (ncols == 0) min_decoded = kept;
  metrics_->rows_dropped += static_cast<int64_t>(file_rows - kept);
  metrics_->rows_skipped_in_segment += static_cast<int64_t>(file_rows - std::max(min_decoded, kept));
  rows_ = kept;
  if (options_.emit_row_ids) {
    kept_ranges_ = std::move(keep);
    id_range_ = 0;
    id_offset_ = 0;
  }
  return Status::OK();
}

namespace {

// NaN after every other value, -0.0 equal to 0.0: the executor's ORDER BY.
inline bool DoubleBefore(double x, double y) {
  if (y != y) return x == x;
  return x < y;
}

}  // namespace

RowRanges TableScan::TopKeyRanges(const ColumnVector& col, const RowRanges& over) const {
  const ScanOptions::TopKey& top = *options_.top_key;
  const bool doubles = PhysicalClassOf(col.type) == PhysicalClass::kDouble;
  const size_t n = col.size();
  size_t nulls = 0;
  for (size_t j = 0; j < n; ++j) nulls += col.valid[j] == 0;
  // NULLs rank ahead of every value (NULLS FIRST) or behind them.
  size_t want = top.keep;  // how many values the bound must leave ahead of or at it
  bool keep_nulls = true;
  if (top.nulls_first) {
    if (nulls >= want) {
      want = 0;  // the best keep rows are all NULL: only NULLs can be kept
    } else {
      want -= nulls;
    }
  } else if (n - nulls >= want) {
    keep_nulls = false;
  } else {
    return over;  // fewer values than keep: every row may be kept
  }
  // The bound: the want-th best value (1-based), by nth_element on a copy.
  RowRanges out;
  const auto add = [&out](size_t row) {
    if (!out.empty() && out.back().end == row) {
      ++out.back().end;
    } else {
      out.push_back({row, row + 1});
    }
  };
  const auto scan_rows = [&](auto passes) {
    size_t j = 0;
    for (const RowRange& r : over)
      for (size_t row = r.begin; row < r.end; ++row, ++j)
        if (col.valid[j] ? passes(j) : keep_nulls) add(row);
  };
  if (want == 0) {
    scan_rows([](size_t) { return false; });
    return out;
  }
  if (doubles) {
    std::vector<double> v;
    v.reserve(n - nulls);
    for (size_t j = 0; j < n; ++j)
      if (col.valid[j]) v.push_back(col.doubles[j]);
    const auto better = [&top](double a, double b) { return top.descending ? DoubleBefore(b, a) : DoubleBefore(a, b); };
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(want - 1), v.end(), better);
    const double bound = v[want - 1];
    scan_rows([&](size_t j) { return !better(bound, col.doubles[j]); });
  } else {
    std::vector<int64_t> v;
    v.reserve(n - nulls);
    for (size_t j = 0; j < n; ++j)
      if (col.valid[j]) v.push_back(col.ints[j]);
    const auto better = [&top](int64_t a, int64_t b) { return top.descending ? a > b : a < b; };
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(want - 1), v.end(), better);
    const int64_t bound = v[want - 1];
    scan_rows([&](size_t j) { return !better(bound, col.ints[j]); });
  }
  return out;
}

bool TableScan::TextPasses(size_t slot, std::string_view s) const {
  for (const RowFilter& f : row_filters_)
    if (f.slot == slot && ((f.has_lo && s < f.lo_text) || (f.has_hi && s > f.hi_text) ||
                           (f.one_of && !std::binary_search(f.one_of->begin(), f.one_of->end(), s))))
      return false;
  return true;
}

RowRanges TableScan::PassingRanges(size_t slot, const ColumnVector& col, const RowRanges& over) const {
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  for (const RowFilter& f : row_filters_) {
    if (f.slot != slot) continue;
    if (f.has_lo) lo = std::max(lo, f.lo_int);
    if (f.has_hi) hi = std::min(hi, f.hi_int);
  }
  const auto text_passes = [&](const std::string& s) { return TextPasses(slot, s); };
  std::vector<uint8_t> code_passes;  // a dictionary entry's answer, computed once
  if (col.dictionary_form) {
    code_passes.resize(col.dictionary.size());
    for (size_t c = 0; c < col.dictionary.size(); ++c) code_passes[c] = text_passes(col.dictionary[c]);
  }
  const bool strings = PhysicalClassOf(col.type) == PhysicalClass::kString;
  RowRanges out;
  size_t j = 0;  // row of col
  for (const RowRange& r : over) {
    for (size_t row = r.begin; row < r.end; ++row, ++j) {
      bool pass;
      if (!col.valid[j]) {
        pass = false;  // NULL lies in no range
      } else if (!strings) {
        pass = col.ints[j] >= lo && col.ints[j] <= hi;
      } else if (col.dictionary_form) {
        pass = col.codes[j] < code_passes.size() && code_passes[col.codes[j]];
      } else {
        pass = text_passes(col.strings[j]);
      }
      if (!pass) continue;
      if (!out.empty() && out.back().end == row) {
        ++out.back().end;
      } else {
        out.push_back({row, row + 1});
      }
    }
  }
  return out;
}

Result<bool> TableScan::Next(DataChunk* out) {
  while (pos_ >= rows_) {
    ASSIGN_OR_RETURN(bool more, OpenNextFile());
    if (!more) {
      columns_.clear();
      out->columns.clear();
      out->columns.resize(output_schema_.size());
      for (size_t i = 0; i < output_schema_.size(); ++i)
        out->columns[i] = ColumnVector(output_schema_.fields[i].type);
      if (options_.emit_row_ids) out->columns.emplace_back(TypeId::kBigint);
      return false;
    }
  }
  size_t end = std::min(rows_, pos_ + kVectorSize);
  out->columns.resize(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    ColumnVector& dst = out->columns[i];
    ColumnVector& src = columns_[i];
    if (src.dictionary_form) {
      // Strings from the dictionary, assigned into dst's existing strings
      // so that a chunk reused across calls reallocates nothing.
      const size_t count = end - pos_;
      if (dst.type != src.type || dst.dictionary_form) {
        dst = ColumnVector(src.type);
      }
      dst.valid.assign(src.valid.begin() + pos_, src.valid.begin() + end);
      dst.strings.resize(count);
      for (size_t j = 0; j < count; ++j) {
        if (dst.valid[j]) {
          dst.strings[j].assign(src.dictionary[src.codes[pos_ + j]]);
        } else {
          dst.strings[j].clear();
        }
      }
      continue;
    }
    dst.type = src.type;
    dst.Clear();
    if (PhysicalClassOf(src.type) == PhysicalClass::kString) {
      // Each row is emitted once: move the strings out instead of copying
      // (a copy is a malloc per row for strings longer than 15 bytes).
      dst.valid.assign(src.valid.begin() + pos_, src.valid.begin() + end);
      dst.strings.assign(std::make_move_iterator(src.strings.begin() + pos_),
                         std::make_move_iterator(src.strings.begin() + end));
    } else {
      dst.AppendRange(src, pos_, end);
    }
  }
  if (options_.emit_row_ids) {
    out->columns.resize(columns_.size() + 1);
    ColumnVector& ids = out->columns.back();
    ids.type = TypeId::kBigint;
    ids.Clear();
    // Rows pos_.. of the file's kept ranges, walked on from the last chunk.
    ids.ints.resize(end - pos_);
    ids.valid.assign(end - pos_, 1);
    const uint64_t base = file_ordinal_ << 32;
    for (size_t j = 0; j < end - pos_; ++j) {
      while (kept_ranges_[id_range_].begin + id_offset_ >= kept_ranges_[id_range_].end) {
        ++id_range_;
        id_offset_ = 0;
      }
      ids.ints[j] = static_cast<int64_t>(base | (kept_ranges_[id_range_].begin + id_offset_++));
    }
  }
  metrics_->rows_produced += static_cast<int64_t>(end - pos_);
  pos_ = end;
  return true;
}

}  // namespace tsl
