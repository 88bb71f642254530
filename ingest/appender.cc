// Appender: buffering, segment cutting and flushes through the table's
// GroupCommitter (see appender.h). Thread-safety: one thread per Appender.
#include "ingest/appender.h"

#include "formats/storable_values.h"
#include "formats/utf8.h"
#include "storage/table_properties.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tsl {

Appender::Appender(std::shared_ptr<GroupCommitter> committer, AppenderOptions options,
                   std::shared_ptr<const Snapshot> snapshot, int64_t last_sequence)
    : committer_(std::move(committer)),
      options_(std::move(options)),
      snapshot_(std::move(snapshot)),
      schema_(snapshot_->schema()),
      last_sequence_(last_sequence),
      reserved_sequence_(last_sequence) {
  for (const Field& f : schema_.fields) types_.push_back(f.type);
  Result<TableProperties> props =
      TableProperties::Parse(snapshot_->metadata().configuration, schema_);
  handoff_rows_ = options_.rows_per_segment;
  if (handoff_rows_ <= 0) handoff_rows_ = props.ok() ? props->target_segment_rows : kMergeRows;
  // Unparsable properties fail the first flush's writer anyway; validate
  // as unpartitioned meanwhile.
  validator_ = RowValidator(schema_, props.ok() ? props->partition : PartitionSpec());
  buffer_.Initialize(types_);
  committer_->Attach();
}

Result<std::unique_ptr<Appender>> Appender::Open(std::shared_ptr<GroupCommitter> committer,
                                                 AppenderOptions options) {
  if (committer == nullptr) return Status::InvalidArgument("Appender::Open needs a committer");
  if (options.rows_per_segment < 0)
    return Status::InvalidArgument("Appender: rows_per_segment must not be negative");
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, committer->table()->GetSnapshot());
  int64_t last = -1;
  if (!options.app_id.empty()) {
    auto it = snap->app_versions().find(options.app_id);
    if (it != snap->app_versions().end()) last = it->second;
  }
  return std::unique_ptr<Appender>(
      new Appender(std::move(committer), std::move(options), std::move(snap), last));
}

Result<std::unique_ptr<Appender>> Appender::Open(const std::shared_ptr<Table>& table,
                                                 AppenderOptions options) {
  return Open(GroupCommitter::ForTable(table), std::move(options));
}

Appender::~Appender() {
  Discard();
  committer_->Detach();
}

int64_t Appender::pending_rows() const {
  int64_t n = static_cast<int64_t>(buffer_.size());
  if (writer_) n += writer_->rows();
  return n;
}

Status Appender::AppendRow(const std::vector<Value>& row) {
  if (row.size() != schema_.size())
    return Status::InvalidArgument("row has " + std::to_string(row.size()) + " values but table \"" +
                                   committer_->table()->name() + "\" has " +
                                   std::to_string(schema_.size()) + " columns");
  // Convert every value first so a bad one leaves the buffer unchanged.
  Value converted[16];
  std::vector<Value> spill;
  Value* vals = converted;
  if (row.size() > 16) {
    spill.resize(row.size());
    vals = spill.data();
  }
  for (size_t i = 0; i < row.size(); ++i) {
    const TypeId want = types_[i];
    if (row[i].is_null()) {
      vals[i] = Value::Null(want);
    } else if (row[i].type() == want) {
      vals[i] = row[i];
    } else {
      Result<Value> c = ConvertExactly(row[i], want);
      if (!c.ok())
        return Status::InvalidArgument("column \"" + schema_.fields[i].name + "\": " +
                                       c.status().message());
      vals[i] = std::move(*c);
    }
    RETURN_IF_ERROR(validator_.CheckValue(i, vals[i]));
  }
  for (size_t i = 0; i < row.size(); ++i) buffer_.columns[i].AppendValue(vals[i]);
  return AfterAppend();
}

namespace {

Status CheckChunk(const DataChunk& chunk, const Schema& schema, const std::string& table) {
  if (chunk.column_count() != schema.size())
    return Status::InvalidArgument("batch has " + std::to_string(chunk.column_count()) +
                                   " columns but table \"" + table + "\" has " +
                                   std::to_string(schema.size()));
  for (size_t i = 0; i < schema.size(); ++i) {
    if (chunk.columns[i].type != schema.fields[i].type)
      return Status::InvalidArgument("column \"" + schema.fields[i].name + "\" of table \"" +
                                     table + "\" is " +
                                     std::string(TypeName(schema.fields[i].type)) +
                                     " but the batch has " +
                                     std::string(TypeName(chunk.columns[i].type)));
    if (chunk.columns[i].size() != chunk.size())
      return Status::InvalidArgument("batch columns differ in length (column \"" +
                                     schema.fields[i].name + "\")");
  }
  return CheckStorableValues(chunk, schema, "table \"" + table + "\" batch");
}

}  // namespace

Status Appender::AppendChunk(const DataChunk& chunk) {
  RETURN_IF_ERROR(CheckChunk(chunk, schema_, committer_->table()->name()));
  RETURN_IF_ERROR(validator_.CheckChunk(chunk));
  if (chunk.size() == 0) return Status::OK();
  for (size_t c = 0; c < chunk.column_count(); ++c)
    buffer_.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
  return AfterAppend();
}

Status Appender::AppendChunk(DataChunk&& chunk) {
  RETURN_IF_ERROR(CheckChunk(chunk, schema_, committer_->table()->name()));
  RETURN_IF_ERROR(validator_.CheckChunk(chunk));
  if (chunk.size() == 0) return Status::OK();
  if (buffer_.size() == 0 && writer_ == nullptr) {
    std::swap(buffer_, chunk);
    return AfterAppend();
  }
  for (size_t c = 0; c < chunk.column_count(); ++c) {
    ColumnVector& dst = buffer_.columns[c];
    ColumnVector& src = chunk.columns[c];
    if (PhysicalClassOf(dst.type) == PhysicalClass::kString) {
      dst.valid.insert(dst.valid.end(), src.valid.begin(), src.valid.end());
      for (std::string& s : src.strings) dst.strings.push_back(std::move(s));
    } else {
      dst.AppendRange(src, 0, src.size());
    }
  }
  return AfterAppend();
}

Status Appender::EnsureWriter() {
  if (writer_ != nullptr) return Status::OK();
  ASSIGN_OR_RETURN(writer_, NewLayoutWriter(*committer_->table(), *snapshot_,
                                            committer_->options().segment_options,
                                            options_.rows_per_segment));
  return Status::OK();
}

Status Appender::AfterAppend() {
  // Hand rows over a whole segment at a time: the writer then copies each
  // row once into an empty buffer instead of regrowing a big one per chunk.
  if (static_cast<int64_t>(buffer_.size()) < std::max<int64_t>(kMergeRows, handoff_rows_))
    return Status::OK();
  RETURN_IF_ERROR(EnsureWriter());
  // The writer takes the buffer's arrays (no copy); a fresh buffer follows.
  Status st = writer_->Append(std::move(buffer_));
  buffer_ = DataChunk();
  buffer_.Initialize(types_);
  return st;
}

Result<FlushResult> Appender::Flush() { return FlushNow(-1); }

Result<FlushResult> Appender::Flush(int64_t sequence) {
  if (options_.app_id.empty())
    return Status::InvalidArgument("Appender::Flush(sequence) needs an app_id");
  if (sequence < 0) return Status::InvalidArgument("batch sequence numbers start at 0");
  return FlushNow(sequence);
}

Result<FlushResult> Appender::FlushNow(int64_t sequence) {
  ASSIGN_OR_RETURN(DetachedFlush d, Detach(sequence));
  const std::optional<TxnAction> txn = d.txn;
  Result<FlushResult> r = CommitDetached(std::move(d));
  if (!r.ok()) {
    DetachFailed();  // a failed flush consumes no sequence
    return r;
  }
  // An empty replay of a batch that committed before.
  if (txn && r->version < 0 && txn->version <= last_sequence_) r->already_committed = true;
  Committed(txn, *r);
  return r;
}

Result<Appender::DetachedFlush> Appender::Detach(int64_t sequence) {
  DetachedFlush d;
  if (!options_.app_id.empty()) {
    if (sequence < 0) sequence = std::max(last_sequence_, reserved_sequence_) + 1;
    reserved_sequence_ = std::max(reserved_sequence_, sequence);
    const int64_t now_ms = committer_->table()->env()->NowMicros() / 1000;
    d.txn = TxnAction{options_.app_id, sequence, now_ms};
  } else if (sequence >= 0) {
    return Status::InvalidArgument("Appender::Flush(sequence) needs an app_id");
  }
  d.committer = committer_;
  d.operation = options_.operation;
  d.writer = std::move(writer_);
  d.rows = std::move(buffer_);
  buffer_ = DataChunk();
  buffer_.Initialize(types_);
  return d;
}

Result<FlushResult> Appender::CommitDetached(DetachedFlush d) {
  FlushBatch batch;
  if (d.writer != nullptr) {
    Status st;
    if (d.rows.size() > 0) st = d.writer->Append(std::move(d.rows));
    if (st.ok()) st = d.writer->Finish();  // fsyncs the files and their directories
    if (!st.ok()) {
      d.writer->RemoveWritten();  // the rows are dropped, as Discard drops them
      return st;
    }
    batch.written = d.writer->written();
    d.writer->Release();  // the committer owns them now
    d.rows = DataChunk();
  }
  // An empty flush commits nothing, not even its batch id: a txn-only
  // version would make a later retry of that sequence (with its rows) look
  // already committed, and every idle flush a version.
  if (batch.written.empty() && d.rows.size() == 0) return FlushResult{};
  batch.rows = std::move(d.rows);
  batch.txn = d.txn;
  batch.operation = std::move(d.operation);
  return d.committer->Commit(std::move(batch));
}

void Appender::Committed(const std::optional<TxnAction>& txn, const FlushResult& result) {
  if (txn && (result.already_committed || result.version >= 0))
    last_sequence_ = std::max(last_sequence_, txn->version);
}

void Appender::Discard() {
  if (writer_ != nullptr) writer_->RemoveWritten();
  writer_.reset();
  buffer_.Reset();
}

}  // namespace tsl
