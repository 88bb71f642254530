// Command-line options of the tslake binary, parsed with
// Boost.Program_options:
//   tslake [DBDIR] [-c SQL]... [-f FILE] [--mode M] [--readonly]
//          [--no-header] [--init FILE] [--bail] [--rebuild-catalog] [--version] [--help]
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shell/cli/output_mode.h"

namespace tslake::cli {

struct CliOptions {
  std::string db_path;  // empty: in-memory
  std::vector<std::string> commands;
  std::optional<std::string> file;
  std::optional<OutputMode> mode;  // unset: box
  std::optional<std::string> init_file;  // unset: ~/.tslakerc when it exists
  bool read_only = false;
  bool auto_maintenance = false;  // Options::auto_maintenance
  bool no_header = false;
  bool bail = false;
  bool rebuild_catalog = false;
  bool version = false;
  bool help = false;
};

// Exit code for a bad command line.
constexpr int kUsageExitCode = 2;

// Parses argv. On a usage error returns nullopt and sets *error to a
// one-line reason.
std::optional<CliOptions> ParseCliOptions(int argc, const char* const* argv, std::string* error);
// The --help text.
std::string CliUsage();

}  // namespace tslake::cli
