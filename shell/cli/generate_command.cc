// `tslake generate --tags N --points N --interval-ms N --seed N --out FILE`.
// See generate_command.h.
#include "shell/cli/generate_command.h"

#include <boost/program_options.hpp>
#include <iostream>

#include "ingest/data_generator.h"
#include "shell/cli/cli_options.h"

namespace tslake::cli {

namespace po = boost::program_options;

int RunGenerateCommand(int argc, const char* const* argv) {
  tsl::SensorDataOptions options;
  int64_t interval_ms = options.interval_micros / 1000;
  std::string out;
  po::options_description desc("tslake generate options");
  desc.add_options()
      ("tags", po::value<int>(&options.tags)->default_value(options.tags), "number of tags")
      ("points", po::value<int>(&options.points_per_tag)->default_value(options.points_per_tag),
       "samples per tag")
      ("interval-ms", po::value<int64_t>(&interval_ms)->default_value(interval_ms),
       "milliseconds between samples")
      ("seed", po::value<uint64_t>(&options.seed)->default_value(options.seed), "random seed")
      ("out", po::value<std::string>(&out), "output CSV file (required)")
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
    std::cout << "Usage: tslake generate [OPTIONS] --out FILE\n"
                 "Writes sample historian data (ts,tag,value,quality) as CSV.\n\n"
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
  options.interval_micros = interval_ms * 1000;
  tsl::Status st = tsl::GenerateSensorCsv(options, out);
  if (!st.ok()) {
    std::cerr << "Error: " << st.message() << '\n';
    return st.code() == tsl::StatusCode::kInvalidArgument ? kUsageExitCode : 1;
  }
  std::cout << "Wrote " << static_cast<int64_t>(options.tags) * options.points_per_tag
            << " rows (" << options.tags << " tags x " << options.points_per_tag << " points) to "
            << out << '\n';
  return 0;
}

}  // namespace tslake::cli
