// HashCell and HyperLogLog. See hyper_log_log.h.
#include "query/functions/hyper_log_log.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>

namespace tsl::query {
namespace {

uint64_t Mix(uint64_t x) {  // murmur3's 64-bit finalizer
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

uint64_t HashCell(const VectorView& v, size_t row) {
  switch (PhysicalClassOf(v.vec->type)) {
    case PhysicalClass::kInt64:
      return Mix(static_cast<uint64_t>(v.Int(row)));
    case PhysicalClass::kDouble: {
      double d = v.Double(row);
      if (d == 0) d = 0;  // -0.0 equals 0.0
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return Mix(bits ^ 0x9e3779b97f4a7c15ULL);
    }
    case PhysicalClass::kString:
      return Mix(std::hash<std::string_view>{}(v.String(row)));
  }
  return 0;
}

void HyperLogLog::Add(uint64_t hash) {
  if (registers_.empty()) {
    auto it = std::lower_bound(sparse_.begin(), sparse_.end(), hash);
    if (it != sparse_.end() && *it == hash) return;
    sparse_.insert(it, hash);
    if (sparse_.size() <= kSparseLimit) return;
    registers_.assign(size_t{1} << kPrecision, 0);
    std::vector<uint64_t> old;
    old.swap(sparse_);
    for (uint64_t h : old) Add(h);
    return;
  }
  const size_t index = hash >> (64 - kPrecision);
  const uint64_t rest = (hash << kPrecision) | (uint64_t{1} << (kPrecision - 1));
  const uint8_t rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
  if (rank > registers_[index]) registers_[index] = rank;
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  if (other.registers_.empty()) {
    for (uint64_t h : other.sparse_) Add(h);
    return;
  }
  if (registers_.empty()) {
    std::vector<uint64_t> old;
    old.swap(sparse_);
    registers_ = other.registers_;
    for (uint64_t h : old) Add(h);
    return;
  }
  for (size_t i = 0; i < registers_.size(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
}

int64_t HyperLogLog::Estimate() const {
  if (registers_.empty()) return static_cast<int64_t>(sparse_.size());
  const double m = static_cast<double>(registers_.size());
  double sum = 0;
  size_t zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  if (estimate <= 2.5 * m && zeros > 0) {
    estimate = m * std::log(m / static_cast<double>(zeros));  // linear counting
  }
  return std::llround(estimate);
}

}  // namespace tsl::query
