// Duplicate policy of a table on (tag, ts), applied by imports (COPY and
// the ingest Importer): the table property
//   duplicate_policy = 'keep_all' (default) | 'keep_first' | 'keep_last'
// Key columns: the VARCHAR column named "tag" (else the first VARCHAR
// column) and the first TIMESTAMP column; rows with a NULL key are never
// duplicates.
//   keep_all    every row is stored (no check, no cost).
//   keep_first  an incoming row whose key is already in the table, or
//               earlier in the same import, is dropped. Streaming: each
//               chunk is checked against the keys of the table's rows in
//               the chunk's time range (loaded once per range, pruned by
//               the files' min/max stats) and the import's keys so far.
//   keep_last   within the import the last row of a key wins; rows of the
//               table with a key of the import are replaced: their files
//               are removed and rewritten without them in the same commit
//               as the new rows, so readers see the old or the new state,
//               never both. The import's rows are buffered until the end
//               (memory grows with the import, not the table).
// Late data (older than what the table holds) is not special: rows go to
// the partition of their own ts and the sort order of their segments.
// Thread-safety: one import per object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "formats/column_vector.h"
#include "storage/snapshot.h"
#include "storage/table.h"

namespace tsl {

class Transaction;

enum class DuplicatePolicy { kKeepAll, kKeepFirst, kKeepLast };

// The snapshot's duplicate_policy; kInvalidArgument naming the value and
// the accepted ones for anything else.
Result<DuplicatePolicy> GetDuplicatePolicy(const Snapshot& snapshot);

class Deduplicator {
 public:
  // nullptr (no work) for keep_all. kInvalidArgument when the policy is
  // set but the table has no tag or TIMESTAMP column.
  static Result<std::unique_ptr<Deduplicator>> Make(std::shared_ptr<Table> table,
                                                    std::shared_ptr<const Snapshot> snapshot);
  ~Deduplicator();

  DuplicatePolicy policy() const { return policy_; }
  // keep_first: drops duplicate rows from `chunk` in place. keep_last:
  // moves the chunk's rows into the buffer (`chunk` comes back empty).
  // REQUIRES: chunk types equal the table schema's.
  Status Add(DataChunk* chunk);
  // keep_last: adds the surviving buffered rows to `txn`, and removes and
  // rewrites (without the replaced rows) every file of the snapshot
  // holding a key of the import. No-op for keep_first.
  Status Finish(Transaction* txn);

  int64_t dropped() const { return dropped_; }    // incoming rows not stored
  int64_t replaced() const { return replaced_; }  // table rows replaced (keep_last)
  int64_t added() const { return added_; }        // rows Finish added (keep_last)

 private:
  struct Key {
    std::string tag;
    int64_t ts;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string>()(k.tag) ^ (static_cast<size_t>(k.ts) * 0x9e3779b97f4a7c15ULL);
    }
  };
  Deduplicator(std::shared_ptr<Table> table, std::shared_ptr<const Snapshot> snapshot,
               DuplicatePolicy policy, int tag_col, int ts_col);
  // Files of the snapshot whose ts range may overlap [lo, hi].
  std::vector<const AddAction*> FilesOverlapping(int64_t lo, int64_t hi) const;
  // Adds the table's keys with ts in [lo, hi] to existing_.
  Status LoadExisting(int64_t lo, int64_t hi);

  std::shared_ptr<Table> table_;
  std::shared_ptr<const Snapshot> snapshot_;
  DuplicatePolicy policy_;
  int tag_col_;
  int ts_col_;
  std::unordered_set<Key, KeyHash> seen_;      // keep_first: import's keys
  std::unordered_set<Key, KeyHash> existing_;  // keep_first: table's keys loaded so far
  bool loaded_any_ = false;
  int64_t loaded_lo_ = 0, loaded_hi_ = -1;
  std::unordered_map<Key, int64_t, KeyHash> last_;  // keep_last: key -> buffered row
  DataChunk buffer_;                                // keep_last
  int64_t dropped_ = 0;
  int64_t replaced_ = 0;
  int64_t added_ = 0;
};

}  // namespace tsl
