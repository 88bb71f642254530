// ParquetWriter: writes tslake DataChunks as one Parquet file
// (formats/parquet.md): "PAR1", row groups of column chunks (an optional
// dictionary page, then v1 data pages), the Thrift compact FileMetaData
// footer, its length, "PAR1". Columns are OPTIONAL (definition levels,
// RLE/bit-packed hybrid, mark NULLs); values are PLAIN or, when a chunk
// has few distinct values, RLE_DICTIONARY; pages are uncompressed or Zstd;
// each chunk carries min_value/max_value/null_count statistics.
//
// The writer owns no file: bytes go to a sink callback in order, once, so
// storage/ can route them through its Env (and fsync) and tests can keep
// them in memory. It buffers one row group at a time.
// Thread-safety: one owner at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/column_vector.h"
#include "formats/parquet_metadata.h"
#include "formats/status.h"
#include "formats/types.h"
#include "formats/value.h"

namespace tsl {

enum class ParquetCompression : uint8_t { kUncompressed, kZstd };

// "uncompressed" | "none" | "zstd" (case-insensitive); kInvalidArgument
// naming the choices otherwise.
Result<ParquetCompression> ParseParquetCompression(std::string_view name);

struct ParquetWriteOptions {
  ParquetCompression compression = ParquetCompression::kZstd;
  int zstd_level = 3;
  int64_t row_group_rows = 1 << 20;  // rows buffered before a row group is written
  size_t page_bytes = 1 << 20;       // a data page is cut after about this many value bytes
  bool dictionary = true;            // allow RLE_DICTIONARY for low-cardinality chunks
  std::string created_by = "tslake";
};

// A column's statistics over the whole file (for Delta's add.stats).
struct ParquetColumnStats {
  Value min;  // NULL when the column has no non-NULL, non-NaN value
  Value max;
  int64_t null_count = 0;
};

class ParquetWriter {
 public:
  using Sink = std::function<Status(std::string_view)>;

  // `schema`: BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR or TIMESTAMP
  // columns (kInvalidArgument from Append/Finish otherwise).
  ParquetWriter(Schema schema, ParquetWriteOptions options, Sink sink);

  // REQUIRES: the chunk's column types equal the schema's.
  Status Append(const DataChunk& chunk);
  // Writes the last row group and the footer. Call once.
  Status Finish();

  int64_t rows() const { return total_rows_; }
  uint64_t bytes_written() const { return offset_; }
  const std::vector<ParquetColumnStats>& stats() const { return file_stats_; }

 private:
  Status Write(std::string_view bytes);
  Status FlushRowGroup();
  // Encodes buffer_[column] as one column chunk at the current offset.
  Status WriteColumnChunk(size_t column, parquet::ColumnChunk* out);

  Schema schema_;
  ParquetWriteOptions options_;
  Sink sink_;
  Status status_;  // first error; sticky
  bool finished_ = false;
  uint64_t offset_ = 0;
  int64_t total_rows_ = 0;
  std::vector<ColumnVector> buffer_;  // the row group being collected
  std::vector<ParquetColumnStats> file_stats_;
  parquet::FileMetaData metadata_;
};

}  // namespace tsl
