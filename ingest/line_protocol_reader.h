// LineProtocolReader: InfluxDB line protocol files (what Telegraf and many
// gateways write) as historian rows (read_line_protocol, COPY ... (FORMAT
// line)), streaming line by line in constant memory.
//
// Syntax (InfluxDB v2 line protocol):
//   measurement[,tag_key=tag_value...] field_key=field_value[,...] [timestamp]
// Measurement: ',' and ' ' escaped with '\'. Tag keys, tag values and field
// keys: ',', '=' and ' ' escaped with '\'. Field values: float (1.5, 1e3),
// integer with an `i` suffix (42i), unsigned with `u` (42u), string in
// double quotes (`\"` and `\\` escaped), boolean (t, T, true, True, TRUE,
// f, F, false, False, FALSE). Blank lines and lines starting with '#' are
// skipped.
//
// Mapping (one row per field, the shape historians use):
//   tag        the series key: measurement, then each tag as ",key=value" in
//              key order (as InfluxDB sorts them), unescaped; followed by
//              "." and the field key unless the field is named "value".
//              `temp,site=p1 value=21.5` -> tag "temp,site=p1";
//              `cpu,host=a usage=3,idle=97` -> "cpu,host=a.usage", "cpu,host=a.idle".
//   ts         the timestamp in `precision` units (ns by default; us, ms, s)
//              since the Unix epoch, truncated to microseconds.
//   value      floats, integers and unsigned as DOUBLE; booleans as 1/0;
//              NULL for strings.
//   text_value string fields; NULL otherwise.
//   measurement, field, tags ("key=value,key=value", sorted; NULL when none).
//
// Rejects (RejectReporter): a line without a field set, with a malformed
// field value, or without a timestamp (files imported into a historian
// must carry their times) becomes one RejectedRow with its line number and
// text; the import goes on.
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
#include "ingest/schema_mapper.h"
#include "storage/read_progress.h"
#include "storage/reject_reporter.h"

namespace tsl {

struct LineProtocolOptions {
  // Multiplier of the timestamp to microseconds: "ns" (default), "us", "ms", "s".
  std::string precision = "ns";
  std::optional<Schema> target_schema;
};

class LineProtocolReader : public ChunkSource, public RejectReporter, public ReadProgress {
 public:
  // kNotFound for a missing file; kInvalidArgument for a bad precision.
  static Result<std::unique_ptr<LineProtocolReader>> Open(const std::string& path,
                                                          LineProtocolOptions options);
  static Schema NativeSchema();
  const Schema& schema() const override { return mapper_.output_schema(); }
  Result<bool> Next(DataChunk* out) override;

  std::vector<RejectedRow> TakeRejects() override;
  int64_t rejected_count() const override { return rejected_; }
  // The file's bytes read and size (ReadProgress; any thread).
  int64_t bytes_read() const override { return lines_->bytes_read(); }
  int64_t bytes_total() const override { return lines_->file_size(); }
  int64_t file_size() const { return lines_->file_size(); }

  // One parsed field of a line (exposed for tests).
  struct Point {
    std::string tag, measurement, field, tags;
    int64_t ts = 0;
    std::optional<double> value;
    std::optional<std::string> text;
  };
  // The parsed "measurement,tags" head of a line, by its raw text: files
  // repeat a few series on every line, so each is parsed once.
  struct SeriesHead {
    std::string measurement, series, tag_text;
  };
  using SeriesCache = std::unordered_map<std::string, SeriesHead>;
  // Parses one line into its points; "" on success, else the reason.
  // `cache` (optional) remembers heads without escapes across lines.
  static std::string ParseLine(std::string_view line, int64_t micros_per_unit,
                               int64_t nanos_divisor, std::vector<Point>* points,
                               SeriesCache* cache = nullptr);

 private:
  static constexpr size_t kMaxCachedHeads = 1 << 16;
  // The field set and timestamp of a line whose head is parsed; `pos` is
  // the first byte of the field set.
  static std::string ParseFields(std::string_view line, size_t pos, const SeriesHead& head,
                                 int64_t micros_per_unit, int64_t nanos_divisor,
                                 std::vector<Point>* points);
  LineProtocolReader(std::string path, SchemaMapper mapper, std::unique_ptr<LineReader> lines,
                     int64_t micros_per_unit, int64_t nanos_divisor);

  std::string path_;
  SchemaMapper mapper_;
  std::unique_ptr<LineReader> lines_;
  int64_t micros_per_unit_;  // s: 1e6, ms: 1e3, us: 1
  int64_t nanos_divisor_;    // ns: 1000, otherwise 1
  std::vector<Point> points_;
  size_t next_point_ = 0;
  SeriesCache heads_;  // bounded: cleared past kMaxCachedHeads
  DataChunk native_;
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

}  // namespace tsl
