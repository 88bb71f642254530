// `tslake serve DBDIR [options]`: parses the command line, opens the
// database, starts the Server and runs it until SIGTERM or SIGINT.
// Thread-safety: call once per process (it installs signal handlers).
#pragma once

namespace tslake::server {

// argv[0] is "serve". Returns the process exit code: 0 after a clean
// shutdown, 1 when the database or the listener cannot be opened, 2 for a
// usage error.
int RunServeCommand(int argc, const char* const* argv);

}  // namespace tslake::server
