// The public API's tools on a database directory and sample data
// (tslake.hpp: CheckDatabase, RepairDatabase, GenerateSampleData): storage's
// TableChecker and ingest's generators behind public types, so the shell's
// `check`, `repair` and `generate` commands use the public API only.
// Thread-safety: stateless functions.
#include <utility>

#include "ingest/data_generator.h"
#include "ingest/piwebapi_generator.h"
#include "shell/api/api_internal.h"
#include "storage/env.h"
#include "storage/table_checker.h"

namespace tslake {
namespace {

std::vector<CheckFinding> Findings(const std::vector<tsl::CheckProblem>& in) {
  std::vector<CheckFinding> out;
  out.reserve(in.size());
  for (const tsl::CheckProblem& p : in) out.push_back(CheckFinding{p.file, p.what});
  return out;
}

Status Fill(const tsl::Result<tsl::CheckReport>& r, CheckReport* report) {
  if (!r.ok()) return ToPublic(r.status());
  CheckReport out;
  out.problems = Findings(r->problems);
  out.warnings = Findings(r->warnings);
  out.orphans = r->orphans;
  out.untrusted_checkpoints = r->untrusted_checkpoints;
  out.tables_checked = r->tables_checked;
  out.versions_checked = r->versions_checked;
  out.checkpoints_checked = r->checkpoints_checked;
  out.segments_checked = r->segments_checked;
  out.bytes_verified = r->bytes_verified;
  out.text = r->ToString();
  *report = std::move(out);
  return Status();
}

}  // namespace

std::string Status::ToString() const {
  if (ok()) return "OK";
  const tsl::StatusCode code = code_ == ErrorCode::kFull ? tsl::StatusCode::kIOError
                                                         : static_cast<tsl::StatusCode>(code_);
  return std::string(tsl::StatusCodeName(code)) + ": " + message_;
}

Status CheckDatabase(const std::string& dir, CheckReport* report) {
  if (report == nullptr) return Status(ErrorCode::kInvalidArgument, "CheckDatabase: report is null");
  return Fill(tsl::TableChecker::CheckDatabase(tsl::Env::Default(), dir), report);
}

Status RepairDatabase(const std::string& dir, CheckReport* report) {
  if (report == nullptr) return Status(ErrorCode::kInvalidArgument, "RepairDatabase: report is null");
  return Fill(tsl::TableChecker::RepairDatabase(dir), report);
}

std::vector<std::string> SampleDataFormats() {
  return {"csv", "wide", "jsonl", "line", "ignition", "piwebapi"};
}

// The sample shape both generators take (their option structs share the
// field names).
template <typename GeneratorOptions>
GeneratorOptions ShapeOf(const SampleDataOptions& options) {
  GeneratorOptions out;
  out.tags = options.tags;
  out.points_per_tag = options.points_per_tag;
  out.start_micros = options.start_micros;
  out.interval_micros = options.interval_micros;
  out.seed = options.seed;
  return out;
}

Status GenerateSampleData(const SampleDataOptions& options) {
  if (options.format == "piwebapi") {
    return ToPublic(
        tsl::WritePiStreamsetsJson(options.out, ShapeOf<tsl::PiGeneratorOptions>(options)).status());
  }
  tsl::SensorFormat format;
  if (!tsl::ParseSensorFormat(options.format, &format)) {
    std::string names;
    for (const std::string& n : SampleDataFormats()) names += (names.empty() ? "" : ", ") + n;
    return Status(ErrorCode::kInvalidArgument,
                  "format " + options.format + " is not one of " + names);
  }
  return ToPublic(tsl::GenerateSensorData(ShapeOf<tsl::SensorDataOptions>(options), format,
                                          options.out, options.tags_out));
}

}  // namespace tslake
