// PrefetchSource: the reader thread and its bounded queue (see
// prefetch_source.h). Thread-safety: queue_, done_, stopped_ and status_
// are guarded by mu_; the rest belongs to one side only.
#include "ingest/prefetch_source.h"

#include "formats/mutex.h"

#include <utility>

namespace tsl {

PrefetchSource::PrefetchSource(std::unique_ptr<ChunkSource> source, size_t depth)
    : source_(std::move(source)),
      reporter_(dynamic_cast<RejectReporter*>(source_.get())),
      progress_(dynamic_cast<const ReadProgress*>(source_.get())),
      schema_(source_->schema()),
      depth_(depth == 0 ? 1 : depth) {
  thread_ = std::thread([this] { Run(); });
}

PrefetchSource::~PrefetchSource() {
  {
    tsl::MutexLock l(mu_);
    stopped_ = true;
  }
  not_full_.notify_all();
  thread_.join();
}

void PrefetchSource::Run() {
  Status st;
  for (;;) {
    Item item;
    Result<bool> more = source_->Next(&item.chunk);
    if (reporter_) item.rejects = reporter_->TakeRejects();
    if (!more.ok()) st = more.status();
    const bool last = !more.ok() || !*more;
    if (last && item.rejects.empty()) break;
    item.end = last;  // rejects found after the last row
    tsl::MutexLock l(mu_);
    not_full_.wait(l, [&]() REQUIRES(mu_) { return queue_.size() < depth_ || stopped_; });
    if (stopped_) return;
    queue_.push_back(std::move(item));
    l.unlock();
    not_empty_.notify_one();
    if (last) break;
  }
  {
    tsl::MutexLock l(mu_);
    done_ = true;
    status_ = std::move(st);
  }
  not_empty_.notify_one();
}

Result<bool> PrefetchSource::Next(DataChunk* out) {
  for (;;) {
    Item item;
    {
      tsl::MutexLock l(mu_);
      not_empty_.wait(l, [&]() REQUIRES(mu_) { return !queue_.empty() || done_; });
      if (queue_.empty()) {
        if (!status_.ok()) return status_;
        return false;
      }
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    not_full_.notify_one();
    rejected_ += static_cast<int64_t>(item.rejects.size());
    for (RejectedRow& r : item.rejects) pending_rejects_.push_back(std::move(r));
    // Rejects found after the last row: the wrapped Next returned false;
    // they wait for TakeRejects() after ours returns false too.
    if (item.end) continue;
    *out = std::move(item.chunk);
    return true;
  }
}

std::vector<RejectedRow> PrefetchSource::TakeRejects() {
  std::vector<RejectedRow> r;
  r.swap(pending_rejects_);
  return r;
}

}  // namespace tsl
