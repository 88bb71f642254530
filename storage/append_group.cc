// CommitAppend: group commit of concurrent blind appends (append_group.h).
// Thread-safety: one queue per table directory, guarded by its mutex; the
// leader commits with the mutex released.
#include "storage/append_group.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

#include "storage/table_properties.h"
#include "storage/transaction.h"

namespace tsl {

namespace {

// Rows a group takes at most (the leader stops adding members past it). An
// enumerator: no symbol of its own in libtslake.a.
enum : int64_t { kMaxGroupRows = int64_t{1} << 20 };

struct Member {
  std::vector<DataChunk> rows;
  int64_t row_count = 0;
  bool done = false;
  Result<CommitResult> result = Status::IOError("not committed");
  std::condition_variable cv;
};

struct Queue {
  std::mutex mu;
  std::deque<Member*> members;  // the head is the leader
};

// Keyed by Env and directory: two in-memory databases may have the same
// table directory name.
std::shared_ptr<Queue> QueueFor(const Table& table) {
  const std::string dir =
      std::to_string(reinterpret_cast<uintptr_t>(table.env())) + ":" + table.dir();
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<Queue>> queues;
  std::lock_guard<std::mutex> l(mu);
  std::shared_ptr<Queue> q = queues[dir].lock();
  if (!q) {
    q = std::make_shared<Queue>();
    queues[dir] = q;
    // Forget queues of tables no one writes any more.
    for (auto it = queues.begin(); it != queues.end();)
      it = it->second.expired() ? queues.erase(it) : std::next(it);
  }
  return q;
}

bool FitsSchema(const std::vector<DataChunk>& rows, const Schema& schema) {
  for (const DataChunk& chunk : rows) {
    if (chunk.column_count() != schema.size()) return false;
    for (size_t i = 0; i < schema.size(); ++i)
      if (chunk.columns[i].type != schema.fields[i].type) return false;
  }
  return true;
}

// The leader's work: one transaction over every member's rows.
// `results` gets each member's outcome.
void CommitGroup(const std::shared_ptr<Table>& table, SegmentWriteOptions options,
                 const std::vector<Member*>& group, std::vector<Result<CommitResult>>* results) {
  results->assign(group.size(), Status::IOError("not committed"));
  Result<std::unique_ptr<Transaction>> opened = table->NewTransaction();
  if (!opened.ok()) {
    for (auto& r : *results) r = opened.status();
    return;
  }
  std::unique_ptr<Transaction> txn = std::move(opened).value();
  txn->SetSegmentDefaults(options);
  const Schema& schema = txn->read_snapshot().schema();
  std::vector<size_t> in;  // members whose rows are in the transaction
  for (size_t i = 0; i < group.size(); ++i) {
    if (!FitsSchema(group[i]->rows, schema)) {
      (*results)[i] = Status::Conflict("table \"" + table->name() +
                                       "\" was altered while this INSERT waited to commit; retry it");
      continue;
    }
    in.push_back(i);
  }
  Status added = Status::OK();
  for (size_t i : in) {
    for (DataChunk& chunk : group[i]->rows) {
      added = txn->AddRows(std::move(chunk));
      if (!added.ok()) break;
    }
    if (!added.ok()) break;
  }
  if (!added.ok()) {
    txn->Abort();
    for (size_t i : in) (*results)[i] = added;
    return;
  }
  if (in.empty()) {
    txn->Abort();
    return;
  }
  std::map<std::string, std::string> parameters{{"mode", "Append"}};
  if (in.size() > 1) parameters["statements"] = std::to_string(in.size());
  Result<CommitResult> committed = txn->Commit("WRITE", std::move(parameters));
  if (committed.ok() && committed->rows_added > 0) {
    Result<TableProperties> props = table->Properties();
    if (props.ok() && props->retention_micros) (void)table->ApplyRetention();
  }
  for (size_t i : in) (*results)[i] = committed;
}

}  // namespace

Result<CommitResult> CommitAppend(const std::shared_ptr<Table>& table, SegmentWriteOptions options,
                                  std::vector<DataChunk> rows) {
  std::shared_ptr<Queue> queue = QueueFor(*table);
  Member self;
  for (const DataChunk& c : rows) self.row_count += static_cast<int64_t>(c.size());
  self.rows = std::move(rows);
  std::unique_lock<std::mutex> l(queue->mu);
  queue->members.push_back(&self);
  while (!self.done && queue->members.front() != &self) self.cv.wait(l);
  if (self.done) return std::move(self.result);
  // The leader: every member queued now, up to kMaxGroupRows rows (always
  // itself).
  std::vector<Member*> group;
  int64_t group_rows = 0;
  for (Member* m : queue->members) {
    if (!group.empty() && group_rows + m->row_count > kMaxGroupRows) break;
    group.push_back(m);
    group_rows += m->row_count;
  }
  l.unlock();
  std::vector<Result<CommitResult>> results;
  CommitGroup(table, options, group, &results);
  l.lock();
  for (size_t i = 0; i < group.size(); ++i) {
    queue->members.pop_front();  // the group is the queue's head, in order
    group[i]->result = std::move(results[i]);
    group[i]->done = true;
    if (group[i] != &self) group[i]->cv.notify_one();
  }
  if (!queue->members.empty()) queue->members.front()->cv.notify_one();
  return std::move(self.result);
}

}  // namespace tsl
