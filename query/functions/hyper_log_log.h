// HashCell (a 64-bit hash of one cell) and HyperLogLog, the distinct-count
// sketch behind approx_count_distinct.
// Thread-safety: a HyperLogLog is a plain value; HashCell is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "query/functions/vector_view.h"

namespace tsl::query {

// A 64-bit hash of a value for approx_count_distinct and distinct counts.
uint64_t HashCell(const VectorView& v, size_t row);

// HyperLogLog with 2^12 registers; exact (a set of hashes) up to 512
// distinct values, then the registers (standard error about 1.6%).
class HyperLogLog {
 public:
  void Add(uint64_t hash);
  // Adds every hash `other` saw: the same sketch as adding them one by one.
  void Merge(const HyperLogLog& other);
  int64_t Estimate() const;

 private:
  static constexpr int kPrecision = 12;
  static constexpr size_t kSparseLimit = 512;
  std::vector<uint64_t> sparse_;  // sorted distinct hashes while small
  std::vector<uint8_t> registers_;
};

}  // namespace tsl::query
