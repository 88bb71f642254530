// The latest-per-tag rule: a query that only needs each tag's newest row
// reads only the segments holding some tag's greatest ts, which the
// catalog's tag index (storage/catalog.h, LatestTagSegments) names. Forms:
//
//   SELECT tag, max(ts), arg_max(x, ts), last(x ORDER BY ts), ...
//     FROM t [WHERE <tag-only predicates> AND <ts <op> constant>...]
//     GROUP BY tag ...
//   SELECT ... FROM t LATEST ON ts PARTITION BY tag
//   SELECT DISTINCT ON (tag) ... FROM t ORDER BY tag, ts DESC
//
// where tag is the table's first VARCHAR column and ts its first TIMESTAMP
// column (the columns the catalog indexes); the row forms take the same
// WHERE (with a ts range: each tag's newest row inside it). The normal plan
// then runs unchanged over those segments: every tag's newest row is among
// them, so every group's answer is the same (ties in ts may pick another
// of the tied rows, as the normal plan may). The rule stays off unless the
// catalog reflects exactly the snapshot read (no time travel, not stale)
// and indexes every live segment; arg_max(x, ts) also needs x without
// NULLs (arg_max skips them) and the row forms ts without NULLs, by the
// files' null counts. The environment variable
// TSLAKE_DISABLE_LATEST_PER_TAG (any value) turns the rule off, for A/B
// measurements with one binary.
// The operator that marks the rule in EXPLAIN is
// execution/physical_latest_per_tag.h. Thread-safety: stateless.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/binder/bound_select.h"

namespace tsl::query {

struct LatestPerTagPlan {
  std::vector<std::string> files;  // live segment paths to read, in snapshot order
  int64_t segments_total = 0;      // live segments of the snapshot
  int64_t tags = 0;                // tag groups the index knows (NULL tag included)
  std::string form;                // "GROUP BY", "LATEST ON", "DISTINCT ON"
};

// The segments to read when `s` (before its column remapping) has one of
// the forms above and the catalog can answer; nullopt otherwise.
std::optional<LatestPerTagPlan> MatchLatestPerTag(const BoundSelect& s);

}  // namespace tsl::query
