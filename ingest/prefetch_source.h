// PrefetchSource: runs another ChunkSource (a file reader) on a thread of
// its own, a few chunks ahead of the consumer, so parsing a file and
// encoding/writing its rows (COPY, an INSERT ... SELECT from read_csv) use
// two cores. Chunks, rejects and errors come out in exactly the order the
// wrapped reader produced them: the wrapped reader still runs on one thread,
// front to back, so line numbers, ON_ERROR and error messages are unchanged.
//
// Memory: at most `depth` chunks (kVectorSize rows each) wait in the queue,
// plus the one the reader is filling.
//
// Rejects: when the wrapped source is a RejectReporter, its rejects are
// taken after each of its Next() calls and handed out with that chunk, so
// TakeRejects() after our Next() returns exactly the rejects found while
// producing the rows returned so far (the RejectReporter contract).
//
// Thread-safety: one consumer thread calls Next/TakeRejects/rejected_count;
// the reader thread is the only one touching the wrapped source after
// construction. The destructor stops the reader after its current chunk
// and joins it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "formats/mutex.h"
#include "formats/column_vector.h"
#include "formats/status.h"
#include "storage/read_progress.h"
#include "storage/reject_reporter.h"

namespace tsl {

class PrefetchSource : public ChunkSource, public RejectReporter, public ReadProgress {
 public:
  // Starts reading `source` at once.
  explicit PrefetchSource(std::unique_ptr<ChunkSource> source, size_t depth = 4);
  ~PrefetchSource() override;
  PrefetchSource(const PrefetchSource&) = delete;
  PrefetchSource& operator=(const PrefetchSource&) = delete;

  const Schema& schema() const override { return schema_; }
  // The wrapped source's next chunk (or its error, at the place it occurred).
  Result<bool> Next(DataChunk* out) override;
  std::vector<RejectedRow> TakeRejects() override;
  int64_t rejected_count() const override { return rejected_; }
  // The wrapped reader's (ahead of the chunks handed out by up to `depth`);
  // 0 and -1 when it is no ReadProgress. Any thread (its readings are atomic).
  int64_t bytes_read() const override { return progress_ ? progress_->bytes_read() : 0; }
  int64_t bytes_total() const override { return progress_ ? progress_->bytes_total() : -1; }

 private:
  struct Item {
    DataChunk chunk;
    std::vector<RejectedRow> rejects;
    bool end = false;  // no chunk: the wrapped source ended (rejects only)
  };
  void Run();

  std::unique_ptr<ChunkSource> source_;
  RejectReporter* reporter_;  // source_ as a RejectReporter, or null
  const ReadProgress* progress_;  // source_ as a ReadProgress, or null
  Schema schema_;
  size_t depth_;

  tsl::Mutex mu_;
  tsl::CondVar not_full_, not_empty_;
  std::deque<Item> queue_ GUARDED_BY(mu_);
  bool done_ GUARDED_BY(mu_) = false;     // the reader reached the end or an error
  bool stopped_ GUARDED_BY(mu_) = false;  // the consumer is gone
  Status status_ GUARDED_BY(mu_);         // how the reader ended

  std::vector<RejectedRow> pending_rejects_;  // consumer side
  int64_t rejected_ = 0;
  std::thread thread_;
};

}  // namespace tsl
