// Parallel execution support: the `threads` setting (SET threads = N,
// PRAGMA threads, current_setting('threads'); per database like
// memory_limit, in the current DatabaseConfig (execution/memory_tracker.h),
// default std::thread::hardware_concurrency()), the
// MorselQueue that hands a table scan's segment files to worker threads,
// and the planner hook that splits an aggregate's table scan into one
// scan per worker. Only a hash aggregate over a table scan (with its WHERE
// filter), or over a hash join probing with such a scan
// (physical_hash_join.h), runs on several threads; everything else runs on
// the calling thread, and threads = 1 plans exactly the serial tree.
// Thread-safety: the setting is an atomic; MorselQueue::Claim may be
// called from any thread, slot `worker` only by that worker's thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

// glibc only, once per process (later calls do nothing): keeps freed
// blocks below 16 MiB in malloc's heaps (M_MMAP_THRESHOLD) and up to 64 MiB
// free at a heap's top (M_TRIM_THRESHOLD). A scan decodes each segment
// file into fresh column arrays of a few MiB; with glibc's default dynamic
// thresholds, worker threads' arenas hand those back to the kernel after
// every file and fault them in again (q1 at 1,000 x 8,640: 72k page faults
// and 0.16 s system time with 2 threads, 20k and 0.04 s with this; 36k and
// 10k with one thread). Called by tslake::Database::Open when
// Options::tune_allocator is set (the shell sets it).
void TuneAllocatorForScans();

int DefaultThreads();
// The current config's (execution/memory_tracker.h).
int GetThreads();
// n <= 0: back to the default.
void SetThreads(int n);
// SET threads = '<n>' (value nullopt: RESET). Throws QueryError(kInvalidInput)
// for a value that is not an integer in [1, 1024].
void ApplyThreadsSetting(const std::optional<std::string>& value);

// The segment files of one scan, claimed one at a time by workers in file
// order (a shared atomic cursor). A worker's scan reads the morsel its
// worker claimed last (assigned()).
class MorselQueue {
 public:
  MorselQueue(std::vector<std::string> files, int workers);
  size_t size() const { return files_.size(); }
  int workers() const { return static_cast<int>(assigned_.size()); }
  // Claims the next morsel for `worker`: its index, or -1 when none is
  // left or Stop() was called.
  int64_t Claim(int worker);
  int64_t assigned(int worker) const { return assigned_[static_cast<size_t>(worker)]; }
  const std::string& file(int64_t morsel) const { return files_[static_cast<size_t>(morsel)]; }
  // No more claims (a worker failed).
  void Stop() { stop_.store(true, std::memory_order_relaxed); }

 private:
  std::vector<std::string> files_;
  std::vector<int64_t> assigned_;
  std::atomic<int64_t> next_{0};
  std::atomic<bool> stop_{false};
};

struct WorkerScans {
  std::shared_ptr<MorselQueue> morsels;
  std::vector<std::unique_ptr<PhysicalOperator>> scans;  // workers 1..N-1
};

// For an aggregating `select` (or one without windows whose ORDER BY ...
// LIMIT is a top-N, physical_top_n.h) whose source `scan` is a PhysicalTableScan
// (or, aggregating, a PhysicalHashJoin whose ProbeScan() is one: the other
// workers get probe-only copies of the join over their scans):
// when GetThreads() > 1, the snapshot has at least two live files, and no
// expression holds a subquery and no WHERE range is a tag equality (which
// the catalog index answers better in one scan), makes `scan` worker 0 of a
// MorselQueue and returns the other workers' scans. Otherwise returns
// nothing and leaves `scan` as it was (the serial plan).
WorkerScans SplitScanForWorkers(PhysicalOperator* scan, const BoundSelect& select);

}  // namespace tsl::query
