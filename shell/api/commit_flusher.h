// CommitFlusher: the deferred commits of SyncMode::kNormal. An Appender's
// Flush() in that mode detaches the rows appended so far as a queued flush
// of its AppenderState and returns; the flusher commits every queued flush at least once per
// interval, on its own thread (Options::threads >= 1) or, with no thread,
// when the appender next calls in (CommitIfDue).
//
// Loss window: rows of a Flush() made at time t are committed by
// t + interval + one commit's duration; a power cut before then loses them
// and nothing else (each commit is still the full fsync protocol).
//
// The flusher thread never blocks the appender's writer during a commit:
// under the state's `mu` it only takes the queue (a move), then encodes,
// fsyncs and commits it with `mu` released, so appends go on into a fresh
// buffer meanwhile; `commit_mu` keeps one state's commits in order (batch
// ids are assigned when Flush() detaches the rows).
//
// Thread-safety: all CommitFlusher methods are safe from any thread. An
// AppenderState's fields are guarded by its `mu`; lock order is commit_mu,
// then mu; the flusher takes one state's mutexes at a time and never holds
// its own lock while committing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "formats/mutex.h"
#include "formats/status.h"
#include "ingest/appender.h"

namespace tslake {

// One tslake::Appender's engine appender plus its deferred flushes, shared
// with the flusher (which holds it weakly).
//
// Invariants (issue 23):
//   (1) a queued flush holds exactly the rows appended before the Flush()
//       that queued it (detached at that call), with that call's batch id:
//       rows appended later are in no queued flush until their own Flush();
//   (2) queued flushes commit in order; when one fails, it and every later
//       one are dropped (files removed) and their sequences forgotten
//       (tsl::Appender::DetachFailed), so a committed sequence never skips
//       over a failed one;
//   (3) while deferred_error is set nothing more commits: the next Flush()
//       or Close() reports it and drops the rows not yet committed.
struct AppenderState {
  tsl::Mutex commit_mu;  // held across one whole commit of this state's rows
  tsl::Mutex mu;
  std::unique_ptr<tsl::Appender> appender GUARDED_BY(mu);  // null once closed
  std::deque<tsl::Appender::DetachedFlush> queued GUARDED_BY(mu);  // oldest first
  std::chrono::steady_clock::time_point requested_at GUARDED_BY(mu);  // of queued.front()
  tsl::Status deferred_error GUARDED_BY(mu);  // reported by the next call
  // Run by CommitRequested after it committed flushes, without mu held
  // (the materialized views over the table catch up; issue 21).
  std::function<void()> after_commit;

  bool flush_requested() const REQUIRES(mu) { return !queued.empty(); }
  // Rows in the queued flushes. REQUIRES: mu held.
  int64_t QueuedRows() const REQUIRES(mu);
  // Detaches the appender's pending rows as a flush with `sequence` (-1:
  // the next) and queues it, merged into the last queued flush when both
  // are small row batches (one version then holds both; its batch id is the
  // later one). REQUIRES: mu held.
  tsl::Status QueueFlushLocked(int64_t sequence) REQUIRES(mu);
  // Drops every queued flush and the pending rows (invariant (3)).
  // REQUIRES: mu held.
  void DropAllLocked() REQUIRES(mu);

  // Commits the queued flushes, if any; stores a failure in
  // deferred_error. REQUIRES: commit_mu and mu held (appends wait).
  void CommitRequestedLocked() REQUIRES(commit_mu, mu);
  // As CommitRequestedLocked, but holds mu only to take the queue and to
  // record the results, not while committing. REQUIRES: commit_mu held,
  // mu not held.
  void CommitRequested() REQUIRES(commit_mu) EXCLUDES(mu);

 private:
  // Records one queued flush's outcome (invariant (2)). REQUIRES: mu held.
  void RecordLocked(const std::optional<tsl::TxnAction>& txn,
                    const tsl::Result<tsl::FlushResult>& r) REQUIRES(mu);
};

class CommitFlusher {
 public:
  // Starts the thread when `start_thread`.
  CommitFlusher(std::chrono::milliseconds interval, bool start_thread);
  // Stops the thread and commits every outstanding request.
  ~CommitFlusher();
  CommitFlusher(const CommitFlusher&) = delete;
  CommitFlusher& operator=(const CommitFlusher&) = delete;

  std::chrono::milliseconds interval() const { return interval_; }
  bool has_thread() const { return thread_.joinable(); }

  void Register(const std::shared_ptr<AppenderState>& state);
  // Commits every requested flush now.
  void CommitAll();
  // Without a thread: commits `state`'s queue once its oldest is `interval` old
  // (skipped while another thread is committing that state's rows).
  // REQUIRES: state->mu held.
  void CommitIfDueLocked(AppenderState* state) REQUIRES(state->mu);

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  tsl::Mutex mu_;
  tsl::CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  std::vector<std::weak_ptr<AppenderState>> states_ GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace tslake
