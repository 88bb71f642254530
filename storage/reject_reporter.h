// RejectedRow and RejectReporter: the side channel through which an ingest
// reader hands back the rows it could not parse or type, so an import goes
// on past a bad row and whoever drives the import (COPY in query/, the
// shell's import, a test) can store them in `<table>_rejects` and count
// them. It lives in storage/ because both ingest/ (the readers) and query/
// (COPY) see storage/ and neither sees the other.
//
// A ChunkSource that can reject rows also derives from RejectReporter; the
// driver finds it with dynamic_cast and calls TakeRejects() after each
// Next() (rejects are those found while producing the rows returned so far).
//
// Thread-safety: as the ChunkSource it belongs to (one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/types.h"

namespace tsl {

struct RejectedRow {
  std::string source;    // file path
  int64_t line = 0;      // 1-based line, or 0 when `location` says where
  std::string location;  // JSON path ("$.Items[3].Items[7]") or "" for line-based formats
  std::string raw;       // the offending text (truncated to a few KB)
  std::string reason;    // what is wrong, e.g. `"12,5" is not a DOUBLE`
};

class RejectReporter {
 public:
  virtual ~RejectReporter() = default;
  // Moves out the rejects found so far.
  virtual std::vector<RejectedRow> TakeRejects() = 0;
  // Rejects found since the source was opened (taken or not).
  virtual int64_t rejected_count() const = 0;
};

// The schema of a `<table>_rejects` table.
inline Schema RejectTableSchema() {
  return Schema{{{"source", TypeId::kVarchar},
                 {"line", TypeId::kBigint},
                 {"location", TypeId::kVarchar},
                 {"raw", TypeId::kVarchar},
                 {"reason", TypeId::kVarchar}}};
}

// Bytes of raw text kept per reject.
constexpr size_t kMaxRejectRawBytes = 4096;

}  // namespace tsl
