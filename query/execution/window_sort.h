// The window operator's materialized input and its (partition, order)
// sort, kept lean: ~20 bytes a row for q3's ts/tag/value instead of a
// std::string per row.
//   StoredColumn   one input column or evaluated key/argument: BIGINT-class
//                  and DOUBLE values in plain arrays; VARCHAR in dictionary
//                  form (a 4-byte code a row) while its distinct strings
//                  stay few, plain strings otherwise.
//   PartitionRows  dense partition ids from the PARTITION BY columns (codes,
//                  integers, normalized doubles; NULL is its own partition)
//                  and a stable counting sort into a row permutation:
//                  O(n), no comparisons.
//   PartitionOrder orders one partition's rows by the ORDER BY keys as
//                  normalized 64-bit keys (NULLS FIRST/LAST, DESC, NaN
//                  last, -0 = 0), ties in input order; input that already
//                  arrives sorted (a table scan returns each segment sorted
//                  by (tag, ts)) is detected in one pass and not re-sorted.
// Thread-safety: one owner at a time; the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/column_vector.h"

namespace tsl::query {

class StoredColumn {
 public:
  explicit StoredColumn(TypeId type);

  // Appends rows [0, count) of `src` (this column's type; VARCHAR plain or
  // in dictionary form).
  void Append(const ColumnVector& src, size_t count);
  // The rows: for VARCHAR dictionary_form may be set (codes/dictionary).
  const ColumnVector& vec() const { return v_; }
  bool coded() const { return v_.dictionary_form; }
  size_t size() const { return v_.size(); }
  // Heap bytes held (for the memory reservation).
  int64_t bytes() const;
  // The rows as a plain ColumnVector (strings expanded), built on first
  // use and kept: for kernels that read `strings`.
  const ColumnVector& Plain();
  // Appends rows[0..count) to `out` (plain; out has this type).
  void Gather(const uint32_t* rows, size_t count, ColumnVector* out) const;

 private:
  void Uncode();

  ColumnVector v_;
  ColumnVector plain_;  // Plain()'s cache for a coded column
  bool plain_built_ = false;
  std::unordered_map<std::string, uint32_t> index_;  // dictionary -> code
  int64_t string_bytes_ = 0;
};

// Rows grouped by partition: perm[offsets[p] .. offsets[p+1]) are the rows
// of partition p in input order.
struct PartitionRows {
  std::vector<uint32_t> perm;
  std::vector<uint32_t> offsets;
  size_t partitions() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};
PartitionRows PartitionByKeys(const std::vector<const StoredColumn*>& keys, size_t n);

struct OrderKeySpec {
  const StoredColumn* column = nullptr;
  bool descending = false;
  bool nulls_first = false;
};

// Reusable per-partition buffers.
struct PartitionOrderScratch {
  struct KeyedRow {
    uint64_t key;
    uint32_t row;
  };
  std::vector<KeyedRow> keyed;  // single-key partitions
  std::vector<uint64_t> keys;  // k keys per position, normalized
  std::vector<uint8_t> nulls;  // k flags per position (0 sorts first)
  std::vector<uint32_t> index;
  std::vector<uint32_t> tmp_rows;
  std::vector<uint64_t> tmp_keys;
  std::vector<uint8_t> tmp_nulls;
  std::vector<uint32_t> string_rank;  // per dictionary code, for coded VARCHAR keys
};

// Sorts rows[0..m) by `keys` (stable) and sets new_peer[r] = 1 where row r
// differs from row r-1 on some key (new_peer[0] = 1). `ranks` holds, per
// key, the string rank per dictionary code for coded VARCHAR keys (see
// DictionaryRanks), else empty.
void PartitionOrder(const std::vector<OrderKeySpec>& keys,
                    const std::vector<std::vector<uint32_t>>& ranks, uint32_t* rows, size_t m,
                    PartitionOrderScratch* scratch, std::vector<uint8_t>* new_peer);

// Rank of each dictionary code of a coded VARCHAR column in string order.
std::vector<uint32_t> DictionaryRanks(const ColumnVector& coded);

}  // namespace tsl::query
