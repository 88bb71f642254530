// The interactive shell: readline editing, "tslake> " and "   ...> "
// prompts, persistent history in ~/.tslake_history, tab completion of SQL
// keywords, table and column names, Ctrl-C to cancel a statement or clear
// the line, Ctrl-D to exit. Only the CLI links readline; the embeddable
// library never does.
// Thread-safety: runs on the main thread; readline is process-global.
#pragma once

#include "shell/cli/shell_session.h"

namespace tslake::cli {

// Runs until .quit or end of input. Returns the process exit code (0: the
// REPL does not fail for statement errors, as sqlite's and DuckDB's do not).
int RunRepl(ShellSession* session);

}  // namespace tslake::cli
