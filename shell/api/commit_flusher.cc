// CommitFlusher: see commit_flusher.h. Thread-safety: as documented there;
// the flusher's own lock (mu_) only guards the list of states and is never
// held while a state's mutex is taken, so appenders never wait on it.
#include "shell/api/commit_flusher.h"

#include "formats/mutex.h"

#include <optional>
#include <utility>

namespace tslake {

namespace {

using Queue = std::deque<tsl::Appender::DetachedFlush>;

int64_t RowsOf(const tsl::Appender::DetachedFlush& d) {
  return static_cast<int64_t>(d.rows.size()) + (d.writer ? d.writer->rows() : 0);
}

void Drop(tsl::Appender::DetachedFlush* d) {
  if (d->writer != nullptr) d->writer->RemoveWritten();
  d->writer.reset();
  d->rows = tsl::DataChunk();
}

}  // namespace

int64_t AppenderState::QueuedRows() const {
  int64_t n = 0;
  for (const auto& d : queued) n += RowsOf(d);
  return n;
}

tsl::Status AppenderState::QueueFlushLocked(int64_t sequence) {
  tsl::Result<tsl::Appender::DetachedFlush> d = appender->Detach(sequence);
  if (!d.ok()) return d.status();
  if (queued.empty()) requested_at = std::chrono::steady_clock::now();
  tsl::Appender::DetachedFlush& last = queued.empty() ? *d : queued.back();
  if (!queued.empty() && last.writer == nullptr && d->writer == nullptr) {
    // Two small batches: one version holds both, under the later batch id
    // (sequences increase, so it also covers the earlier one).
    for (size_t c = 0; c < last.rows.column_count(); ++c)
      last.rows.columns[c].AppendRange(d->rows.columns[c], 0, d->rows.size());
    if (d->txn) last.txn = d->txn;
    return tsl::Status::OK();
  }
  queued.push_back(std::move(d).value());
  return tsl::Status::OK();
}

void AppenderState::DropAllLocked() {
  for (auto& d : queued) Drop(&d);
  queued.clear();
  if (appender != nullptr) {
    appender->Discard();
    appender->DetachFailed();
  }
}

void AppenderState::RecordLocked(const std::optional<tsl::TxnAction>& txn,
                                 const tsl::Result<tsl::FlushResult>& r) {
  if (r.ok()) {
    // commit_mu kept Close() (which resets `appender`) out meanwhile.
    if (appender != nullptr) appender->Committed(txn, *r);
    return;
  }
  // (2): flushes queued after the failed one must not commit.
  if (deferred_error.ok()) deferred_error = r.status();
  for (auto& d : queued) Drop(&d);
  queued.clear();
  if (appender != nullptr) appender->DetachFailed();
}

void AppenderState::CommitRequestedLocked() {
  while (!queued.empty() && appender != nullptr && deferred_error.ok()) {
    tsl::Appender::DetachedFlush d = std::move(queued.front());
    queued.pop_front();
    const std::optional<tsl::TxnAction> txn = d.txn;
    RecordLocked(txn, tsl::Appender::CommitDetached(std::move(d)));
  }
}

void AppenderState::CommitRequested() {
  Queue taken;
  {
    tsl::MutexLock l(mu);
    if (appender == nullptr || !deferred_error.ok()) return;  // (3)
    taken.swap(queued);
  }
  for (size_t i = 0; i < taken.size(); ++i) {
    const std::optional<tsl::TxnAction> txn = taken[i].txn;
    tsl::Result<tsl::FlushResult> r = tsl::Appender::CommitDetached(std::move(taken[i]));
    tsl::MutexLock l(mu);
    RecordLocked(txn, r);
    if (!r.ok()) {
      for (size_t j = i + 1; j < taken.size(); ++j) Drop(&taken[j]);  // (2)
      return;
    }
  }
  if (!taken.empty() && after_commit) after_commit();
}

CommitFlusher::CommitFlusher(std::chrono::milliseconds interval, bool start_thread)
    : interval_(interval) {
  if (start_thread) thread_ = std::thread([this] { Run(); });
}

CommitFlusher::~CommitFlusher() {
  {
    tsl::MutexLock l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  CommitAll();
}

void CommitFlusher::Register(const std::shared_ptr<AppenderState>& state) {
  tsl::MutexLock l(mu_);
  std::erase_if(states_, [](const std::weak_ptr<AppenderState>& w) { return w.expired(); });
  states_.push_back(state);
}

void CommitFlusher::CommitAll() {
  std::vector<std::shared_ptr<AppenderState>> live;
  {
    tsl::MutexLock l(mu_);
    for (const auto& w : states_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (const auto& s : live) {
    tsl::MutexLock c(s->commit_mu);
    s->CommitRequested();
  }
}

void CommitFlusher::CommitIfDueLocked(AppenderState* state) {
  if (has_thread() || !state->flush_requested()) return;
  if (std::chrono::steady_clock::now() - state->requested_at < interval_) return;
  // try_lock: mu is held, so waiting for commit_mu could invert the order.
  if (!state->commit_mu.try_lock()) return;
  tsl::MutexLock c(state->commit_mu, std::adopt_lock);
  state->CommitRequestedLocked();
}

void CommitFlusher::Run() {
  tsl::MutexLock l(mu_);
  while (!stop_) {
    // Waiting a full interval after the previous pass bounds every request's
    // wait by one interval plus the pass's own commits.
    cv_.wait_for(l, interval_, [this]() REQUIRES(mu_) { return stop_; });
    if (stop_) break;
    l.unlock();
    CommitAll();
    l.lock();
  }
}

}  // namespace tslake
