// Deduplicator: keep_first filtering and keep_last replacement on
// (tag, ts) (see duplicate_policy.h). Thread-safety: one import per object.
#include "storage/duplicate_policy.h"

#include <algorithm>
#include <limits>

#include "storage/transaction.h"

namespace tsl {

Result<DuplicatePolicy> GetDuplicatePolicy(const Snapshot& snapshot) {
  const auto& conf = snapshot.metadata().configuration;
  auto it = conf.find("duplicate_policy");
  if (it == conf.end()) return DuplicatePolicy::kKeepAll;
  const std::string v = ToLower(it->second);
  if (v == "keep_all" || v == "none" || v.empty()) return DuplicatePolicy::kKeepAll;
  if (v == "keep_first") return DuplicatePolicy::kKeepFirst;
  if (v == "keep_last") return DuplicatePolicy::kKeepLast;
  return Status::InvalidArgument("table property duplicate_policy = '" + it->second +
                                 "': expected 'keep_all', 'keep_first' or 'keep_last'");
}

Deduplicator::Deduplicator(std::shared_ptr<Table> table, std::shared_ptr<const Snapshot> snapshot,
                           DuplicatePolicy policy, int tag_col, int ts_col)
    : table_(std::move(table)),
      snapshot_(std::move(snapshot)),
      policy_(policy),
      tag_col_(tag_col),
      ts_col_(ts_col) {}

Deduplicator::~Deduplicator() = default;

Result<std::unique_ptr<Deduplicator>> Deduplicator::Make(std::shared_ptr<Table> table,
                                                         std::shared_ptr<const Snapshot> snapshot) {
  ASSIGN_OR_RETURN(DuplicatePolicy policy, GetDuplicatePolicy(*snapshot));
  if (policy == DuplicatePolicy::kKeepAll) return std::unique_ptr<Deduplicator>();
  const Schema& s = snapshot->schema();
  int tag = -1, ts = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.fields[i].type == TypeId::kVarchar &&
        (tag < 0 || (EqualsIgnoreCase(s.fields[i].name, "tag") &&
                     !EqualsIgnoreCase(s.fields[static_cast<size_t>(tag)].name, "tag"))))
      tag = static_cast<int>(i);
    if (IsTimestampType(s.fields[i].type) && ts < 0) ts = static_cast<int>(i);
  }
  if (tag < 0 || ts < 0)
    return Status::InvalidArgument("table " + table->name() +
                                   ": duplicate_policy needs a VARCHAR tag column and a TIMESTAMP "
                                   "column to key rows on; set duplicate_policy = 'keep_all'");
  return std::unique_ptr<Deduplicator>(
      new Deduplicator(std::move(table), std::move(snapshot), policy, tag, ts));
}

std::vector<const AddAction*> Deduplicator::FilesOverlapping(int64_t lo, int64_t hi) const {
  const std::string& name = snapshot_->physical_schema().fields[static_cast<size_t>(ts_col_)].name;
  std::vector<const AddAction*> out;
  for (const AddAction& f : snapshot_->files()) {
    auto mn = f.stats.min_values.find(name);
    auto mx = f.stats.max_values.find(name);
    if (f.stats.num_records == 0) continue;
    if (mn != f.stats.min_values.end() && mx != f.stats.max_values.end() && !mn->second.is_null() &&
        !mx->second.is_null() && (mx->second.int_value() < lo || mn->second.int_value() > hi))
      continue;
    out.push_back(&f);
  }
  return out;
}

Status Deduplicator::LoadExisting(int64_t lo, int64_t hi) {
  std::vector<const AddAction*> files = FilesOverlapping(lo, hi);
  if (files.empty()) return Status::OK();  // (empty only_files would mean every file)
  ScanOptions opts;
  opts.columns = {tag_col_, ts_col_};
  opts.ranges.push_back(ScanRange{ts_col_, Value::Timestamp(lo), Value::Timestamp(hi)});
  for (const AddAction* f : files) opts.only_files.push_back(f->path);
  ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> scan, table_->NewScan(snapshot_, opts));
  DataChunk c;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, scan->Next(&c));
    if (!more) break;
    const ColumnVector& tag = c.columns[0];
    const ColumnVector& ts = c.columns[1];
    for (size_t r = 0; r < c.size(); ++r) {
      if (tag.IsNull(r) || ts.IsNull(r) || ts.ints[r] < lo || ts.ints[r] > hi) continue;
      existing_.insert(Key{tag.strings[r], ts.ints[r]});
    }
  }
  return Status::OK();
}

Status Deduplicator::Add(DataChunk* chunk) {
  const size_t n = chunk->size();
  if (n == 0) return Status::OK();
  const ColumnVector& tag = chunk->columns[static_cast<size_t>(tag_col_)];
  const ColumnVector& ts = chunk->columns[static_cast<size_t>(ts_col_)];
  if (policy_ == DuplicatePolicy::kKeepLast) {
    if (buffer_.columns.empty()) {
      std::vector<TypeId> types;
      for (const ColumnVector& c : chunk->columns) types.push_back(c.type);
      buffer_.Initialize(types);
    }
    const int64_t base = static_cast<int64_t>(buffer_.size());
    for (size_t c = 0; c < chunk->columns.size(); ++c)
      buffer_.columns[c].AppendRange(chunk->columns[c], 0, n);
    for (size_t r = 0; r < n; ++r) {
      if (tag.IsNull(r) || ts.IsNull(r)) continue;
      last_[Key{tag.strings[r], ts.ints[r]}] = base + static_cast<int64_t>(r);
    }
    for (ColumnVector& c : chunk->columns) c.Clear();
    return Status::OK();
  }
  // keep_first: make sure the table's keys of this time range are loaded.
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (size_t r = 0; r < n; ++r) {
    if (ts.IsNull(r)) continue;
    lo = std::min(lo, ts.ints[r]);
    hi = std::max(hi, ts.ints[r]);
  }
  if (lo <= hi) {
    if (!loaded_any_) {
      RETURN_IF_ERROR(LoadExisting(lo, hi));
      loaded_lo_ = lo;
      loaded_hi_ = hi;
      loaded_any_ = true;
    } else {
      if (lo < loaded_lo_) {
        RETURN_IF_ERROR(LoadExisting(lo, loaded_lo_ - 1));
        loaded_lo_ = lo;
      }
      if (hi > loaded_hi_) {
        RETURN_IF_ERROR(LoadExisting(loaded_hi_ + 1, hi));
        loaded_hi_ = hi;
      }
    }
  }
  std::vector<uint32_t> keep;
  keep.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    if (tag.IsNull(r) || ts.IsNull(r)) {
      keep.push_back(static_cast<uint32_t>(r));
      continue;
    }
    Key k{tag.strings[r], ts.ints[r]};
    if (existing_.count(k) || !seen_.insert(std::move(k)).second) continue;
    keep.push_back(static_cast<uint32_t>(r));
  }
  if (keep.size() == n) return Status::OK();
  dropped_ += static_cast<int64_t>(n - keep.size());
  DataChunk out;
  out.columns.resize(chunk->columns.size());
  for (size_t c = 0; c < chunk->columns.size(); ++c) {
    out.columns[c] = ColumnVector(chunk->columns[c].type);
    out.columns[c].AppendSelection(chunk->columns[c], keep);
  }
  *chunk = std::move(out);
  return Status::OK();
}

Status Deduplicator::Finish(Transaction* txn) {
  if (policy_ != DuplicatePolicy::kKeepLast || buffer_.columns.empty()) return Status::OK();
  const ColumnVector& btag = buffer_.columns[static_cast<size_t>(tag_col_)];
  const ColumnVector& bts = buffer_.columns[static_cast<size_t>(ts_col_)];
  const size_t n = buffer_.size();
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  std::vector<uint32_t> keep;
  for (size_t r = 0; r < n; ++r) {
    if (btag.IsNull(r) || bts.IsNull(r)) {
      keep.push_back(static_cast<uint32_t>(r));
      continue;
    }
    if (last_[Key{btag.strings[r], bts.ints[r]}] != static_cast<int64_t>(r)) continue;
    keep.push_back(static_cast<uint32_t>(r));
    lo = std::min(lo, bts.ints[r]);
    hi = std::max(hi, bts.ints[r]);
  }
  dropped_ += static_cast<int64_t>(n - keep.size());

  // Table rows with a key of the import: rewrite their files without them.
  if (lo <= hi) {
    std::vector<int> all;
    for (size_t c = 0; c < snapshot_->schema().size(); ++c) all.push_back(static_cast<int>(c));
    for (const AddAction* f : FilesOverlapping(lo, hi)) {
      ScanOptions opts;
      opts.columns = all;
      opts.only_files = {f->path};
      ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> scan, table_->NewScan(snapshot_, opts));
      std::vector<DataChunk> kept;
      int64_t hits = 0;
      DataChunk c;
      for (;;) {
        ASSIGN_OR_RETURN(bool more, scan->Next(&c));
        if (!more) break;
        const ColumnVector& tag = c.columns[static_cast<size_t>(tag_col_)];
        const ColumnVector& ts = c.columns[static_cast<size_t>(ts_col_)];
        std::vector<uint32_t> sel;
        for (size_t r = 0; r < c.size(); ++r) {
          if (!tag.IsNull(r) && !ts.IsNull(r) && last_.count(Key{tag.strings[r], ts.ints[r]})) {
            ++hits;
            continue;
          }
          sel.push_back(static_cast<uint32_t>(r));
        }
        DataChunk k;
        k.columns.resize(c.columns.size());
        for (size_t i = 0; i < c.columns.size(); ++i) {
          k.columns[i] = ColumnVector(c.columns[i].type);
          k.columns[i].AppendSelection(c.columns[i], sel);
        }
        if (k.size() > 0) kept.push_back(std::move(k));
      }
      if (hits == 0) continue;
      replaced_ += hits;
      RETURN_IF_ERROR(txn->RemoveFile(*f));
      for (const DataChunk& k : kept) RETURN_IF_ERROR(txn->AddRows(k));
    }
  }
  for (size_t begin = 0; begin < keep.size(); begin += kVectorSize) {
    const size_t end = std::min(keep.size(), begin + kVectorSize);
    std::vector<uint32_t> sel(keep.begin() + static_cast<std::ptrdiff_t>(begin),
                              keep.begin() + static_cast<std::ptrdiff_t>(end));
    DataChunk out;
    out.columns.resize(buffer_.columns.size());
    for (size_t c = 0; c < buffer_.columns.size(); ++c) {
      out.columns[c] = ColumnVector(buffer_.columns[c].type);
      out.columns[c].AppendSelection(buffer_.columns[c], sel);
    }
    RETURN_IF_ERROR(txn->AddRows(out));
    added_ += static_cast<int64_t>(out.size());
  }
  buffer_ = DataChunk();
  last_.clear();
  return Status::OK();
}

}  // namespace tsl
