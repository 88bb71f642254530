// GroupCommitter: the leader/follower queue and the group commit itself.
// See group_committer.h for the design and the durability promise.
//
// Invariants of a group commit (each asserted or checked below):
//   (1) every file an add names is fsynced, and its directory synced,
//       before Table::CommitActions writes the log entry (PartitionedWriter::
//       Finish, in the appender for its own files, in the leader for merged
//       rows);
//   (2) a flush is marked done only after CommitActions returned, i.e. its
//       version is durable, or with the error that kept it out of any
//       version;
//   (3) a batch id is committed at most once: flushes whose (app id,
//       version) is already in the snapshot are dropped before committing,
//       and storage never retries a commit on top of a version carrying
//       one of its app ids (kConflict makes the leader re-check).
//
// States of a flush: queued (Commit) -> leader (head of the queue) ->
// committing (TakeGroup) -> done (Finish). Followers go queued -> done.
//
// Thread-safety: mu guards the queue and the stats; the leader commits
// without holding mu so new flushes queue meanwhile.
#include "ingest/group_committer.h"

#include "formats/mutex.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <map>

#include "storage/unique_id.h"

namespace tsl {
namespace {

// Bounds the conflict-retry loop (a conflict means another writer committed
// the same app id, or changed the table's metadata).
constexpr int kMaxConflictRetries = 100;

struct Waiter {
  FlushBatch batch;
  std::chrono::steady_clock::time_point enqueued;
  bool done = false;
  Status status;
  FlushResult result;
};

}  // namespace

Result<std::unique_ptr<PartitionedWriter>> NewLayoutWriter(const Table& table,
                                                           const Snapshot& snapshot,
                                                           SegmentWriteOptions defaults,
                                                           int64_t rows_per_segment) {
  Result<TableProperties> props =
      TableProperties::Parse(snapshot.metadata().configuration, snapshot.schema(), defaults);
  if (!props.ok()) return props.status().WithContext("table \"" + table.name() + "\"");
  if (rows_per_segment > 0) props->target_segment_rows = rows_per_segment;
  return std::make_unique<PartitionedWriter>(table.env(), table.dir(), snapshot.physical_schema(),
                                             std::move(props).value(), /*data_change=*/true);
}

struct GroupCommitter::Impl {
  std::shared_ptr<Table> table;
  GroupCommitOptions options;

  mutable tsl::Mutex mu;
  tsl::CondVar cv;
  std::deque<Waiter*> queue GUARDED_BY(mu);
  int attached GUARDED_BY(mu) = 0;
  GroupCommitStats stats GUARDED_BY(mu);

  void RemoveFiles(const std::vector<AddAction>& adds) {
    for (const AddAction& a : adds) (void)table->env()->RemoveFile(JoinPath(table->dir(), a.path));
  }

  // Commits `group` as one version (or drops already committed batches).
  // Sets each waiter's status and result but not `done`.
  void CommitGroup(const std::vector<Waiter*>& group);
};

void GroupCommitter::Impl::CommitGroup(const std::vector<Waiter*>& group) {
  auto fail_all = [&](const Status& st) {
    for (Waiter* w : group) w->status = st;
  };
  Result<std::shared_ptr<const Snapshot>> snap = table->GetSnapshot();
  if (!snap.ok()) {
    for (Waiter* w : group) RemoveFiles(w->batch.written);
    return fail_all(snap.status());
  }
  const Schema schema = (*snap)->schema();
  for (Waiter* w : group) {
    w->result.rows = static_cast<int64_t>(w->batch.rows.size());
    for (const AddAction& a : w->batch.written) w->result.rows += a.stats.num_records;
    w->result.group_flushes = static_cast<int64_t>(group.size());
  }

  std::vector<AddAction> merged;  // files this leader wrote for the group
  for (int attempt = 0;; ++attempt) {
    // (3) Drop batches whose id is already committed.
    const std::map<std::string, int64_t>& apps = (*snap)->app_versions();
    std::vector<Waiter*> live;
    for (Waiter* w : group) {
      if (w->result.already_committed) continue;
      if (w->batch.txn) {
        auto it = apps.find(w->batch.txn->app_id);
        if (it != apps.end() && it->second >= w->batch.txn->version) {
          w->result.already_committed = true;
          w->result.version = -1;
          RemoveFiles(w->batch.written);
          w->batch.written.clear();
          continue;
        }
      }
      live.push_back(w);
    }
    if (live.empty()) {
      RemoveFiles(merged);
      return;
    }

    // Merge the small row batches into segment files (rewritten on a
    // retry, since the set of live flushes may have changed).
    RemoveFiles(merged);
    merged.clear();
    std::unique_ptr<PartitionedWriter> writer;
    for (Waiter* w : live) {
      if (w->batch.rows.size() == 0) continue;
      Status st;
      if (w->batch.rows.column_count() != schema.size()) {
        st = Status::InvalidArgument("flush has " + std::to_string(w->batch.rows.column_count()) +
                                     " columns, table \"" + table->name() + "\" has " +
                                     std::to_string(schema.size()));
      } else if (writer == nullptr) {
        Result<std::unique_ptr<PartitionedWriter>> made =
            NewLayoutWriter(*table, **snap, options.segment_options);
        if (made.ok()) writer = std::move(made).value();
        else st = made.status();
      }
      if (st.ok()) st = writer->Append(w->batch.rows);
      if (!st.ok()) {
        // One bad flush must not sink the others: fail it alone and retry.
        w->status = st;
        w->result.already_committed = true;  // excluded from the next pass
        RemoveFiles(w->batch.written);
        w->batch.written.clear();
        if (writer) writer->RemoveWritten();
        return CommitGroup([&] {
          std::vector<Waiter*> rest;
          for (Waiter* x : group)
            if (x != w && !x->result.already_committed) rest.push_back(x);
          return rest;
        }());
      }
    }
    if (writer != nullptr) {
      // (1) Finish fsyncs the files and every directory that got one.
      Status st = writer->Finish();
      if (!st.ok()) {
        writer->RemoveWritten();
        for (Waiter* w : live) {
          RemoveFiles(w->batch.written);
          w->status = st;
        }
        return;
      }
      merged = writer->written();
      writer->Release();
    }

    std::vector<LogAction> actions;
    std::map<std::string, int64_t> txns;
    int64_t rows = 0, bytes = 0, files = 0;
    auto add_file = [&](const AddAction& a) {
      rows += a.stats.num_records;
      bytes += a.size;
      ++files;
      actions.emplace_back(a);
    };
    for (Waiter* w : live) {
      for (const AddAction& a : w->batch.written) add_file(a);
      if (w->batch.txn) {
        int64_t& v = txns[w->batch.txn->app_id];
        v = std::max(v, w->batch.txn->version);
      }
    }
    for (const AddAction& a : merged) add_file(a);
    const int64_t now_ms = table->env()->NowMicros() / 1000;
    for (const auto& [app, version] : txns) actions.emplace_back(TxnAction{app, version, now_ms});

    CommitInfoAction info;
    info.operation = live.front()->batch.operation;
    info.operation_parameters["mode"] = "Append";
    if (live.size() > 1) info.operation_parameters["groupedFlushes"] = std::to_string(live.size());
    // (3) storage's conflict rule (c) refuses to retry this commit on top
    // of a version carrying one of its app ids; the leader then re-checks.
    info.is_blind_append = true;
    info.operation_metrics["numFiles"] = std::to_string(files);
    info.operation_metrics["numOutputRows"] = std::to_string(rows);
    info.operation_metrics["numOutputBytes"] = std::to_string(bytes);

    std::string first_file;
    for (const LogAction& a : actions)
      if (const auto* add = std::get_if<AddAction>(&a); add && first_file.empty()) first_file = add->path;
    Result<CommitResult> committed =
        table->CommitActions((*snap)->version(), std::move(actions), std::move(info));
    if (committed.ok()) {
      for (Waiter* w : live) w->result.version = committed->version;
      return;
    }
    const Status st = committed.status();
    if (st.IsConflict() && attempt < kMaxConflictRetries) {
      snap = table->GetSnapshot();  // re-check the batch ids on the new version
      if (snap.ok()) continue;
    }
    // Did the version land anyway (a failure after the commit point)?
    bool landed = false;
    if (!st.IsConflict() && st.code() != StatusCode::kInvalidArgument && !first_file.empty()) {
      Result<std::shared_ptr<const Snapshot>> now = table->GetSnapshot();
      landed = !now.ok();  // cannot tell: keep files (orphans are harmless)
      if (now.ok())
        for (const AddAction& f : (*now)->files())
          if (f.path == first_file) landed = true;
      if (landed && now.ok()) {
        for (Waiter* w : live) w->result.version = (*now)->version();
        return;
      }
    }
    if (!landed) {
      for (Waiter* w : live) RemoveFiles(w->batch.written);
      RemoveFiles(merged);
    }
    for (Waiter* w : live) w->status = st;
    return;
  }
}

std::shared_ptr<GroupCommitter> GroupCommitter::ForTable(const std::shared_ptr<Table>& table,
                                                         GroupCommitOptions options) {
  // One committer per table in the process, by Env and directory.
  struct Registry {
    tsl::Mutex mu;
    std::map<std::string, std::weak_ptr<GroupCommitter>> committers GUARDED_BY(mu);
  };
  static Registry registry;
  Registry* r = &registry;
  tsl::MutexLock l(r->mu);
  // The Env distinguishes in-memory databases that share a path.
  const std::string key =
      std::to_string(reinterpret_cast<uintptr_t>(table->env())) + ":" + table->dir();
  std::shared_ptr<GroupCommitter> c = r->committers[key].lock();
  if (!c) {
    c = std::make_shared<GroupCommitter>(table, std::move(options));
    r->committers[key] = c;
    for (auto it = r->committers.begin(); it != r->committers.end();)
      it = it->second.expired() ? r->committers.erase(it) : std::next(it);
  }
  return c;
}

GroupCommitter::GroupCommitter(std::shared_ptr<Table> table, GroupCommitOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->table = std::move(table);
  impl_->options = std::move(options);
}

GroupCommitter::~GroupCommitter() = default;

const std::shared_ptr<Table>& GroupCommitter::table() const { return impl_->table; }
const GroupCommitOptions& GroupCommitter::options() const { return impl_->options; }

void GroupCommitter::Attach() {
  tsl::MutexLock l(impl_->mu);
  ++impl_->attached;
}

void GroupCommitter::Detach() {
  tsl::MutexLock l(impl_->mu);
  --impl_->attached;
  impl_->cv.notify_all();  // a waiting leader may stop collecting
}

GroupCommitStats GroupCommitter::stats() const {
  tsl::MutexLock l(impl_->mu);
  return impl_->stats;
}

Result<FlushResult> GroupCommitter::Commit(FlushBatch batch) {
  Impl& d = *impl_;
  Waiter self;
  self.batch = std::move(batch);
  self.enqueued = std::chrono::steady_clock::now();

  tsl::MutexLock l(d.mu);
  d.queue.push_back(&self);
  d.cv.notify_all();  // a collecting leader may have reached its row limit
  d.cv.wait(l, [&]() REQUIRES(d.mu) { return self.done || d.queue.front() == &self; });
  if (self.done) {
    if (!self.status.ok()) return self.status;
    return self.result;
  }

  // Leader: collect others' flushes for up to the window.
  auto queued_rows = [&]() REQUIRES(d.mu) {
    int64_t n = 0;
    for (Waiter* w : d.queue) n += static_cast<int64_t>(w->batch.rows.size());
    return n;
  };
  if (d.attached > 1 && d.options.window.count() > 0) {
    d.cv.wait_until(l, self.enqueued + d.options.window, [&]() REQUIRES(d.mu) {
      return d.attached <= 1 || queued_rows() >= d.options.max_group_rows;
    });
  }
  std::vector<Waiter*> group;
  int64_t rows = 0;
  for (Waiter* w : d.queue) {
    if (!group.empty() && rows + static_cast<int64_t>(w->batch.rows.size()) > d.options.max_group_rows)
      break;
    rows += static_cast<int64_t>(w->batch.rows.size());
    group.push_back(w);
  }
  l.unlock();

  d.CommitGroup(group);

  l.lock();
  bool any_committed = false;
  for (Waiter* w : group) {
    assert(d.queue.front() == w);
    d.queue.pop_front();
    if (w->status.ok()) {
      if (w->result.already_committed) {
        ++d.stats.skipped_batches;
      } else {
        ++d.stats.flushes;
        d.stats.rows += w->result.rows;
        any_committed = true;
      }
    }
    w->done = true;  // (2) after CommitGroup returned
  }
  if (any_committed) ++d.stats.commits;
  d.cv.notify_all();
  if (!self.status.ok()) return self.status;
  return self.result;
}

}  // namespace tsl
