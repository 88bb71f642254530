// SegmentWriter: builds one immutable segment file (layout in
// formats/segment.md) from DataChunks, in memory, and returns its bytes.
// Storage writes and fsyncs them. Thread-safety: one thread per writer.
#pragma once

#include <string>

#include "formats/column_vector.h"
#include "formats/segment_stats.h"
#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

enum class Compression : uint8_t { kNone = 0, kLz4 = 1, kZstd = 2 };
// "none" | "lz4" | "zstd" (case-insensitive).
Result<Compression> ParseCompression(std::string_view name);
std::string_view CompressionName(Compression c);

struct SegmentWriteOptions {
  Compression compression = Compression::kZstd;
  int zstd_level = 3;
};

class SegmentWriter {
 public:
  SegmentWriter(Schema schema, SegmentWriteOptions options);
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // REQUIRES: chunk columns match the schema's types, in order.
  // kInvalidArgument when they do not.
  Status Append(const DataChunk& chunk);
  // As above; into an empty writer the chunk's columns are taken, not copied.
  Status Append(DataChunk&& chunk);
  int64_t row_count() const;

  // Encodes everything appended so far; the writer is spent afterwards.
  // On success *stats holds the segment's zone maps.
  Result<std::string> Finish(SegmentStats* stats);

 private:
  Status CheckChunk(const DataChunk& chunk) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl
