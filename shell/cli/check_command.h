// `tslake check DBDIR` and `tslake repair DBDIR` (storage/table_checker.h):
// check verifies every checksum, log continuity and catalog agreement and
// writes nothing; repair rebuilds the catalog from the logs and lists
// orphaned files, deleting none.
// Thread-safety: runs on the main thread.
#pragma once

namespace tslake::cli {

// argv[0] is "check" or "repair". Prints one line per problem, warning and
// orphan, then a summary. Returns 0 when no problem was found (warnings
// and orphans allowed), 1 when one was (or the directory cannot be read),
// 2 for a usage error.
int RunCheckCommand(int argc, const char* const* argv);

}  // namespace tslake::cli
