// JsonlReader: JSON lines files (one JSON object per line, as loggers,
// gateways and `jq -c` write them) as rows (read_jsonl, COPY ... (FORMAT
// jsonl)), streaming line by line in constant memory; simdjson parses each
// line.
//
// Columns: given (`columns => 'ts TIMESTAMP, tag VARCHAR, value DOUBLE'`),
// the COPY target's, or inferred from the first `sample_lines` lines: every
// key seen, in order of first appearance, typed BOOLEAN (true/false),
// BIGINT (integers), DOUBLE (numbers, or integers mixed with decimals),
// TIMESTAMP (strings that all parse as ISO 8601 timestamps), else VARCHAR
// (strings, mixed types, nested objects and arrays, all-null keys). Keys
// match columns exactly, else case-insensitively; a key with no column is
// ignored; a column whose key is missing is NULL.
//
// Values convert to their column's type: numbers to BIGINT/DOUBLE (an
// integral DOUBLE to BIGINT), strings holding numbers or timestamps to
// those types, anything to VARCHAR (non-strings as their compact JSON).
//
// Rejects (RejectReporter): a line that is not valid JSON, not an object,
// or has a value that does not convert becomes one RejectedRow (line
// number, text, reason naming the column); the import goes on. Blank lines
// are skipped.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/column_vector.h"
#include "ingest/line_reader.h"
#include "storage/read_progress.h"
#include "storage/reject_reporter.h"

namespace tsl {

struct JsonlOptions {
  // Explicit columns; otherwise target_schema, otherwise inferred.
  std::optional<Schema> columns;
  std::optional<Schema> target_schema;
  size_t sample_lines = 1000;
};

// Parses "name TYPE, name TYPE, ..." (the columns option). kInvalidArgument
// naming the bad part.
Result<Schema> ParseColumnList(const std::string& function, std::string_view text);

class JsonlReader : public ChunkSource, public RejectReporter, public ReadProgress {
 public:
  // kNotFound for a missing file; kInvalidArgument when no column can be
  // inferred (empty file, no object in the sample).
  static Result<std::unique_ptr<JsonlReader>> Open(const std::string& path, JsonlOptions options);
  ~JsonlReader() override;

  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override;

  std::vector<RejectedRow> TakeRejects() override;
  int64_t rejected_count() const override { return rejected_; }
  // The file's bytes read and size (ReadProgress; any thread).
  int64_t bytes_read() const override { return lines_->bytes_read(); }
  int64_t bytes_total() const override { return lines_->file_size(); }
  int64_t file_size() const { return lines_->file_size(); }

 private:
  struct Parsed;  // simdjson state
  JsonlReader(std::string path, Schema schema, std::unique_ptr<LineReader> lines);
  // Converts one line into a row of `out`; "" or the reason it is rejected.
  std::string AppendLine(std::string_view line, DataChunk* out);

  std::string path_;
  Schema schema_;
  std::unique_ptr<LineReader> lines_;
  std::unique_ptr<Parsed> parsed_;
  std::unordered_map<std::string, int> exact_;  // key -> column
  std::unordered_map<std::string, int> lower_;  // lower-case key -> column
  std::vector<char> seen_;                      // per column, set in the current row
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

}  // namespace tsl
