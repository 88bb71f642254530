// ColumnVector and DataChunk: the in-memory column batches that move between
// the segment reader, ingest readers and the executor (DuckDB's DataChunk).
//
// A ColumnVector holds one physical array chosen by its type's class (see
// types.h) plus a validity byte per row. Only the array for the class is used;
// the others stay empty. Thread-safety: not synchronized; one owner at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/types.h"
#include "formats/value.h"

namespace tsl {

// Rows per batch between operators.
constexpr size_t kVectorSize = 2048;

struct ColumnVector {
  TypeId type = TypeId::kNull;
  std::vector<int64_t> ints;          // BOOLEAN, INTEGER, BIGINT, TIMESTAMP, INTERVAL
  std::vector<double> doubles;        // DOUBLE
  std::vector<std::string> strings;   // VARCHAR
  std::vector<uint8_t> valid;         // one per row: 1 = value, 0 = NULL
  // Dictionary form of a VARCHAR vector, produced only on request
  // (SegmentReader::ReadColumn's keep_dictionary): row i's string is
  // dictionary[codes[i]] (NULL rows: code 0, possibly into an empty
  // dictionary) and `strings` stays empty. Only the requester may see such a
  // vector: every other operation reads `strings`. Clear() drops the form.
  bool dictionary_form = false;
  std::vector<std::string> dictionary;
  std::vector<uint32_t> codes;

  // Replaces the dictionary form by one string per row (NULL rows: ""), for
  // consumers that read `strings`; a no-op for any other vector.
  void MaterializeStrings();

  ColumnVector() = default;
  explicit ColumnVector(TypeId t) : type(t) {}

  size_t size() const { return valid.size(); }
  bool IsNull(size_t row) const { return valid[row] == 0; }
  void Reserve(size_t n);
  void Clear();
  // Resizes every used array; new rows are NULL.
  void Resize(size_t n);

  void AppendNull();
  void AppendInt(int64_t v) { ints.push_back(v); valid.push_back(1); }
  void AppendDouble(double v) { doubles.push_back(v); valid.push_back(1); }
  void AppendString(std::string v) { strings.push_back(std::move(v)); valid.push_back(1); }
  // REQUIRES: v is NULL or has this vector's physical class.
  void AppendValue(const Value& v);
  // Appends rows [begin, end) of `other` (same type).
  void AppendRange(const ColumnVector& other, size_t begin, size_t end);
  // Appends the rows of `other` listed in `sel`.
  void AppendSelection(const ColumnVector& other, const std::vector<uint32_t>& sel);

  Value GetValue(size_t row) const;
};

struct DataChunk {
  std::vector<ColumnVector> columns;

  size_t size() const { return columns.empty() ? 0 : columns[0].size(); }
  size_t column_count() const { return columns.size(); }
  // One empty column per field, with capacity for kVectorSize rows.
  void Initialize(const std::vector<TypeId>& types);
  void Reset();  // keeps types, drops rows
};

// A stream of DataChunks with a fixed schema: what ingest readers and
// segment scans produce. Next() fills `out` (cleared first) and returns
// true, or returns false at end of stream.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  virtual const Schema& schema() const = 0;
  virtual Result<bool> Next(DataChunk* out) = 0;
};

}  // namespace tsl
