// PiWebApiGenerator: writes realistic PI Web API `streamsets/recorded`
// JSON (what `GET streamsets/recorded?webId=...` returns) for N tags x M
// points, for tests, the demo and bench/. Timestamps carry 7 fractional
// digits, as PI writes them; about one point in `digital_state_every` is a
// digital state (`{"Name":"Bad Input","Value":307,"IsSystem":true}` with
// Good false), one in `questionable_every` is Questionable, and one in
// `bad_timestamp_every` has an unparseable Timestamp (a reject). A tag
// whose index is a multiple of `error_stream_every` carries an `Errors`
// entry instead of points. Deterministic for a given seed.
//
// Thread-safety: pure function of its options.
#pragma once

#include <cstdint>
#include <string>

#include "formats/status.h"

namespace tsl {

struct PiGeneratorOptions {
  int64_t tags = 100;
  int64_t points_per_tag = 60;
  int64_t start_micros = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
  int64_t interval_micros = 60LL * 1000000;
  uint64_t seed = 1;
  int64_t digital_state_every = 997;    // 0: none
  int64_t questionable_every = 503;     // 0: none
  int64_t bad_timestamp_every = 0;      // 0: none
  int64_t error_stream_every = 0;       // 0: none
};

// What was written, for checking a load against.
struct PiGeneratorStats {
  int64_t points = 0;         // rows a reader should produce
  int64_t digital_states = 0;
  int64_t rejects = 0;        // bad timestamps + error entries
  int64_t bytes = 0;
};

Result<PiGeneratorStats> WritePiStreamsetsJson(const std::string& path,
                                               const PiGeneratorOptions& options);

}  // namespace tsl
