// Table, table-function and single-row scans. See physical_table_scan.h.
#include "query/execution/physical_table_scan.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "query/common/query_error.h"
#include "query/common/query_warnings.h"
#include "query/execution/parallel_pipeline.h"
#include "query/execution/query_progress.h"
#include "storage/read_progress.h"
#include "storage/reject_reporter.h"

namespace tsl::query {

PhysicalTableScan::PhysicalTableScan(std::shared_ptr<Table> table,
                                     std::shared_ptr<const Snapshot> snapshot, ScanOptions options,
                                     std::vector<TypeId> types, ExecutionContext ctx)
    : PhysicalOperator(std::move(types)),
      table_(std::move(table)),
      snapshot_(std::move(snapshot)),
      options_(std::move(options)),
      ctx_(ctx) {
  // At planning, so a join's scans are all in the total before either
  // reads (a total growing mid-statement would move the bar backwards).
  CountTotalRows();
}

void PhysicalTableScan::AttachMorsels(std::shared_ptr<MorselQueue> morsels, int worker) {
  morsels_ = std::move(morsels);
  worker_ = worker;
}

std::unique_ptr<PhysicalTableScan> PhysicalTableScan::CopyForWorker(int worker) const {
  // The original counted the rows of every file for all workers: the copy
  // is constructed without the progress, then reports what it reads.
  ExecutionContext uncounted = ctx_;
  uncounted.progress = nullptr;
  auto copy = std::make_unique<PhysicalTableScan>(table_, snapshot_, options_, types_, uncounted);
  copy->ctx_.progress = ctx_.progress;
  copy->AttachMorsels(morsels_, worker);
  return copy;
}

std::unique_ptr<PhysicalTableScan> PhysicalTableScan::Replacement(
    ScanOptions options, std::vector<TypeId> types) const {
  ExecutionContext uncounted = ctx_;
  uncounted.progress = nullptr;
  auto scan = std::make_unique<PhysicalTableScan>(table_, snapshot_, std::move(options),
                                                  std::move(types), uncounted);
  scan->ctx_.progress = ctx_.progress;
  return scan;
}

namespace {

// Rows of the snapshot's live files (all, or those in `only`).
int64_t FileRows(const Snapshot& snapshot, const std::vector<std::string>& only) {
  // A set, not a search per file: LATEST ON may list thousands.
  const std::unordered_set<std::string_view> wanted(only.begin(), only.end());
  int64_t rows = 0;
  for (const AddAction& f : snapshot.files()) {
    if (!wanted.empty() && wanted.count(f.path) == 0) continue;
    rows += std::max<int64_t>(f.stats.num_records, 0);
  }
  return rows;
}

// Rows of morsel `m`, file `path`: the queue lists the snapshot's files in
// order (parallel_pipeline.cc), so index m is tried before a search.
int64_t MorselRows(const Snapshot& snapshot, const std::string& path, int64_t m) {
  const FileList& files = snapshot.files();
  if (m >= 0 && static_cast<size_t>(m) < files.size() && files[static_cast<size_t>(m)].path == path)
    return std::max<int64_t>(files[static_cast<size_t>(m)].stats.num_records, 0);
  return FileRows(snapshot, {path});
}

}  // namespace

void PhysicalTableScan::CountTotalRows() {
  // A parallel scan's morsels are every file of the snapshot, as options_
  // without only_files.
  if (ctx_.progress != nullptr) ctx_.progress->AddTotal(FileRows(*snapshot_, options_.only_files));
}

void PhysicalTableScan::TopUpProgress(int64_t rows_expected) {
  if (ctx_.progress != nullptr) ctx_.progress->AddDone(rows_expected - rows_returned_);
  rows_returned_ = 0;
}

bool PhysicalTableScan::Next(DataChunk* out) {
  if (morsels_) {
    const int64_t m = morsels_->assigned(worker_);
    if (m < 0) return false;
    if (m != open_morsel_) {
      ScanOptions one = options_;
      one.only_files = {morsels_->file(m)};
      source_ = ValueOrThrow(table_->NewScan(snapshot_, std::move(one), &metrics_));
      open_morsel_ = m;
      morsel_done_ = false;
    }
    if (morsel_done_) return false;
  } else if (!source_) {
    source_ = ValueOrThrow(table_->NewScan(snapshot_, options_, &metrics_));
  }
  while (true) {
    ctx_.CheckCancelled();
    // A chunk the caller reuses keeps its columns: the scan assigns into
    // their existing strings instead of allocating new ones per row.
    bool same_types = out->columns.size() == types_.size();
    for (size_t i = 0; same_types && i < types_.size(); ++i) {
      same_types = out->columns[i].type == types_[i];
    }
    if (!same_types) out->Initialize(types_);
    if (!ValueOrThrow(source_->Next(out))) {
      if (!morsel_done_) {
        TopUpProgress(morsels_ ? MorselRows(*snapshot_, morsels_->file(open_morsel_), open_morsel_)
                               : FileRows(*snapshot_, options_.only_files));
      }
      morsel_done_ = true;
      return false;
    }
    if (out->size() > 0) {
      rows_returned_ += static_cast<int64_t>(out->size());
      if (ctx_.progress != nullptr) ctx_.progress->AddDone(static_cast<int64_t>(out->size()));
      return true;
    }
  }
}

bool PhysicalTableScan::AddJoinFilter(ScanRange range) {
  // Not once reading started (a morsel scan opens each morsel with
  // options_, so a parallel probe's worker scan takes the filter before its
  // first Next like a serial one).
  if (source_ || (!options_.ranges.empty() && !options_.drop_rows_outside_ranges)) {
    return false;
  }
  options_.ranges.push_back(std::move(range));
  options_.drop_rows_outside_ranges = true;
  return true;
}

std::string PhysicalTableScan::Explain() const {
  std::string out = "TABLE_SCAN " + table_->name() + " (version " +
                    std::to_string(snapshot_->version()) + ") columns=[";
  const Schema& schema = snapshot_->schema();
  for (size_t i = 0; i < options_.columns.size(); ++i) {
    if (i) out += ", ";
    out += schema.fields[options_.columns[i]].name;
  }
  if (options_.emit_row_ids) out += options_.columns.empty() ? "row_id" : ", row_id";
  out += "]";
  for (const ScanRange& r : options_.ranges) {
    out += " " + schema.fields[r.column].name + " in [" +
           (r.lo.is_null() ? std::string("-inf") : r.lo.ToString()) + ", " +
           (r.hi.is_null() ? std::string("+inf") : r.hi.ToString()) + "]";
    if (r.one_of) out += " (one of " + std::to_string(r.one_of->size()) + " join keys)";
  }
  if (options_.top_key) {
    out += " top-N prefilter: best " + std::to_string(options_.top_key->keep) + " of " +
           schema.fields[options_.top_key->column].name + " per file";
  }
  return out;
}

namespace {

std::vector<TypeId> ProjectedTypes(const Schema& schema, const std::vector<int>& columns) {
  std::vector<TypeId> types;
  for (int c : columns) types.push_back(schema.fields[c].type);
  return types;
}

}  // namespace

PhysicalSourceScan::PhysicalSourceScan(std::unique_ptr<ChunkSource> source, std::string name,
                                       std::vector<int> columns, ExecutionContext ctx)
    : PhysicalOperator(ProjectedTypes(source->schema(), columns)),
      source_(std::move(source)),
      name_(std::move(name)),
      columns_(std::move(columns)),
      ctx_(ctx) {}

PhysicalSourceScan::~PhysicalSourceScan() {
  // A LIMIT may stop the scan early: what it skipped so far still counts.
  if (!reported_) {
    try {
      CollectRejects();
      ReportRejects();
    } catch (...) {  // a destructor must not throw; the warning is lost
    }
  }
}

void PhysicalSourceScan::CollectRejects() {
  auto* reporter = dynamic_cast<RejectReporter*>(source_.get());
  if (reporter == nullptr) return;
  std::vector<RejectedRow> rejects = reporter->TakeRejects();
  if (rejects.empty()) return;
  if (rejected_ == 0) {
    const RejectedRow& r = rejects.front();
    first_reject_ = r.source;
    if (r.line > 0) first_reject_ += " line " + std::to_string(r.line);
    if (!r.location.empty()) first_reject_ += " at " + r.location;
    first_reject_ += ": " + r.reason;
  }
  rejected_ += static_cast<int64_t>(rejects.size());
}

void PhysicalSourceScan::ReportRejects() {
  reported_ = true;
  if (rejected_ == 0 || ctx_.warnings == nullptr) return;
  ctx_.warnings->Add(name_ + " skipped " + std::to_string(rejected_) +
                     (rejected_ == 1 ? " row" : " rows") + " it could not convert (first: " +
                     first_reject_ +
                     "); COPY ... FROM stores such rows in <table>_rejects");
}

bool PhysicalSourceScan::Next(DataChunk* out) {
  std::vector<TypeId> all;
  for (const Field& f : source_->schema().fields) all.push_back(f.type);
  if (!progress_) {
    progress_ = std::make_unique<ReadProgressFollower>(
        ctx_.progress, dynamic_cast<const ReadProgress*>(source_.get()));
  }
  while (true) {
    ctx_.CheckCancelled();
    buffer_.Initialize(all);
    Result<bool> more = source_->Next(&buffer_);
    progress_->Update();
    if (!more.ok()) {
      if (more.status().code() == StatusCode::kInvalidArgument) {
        throw QueryError(ErrorKind::kInvalidInput, more.status().message());
      }
      throw QueryError(more.status());
    }
    CollectRejects();
    if (!*more) {
      if (!reported_) ReportRejects();
      progress_->Finish();
      return false;
    }
    if (buffer_.size() == 0) continue;
    out->columns.clear();
    for (int c : columns_) out->columns.push_back(std::move(buffer_.columns[c]));
    return true;
  }
}

std::string PhysicalSourceScan::Explain() const { return "TABLE_FUNCTION " + name_; }

namespace {

std::vector<TypeId> ChunkTypes(const DataChunk& chunk) {
  std::vector<TypeId> types;
  for (const ColumnVector& c : chunk.columns) types.push_back(c.type);
  return types;
}

}  // namespace

PhysicalChunkScan::PhysicalChunkScan(DataChunk chunk, std::string explain)
    : PhysicalOperator(ChunkTypes(chunk)), chunk_(std::move(chunk)), explain_(std::move(explain)) {}

bool PhysicalChunkScan::Next(DataChunk* out) {
  if (done_ || chunk_.size() == 0) return false;
  done_ = true;
  *out = std::move(chunk_);
  return true;
}

bool PhysicalSingleRow::Next(DataChunk* out) {
  if (done_) return false;
  done_ = true;
  out->Initialize(types_);
  out->columns[0].AppendInt(1);
  return true;
}

}  // namespace tsl::query
