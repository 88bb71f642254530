// MemoryTracker: DuckDB's `memory_limit` for the operators that hold a
// whole input or all groups (hash aggregate, hash join build, sort,
// window). Each such operator keeps a MemoryReservation and resizes it to
// its estimated footprint as it grows; a resize that would take the
// process-wide total over the limit throws an "Out of Memory Error" naming
// the operator, the limit and `SET memory_limit = '...'`, and gives its
// bytes back as the query unwinds, so the session stays usable. The limit
// is process-wide (all engines of the process share it); its default is 80%
// of physical RAM, as DuckDB's.
// Thread-safety: all functions may be called from any thread (atomics); a
// MemoryReservation belongs to one operator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "formats/column_vector.h"

namespace tsl::query {

int64_t DefaultMemoryLimit();
int64_t GetMemoryLimit();
void SetMemoryLimit(int64_t bytes);
// Bytes reserved by running operators, all queries together.
int64_t MemoryReserved();

// DuckDB's memory sizes: "2GB" (1000^i: KB MB GB TB), "512MiB" (1024^i:
// KiB MiB GiB TiB), "100 bytes", case-insensitive, fractions allowed.
// Throws QueryError(kParser) with DuckDB's wording on a bad size.
int64_t ParseMemorySize(std::string_view text);
// DuckDB's display: "1.8 GiB", "512.0 MiB", "100 bytes".
std::string FormatMemorySize(int64_t bytes);

// SET/RESET/PRAGMA name [= value] (value nullopt: RESET) and
// current_setting(name). memory_limit (alias max_memory) and threads
// (alias worker_threads, execution/parallel_pipeline.h) are known; another
// name is DuckDB's Catalog Error.
void ApplySetting(const std::string& name, const std::optional<std::string>& value);
std::string CurrentSetting(const std::string& name);

class MemoryReservation {
 public:
  explicit MemoryReservation(const char* op) : op_(op) {}
  ~MemoryReservation();
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  // Sets this operator's footprint to `bytes`; throws when growing it
  // would cross the limit (the reservation keeps its old size then).
  void Resize(int64_t bytes);
  void Grow(int64_t bytes) { Resize(bytes_ + bytes); }
  int64_t bytes() const { return bytes_; }

 private:
  const char* op_;
  int64_t bytes_ = 0;
};

// An estimate of the heap bytes a chunk holds (values, validity, string
// payloads beyond the small-string buffer).
int64_t ApproxChunkBytes(const DataChunk& chunk);

}  // namespace tsl::query
