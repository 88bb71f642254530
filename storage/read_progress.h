// ReadProgress: how much of its input a file reader has read, for the
// query progress (query/execution/query_progress.h) of a COPY ... FROM or a
// read_csv scan. Like RejectReporter it lives in storage/ because ingest/
// (the readers) and query/ (the scans) both see storage/ and not each other.
// A ChunkSource that knows its input's size also derives from ReadProgress;
// the scan finds it with dynamic_cast.
//
// Thread-safety: both readings may be called from any thread while the
// source is read on another (a prefetching reader runs on its own thread):
// implementations keep them in atomics.
#pragma once

#include <cstdint>

namespace tsl {

class ReadProgress {
 public:
  virtual ~ReadProgress() = default;
  // Bytes of the input consumed so far.
  virtual int64_t bytes_read() const = 0;
  // The input's size in bytes; <= 0 when unknown (a pipe or a FIFO).
  virtual int64_t bytes_total() const = 0;
};

}  // namespace tsl
