// Deterministic, realistic historian sample data (the `tslake generate`
// command and the demo use it).
//
// GenerateSensorCsv writes a "long" historian export: one row per tag per
// sample, header `ts,tag,value,quality`, rows ordered by ts then tag, as a
// PI or Ignition export would be. Tag names look like real plant tag paths
// ("Plant1/Boiler3/TT-101.PV"); each tag's value is a mean-reverting random
// walk around a set point in a range that suits its instrument type
// (temperatures, pressures, flows, levels, ...), printed with 2 decimals;
// quality is 192 (OPC "good") on about 99% of points and 0 ("bad") on the
// rest. The same options (including the seed) always give byte-identical
// output, on every platform: the generator uses its own PRNG
// (splitmix64/xoshiro256**), never std::random distributions, whose output
// differs between standard libraries.
//
// Thread-safety: GenerateSensorCsv is a pure function of its arguments; it
// may run concurrently as long as the paths differ.
#pragma once

#include <cstdio>

#include <cstdint>
#include <string>

#include "formats/status.h"

namespace tsl {

struct SensorDataOptions {
  int tags = 100;
  int points_per_tag = 3600;
  int64_t start_micros = 1704067200000000;  // 2024-01-01 00:00:00 UTC
  int64_t interval_micros = 1000000;        // 1 s between samples
  uint64_t seed = 42;
};

// The generators write timestamps as four-digit-year ISO text, so every
// sample time start + i * interval (i < points) must lie in 0001-01-01 ..
// 9999-12-31 and be computable without int64 overflow. kInvalidArgument
// naming the arguments otherwise.
Status CheckSampleTimes(int64_t start_micros, int64_t points, int64_t interval_micros);

// Writes tags * points_per_tag rows plus the header to `path` (created or
// truncated). Returns kInvalidArgument when tags or points_per_tag is not
// positive or interval_micros is not positive, kIOError (naming the path)
// when the file cannot be created or written.
Status GenerateSensorCsv(const SensorDataOptions& options, const std::string& path);

// The same series in other file formats, for the readers' tests and bench
// (values, timestamps and row order are those of GenerateSensorCsv, so a
// load of any format equals a load of the CSV):
//   kCsv       as GenerateSensorCsv.
//   kWideCsv   `ts,<tag>,<tag>,...` (tags in name order), one row per time;
//              quality is not written.
//   kJsonl     {"ts":"2024-01-01T00:00:00Z","tag":"...","value":1.25,"quality":192}
//   kLine      InfluxDB line protocol `<tag> value=1.25,quality=192i <ns>`
//              (read_line_protocol gives tag "<tag>" for the value and
//              "<tag>.quality" for the quality rows).
//   kIgnition  an sqlt_data export (tagid,intvalue,floatvalue,stringvalue,
//              datevalue,dataintegrity,t_stamp) at `path` and its sqlth_te
//              export at `tags_path` (ids 1..tags, datatype 1 = float,
//              created a day before the first sample, never retired).
enum class SensorFormat { kCsv, kWideCsv, kJsonl, kLine, kIgnition };
// "csv", "wide", "jsonl", "line", "ignition"; false for other names.
bool ParseSensorFormat(const std::string& name, SensorFormat* format);
// Errors as GenerateSensorCsv; kInvalidArgument for kIgnition without
// tags_path.
Status GenerateSensorData(const SensorDataOptions& options, SensorFormat format,
                          const std::string& path, const std::string& tags_path = "");

// The name of tag number `index` (0-based) as GenerateSensorCsv writes it,
// e.g. "Plant1/Boiler1/TT-101.PV". Distinct for distinct indexes.
std::string SensorTagName(int index);

// Opens a generator's output for writing: "-" is standard output (a
// duplicate of fd 1, so closing the FILE leaves stdout open), any other
// path is created or truncated. nullptr with errno set on failure.
std::FILE* OpenGeneratorOutput(const std::string& path);

}  // namespace tsl
