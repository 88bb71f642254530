// `tslake generate --format F --tags N --points N --interval-ms N --seed N
// --out FILE|- [--tags-out FILE]` (- : standard output). See generate_command.h.
#include "shell/cli/generate_command.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <filesystem>

#include "shell/cli/cli_options.h"
#include "tslake/tslake.hpp"

namespace tslake::cli {

namespace po = boost::program_options;

int RunGenerateCommand(int argc, const char* const* argv) {
  SampleDataOptions options;
  int64_t interval_ms = options.interval_micros / 1000;
  std::string out;
  std::string format = "csv";
  std::string tags_out;
  po::options_description desc("tslake generate options");
  desc.add_options()
      ("tags", po::value<int>(&options.tags)->default_value(options.tags), "number of tags")
      ("points", po::value<int>(&options.points_per_tag)->default_value(options.points_per_tag),
       "samples per tag")
      ("interval-ms", po::value<int64_t>(&interval_ms)->default_value(interval_ms),
       "milliseconds between samples")
      ("seed", po::value<uint64_t>(&options.seed)->default_value(options.seed), "random seed")
      ("format", po::value<std::string>(&format)->default_value(format),
       "csv, wide, jsonl, line, ignition or piwebapi")
      ("out", po::value<std::string>(&out), "output file (required; - for standard output)")
      ("tags-out", po::value<std::string>(&tags_out),
       "ignition: the sqlth_te file (default: sqlth_te.csv beside --out)")
      ("help,h", "print this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "Error: " << e.what() << "\nRun 'tslake generate --help' for usage.\n";
    return kUsageExitCode;
  }
  if (vm.count("help")) {
    std::cout << "Usage: tslake generate [--format csv|wide|jsonl|line|ignition|piwebapi]\n"
                 "       [--tags N] [--points N] [--interval-ms N] [--seed N] --out FILE|-\n"
                 "Writes sample historian data (ts,tag,value,quality) as long CSV, wide CSV,\n"
                 "JSON lines, InfluxDB line protocol, an Ignition sqlt_data + sqlth_te export,\n"
                 "or PI Web API streamsets JSON (its own generator: digital states, 7-digit\n"
                 "fractions, Questionable flags).\n\n"
              << desc;
    return 0;
  }
  if (out.empty()) {
    std::cerr << "Error: tslake generate needs --out FILE\n";
    return kUsageExitCode;
  }
  if (interval_ms <= 0) {
    std::cerr << "Error: --interval-ms must be positive\n";
    return kUsageExitCode;
  }
  // Microseconds inside must not overflow; the generators then check that
  // every sample time fits (CheckSampleTimes).
  constexpr int64_t kMaxIntervalMs = std::numeric_limits<int64_t>::max() / 1000;
  if (interval_ms > kMaxIntervalMs) {
    std::cerr << "Error: --interval-ms " << interval_ms << " is too large (at most "
              << kMaxIntervalMs << ", and all samples must end before the year 10000)\n";
    return kUsageExitCode;
  }
  if (options.tags <= 0 || options.points_per_tag <= 0) {
    std::cerr << "Error: --tags and --points must be positive\n";
    return kUsageExitCode;
  }
  options.interval_micros = interval_ms * 1000;
  const std::vector<std::string> formats = SampleDataFormats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    std::cerr << "Error: --format " << format << " is not one of ";
    for (size_t i = 0; i < formats.size(); ++i) std::cerr << (i ? ", " : "") << formats[i];
    std::cerr << '\n';
    return kUsageExitCode;
  }
  if (format == "ignition" && tags_out.empty())
    tags_out = (std::filesystem::path(out).parent_path() / "sqlth_te.csv").string();
  options.format = format;
  options.out = out;
  options.tags_out = format == "piwebapi" ? "" : tags_out;
  Status st = GenerateSampleData(options);
  if (!st.ok()) {
    std::cerr << "Error: " << st.message() << '\n';
    return st.code() == ErrorCode::kInvalidArgument ? kUsageExitCode : 1;
  }
  // With --out - the data is on stdout, so the summary goes to stderr.
  std::ostream& report = out == "-" ? std::cerr : std::cout;
  report << "Wrote " << static_cast<int64_t>(options.tags) * options.points_per_tag
         << " points (" << options.tags << " tags x " << options.points_per_tag << " points) as "
         << format << " to " << (out == "-" ? "standard output" : out);
  if (!tags_out.empty()) report << " (tags in " << tags_out << ")";
  report << '\n';
  return 0;
}

}  // namespace tslake::cli
