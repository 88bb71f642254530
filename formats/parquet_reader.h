// ParquetReader: reads a flat Parquet file into tslake DataChunks
// (formats/parquet.md, "What the reader accepts"): files tslake writes and
// flat files other writers (DuckDB, Spark, pyarrow) produce with v1 or v2
// data pages, PLAIN, dictionary, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
// DELTA_BYTE_ARRAY or BYTE_STREAM_SPLIT encodings, and uncompressed, Snappy,
// Zstd or LZ4_RAW pages. Anything else (nested columns, INT96, DECIMAL,
// GZIP ...) is refused with kNotSupported naming the file
// and the column. Malformed files give kCorruption naming the file.
// It decodes one row group at a time. Thread-safety: one owner at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/byte_source.h"
#include "formats/column_vector.h"
#include "formats/parquet_metadata.h"
#include "formats/status.h"

namespace tsl {

class ParquetReader final : public ChunkSource {
 public:
  // Reads and checks the footer and maps the schema:
  // BOOLEAN -> BOOLEAN; INT32 -> INTEGER (DATE -> TIMESTAMP at midnight,
  // UINT32 -> BIGINT); INT64 -> BIGINT (TIMESTAMP millis/micros/nanos ->
  // TIMESTAMP in micros); FLOAT, DOUBLE -> DOUBLE; BYTE_ARRAY -> VARCHAR.
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<ByteSource> source);

  const Schema& schema() const override { return schema_; }
  // Fills `out` (re-initialized to the schema) with up to kVectorSize rows.
  Result<bool> Next(DataChunk* out) override;

  int64_t num_rows() const { return metadata_.num_rows; }
  const parquet::FileMetaData& metadata() const { return metadata_; }

 private:
  struct Column {
    size_t schema_index = 0;  // in metadata_.schema
    parquet::PhysicalType physical = parquet::PhysicalType::kInt32;
    int max_definition = 1;  // 0 = REQUIRED
    int64_t multiply = 1;    // applied to integers (millis)
    int64_t divide = 1;      // nanos
    bool as_unsigned32 = false;
    bool timestamp = false;  // results must lie in the supported TIMESTAMP range
    bool date = false;       // results must lie in the supported DATE range
  };

  explicit ParquetReader(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}
  Status MapSchema();
  Status LoadRowGroup(size_t group);
  Status ReadColumnChunk(const parquet::ColumnChunk& chunk, size_t column, int64_t rows,
                         ColumnVector* out);
  // Decodes `count` PLAIN values from `data` into `out` (appended).
  Status DecodePlain(std::string_view data, size_t column, size_t count, ColumnVector* out) const;
  Status Decompress(parquet::Codec codec, std::string_view stored, size_t raw_length, size_t column,
                    std::string* out) const;
  // v * multiply (or / divide); false when it overflows int64 or, for a
  // TIMESTAMP or DATE column, leaves the supported range (formats/timestamp.h,
  // formats/date.h; DuckDB's infinite dates are outside it).
  static bool ScaleInt(const Column& c, int64_t v, int64_t* out);
  Status OutOfRange(size_t column, int64_t v) const;
  // A BYTE_ARRAY value that is not UTF-8 (formats/utf8.h).
  Status NotUtf8(size_t column, std::string_view value) const;
  // "<file>: column \"<name>\": <what>"
  std::string Where(size_t column) const;

  std::unique_ptr<ByteSource> source_;
  parquet::FileMetaData metadata_;
  Schema schema_;
  std::vector<Column> columns_;
  std::vector<TypeId> types_;

  size_t next_group_ = 0;
  std::vector<ColumnVector> group_;  // decoded columns of the current row group
  size_t group_rows_ = 0;
  size_t group_pos_ = 0;
};

}  // namespace tsl
