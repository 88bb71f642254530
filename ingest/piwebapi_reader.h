// PiWebApiReader: PI Web API JSON responses as rows (read_piwebapi, COPY
// ... (FORMAT piwebapi)), streaming in constant memory whatever the file
// size: JsonItemSplitter hands out one `Items` element at a time and
// simdjson parses just that element.
//
// Shapes: `streams/{webId}/recorded` (`{"Items":[point, ...]}`, tag from the
// `tag` option, else the file name without extension),
// `streamsets/recorded` (`{"Items":[{"WebId","Name","Path","Items":[point,
// ...]}]}`; tag = Name, else Path, else WebId), and `batch` responses
// wrapping either (`{"1":{"Status":200,"Content":{...}}}`).
//
// Columns: tag VARCHAR, ts TIMESTAMP, value DOUBLE, text_value VARCHAR,
// good BOOLEAN, questionable BOOLEAN, substituted BOOLEAN, annotated
// BOOLEAN, units VARCHAR. Timestamp: ISO 8601 with up to 7 fractional
// digits (truncated to microseconds) and an optional offset, converted to
// UTC. Value: a number goes to `value`; a boolean to `value` as 1 or 0; a
// string, or a digital-state object (`{"Name":"Bad Input","Value":307}`,
// its Name) to `text_value` with `value` NULL; null leaves both NULL.
//
// Rejects (RejectReporter): an `Errors` entry, a point that is not an
// object, has no or a bad Timestamp, or an element that is not valid JSON
// becomes a RejectedRow with its JSON path; the import goes on. Structural
// damage outside elements (the file cut short, a missing comma between
// streams) is an error naming the byte offset and path.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "ingest/json_item_splitter.h"
#include "ingest/schema_mapper.h"
#include "storage/reject_reporter.h"

namespace tsl {

struct PiWebApiOptions {
  // Tag of a streams/{webId}/recorded response's points (no name in it).
  std::string tag;
  std::optional<Schema> target_schema;
  size_t max_element_bytes = size_t{1} << 30;
};

class PiWebApiReader : public ChunkSource, public RejectReporter {
 public:
  static Result<std::unique_ptr<PiWebApiReader>> Open(const std::string& path,
                                                      PiWebApiOptions options);
  ~PiWebApiReader() override;

  static Schema NativeSchema();
  const Schema& schema() const override { return mapper_.output_schema(); }
  Result<bool> Next(DataChunk* out) override;

  std::vector<RejectedRow> TakeRejects() override;
  int64_t rejected_count() const override { return rejected_; }
  int64_t bytes_read() const { return splitter_->bytes_read(); }
  int64_t file_size() const { return splitter_->file_size(); }

 private:
  struct Parsed;  // simdjson state, kept out of this header
  PiWebApiReader(std::string path, PiWebApiOptions options, SchemaMapper mapper,
                 std::unique_ptr<JsonItemSplitter> splitter);
  // Parses the next element; false at the end.
  Result<bool> LoadElement();
  void Reject(std::string location, std::string_view raw, std::string reason);

  std::string path_;
  PiWebApiOptions options_;
  SchemaMapper mapper_;
  std::unique_ptr<JsonItemSplitter> splitter_;
  std::unique_ptr<Parsed> parsed_;
  DataChunk native_;
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

}  // namespace tsl
