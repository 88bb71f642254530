// Command-line parsing with Boost.Program_options. See cli_options.h.
#include "shell/cli/cli_options.h"

#include <boost/program_options.hpp>
#include <sstream>

namespace tslake::cli {

namespace po = boost::program_options;

namespace {

po::options_description Described() {
  po::options_description desc("Options");
  desc.add_options()
      ("command,c", po::value<std::vector<std::string>>()->composing(),
       "run SQL (or a dot command); may repeat, runs in order, then exits")
      ("file,f", po::value<std::string>(), "run the SQL script FILE, then exit")
      ("mode", po::value<std::string>(),
       "output mode: box|table|csv|tsv|json|jsonl|line|markdown|list|column|html (default box)")
      ("readonly", "open the database read-only; writes fail")
      ("auto-maintenance", "background maintenance while the shell runs: retention, compaction, "
                           "checkpoints, VACUUM (SET auto_maintenance = true does the same)")
      ("no-header", "do not print column names")
      ("init", po::value<std::string>(), "run FILE first instead of ~/.tslakerc")
      ("bail", "stop a script at its first error")
      ("rebuild-catalog", "rebuild DBDIR/catalog.sqlite from the table logs, then exit")
      ("version", "print the version and exit")
      ("help,h", "print this help and exit");
  return desc;
}

}  // namespace

std::string CliUsage() {
  std::ostringstream out;
  out << "Usage: tslake [DBDIR] [OPTIONS]\n"
         "       tslake generate [--format csv|wide|jsonl|line|ignition|piwebapi] [--tags N] [--points N] [--interval-ms N] [--seed N] --out FILE\n"
         "\n"
         "An embedded, crash-safe, columnar time-series store with a SQL shell.\n"
         "DBDIR is the database directory (created when missing); without it the\n"
         "database is in memory. With neither -c nor -f, SQL is read from standard\n"
         "input, interactively when it is a terminal. ~/.tslakerc (or --init FILE)\n"
         "runs first: SQL and dot commands such as .mode or .timer on.\n\n"
      << Described()
      << "\nExit codes: 0 success, 1 SQL or data error, 2 usage error.\n";
  return out.str();
}

std::optional<CliOptions> ParseCliOptions(int argc, const char* const* argv, std::string* error) {
  po::options_description hidden;
  hidden.add_options()("database", po::value<std::vector<std::string>>(), "DBDIR");
  po::options_description all;
  all.add(Described()).add(hidden);
  po::positional_options_description positional;
  positional.add("database", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .style(po::command_line_style::unix_style)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    *error = e.what();
    return std::nullopt;
  }

  CliOptions options;
  if (vm.count("database")) {
    const auto& dbs = vm["database"].as<std::vector<std::string>>();
    if (dbs.size() > 1) {
      *error = "too many arguments: \"" + dbs[1] + "\" (only one DBDIR; quote SQL after -c)";
      return std::nullopt;
    }
    options.db_path = dbs[0];
  }
  if (vm.count("command")) options.commands = vm["command"].as<std::vector<std::string>>();
  if (vm.count("init")) options.init_file = vm["init"].as<std::string>();
  if (vm.count("file")) options.file = vm["file"].as<std::string>();
  if (vm.count("mode")) {
    const std::string& name = vm["mode"].as<std::string>();
    options.mode = ParseOutputMode(name);
    if (!options.mode) {
      *error = "unknown --mode \"" + name + "\" (expected " + std::string(OutputModeList()) + ")";
      return std::nullopt;
    }
  }
  options.read_only = vm.count("readonly") > 0;
  options.auto_maintenance = vm.count("auto-maintenance") > 0;
  options.no_header = vm.count("no-header") > 0;
  options.bail = vm.count("bail") > 0;
  options.rebuild_catalog = vm.count("rebuild-catalog") > 0;
  options.version = vm.count("version") > 0;
  options.help = vm.count("help") > 0;
  if (options.rebuild_catalog && options.db_path.empty()) {
    *error = "--rebuild-catalog needs a DBDIR";
    return std::nullopt;
  }
  return options;
}

}  // namespace tslake::cli
