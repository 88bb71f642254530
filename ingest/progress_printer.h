// ProgressPrinter: an import's progress on a terminal, redrawn in place
// ("\r  12345678 rows  48.2 MB/s  41% ETA 12 s") about twice a second, and
// cleared when the import is done so the caller's summary line
// (ImportSummary::ToString) follows on a clean line. Prints nothing when
// the stream is not a terminal, so scripts and CI logs stay clean.
// Thread-safety: one import at a time.
#pragma once

#include <cstdio>

#include "ingest/importer.h"

namespace tsl {

class ProgressPrinter {
 public:
  // `force` draws even when `out` is not a terminal (tests).
  explicit ProgressPrinter(FILE* out, bool force = false);
  void operator()(const ImportProgress& p);
  // The line as drawn for `p` (without "\r").
  static std::string Format(const ImportProgress& p);

 private:
  FILE* out_;
  bool enabled_;
  size_t last_width_ = 0;
};

}  // namespace tsl
