// `tslake generate`: writes deterministic historian sample data as CSV
// (ingest/data_generator.h) for demos and benchmarks.
// Thread-safety: runs on the main thread.
#pragma once

namespace tslake::cli {

// argv[0] is "generate". Returns the exit code: 0, 1 for a failed write,
// 2 for a usage error.
int RunGenerateCommand(int argc, const char* const* argv);

}  // namespace tslake::cli
