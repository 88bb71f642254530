// The latest-per-tag marker. See physical_latest_per_tag.h.
#include "query/execution/physical_latest_per_tag.h"

namespace tsl::query {

PhysicalLatestPerTag::PhysicalLatestPerTag(std::unique_ptr<PhysicalOperator> scan,
                                           const std::string& form, size_t segments_read,
                                           int64_t segments_total, int64_t tags)
    : PhysicalOperator(scan->types()) {
  explain_ = "LATEST_PER_TAG (" + form + "; catalog tag index: " + std::to_string(segments_read) +
             " of " + std::to_string(segments_total) + " segments hold the newest row of " +
             std::to_string(tags) + " tags)";
  AddChild(std::move(scan));
}

}  // namespace tsl::query
