// TableWriter: turns appended DataChunks into segment files and commits them
// as one blind-append version. Segments are cut every kRowsPerSegment rows
// and written (and fsynced) as soon as they are full, so memory stays
// bounded by one segment; Commit writes the last one, fsyncs the table
// directory (invariant (1) of transaction_log.cc) and commits the adds.
// Files written but not committed are removed by Abort, by the destructor,
// and after a failed commit whose version did not land; when a commit fails
// at or past the commit point (the version is visible) or it cannot be
// told, they are kept (orphans are harmless, a future VACUUM collects them).
// Thread-safety: one thread per writer.
#include <cassert>

#include "storage/table.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

// Rows per segment file: large enough for good compression and few files,
// small enough to bound the writer's memory.
constexpr int64_t kRowsPerSegment = 1 << 20;

}  // namespace

struct TableWriter::Impl {
  std::shared_ptr<Table> table;
  SegmentWriteOptions options;
  Status init_status;                   // error getting the base snapshot
  std::shared_ptr<const Snapshot> base;  // the version this writer read
  std::unique_ptr<SegmentWriter> segment;
  std::vector<AddAction> written;  // fsynced segment files not yet committed
  int64_t pending_rows = 0;
  bool dir_synced = false;

  Status WriteSegment() {
    SegmentStats stats;
    ASSIGN_OR_RETURN(std::string bytes, segment->Finish(&stats));
    segment.reset();
    AddAction add;
    add.path = NewUniqueId() + ".tsl";
    add.size = static_cast<int64_t>(bytes.size());
    add.modification_time = table->env()->NowMicros() / 1000;
    add.data_change = true;
    add.stats = FileStatsFromSegment(base->schema(), stats);
    Status st = WriteFileSync(table->env(), JoinPath(table->dir(), add.path), bytes);
    if (!st.ok()) {
      (void)table->env()->RemoveFile(JoinPath(table->dir(), add.path));
      return st;
    }
    written.push_back(std::move(add));
    dir_synced = false;
    return Status::OK();
  }

  void RemoveWritten() {
    for (const AddAction& add : written)
      (void)table->env()->RemoveFile(JoinPath(table->dir(), add.path));
    written.clear();
  }
};

TableWriter::TableWriter(std::shared_ptr<Table> table, SegmentWriteOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->table = std::move(table);
  impl_->options = options;
  Result<std::shared_ptr<const Snapshot>> snap = impl_->table->GetSnapshot();
  if (snap.ok()) {
    impl_->base = *snap;
  } else {
    impl_->init_status = snap.status();
  }
}

TableWriter::~TableWriter() { Abort(); }

int64_t TableWriter::pending_rows() const { return impl_->pending_rows; }

Status TableWriter::Append(const DataChunk& chunk) {
  RETURN_IF_ERROR(impl_->init_status);
  const Schema& schema = impl_->base->schema();
  if (chunk.column_count() != schema.size())
    return Status::InvalidArgument("table \"" + impl_->table->name() + "\" has " +
                                   std::to_string(schema.size()) + " columns but the data has " +
                                   std::to_string(chunk.column_count()));
  for (size_t i = 0; i < schema.size(); ++i)
    if (chunk.columns[i].type != schema.fields[i].type)
      return Status::InvalidArgument(
          "column \"" + schema.fields[i].name + "\" of table \"" + impl_->table->name() +
          "\" is " + std::string(TypeName(schema.fields[i].type)) + " but the data has " +
          std::string(TypeName(chunk.columns[i].type)));

  const size_t n = chunk.size();
  size_t done = 0;
  while (done < n) {
    if (impl_->segment == nullptr)
      impl_->segment = std::make_unique<SegmentWriter>(schema, impl_->options);
    size_t room = static_cast<size_t>(kRowsPerSegment - impl_->segment->row_count());
    size_t take = std::min(room, n - done);
    if (done == 0 && take == n) {
      RETURN_IF_ERROR(impl_->segment->Append(chunk));
    } else {  // the chunk straddles a segment boundary: append a slice
      DataChunk part;
      part.columns.resize(chunk.column_count());
      for (size_t c = 0; c < chunk.column_count(); ++c) {
        part.columns[c].type = chunk.columns[c].type;
        part.columns[c].AppendRange(chunk.columns[c], done, done + take);
      }
      RETURN_IF_ERROR(impl_->segment->Append(part));
    }
    done += take;
    impl_->pending_rows += static_cast<int64_t>(take);
    if (impl_->segment->row_count() >= kRowsPerSegment) RETURN_IF_ERROR(impl_->WriteSegment());
  }
  return Status::OK();
}

Result<CommitResult> TableWriter::Commit(std::string operation,
                                         std::map<std::string, std::string> parameters) {
  RETURN_IF_ERROR(impl_->init_status);
  Table& table = *impl_->table;
  if (impl_->segment != nullptr && impl_->segment->row_count() > 0)
    RETURN_IF_ERROR(impl_->WriteSegment());
  impl_->segment.reset();
  if (!impl_->written.empty()) {
    RETURN_IF_ERROR(table.env()->SyncDir(table.dir()));
    impl_->dir_synced = true;
  }
  // Invariant (1): every segment fsynced and its directory synced.
  assert((impl_->written.empty() || impl_->dir_synced) && "invariant (1)");

  std::vector<LogAction> actions;
  int64_t bytes = 0;
  for (const AddAction& add : impl_->written) {
    bytes += add.size;
    actions.emplace_back(add);
  }
  CommitInfoAction info;
  info.operation = std::move(operation);
  info.operation_parameters = std::move(parameters);
  info.operation_parameters.emplace("mode", "Append");
  info.is_blind_append = true;
  info.operation_metrics["numFiles"] = std::to_string(impl_->written.size());
  info.operation_metrics["numOutputRows"] = std::to_string(impl_->pending_rows);
  info.operation_metrics["numOutputBytes"] = std::to_string(bytes);

  Result<CommitResult> result =
      table.CommitActions(impl_->base->version(), std::move(actions), std::move(info));
  if (result.ok()) {
    impl_->written.clear();  // now owned by the table
  } else if (!impl_->written.empty()) {
    // Who owns the files now depends on whether the version landed: a
    // failure before the log's link (the commit point) leaves it unwritten
    // forever, one after it (fsync of _log) leaves it visible. Look.
    StatusCode code = result.status().code();
    bool committed = false;
    if (code != StatusCode::kConflict && code != StatusCode::kInvalidArgument &&
        code != StatusCode::kNotSupported) {
      Result<std::shared_ptr<const Snapshot>> now = table.GetSnapshot();
      committed = !now.ok();  // cannot tell: keep the files (orphans are harmless)
      if (now.ok())
        for (const AddAction& f : (*now)->files())
          if (f.path == impl_->written.front().path) committed = true;
    }
    if (committed) {
      impl_->written.clear();
    } else {
      impl_->RemoveWritten();
    }
  }
  impl_->pending_rows = 0;
  return result;
}

void TableWriter::Abort() {
  impl_->segment.reset();
  impl_->RemoveWritten();
  impl_->pending_rows = 0;
}

}  // namespace tsl
