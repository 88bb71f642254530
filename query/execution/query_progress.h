// QueryProgress: how far the running statement has read its inputs, as
// DuckDB's duckdb_query_progress: the scans add the size of what they will
// read to total() when they open (a table scan its files' rows, a file
// reader its bytes) and what they have read to done() as they go, topping
// done() up to their share when they end early (pruned segments, filtered
// ranges). Units mix (rows and bytes) when a statement reads a table and a
// file; the percentage is a guide for a progress bar, not a measure.
//
// Thread-safety: the statement's thread (and the workers of a parallel
// aggregate) update it while another thread reads percentage(), as
// Connection::Interrupt may be called from any thread; every field is an
// atomic, so a reading is never torn (done and total may be from slightly
// different instants, which only moves the bar).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "storage/read_progress.h"

namespace tsl::query {

class QueryProgress {
 public:
  // A new statement begins: nothing read, nothing known.
  void Reset() {
    done_.store(0, std::memory_order_relaxed);
    total_.store(0, std::memory_order_relaxed);
  }
  void AddTotal(int64_t units) {
    if (units > 0) total_.fetch_add(units, std::memory_order_relaxed);
  }
  void AddDone(int64_t units) {
    if (units > 0) done_.fetch_add(units, std::memory_order_relaxed);
  }
  int64_t done() const { return done_.load(std::memory_order_relaxed); }
  int64_t total() const { return total_.load(std::memory_order_relaxed); }
  // 0..100, or -1 when nothing measurable runs or the setting
  // enable_progress_bar is off.
  double percentage() const {
    if (!enabled()) return -1;
    const int64_t t = total();
    if (t <= 0) return -1;
    return std::min(100.0, 100.0 * static_cast<double>(done()) / static_cast<double>(t));
  }
  // SET enable_progress_bar = true|false (per connection, as DuckDB's).
  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }
  void set_enabled(bool on) { enabled_.store(on, std::memory_order_relaxed); }
  // SET progress_bar_time = ms (DuckDB's name): how long a statement runs
  // before a progress bar is drawn (per connection, default 2000).
  int64_t bar_delay_ms() const { return bar_delay_ms_.load(std::memory_order_relaxed); }
  void set_bar_delay_ms(int64_t ms) { bar_delay_ms_.store(ms, std::memory_order_relaxed); }
  static constexpr int64_t kDefaultBarDelayMs = 2000;

 private:
  std::atomic<int64_t> done_{0};
  std::atomic<int64_t> total_{0};
  std::atomic<bool> enabled_{true};
  std::atomic<int64_t> bar_delay_ms_{kDefaultBarDelayMs};
};

// Follows one file reader's bytes into a QueryProgress: its size goes to
// the total at construction, Update() adds what it read since, Finish()
// the rest (a reader that stopped early still completes its share). Either
// pointer may be null (then it does nothing). One thread.
class ReadProgressFollower {
 public:
  ReadProgressFollower(QueryProgress* progress, const ReadProgress* reader)
      : progress_(progress), reader_(reader) {
    if (progress_ == nullptr || reader_ == nullptr) return;
    total_ = reader_->bytes_total();
    if (total_ <= 0) {
      reader_ = nullptr;  // a pipe: nothing to measure against
      return;
    }
    progress_->AddTotal(total_);
  }
  void Update() {
    if (reader_ == nullptr) return;
    const int64_t now = std::min(reader_->bytes_read(), total_);
    progress_->AddDone(now - counted_);
    counted_ = std::max(counted_, now);
  }
  void Finish() {
    if (reader_ == nullptr) return;
    progress_->AddDone(total_ - counted_);
    counted_ = total_;
  }

 private:
  QueryProgress* progress_;
  const ReadProgress* reader_;
  int64_t total_ = 0;
  int64_t counted_ = 0;
};

}  // namespace tsl::query
