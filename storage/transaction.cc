// Transaction: see transaction.h. This file collects a change's actions and
// owns the files it writes until the commit lands; the conflict check
// against winning versions is Table::CommitActions's (table.cc), so plain
// CommitActions callers get the same rules.
#include "storage/transaction.h"

#include <cassert>
#include <set>
#include <utility>

#include "storage/partitioned_writer.h"
#include "storage/table_properties.h"

namespace tsl {

struct Transaction::Impl {
  std::shared_ptr<Table> table;
  std::shared_ptr<const Snapshot> read;
  SegmentWriteOptions segment_defaults;
  bool data_change = true;
  int64_t max_segment_rows = 0;  // 0: the table's target_segment_rows
  bool spent = false;
  std::unique_ptr<PartitionedWriter> writer;  // created by the first AddRows
  std::vector<RemoveAction> removes;
  std::set<std::string> removed_paths;
  std::set<std::string> live_paths;  // of the read snapshot, built on first RemoveFile
  std::vector<AddAction> added_files;  // AddFile: not ours to delete
  std::set<std::string> added_paths;
  std::optional<MetaDataAction> metadata;
  std::optional<TxnAction> txn;

  Status CheckOpen() const {
    if (spent) return Status::InvalidArgument("the transaction was already committed or aborted");
    return Status::OK();
  }
};

Transaction::Transaction(std::shared_ptr<Table> table,
                         std::shared_ptr<const Snapshot> read_snapshot)
    : impl_(std::make_unique<Impl>()) {
  impl_->table = std::move(table);
  impl_->read = std::move(read_snapshot);
}

Transaction::~Transaction() { Abort(); }

const Snapshot& Transaction::read_snapshot() const { return *impl_->read; }
int64_t Transaction::read_version() const { return impl_->read->version(); }

void Transaction::SetSegmentDefaults(SegmentWriteOptions options) {
  impl_->segment_defaults = options;
}

void Transaction::SetDataChange(bool data_change) { impl_->data_change = data_change; }

void Transaction::SetMaxSegmentRows(int64_t rows) { impl_->max_segment_rows = rows; }

Status Transaction::RemoveFile(const AddAction& file) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  if (impl_->live_paths.empty())
    for (const AddAction& f : impl_->read->files()) impl_->live_paths.insert(f.path);
  if (!impl_->live_paths.count(file.path))
    return Status::NotFound("\"" + file.path + "\" is not a live file of table \"" +
                            impl_->table->name() + "\" at version " +
                            std::to_string(read_version()));
  if (!impl_->removed_paths.insert(file.path).second)
    return Status::InvalidArgument("\"" + file.path + "\" is removed twice in one transaction");
  RemoveAction rm;
  rm.path = file.path;
  rm.deletion_timestamp = impl_->table->env()->NowMicros() / 1000;
  rm.data_change = impl_->data_change;
  impl_->removes.push_back(std::move(rm));
  return Status::OK();
}

Status Transaction::AddRows(const DataChunk& chunk) {
  return AddRowsImpl(const_cast<DataChunk&>(chunk), /*owned=*/false);
}

Status Transaction::AddRows(DataChunk&& chunk) { return AddRowsImpl(chunk, /*owned=*/true); }

Status Transaction::AddRowsImpl(DataChunk& chunk, bool owned) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  // Rows follow the metaData this transaction sets, if any (CREATE OR
  // REPLACE TABLE, ALTER COLUMN TYPE rewrite every file under the new one).
  const MetaDataAction& meta = impl_->metadata ? *impl_->metadata : impl_->read->metadata();
  const Schema& schema = meta.schema;
  const std::string& name = impl_->table->name();
  if (chunk.column_count() != schema.size())
    return Status::InvalidArgument("table \"" + name + "\" has " + std::to_string(schema.size()) +
                                   " columns but the data has " +
                                   std::to_string(chunk.column_count()));
  for (size_t i = 0; i < schema.size(); ++i)
    if (chunk.columns[i].type != schema.fields[i].type)
      return Status::InvalidArgument("column \"" + schema.fields[i].name + "\" of table \"" +
                                     name + "\" is " + std::string(TypeName(schema.fields[i].type)) +
                                     " but the data has " +
                                     std::string(TypeName(chunk.columns[i].type)));
  // Every column row-aligned with the first, each value array as long as
  // its validity: a reader that built a ragged chunk is a bug to report,
  // never an out-of-bounds read in the writer.
  for (size_t i = 0; i < schema.size(); ++i) {
    const ColumnVector& c = chunk.columns[i];
    size_t values = c.valid.size();
    if (c.dictionary_form) {
      values = c.codes.size();
      for (size_t r = 0; r < values && r < c.valid.size(); ++r)
        if (c.valid[r] && c.codes[r] >= c.dictionary.size())
          return Status::Internal("column \"" + schema.fields[i].name + "\" of the rows for table \"" +
                                  name + "\" has a dictionary code out of range at row " +
                                  std::to_string(r) + "; nothing was written");
    } else {
      switch (PhysicalClassOf(c.type)) {
        case PhysicalClass::kInt64: values = c.ints.size(); break;
        case PhysicalClass::kDouble: values = c.doubles.size(); break;
        case PhysicalClass::kString: values = c.strings.size(); break;
      }
    }
    if (c.size() != chunk.size() || values != c.size())
      return Status::Internal("column \"" + schema.fields[i].name + "\" of the rows for table \"" +
                              name + "\" holds " + std::to_string(c.size()) + " rows (" +
                              std::to_string(values) + " values) but the first column " +
                              std::to_string(chunk.size()) + "; nothing was written");
  }
  if (impl_->writer == nullptr) {
    Result<TableProperties> props =
        TableProperties::Parse(meta.configuration, schema, impl_->segment_defaults);
    if (!props.ok()) return props.status().WithContext("table \"" + name + "\"");
    if (impl_->max_segment_rows > 0 && impl_->max_segment_rows < props->target_segment_rows)
      props->target_segment_rows = impl_->max_segment_rows;
    impl_->writer = std::make_unique<PartitionedWriter>(
        impl_->table->env(), impl_->table->dir(), PhysicalSchema(meta),
        std::move(props).value(), impl_->data_change);
  }
  if (owned) return impl_->writer->Append(std::move(chunk));
  return impl_->writer->Append(static_cast<const DataChunk&>(chunk));
}

Status Transaction::AddFile(AddAction add) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  if (!impl_->added_paths.insert(add.path).second)
    return Status::InvalidArgument("\"" + add.path + "\" is added twice in one transaction");
  add.data_change = impl_->data_change;
  impl_->added_files.push_back(std::move(add));
  return Status::OK();
}

Status Transaction::SetMetadata(MetaDataAction metadata) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  if (metadata.schema.fields.empty())
    return Status::InvalidArgument("table \"" + impl_->table->name() + "\" needs a column");
  if (impl_->writer != nullptr)
    return Status::InvalidArgument("the metaData of a transaction is set before its rows");
  impl_->metadata = std::move(metadata);
  return Status::OK();
}

Status Transaction::SetTxn(std::string app_id, int64_t version) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  const auto& apps = impl_->read->app_versions();
  auto it = apps.find(app_id);
  if (it != apps.end() && version <= it->second)
    return Status::InvalidArgument("application \"" + app_id + "\" already committed version " +
                                   std::to_string(it->second) + " of table \"" +
                                   impl_->table->name() + "\"; version " +
                                   std::to_string(version) + " is not newer");
  TxnAction t;
  t.app_id = std::move(app_id);
  t.version = version;
  t.last_updated = impl_->table->env()->NowMicros() / 1000;
  impl_->txn = std::move(t);
  return Status::OK();
}

Result<CommitResult> Transaction::Commit(std::string operation,
                                         std::map<std::string, std::string> parameters,
                                         std::map<std::string, std::string> metrics) {
  RETURN_IF_ERROR(impl_->CheckOpen());
  impl_->spent = true;
  Impl& t = *impl_;
  if (t.writer != nullptr) {
    Status st = t.writer->Finish();
    if (!st.ok()) {
      t.writer->RemoveWritten();
      return st;
    }
  }
  std::vector<LogAction> actions;
  if (t.metadata) actions.emplace_back(*t.metadata);
  if (t.txn) actions.emplace_back(*t.txn);
  int64_t removed_bytes = 0, removed_rows = 0;
  std::map<std::string, const AddAction*> live;
  for (const AddAction& f : t.read->files()) live[f.path] = &f;
  for (const RemoveAction& rm : t.removes) {
    const AddAction* f = live[rm.path];
    removed_bytes += f->size;
    if (f->stats.num_records > 0) removed_rows += f->stats.num_records;
    actions.emplace_back(rm);
  }
  int64_t added_bytes = 0, added_rows = 0, added_files = 0;
  auto count_add = [&](const AddAction& a) {
    added_bytes += a.size;
    if (a.stats.num_records > 0) added_rows += a.stats.num_records;
    ++added_files;
    actions.emplace_back(a);
  };
  if (t.writer != nullptr)
    for (const AddAction& a : t.writer->written()) count_add(a);
  for (const AddAction& a : t.added_files) count_add(a);

  CommitInfoAction info;
  info.operation = std::move(operation);
  info.operation_parameters = std::move(parameters);
  info.is_blind_append = t.removes.empty() && !t.metadata && t.data_change;
  info.operation_metrics = std::move(metrics);
  auto put = [&](const char* key, int64_t v) {
    info.operation_metrics.emplace(key, std::to_string(v));
  };
  put("numAddedFiles", added_files);
  put("numFiles", added_files);  // the name appends have always reported
  put("numRemovedFiles", static_cast<int64_t>(t.removes.size()));
  put("numOutputRows", added_rows);
  put("numOutputBytes", added_bytes);
  put("numRemovedBytes", removed_bytes);
  put("numRemovedRows", removed_rows);

  Result<CommitResult> result = t.table->CommitActions(read_version(), std::move(actions), info);
  if (t.writer != nullptr && !t.writer->written().empty()) {
    bool committed = result.ok();
    StatusCode code = result.status().code();
    if (!result.ok() && code != StatusCode::kConflict && code != StatusCode::kInvalidArgument &&
        code != StatusCode::kNotSupported) {
      // A failure at or past the log's commit point may have left the
      // version visible: look before deleting what it may name.
      Result<std::shared_ptr<const Snapshot>> now = t.table->GetSnapshot();
      committed = !now.ok();  // cannot tell: keep the files (orphans are harmless)
      if (now.ok())
        for (const AddAction& f : (*now)->files())
          if (f.path == t.writer->written().front().path) committed = true;
    }
    if (committed) {
      t.writer->Release();
    } else {
      t.writer->RemoveWritten();
    }
  }
  return result;
}

Result<Transaction::Staged> Transaction::Stage() {
  RETURN_IF_ERROR(impl_->CheckOpen());
  impl_->spent = true;
  Impl& t = *impl_;
  Staged staged;
  if (t.writer != nullptr) {
    Status st = t.writer->Finish();
    if (!st.ok()) {
      t.writer->RemoveWritten();
      return st;
    }
    staged.added = t.writer->written();
    t.writer->Release();
  }
  for (const RemoveAction& rm : t.removes) staged.removed.push_back(rm.path);
  for (AddAction& a : t.added_files) staged.added.push_back(std::move(a));
  return staged;
}

void Transaction::Abort() {
  impl_->spent = true;
  if (impl_->writer != nullptr) impl_->writer->RemoveWritten();
}

}  // namespace tsl
