// IgnitionReader: Ignition tag history exports as historian rows
// (read_ignition, COPY ... (FORMAT ignition)). Ignition keeps history in
// `sqlt_data_<driver>_<yyyy>_<mm>` tables (tagid, intvalue, floatvalue,
// stringvalue, datevalue, dataintegrity, t_stamp in epoch milliseconds)
// keyed by the ids of `sqlth_te` (id, tagpath, scid, datatype, querymode,
// created, retired; created/retired in epoch milliseconds, retired NULL
// while the tag is live). Both are read as CSV exports (header naming the
// columns, else in that column order), the data file streaming in constant
// memory through CsvReader; the tag file is loaded into memory once.
//
// Resolution: a data row's tagid may have several sqlth_te rows (a tag
// retired and re-created); the row whose [created, retired) covers t_stamp
// gives the tag path and datatype. created/retired and t_stamp may also be
// ISO 8601 text (some export tools format them).
//
// Columns: tag VARCHAR (tagpath), ts TIMESTAMP (t_stamp), value DOUBLE,
// quality INTEGER (dataintegrity; 192 is good), text_value VARCHAR, tag_id
// BIGINT. Value by the tag's datatype (Ignition's DataTypeClass): 0
// (integer family, booleans) intvalue, 1 (float family) floatvalue, 2
// (string) stringvalue into text_value, 3 (date) datevalue into
// text_value; value NULL for 2 and 3. When the datatype's column is empty
// the other numeric column is used (exports of mixed-datatype tags).
//
// Rejects (RejectReporter): a data row whose tagid is unknown or has no
// sqlth_te row covering its t_stamp, or whose tagid, t_stamp,
// dataintegrity or value does not parse, becomes a RejectedRow (line, raw
// text, reason); the import goes on. A bad sqlth_te file is an error
// (kInvalidArgument naming file and line): without its dictionary no row
// can be resolved.
//
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats/column_vector.h"
#include "ingest/csv_reader.h"
#include "ingest/schema_mapper.h"
#include "storage/reject_reporter.h"

namespace tsl {

struct IgnitionOptions {
  std::string tags_path;  // the sqlth_te export (required)
  bool header = true;     // both files start with a header line
  char delimiter = ',';
  std::optional<Schema> target_schema;
};

class IgnitionReader : public ChunkSource, public RejectReporter {
 public:
  // kInvalidArgument without tags_path or for a bad sqlth_te file;
  // kNotFound for a missing file.
  static Result<std::unique_ptr<IgnitionReader>> Open(const std::string& path,
                                                      IgnitionOptions options);
  ~IgnitionReader() override;

  static Schema NativeSchema();
  const Schema& schema() const override { return mapper_.output_schema(); }
  Result<bool> Next(DataChunk* out) override;

  std::vector<RejectedRow> TakeRejects() override;
  int64_t rejected_count() const override { return rejected_; }

  // One sqlth_te row.
  struct TagEntry {
    int64_t created_ms = INT64_MIN;
    int64_t retired_ms = INT64_MAX;
    std::string path;
    int datatype = -1;
  };

 private:
  IgnitionReader(std::string path, SchemaMapper mapper, std::unique_ptr<CsvReader> data,
                 std::unordered_map<int64_t, std::vector<TagEntry>> tags);
  // Converts row `r` of raw_ into native_; "" or the reason it is rejected.
  std::string AppendRow(size_t r);

  std::string path_;
  SchemaMapper mapper_;
  std::unique_ptr<CsvReader> data_;
  std::unordered_map<int64_t, std::vector<TagEntry>> tags_;  // by id, sorted by created
  DataChunk raw_;
  DataChunk native_;
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

}  // namespace tsl
