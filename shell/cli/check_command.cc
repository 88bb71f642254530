// `tslake check` / `tslake repair`: a thin front end over the public API's
// CheckDatabase / RepairDatabase (see check_command.h), its arguments read
// with Boost.Program_options as the rest of the CLI's.
// Thread-safety: runs on the main thread.
#include "shell/cli/check_command.h"

#include <boost/program_options.hpp>
#include <cstring>
#include <iostream>
#include <string>

#include "tslake/tslake.hpp"

namespace tslake::cli {

namespace po = boost::program_options;

namespace {

int Usage(bool repair, const char* command) {
  std::cerr << "Usage: tslake " << command << " DBDIR\n"
            << (repair ? "Moves checkpoints that disagree with the log aside, rebuilds "
                         "DBDIR/catalog.sqlite from the table logs and lists orphaned files "
                         "(never deletes one).\n"
                       : "Verifies log continuity, checkpoints, every segment (checksums, ids, "
                         "statistics against the data) and the catalog; writes nothing.\n");
  return 2;
}

}  // namespace

int RunCheckCommand(int argc, const char* const* argv) {
  const bool repair = std::strcmp(argv[0], "repair") == 0;
  // One positional DBDIR and no options: anything else (--help included)
  // prints the usage.
  po::options_description desc;
  desc.add_options()("dbdir", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("dbdir", 1);
  po::variables_map vm;
  try {
    // argv[0] ("check" or "repair") is the parser's program name.
    po::store(po::command_line_parser(argc, argv)
                  .options(desc)
                  .positional(positional)
                  .style(po::command_line_style::default_style &
                         ~po::command_line_style::allow_guessing)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error&) {
    return Usage(repair, argv[0]);
  }
  // The positional form only: `--dbdir X` is not an accepted spelling, and
  // a DBDIR may not start with '-'.
  if (argc != 2 || !vm.count("dbdir") || argv[1][0] == '-') return Usage(repair, argv[0]);
  const std::string dir = vm["dbdir"].as<std::string>();
  CheckReport report;
  Status st = repair ? RepairDatabase(dir, &report) : CheckDatabase(dir, &report);
  if (!st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  std::cout << (repair ? "catalog rebuilt from the logs\n" : "") << report.text;
  return report.ok() ? 0 : 1;
}

}  // namespace tslake::cli
