// Open-addressing group table. See group_hash_table.h.
#include "query/execution/group_hash_table.h"

#include <cmath>
#include <cstring>
#include <functional>

namespace tsl::query {
namespace {

// MurmurHash3's finalizer: every input bit reaches every output bit, so
// sequential integers (timestamps) spread over the slots.
inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

inline uint64_t Combine(uint64_t a, uint64_t b) { return Mix(a * 0x9e3779b97f4a7c15ULL ^ b); }

constexpr uint64_t kCanonicalNaN = 0x7ff8000000000000ULL;
constexpr uint64_t kIdBits = 48;
constexpr uint64_t kIdMask = (uint64_t{1} << kIdBits) - 1;
constexpr size_t kInitialSlots = 1024;

}  // namespace

uint32_t StringInterner::Intern(std::string_view s) {
  if (last_id_ != UINT32_MAX && s == last_) return last_id_;
  if ((offsets_.size()) * 2 > slots_.size()) Grow();
  const uint64_t h = std::hash<std::string_view>{}(s);
  const uint64_t salt = h >> 32;
  uint64_t slot = h & mask_;
  while (true) {
    const uint64_t e = slots_[slot];
    if (e == 0) break;
    if ((e >> 32) == salt) {
      const uint32_t id = static_cast<uint32_t>(e & 0xffffffffULL) - 1;
      if (At(id) == s) {
        last_.assign(s);
        return last_id_ = id;
      }
    }
    slot = (slot + 1) & mask_;
  }
  const uint32_t id = static_cast<uint32_t>(offsets_.size() - 1);
  arena_.append(s);
  offsets_.push_back(arena_.size());
  slots_[slot] = salt << 32 | (uint64_t{id} + 1);
  last_.assign(s);
  return last_id_ = id;
}

void StringInterner::Grow() {
  const size_t cap = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  std::vector<uint64_t> slots(cap, 0);
  const uint64_t mask = cap - 1;
  for (uint32_t id = 0; id + 1 < offsets_.size(); ++id) {
    const uint64_t h = std::hash<std::string_view>{}(At(id));
    uint64_t slot = h & mask;
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = (h >> 32) << 32 | (uint64_t{id} + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

int64_t StringInterner::MemoryBytes() const {
  return static_cast<int64_t>(arena_.capacity() + 8 * (offsets_.capacity() + slots_.capacity()));
}

GroupHashTable::GroupHashTable(const std::vector<TypeId>& key_types, const char* holder)
    : memory_(holder) {
  for (TypeId t : key_types) classes_.push_back(PhysicalClassOf(t));
  null_words_ = (classes_.size() + 63) / 64;
  width_ = classes_.size() + null_words_;
  interners_.resize(classes_.size());
}

int64_t GroupHashTable::MemoryBytes() const {
  int64_t bytes = static_cast<int64_t>(
      8 * (keys_.capacity() + hashes_.capacity() + slots_.capacity() + rows_.capacity() +
           row_hashes_.capacity()) +
      4 * new_rows_.capacity());
  for (const StringInterner& s : interners_) bytes += s.MemoryBytes();
  return bytes;
}

void GroupHashTable::Reserve(int64_t extra) { memory_.Resize(MemoryBytes() + extra); }

void GroupHashTable::Grow() {
  const size_t cap = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  // The new array is reserved before it is allocated: a table past
  // memory_limit fails here, cleanly, instead of after the allocation.
  Reserve(static_cast<int64_t>(8 * cap));
  std::vector<uint64_t> slots(cap, 0);
  const uint64_t mask = cap - 1;
  for (size_t id = 0; id < count_; ++id) {
    const uint64_t h = hashes_[id];
    uint64_t slot = h & mask;
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = (h >> kIdBits) << kIdBits | (id + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

// rows_[i * width_ ...] and row_hashes_[i] for every row not skipped,
// filled a column at a time.
void GroupHashTable::Normalize(const std::vector<VectorView>& keys, size_t n,
                               const uint8_t* mode) {
  rows_.assign(n * width_, 0);
  row_hashes_.assign(n, 0);
  uint64_t* rows = rows_.data();
  uint64_t* hashes = row_hashes_.data();
  for (size_t c = 0; c < classes_.size(); ++c) {
    const VectorView& v = keys[c];
    const ColumnVector& vec = *v.vec;
    const uint64_t null_bit = uint64_t{1} << (c % 64);
    uint64_t* null_word = rows + classes_.size() + c / 64;
    auto put = [&](size_t i, bool valid, uint64_t w) {
      uint64_t* row = rows + i * width_;
      if (valid) {
        row[c] = w;
      } else {
        null_word[i * width_] |= null_bit;
        w = 0x5bd1e995ULL + c;  // NULL hashes apart from 0
      }
      hashes[i] = c == 0 ? Mix(w) : Combine(hashes[i], w);
    };
    const uint8_t* valid = vec.valid.data();
    switch (classes_[c]) {
      case PhysicalClass::kInt64: {
        const int64_t* d = vec.ints.data();
        for (size_t i = 0; i < n; ++i) {
          if (mode && mode[i] != GroupHashTable::kLookup) continue;
          const size_t r = v.Index(i);
          put(i, valid[r] != 0, valid[r] ? static_cast<uint64_t>(d[r]) : 0);
        }
        break;
      }
      case PhysicalClass::kDouble: {
        const double* d = vec.doubles.data();
        for (size_t i = 0; i < n; ++i) {
          if (mode && mode[i] != GroupHashTable::kLookup) continue;
          const size_t r = v.Index(i);
          uint64_t w = 0;
          if (valid[r]) {
            double x = d[r];
            if (x == 0) x = 0;  // -0.0 groups with 0.0
            std::memcpy(&w, &x, sizeof w);
            if (std::isnan(x)) w = kCanonicalNaN;  // every NaN is one group
          }
          put(i, valid[r] != 0, w);
        }
        break;
      }
      case PhysicalClass::kString: {
        const std::string* d = vec.strings.data();
        StringInterner& interner = interners_[c];
        for (size_t i = 0; i < n; ++i) {
          if (mode && mode[i] != GroupHashTable::kLookup) continue;
          const size_t r = v.Index(i);
          put(i, valid[r] != 0, valid[r] ? interner.Intern(d[r]) : 0);
        }
        break;
      }
    }
  }
  if (classes_.empty()) {
    for (size_t i = 0; i < n; ++i) hashes[i] = 1;
  }
}

const std::vector<uint32_t>& GroupHashTable::FindOrCreate(const std::vector<VectorView>& keys,
                                                          size_t n, uint32_t* ids,
                                                          const uint8_t* mode) {
  new_rows_.clear();
  Normalize(keys, n, mode);
  const size_t width = width_;
  const size_t bytes = width * sizeof(uint64_t);
  for (size_t i = 0; i < n; ++i) {
    if (mode && mode[i] != kLookup) {
      ids[i] = mode[i] == kSkip ? UINT32_MAX : ids[i - 1];
      continue;
    }
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t h = row_hashes_[i];
    const uint64_t salt = h >> kIdBits;
    const uint64_t* row = rows_.data() + i * width;
    uint64_t slot = h & mask_;
    while (true) {
      const uint64_t e = slots_[slot];
      if (e == 0) {
        if (keys_.size() + width > keys_.capacity()) {
          Reserve(static_cast<int64_t>(8 * (keys_.capacity() + hashes_.capacity())));
        }
        const uint64_t id = count_++;
        keys_.insert(keys_.end(), row, row + width);
        hashes_.push_back(h);
        slots_[slot] = salt << kIdBits | (id + 1);
        ids[i] = static_cast<uint32_t>(id);
        new_rows_.push_back(static_cast<uint32_t>(i));
        break;
      }
      if ((e >> kIdBits) == salt) {
        const uint64_t id = (e & kIdMask) - 1;
        if (std::memcmp(keys_.data() + id * width, row, bytes) == 0) {
          ids[i] = static_cast<uint32_t>(id);
          break;
        }
      }
      slot = (slot + 1) & mask_;
    }
  }
  Reserve(0);
  return new_rows_;
}

}  // namespace tsl::query
