// The packed per-tag figures of one segment (`segments.tag_ranges`, a
// BLOB; layout in formats/catalog.md, "The tag index"). One row per
// (segment, tag) cost about as much as the data rows it described when
// each flush writes one row per tag (issue 23 item 5: a 46.6 MB catalog
// beside 4.5 MB of data); packed, a tag costs about 5 bytes.
// Thread-safety: free functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl {

// One tag's rows in one segment; tag_id is tags.id (nullopt: the rows
// whose tag is NULL).
struct PackedTagRange {
  std::optional<int64_t> tag_id;
  std::optional<int64_t> min_ts, max_ts;  // over the tag's non-NULL ts; nullopt when none
  int64_t rows = 0;                       // NULL ts rows included
  std::optional<std::string> units;       // the tag's latest non-NULL units in the segment
  std::optional<int64_t> units_ts;        // its row's ts
  bool operator==(const PackedTagRange&) const = default;
};

// REQUIRES: `ranges` sorted by tag_id, the NULL tag first, ids distinct
// and positive, rows >= 0, min_ts <= max_ts.
std::string PackTagRanges(const std::vector<PackedTagRange>& ranges);
// kCorruption when `blob` is not what PackTagRanges writes.
Result<std::vector<PackedTagRange>> UnpackTagRanges(std::string_view blob);

}  // namespace tsl
