// CommitFlusher: see commit_flusher.h. Thread-safety: as documented there;
// the flusher's own lock (mu_) only guards the list of states and is never
// held while a state's mutex is taken, so appenders never wait on it.
#include "shell/api/commit_flusher.h"

namespace tslake {

void AppenderState::CommitRequestedLocked(tsl::FlushResult* result) {
  if (!flush_requested || appender == nullptr) return;
  flush_requested = false;
  tsl::Result<tsl::FlushResult> r =
      requested_sequence >= 0 ? appender->Flush(requested_sequence) : appender->Flush();
  requested_sequence = -1;
  if (!r.ok()) {
    // The first failure is the one to report; later ones usually repeat it.
    if (deferred_error.ok()) deferred_error = r.status();
    return;
  }
  if (result) *result = *r;
}

void AppenderState::CommitRequested() {
  tsl::Appender::DetachedFlush detached;
  {
    std::lock_guard<std::mutex> l(mu);
    if (!flush_requested || appender == nullptr) return;
    flush_requested = false;
    tsl::Result<tsl::Appender::DetachedFlush> d = appender->Detach(requested_sequence);
    requested_sequence = -1;
    if (!d.ok()) {
      if (deferred_error.ok()) deferred_error = d.status();
      return;
    }
    detached = std::move(d).value();
  }
  const std::optional<tsl::TxnAction> txn = detached.txn;
  tsl::Result<tsl::FlushResult> r = tsl::Appender::CommitDetached(std::move(detached));
  std::lock_guard<std::mutex> l(mu);
  if (!r.ok()) {
    if (deferred_error.ok()) deferred_error = r.status();
    return;
  }
  // commit_mu kept Close() (which resets `appender`) out meanwhile.
  if (appender != nullptr) appender->Committed(txn, *r);
}

CommitFlusher::CommitFlusher(std::chrono::milliseconds interval, bool start_thread)
    : interval_(interval) {
  if (start_thread) thread_ = std::thread([this] { Run(); });
}

CommitFlusher::~CommitFlusher() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  CommitAll();
}

void CommitFlusher::Register(const std::shared_ptr<AppenderState>& state) {
  std::lock_guard<std::mutex> l(mu_);
  std::erase_if(states_, [](const std::weak_ptr<AppenderState>& w) { return w.expired(); });
  states_.push_back(state);
}

void CommitFlusher::CommitAll() {
  std::vector<std::shared_ptr<AppenderState>> live;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& w : states_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (const auto& s : live) {
    std::lock_guard<std::mutex> c(s->commit_mu);
    s->CommitRequested();
  }
}

void CommitFlusher::CommitIfDueLocked(AppenderState* state) {
  if (has_thread() || !state->flush_requested) return;
  if (std::chrono::steady_clock::now() - state->requested_at < interval_) return;
  // try_lock: mu is held, so waiting for commit_mu could invert the order.
  std::unique_lock<std::mutex> c(state->commit_mu, std::try_to_lock);
  if (c.owns_lock()) state->CommitRequestedLocked();
}

void CommitFlusher::Run() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    // Waiting a full interval after the previous pass bounds every request's
    // wait by one interval plus the pass's own commits.
    cv_.wait_for(l, interval_, [this] { return stop_; });
    if (stop_) break;
    l.unlock();
    CommitAll();
    l.lock();
  }
}

}  // namespace tslake
