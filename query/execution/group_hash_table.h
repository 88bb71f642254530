// GroupHashTable: maps rows of key columns to dense group ids (0, 1, ... in
// order of first appearance), the hash table under GROUP BY, SELECT
// DISTINCT and count(DISTINCT ...). Built as DuckDB's aggregate hash table
// is, in our own code:
//   - Keys are normalized to fixed-width rows of uint64 words, one per key
//     column plus NULL bits: integers, timestamps and booleans as their
//     int64; doubles as their bits with -0.0 turned into 0.0 and every NaN
//     into one NaN (so they group together, as in DuckDB); strings as an id
//     from a per-column StringInterner (hashed by their bytes). Comparing
//     two keys is a memcmp of a few words, whatever the types, and the
//     table holds the group values themselves: a VARCHAR key costs its
//     bytes once per distinct string, not a std::string per group.
//   - Open addressing with linear probing over a power-of-two array of
//     uint64 slots: the upper 16 bits hold a salt (the hash's top bits),
//     the lower 48 the group id + 1 (0 = empty). A probe compares the salt
//     first and touches the key row only on a salt match, so a lookup
//     costs about one cache miss into the slot array. The array doubles
//     past 2/3 load (DuckDB's load factor), re-inserting from the stored hashes (no key is
//     re-hashed). Key rows live in fixed-size blocks, so growing never moves them.
//   - Hashes are computed a column at a time over the chunk (tight loops),
//     then the rows are probed.
// Memory: the slot array, key rows, hashes and interned strings are
// reserved against memory_limit (memory_tracker.h) before they grow, so a
// table past the limit throws the "Out of Memory Error" naming `holder`.
// Thread-safety: one thread per table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/execution/memory_tracker.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

// A zeroed array of slots. Past 2 MiB it is an anonymous mapping advised
// for transparent huge pages: the kernel's zero pages need no memset, and
// a 128 MiB table faults in 64 huge pages instead of 32K small ones (the
// page faults were a quarter of a 5M-group GROUP BY's time).
class SlotArray {
 public:
  SlotArray() = default;
  explicit SlotArray(size_t n);  // throws std::bad_alloc
  ~SlotArray();
  SlotArray(SlotArray&& o) noexcept { *this = std::move(o); }
  SlotArray& operator=(SlotArray&& o) noexcept;
  uint64_t& operator[](size_t i) { return data_[i]; }
  uint64_t operator[](size_t i) const { return data_[i]; }
  const uint64_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  void Release();
  uint64_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

// Dense ids for distinct strings (the VARCHAR key columns' normal form).
class StringInterner {
 public:
  // The id of `s` (new ids are 0, 1, ...); *hash gets the hash of its bytes.
  uint32_t Intern(std::string_view s, uint64_t* hash);
  // The id of `s`, or UINT32_MAX when it was never interned (nothing is added).
  uint32_t Find(std::string_view s, uint64_t* hash) const;
  std::string_view At(uint32_t id) const {
    return std::string_view(arena_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  uint64_t HashOf(uint32_t id) const { return hashes_[id]; }
  size_t size() const { return hashes_.size(); }
  int64_t MemoryBytes() const;

 private:
  void Grow();

  std::string arena_;                 // every string, back to back
  std::vector<uint64_t> offsets_{0};  // string id's bytes: [offsets_[id], offsets_[id + 1])
  std::vector<uint64_t> hashes_;      // per id
  std::vector<uint64_t> slots_;       // (hash >> 32) << 32 | (id + 1); 0 = empty
  uint64_t mask_ = 0;
  // Consecutive rows mostly repeat a string (scans are sorted by tag).
  std::string last_;
  uint32_t last_id_ = UINT32_MAX;
  uint64_t last_hash_ = 0;
};

class GroupHashTable {
 public:
  // Per row of a FindOrCreate call.
  enum RowMode : uint8_t {
    kLookup = 0,
    kSameAsPrevious = 1,  // same key as row i - 1: takes its id unprobed
    kSkip = 2,            // not looked up; its id is UINT32_MAX
  };

  GroupHashTable(const std::vector<TypeId>& key_types, const char* holder);

  // Writes the group id of each of the `n` rows of `keys` (one view per key
  // column) to ids[0, n), creating groups for keys not seen before; `mode`
  // (nullptr: every row kLookup) says how each row is treated. Returns the
  // rows that created a group, in order (their ids are size() before the
  // call, +1, ...), valid until the next call.
  const std::vector<uint32_t>& FindOrCreate(const std::vector<VectorView>& keys, size_t n,
                                            uint32_t* ids, const uint8_t* mode = nullptr);
  // Finds or creates every group of `other` (same key types), in other's
  // order: ids[g] is the id here of other's group g. No key is re-hashed
  // (a string hashes its bytes, so hashes agree across tables); other's
  // string ids are translated once per distinct string.
  void FindOrCreateFrom(const GroupHashTable& other, uint32_t* ids);
  // A hint that about `groups` groups are coming (a hash join's build side
  // of known size): the slot array is sized for them now instead of
  // doubling its way there (each doubling allocates, zeroes and re-inserts
  // every group). Ignored when that array would take more than a quarter
  // of what memory_limit leaves free: the table then grows as it fills.
  void ExpectGroups(size_t groups);
  // A lookup's per-call buffers, owned by the caller: with one each,
  // several threads may Find in a table nobody modifies any more.
  struct ProbeScratch {
    std::vector<uint64_t> rows, hashes;
    std::vector<uint8_t> miss;
  };
  // Lookup only (a hash join's probe): ids[i] is the group id of row i, or
  // UINT32_MAX when no group has its key or one of its keys is NULL (NULL
  // never equals anything in a join). Adds nothing: a probe string never
  // seen is not interned. Reads the table only (thread-safe against other
  // Find calls with their own scratch).
  void Find(const std::vector<VectorView>& keys, size_t n, uint32_t* ids,
            ProbeScratch* scratch) const;
  // Appends key column `c` of groups [begin, end) to `out` (of the key's
  // type): the key rows decoded, strings from the interner, doubles as the
  // group's first value.
  void AppendKeys(size_t c, size_t begin, size_t end, ColumnVector* out) const;
  size_t size() const { return count_; }
  int64_t MemoryBytes() const;
  // The distinct strings VARCHAR key column `c` has seen (ids 0 .. n-1): a
  // hash join's build keys for its join filter, without decoding groups.
  size_t StringCount(size_t c) const { return interners_[c].size(); }
  std::string_view StringAt(size_t c, uint32_t id) const { return interners_[c].At(id); }

 private:
  // Software prefetch for a batch probed in order: while row i is looked
  // up, the slot of a row kPrefetchSlot ahead and the key row a slot
  // kPrefetchRow ahead points to are fetched, so a table larger than the
  // caches costs overlapping misses, not one full miss per row (the probe
  // loop stalled on them: 23% of a 5M-row self-join in FindOrInsert, 15%
  // in Find). A hint only: reads nothing but slots_ and changes nothing.
  static constexpr size_t kPrefetchSlot = 16;
  static constexpr size_t kPrefetchRow = 8;
  // Below this many slots (512 KiB) the table stays in the caches and the
  // prefetches would only cost instructions (GROUP BY with 10 groups).
  static constexpr size_t kPrefetchMinSlots = size_t{1} << 16;
  void Prefetch(const uint64_t* hashes, size_t n, size_t i) const;
  // The id of the key `row` with hash `h`, inserted when new (*created).
  uint32_t FindOrInsert(const uint64_t* row, uint64_t h, bool* created);
  // Normalized rows into *rows (stride_ words each) and their hashes into
  // *hashes. `intern` (FindOrCreate): the interners new strings go into
  // (interners_.data()); null (lookup only): strings are only looked up, and
  // `miss` gets 1 for a row whose key cannot be in the table (a NULL, or a
  // string never interned).
  void Normalize(const std::vector<VectorView>& keys, size_t n, const uint8_t* mode,
                 StringInterner* intern, std::vector<uint8_t>* miss, std::vector<uint64_t>* rows,
                 std::vector<uint64_t>* hashes) const;
  // Doubles the slot array, or more until it has `min_slots`.
  void Grow(size_t min_slots = 0);
  void Reserve(int64_t extra);

  std::vector<PhysicalClass> classes_;
  size_t width_;  // words per key row: one per column, then NULL bits
  // After the key: each DOUBLE key's value as it first came (a group shows
  // its first value, -0.0 included, as DuckDB's does); raw_[c] is column
  // c's word there. stride_ = width_ + those words (the compared part is
  // the first width_).
  std::vector<size_t> raw_;
  size_t stride_;
  size_t null_words_;
  std::vector<StringInterner> interners_;  // per column (used by VARCHAR ones)
  size_t count_ = 0;
  // Group rows of stride_ + 1 words (the key, raw doubles, then the hash,
  // for re-inserting on growth and for merging), in blocks of kBlockRows rows:
  // a growing table allocates a block at a time and never copies rows.
  static constexpr size_t kBlockShift = 10;
  static constexpr size_t kBlockRows = size_t{1} << kBlockShift;
  uint64_t* Row(size_t id) const {
    return blocks_[id >> kBlockShift].get() + (id & (kBlockRows - 1)) * (stride_ + 1);
  }
  std::vector<std::unique_ptr<uint64_t[]>> blocks_;
  SlotArray slots_;  // salt << 48 | (id + 1); 0 = empty
  uint64_t mask_ = 0;
  // Per call scratch: the chunk's normalized rows and hashes.
  std::vector<uint64_t> rows_, row_hashes_;
  std::vector<uint32_t> new_rows_;
  MemoryReservation memory_;
};

}  // namespace tsl::query
