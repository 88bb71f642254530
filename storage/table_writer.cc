// TableWriter: a blind append, i.e. a Transaction that only adds rows
// (written partitioned and sorted by PartitionedWriter). Files written but
// not committed are removed by Abort, by the destructor, and after a failed
// commit whose version did not land (see Transaction::Commit). After a
// successful commit of a table with a retention property, expired data is
// dropped in a separate "DELETE" version (Table::ApplyRetention); a
// failure there does not fail the acknowledged append (VACUUM retries).
// Thread-safety: one thread per writer.
#include "storage/table.h"

#include <utility>

#include "storage/table_properties.h"
#include "storage/transaction.h"

namespace tsl {

struct TableWriter::Impl {
  std::shared_ptr<Table> table;
  Status init_status;  // error opening the transaction
  std::unique_ptr<Transaction> txn;
  int64_t pending_rows = 0;
  SegmentWriteOptions options;

  Status Begin() {
    Result<std::unique_ptr<Transaction>> t = table->NewTransaction();
    if (!t.ok()) return t.status();
    txn = std::move(t).value();
    txn->SetSegmentDefaults(options);
    return Status::OK();
  }
};

TableWriter::TableWriter(std::shared_ptr<Table> table, SegmentWriteOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->table = std::move(table);
  impl_->options = options;
  impl_->init_status = impl_->Begin();
}

TableWriter::~TableWriter() { Abort(); }

int64_t TableWriter::pending_rows() const { return impl_->pending_rows; }

Status TableWriter::Append(const DataChunk& chunk) {
  RETURN_IF_ERROR(impl_->init_status);
  if (impl_->txn == nullptr) RETURN_IF_ERROR(impl_->Begin());
  RETURN_IF_ERROR(impl_->txn->AddRows(chunk));
  impl_->pending_rows += static_cast<int64_t>(chunk.size());
  return Status::OK();
}

Status TableWriter::Append(DataChunk&& chunk) {
  RETURN_IF_ERROR(impl_->init_status);
  if (impl_->txn == nullptr) RETURN_IF_ERROR(impl_->Begin());
  const int64_t n = static_cast<int64_t>(chunk.size());
  RETURN_IF_ERROR(impl_->txn->AddRows(std::move(chunk)));
  impl_->pending_rows += n;
  return Status::OK();
}

Status TableWriter::SetTxn(std::string app_id, int64_t version) {
  RETURN_IF_ERROR(impl_->init_status);
  if (impl_->txn == nullptr) RETURN_IF_ERROR(impl_->Begin());
  return impl_->txn->SetTxn(std::move(app_id), version);
}

Result<Transaction*> TableWriter::transaction() {
  RETURN_IF_ERROR(impl_->init_status);
  if (impl_->txn == nullptr) RETURN_IF_ERROR(impl_->Begin());
  return impl_->txn.get();
}

Result<CommitResult> TableWriter::Commit(std::string operation,
                                         std::map<std::string, std::string> parameters) {
  RETURN_IF_ERROR(impl_->init_status);
  if (impl_->txn == nullptr) RETURN_IF_ERROR(impl_->Begin());
  std::unique_ptr<Transaction> txn = std::move(impl_->txn);
  impl_->pending_rows = 0;
  parameters.emplace("mode", "Append");
  Result<CommitResult> result = txn->Commit(std::move(operation), std::move(parameters));
  if (result.ok() && result->rows_added > 0) {
    Result<TableProperties> props = impl_->table->Properties();
    if (props.ok() && props->retention_micros) (void)impl_->table->ApplyRetention();
  }
  return result;
}

void TableWriter::Abort() {
  if (impl_->txn != nullptr) impl_->txn->Abort();
  impl_->txn.reset();
  impl_->pending_rows = 0;
}

}  // namespace tsl
