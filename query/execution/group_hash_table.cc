// Open-addressing group table. See group_hash_table.h.
#include "query/execution/group_hash_table.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>

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

// Two normalized keys of `width` words (a few: one per key column plus the
// NULL bits) compared inline; a memcmp call per probed row was 3-5% of a
// GROUP BY's time.
inline bool SameKey(const uint64_t* a, const uint64_t* b, size_t width) {
  for (size_t k = 0; k < width; ++k)
    if (a[k] != b[k]) return false;
  return true;
}

constexpr uint64_t kCanonicalNaN = 0x7ff8000000000000ULL;
constexpr uint64_t kIdBits = 48;
constexpr uint64_t kIdMask = (uint64_t{1} << kIdBits) - 1;
constexpr size_t kInitialSlots = 1024;

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

SlotArray::SlotArray(size_t n) : size_(n) {
  const size_t bytes = n * sizeof(uint64_t);
  if (bytes >= kHugePage) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);  // advice only: fine if refused
    data_ = static_cast<uint64_t*>(p);
    mapped_ = true;
  } else {
    data_ = static_cast<uint64_t*>(std::calloc(n, sizeof(uint64_t)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
}

SlotArray::~SlotArray() { Release(); }

SlotArray& SlotArray::operator=(SlotArray&& o) noexcept {
  if (this != &o) {
    Release();
    data_ = o.data_;
    size_ = o.size_;
    mapped_ = o.mapped_;
    o.data_ = nullptr;
    o.size_ = 0;
    o.mapped_ = false;
  }
  return *this;
}

void SlotArray::Release() {
  if (data_ == nullptr) return;
  if (mapped_) {
    munmap(data_, size_ * sizeof(uint64_t));
  } else {
    std::free(data_);
  }
  data_ = nullptr;
}

uint32_t StringInterner::Intern(std::string_view s, uint64_t* hash) {
  if (last_id_ != UINT32_MAX && s == last_) {
    *hash = last_hash_;
    return last_id_;
  }
  if (hashes_.size() * 2 + 2 > slots_.size()) Grow();
  const uint64_t h = std::hash<std::string_view>{}(s);
  *hash = h;
  const uint64_t salt = h >> 32;
  uint64_t slot = h & mask_;
  while (true) {
    const uint64_t e = slots_[slot];
    if (e == 0) break;
    if ((e >> 32) == salt) {
      const uint32_t id = static_cast<uint32_t>(e & 0xffffffffULL) - 1;
      if (At(id) == s) {
        last_.assign(s);
        last_hash_ = h;
        return last_id_ = id;
      }
    }
    slot = (slot + 1) & mask_;
  }
  const uint32_t id = static_cast<uint32_t>(hashes_.size());
  arena_.append(s);
  offsets_.push_back(arena_.size());
  hashes_.push_back(h);
  slots_[slot] = salt << 32 | (uint64_t{id} + 1);
  last_.assign(s);
  last_hash_ = h;
  return last_id_ = id;
}

uint32_t StringInterner::Find(std::string_view s, uint64_t* hash) const {
  if (last_id_ != UINT32_MAX && s == last_) {
    *hash = last_hash_;
    return last_id_;
  }
  if (slots_.empty()) return UINT32_MAX;
  const uint64_t h = std::hash<std::string_view>{}(s);
  *hash = h;
  const uint64_t salt = h >> 32;
  uint64_t slot = h & mask_;
  while (true) {
    const uint64_t e = slots_[slot];
    if (e == 0) return UINT32_MAX;
    if ((e >> 32) == salt) {
      const uint32_t id = static_cast<uint32_t>(e & 0xffffffffULL) - 1;
      if (At(id) == s) return id;
    }
    slot = (slot + 1) & mask_;
  }
}

void StringInterner::Grow() {
  const size_t cap = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  std::vector<uint64_t> slots(cap, 0);
  const uint64_t mask = cap - 1;
  for (uint32_t id = 0; id < hashes_.size(); ++id) {
    const uint64_t h = hashes_[id];
    uint64_t slot = h & mask;
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = (h >> 32) << 32 | (uint64_t{id} + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

int64_t StringInterner::MemoryBytes() const {
  return static_cast<int64_t>(arena_.capacity() +
                              8 * (offsets_.capacity() + hashes_.capacity() + slots_.capacity()));
}

GroupHashTable::GroupHashTable(const std::vector<TypeId>& key_types, const char* holder)
    : memory_(holder) {
  for (TypeId t : key_types) classes_.push_back(PhysicalClassOf(t));
  null_words_ = (classes_.size() + 63) / 64;
  width_ = classes_.size() + null_words_;
  stride_ = width_;
  raw_.assign(classes_.size(), 0);
  for (size_t c = 0; c < classes_.size(); ++c) {
    if (classes_[c] == PhysicalClass::kDouble) raw_[c] = stride_++;
  }
  interners_.resize(classes_.size());
}

int64_t GroupHashTable::MemoryBytes() const {
  int64_t bytes =
      static_cast<int64_t>(8 * (blocks_.size() * kBlockRows * (stride_ + 1) + blocks_.capacity() +
                                slots_.size() + rows_.capacity() + row_hashes_.capacity()) +
                           4 * new_rows_.capacity());
  for (const StringInterner& s : interners_) bytes += s.MemoryBytes();
  return bytes;
}

void GroupHashTable::Reserve(int64_t extra) { memory_.Resize(MemoryBytes() + extra); }

void GroupHashTable::ExpectGroups(size_t groups) {
  const size_t want = groups * 3 / 2 + 1;
  if (want <= slots_.size()) return;
  size_t cap = kInitialSlots;
  while (cap < want) cap *= 2;
  const MemoryTracker& tracker = CurrentConfig().memory;
  int64_t free_bytes = tracker.limit() - tracker.reserved();
  if (ProcessMemoryLimit() > 0) free_bytes = std::min(free_bytes, ProcessMemoryLimit() - ProcessMemoryReserved());
  if (static_cast<int64_t>(8 * cap) > free_bytes / 4) return;
  Grow(cap);
}

void GroupHashTable::Grow(size_t min_slots) {
  size_t cap = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  while (cap < min_slots) cap *= 2;
  // The new array is reserved before it is allocated: a table past
  // memory_limit fails here, cleanly, instead of after the allocation.
  Reserve(static_cast<int64_t>(8 * cap));
  SlotArray slots(cap);
  const uint64_t mask = cap - 1;
  for (size_t id = 0; id < count_; ++id) {
    const uint64_t h = Row(id)[stride_];
    uint64_t slot = h & mask;
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = (h >> kIdBits) << kIdBits | (id + 1);
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

// (*rows_out)[i * stride_ ...] and (*hashes_out)[i] for every row not
// skipped, filled a column at a time.
void GroupHashTable::Normalize(const std::vector<VectorView>& keys, size_t n, const uint8_t* mode,
                               StringInterner* intern, std::vector<uint8_t>* miss,
                               std::vector<uint64_t>* rows_out,
                               std::vector<uint64_t>* hashes_out) const {
  if (miss) miss->assign(n, 0);
  rows_out->assign(n * stride_, 0);
  hashes_out->assign(n, 0);
  uint64_t* rows = rows_out->data();
  uint64_t* hashes = hashes_out->data();
  for (size_t c = 0; c < classes_.size(); ++c) {
    const VectorView& v = keys[c];
    const ColumnVector& vec = *v.vec;
    const uint64_t null_bit = uint64_t{1} << (c % 64);
    uint64_t* null_word = rows + classes_.size() + c / 64;
    // `hw`: what the hash sees (a string's byte hash; the word otherwise).
    auto put = [&](size_t i, bool valid, uint64_t w, uint64_t hw) {
      uint64_t* row = rows + i * stride_;
      if (valid) {
        row[c] = w;
      } else {
        if (miss) (*miss)[i] = 1;
        null_word[i * stride_] |= null_bit;
        hw = 0x5bd1e995ULL + c;  // NULL hashes apart from 0
      }
      hashes[i] = c == 0 ? Mix(hw) : Combine(hashes[i], hw);
    };
    const uint8_t* valid = vec.valid.data();
    switch (classes_[c]) {
      case PhysicalClass::kInt64: {
        const int64_t* d = vec.ints.data();
        for (size_t i = 0; i < n; ++i) {
          if (mode && mode[i] != GroupHashTable::kLookup) continue;
          const size_t r = v.Index(i);
          const uint64_t w = valid[r] ? static_cast<uint64_t>(d[r]) : 0;
          put(i, valid[r] != 0, w, w);
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
            std::memcpy(&rows[i * stride_ + raw_[c]], &x, sizeof x);
            if (x == 0) x = 0;  // -0.0 groups with 0.0
            std::memcpy(&w, &x, sizeof w);
            if (std::isnan(x)) w = kCanonicalNaN;  // every NaN is one group
          }
          put(i, valid[r] != 0, w, w);
        }
        break;
      }
      case PhysicalClass::kString: {
        const std::string* d = vec.strings.data();
        const StringInterner& interner = interners_[c];
        // A lookup (a join's probe) repeats the previous row's answer when
        // its string is the same: probe rows come sorted by tag, and Find
        // would hash every one of them.
        const std::string* prev = nullptr;
        uint64_t prev_h = 0;
        uint32_t prev_id = UINT32_MAX;
        for (size_t i = 0; i < n; ++i) {
          if (mode && mode[i] != GroupHashTable::kLookup) continue;
          const size_t r = v.Index(i);
          uint64_t h = 0;
          uint64_t w = 0;
          if (valid[r] && intern == nullptr) {
            uint32_t id;
            if (prev != nullptr && *prev == d[r]) {
              id = prev_id;
              h = prev_h;
            } else {
              id = interner.Find(d[r], &h);
              prev = &d[r];
              prev_id = id;
              prev_h = h;
            }
            if (id == UINT32_MAX) (*miss)[i] = 1;
            else w = id;
          } else if (valid[r]) {
            w = intern[c].Intern(d[r], &h);
          }
          put(i, valid[r] != 0, w, h);
        }
        break;
      }
    }
  }
  if (classes_.empty()) {
    for (size_t i = 0; i < n; ++i) hashes[i] = 1;
  }
}

void GroupHashTable::Prefetch(const uint64_t* hashes, size_t n, size_t i) const {
  if (slots_.size() < kPrefetchMinSlots) return;
  // Stage 1: the slot of row i + kPrefetchSlot.
  if (i + kPrefetchSlot < n) __builtin_prefetch(slots_.data() + (hashes[i + kPrefetchSlot] & mask_));
  // Stage 2: row i + kPrefetchRow's slot has arrived by now; when it holds
  // a group with the row's salt, that group's key row is compared next.
  if (i + kPrefetchRow < n) {
    const uint64_t h = hashes[i + kPrefetchRow];
    const uint64_t e = slots_[h & mask_];
    if (e != 0 && (e >> kIdBits) == (h >> kIdBits)) __builtin_prefetch(Row((e & kIdMask) - 1));
  }
}

uint32_t GroupHashTable::FindOrInsert(const uint64_t* row, uint64_t h, bool* created) {
  if ((count_ + 1) * 3 > slots_.size() * 2) Grow();
  const size_t width = width_;
  const uint64_t salt = h >> kIdBits;
  uint64_t slot = h & mask_;
  while (true) {
    const uint64_t e = slots_[slot];
    if (e == 0) {
      if ((count_ >> kBlockShift) == blocks_.size()) {
        Reserve(static_cast<int64_t>(8 * kBlockRows * (stride_ + 1)));
        blocks_.push_back(std::make_unique_for_overwrite<uint64_t[]>(kBlockRows * (stride_ + 1)));
      }
      const uint64_t id = count_++;
      uint64_t* dst = Row(id);
      // A table without key columns (a join with no equality, a global
      // DISTINCT) has stride 0 and may be handed a null row.
      if (stride_ > 0) std::memcpy(dst, row, stride_ * sizeof(uint64_t));
      dst[stride_] = h;
      slots_[slot] = salt << kIdBits | (id + 1);
      *created = true;
      return static_cast<uint32_t>(id);
    }
    if ((e >> kIdBits) == salt) {
      const uint64_t id = (e & kIdMask) - 1;
      if (SameKey(Row(id), row, width)) {
        *created = false;
        return static_cast<uint32_t>(id);
      }
    }
    slot = (slot + 1) & mask_;
  }
}

const std::vector<uint32_t>& GroupHashTable::FindOrCreate(const std::vector<VectorView>& keys,
                                                          size_t n, uint32_t* ids,
                                                          const uint8_t* mode) {
  new_rows_.clear();
  Normalize(keys, n, mode, interners_.data(), nullptr, &rows_, &row_hashes_);
  // Room for the whole chunk up front (at most kVectorSize slots more than
  // needed), so no growth moves the slots prefetched below.
  if ((count_ + n + 1) * 3 > slots_.size() * 2) Grow((count_ + n + 1) * 3 / 2 + 1);
  const uint64_t* hashes = row_hashes_.data();
  for (size_t i = 0; i < n; ++i) {
    Prefetch(hashes, n, i);
    if (mode && mode[i] != kLookup) {
      ids[i] = mode[i] == kSkip ? UINT32_MAX : ids[i - 1];
      continue;
    }
    bool created;
    ids[i] = FindOrInsert(rows_.data() + i * stride_, row_hashes_[i], &created);
    if (created) new_rows_.push_back(static_cast<uint32_t>(i));
  }
  Reserve(0);
  return new_rows_;
}

void GroupHashTable::Find(const std::vector<VectorView>& keys, size_t n, uint32_t* ids,
                          ProbeScratch* scratch) const {
  Normalize(keys, n, nullptr, nullptr, &scratch->miss, &scratch->rows, &scratch->hashes);
  const size_t width = width_;
  const uint64_t* hashes = scratch->hashes.data();
  for (size_t i = 0; i < n; ++i) {
    Prefetch(hashes, n, i);
    ids[i] = UINT32_MAX;
    if (scratch->miss[i] || slots_.empty()) continue;
    const uint64_t* row = scratch->rows.data() + i * stride_;
    const uint64_t h = scratch->hashes[i];
    const uint64_t salt = h >> kIdBits;
    uint64_t slot = h & mask_;
    while (true) {
      const uint64_t e = slots_[slot];
      if (e == 0) break;
      if ((e >> kIdBits) == salt) {
        const uint64_t id = (e & kIdMask) - 1;
        if (SameKey(Row(id), row, width)) {
          ids[i] = static_cast<uint32_t>(id);
          break;
        }
      }
      slot = (slot + 1) & mask_;
    }
  }
}

void GroupHashTable::FindOrCreateFrom(const GroupHashTable& other, uint32_t* ids) {
  // other's string id -> ours, filled as strings are met.
  std::vector<std::vector<uint32_t>> translate(classes_.size());
  for (size_t c = 0; c < classes_.size(); ++c) {
    if (classes_[c] == PhysicalClass::kString) {
      translate[c].assign(other.interners_[c].size(), UINT32_MAX);
    }
  }
  // Room for every group of other up front: at most one growth.
  if ((count_ + other.count_) * 3 > slots_.size() * 2) Grow((count_ + other.count_) * 3 / 2 + 1);
  std::vector<uint64_t> row(stride_);
  // other's hashes a batch at a time, for Prefetch.
  constexpr size_t kBatch = 2048;
  std::vector<uint64_t> hashes(std::min(kBatch, other.count_));
  for (size_t g = 0; g < other.count_; ++g) {
    const size_t at = g % kBatch;
    if (at == 0) {
      for (size_t j = 0; j < hashes.size() && g + j < other.count_; ++j) hashes[j] = other.Row(g + j)[stride_];
    }
    Prefetch(hashes.data(), std::min(kBatch, other.count_ - (g - at)), at);
    const uint64_t* src = other.Row(g);
    std::copy(src, src + stride_, row.begin());
    for (size_t c = 0; c < classes_.size(); ++c) {
      if (classes_[c] != PhysicalClass::kString) continue;
      if (row[classes_.size() + c / 64] & (uint64_t{1} << (c % 64))) continue;  // NULL
      uint32_t& mine = translate[c][row[c]];
      if (mine == UINT32_MAX) {
        uint64_t h;
        mine = interners_[c].Intern(other.interners_[c].At(static_cast<uint32_t>(row[c])), &h);
      }
      row[c] = mine;
    }
    bool created;
    ids[g] = FindOrInsert(row.data(), src[stride_], &created);
  }
  Reserve(0);
}

void GroupHashTable::AppendKeys(size_t c, size_t begin, size_t end, ColumnVector* out) const {
  const uint64_t null_bit = uint64_t{1} << (c % 64);
  const size_t null_word = classes_.size() + c / 64;
  for (size_t g = begin; g < end; ++g) {
    const uint64_t* row = Row(g);
    if (row[null_word] & null_bit) {
      out->AppendNull();
      continue;
    }
    switch (classes_[c]) {
      case PhysicalClass::kInt64:
        out->AppendInt(static_cast<int64_t>(row[c]));
        break;
      case PhysicalClass::kDouble: {
        double d;
        std::memcpy(&d, &row[raw_[c]], sizeof d);
        out->AppendDouble(d);
        break;
      }
      case PhysicalClass::kString:
        out->AppendString(std::string(interners_[c].At(static_cast<uint32_t>(row[c]))));
        break;
    }
  }
}

}  // namespace tsl::query
