// `tslake check` / `tslake repair`: a thin front end over
// tsl::TableChecker (see check_command.h).
// Thread-safety: runs on the main thread.
#include "shell/cli/check_command.h"

#include <cstring>
#include <iostream>
#include <string>

#include "storage/table_checker.h"

namespace tslake::cli {

int RunCheckCommand(int argc, const char* const* argv) {
  const bool repair = std::strcmp(argv[0], "repair") == 0;
  if (argc != 2 || argv[1][0] == '-') {
    std::cerr << "Usage: tslake " << argv[0] << " DBDIR\n"
              << (repair ? "Moves checkpoints that disagree with the log aside, rebuilds "
                           "DBDIR/catalog.sqlite from the table logs and lists orphaned files "
                           "(never deletes one).\n"
                         : "Verifies log continuity, checkpoints, every segment (checksums, ids, "
                           "statistics against the data) and the catalog; writes nothing.\n");
    return 2;
  }
  std::string dir = argv[1];
  tsl::Result<tsl::CheckReport> report = repair ? tsl::TableChecker::RepairDatabase(dir)
                                                : tsl::TableChecker::CheckDatabase(
                                                      tsl::Env::Default(), dir);
  if (!report.ok()) {
    std::cerr << "Error: " << report.status().ToString() << "\n";
    return 1;
  }
  std::cout << (repair ? "catalog rebuilt from the logs\n" : "") << report->ToString();
  return report->ok() ? 0 : 1;
}

}  // namespace tslake::cli
