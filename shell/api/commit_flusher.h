// CommitFlusher: the deferred commits of SyncMode::kNormal. An Appender's
// Flush() in that mode marks its AppenderState as "flush requested" and
// returns; the flusher commits every requested flush at least once per
// interval, on its own thread (Options::threads >= 1) or, with no thread,
// when the appender next calls in (CommitIfDue).
//
// Loss window: rows of a Flush() made at time t are committed by
// t + interval + one commit's duration; a power cut before then loses them
// and nothing else (each commit is still the full fsync protocol).
//
// The flusher thread never blocks the appender's writer during a commit:
// under the state's `mu` it only detaches the pending rows (a move), then
// encodes, fsyncs and commits them with `mu` released, so appends go on
// into a fresh buffer meanwhile; `commit_mu` keeps one state's commits in
// order (batch ids are assigned at detach time).
//
// Thread-safety: all CommitFlusher methods are safe from any thread. An
// AppenderState's fields are guarded by its `mu`; lock order is commit_mu,
// then mu; the flusher takes one state's mutexes at a time and never holds
// its own lock while committing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "formats/status.h"
#include "ingest/appender.h"

namespace tslake {

// One tslake::Appender's engine appender plus its deferred-flush request,
// shared with the flusher (which holds it weakly).
struct AppenderState {
  std::mutex commit_mu;  // held across one whole commit of this state's rows
  std::mutex mu;
  std::unique_ptr<tsl::Appender> appender;             // GUARDED_BY(mu); null once closed
  bool flush_requested = false;                        // GUARDED_BY(mu)
  int64_t requested_sequence = -1;                     // GUARDED_BY(mu); -1: the next one
  std::chrono::steady_clock::time_point requested_at;  // GUARDED_BY(mu)
  tsl::Status deferred_error;                          // GUARDED_BY(mu); reported by the next call

  // Commits the requested flush, if any; stores a failure in
  // deferred_error. REQUIRES: commit_mu and mu held (appends wait).
  void CommitRequestedLocked(tsl::FlushResult* result = nullptr);
  // As CommitRequestedLocked, but holds mu only to detach the rows and to
  // record the result, not while committing. REQUIRES: commit_mu held, mu
  // not held.
  void CommitRequested();
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
  // Without a thread: commits `state`'s request once it is `interval` old
  // (skipped while another thread is committing that state's rows).
  // REQUIRES: state->mu held.
  void CommitIfDueLocked(AppenderState* state);

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                                 // GUARDED_BY(mu_)
  std::vector<std::weak_ptr<AppenderState>> states_;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace tslake
