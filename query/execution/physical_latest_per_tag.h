// PhysicalLatestPerTag: marks the latest-per-tag rule
// (planner/latest_per_tag_rule.h) in EXPLAIN above the scan it restricted
// to the segments holding each tag's newest row; passes rows on unchanged.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalLatestPerTag : public PhysicalOperator {
 public:
  // `form`: the query form matched ("GROUP BY", "LATEST ON", "DISTINCT
  // ON"); `segments_read` of `segments_total` live segments hold the newest
  // row of `tags` tags.
  PhysicalLatestPerTag(std::unique_ptr<PhysicalOperator> scan, const std::string& form,
                       size_t segments_read, int64_t segments_total, int64_t tags);
  bool Next(DataChunk* out) override { return child()->Next(out); }
  std::string Explain() const override { return explain_; }

 private:
  std::string explain_;
};

}  // namespace tsl::query
