// QueryWarnings: the notes a statement leaves besides its rows, as
// DuckDB's shell prints them on stderr: a table function that skipped rows
// it could not convert, a COPY that stored rejected rows in <t>_rejects.
// QueryEngine gives each statement an empty one (through
// ExecutionContext::warnings) and moves what was added into that
// statement's QueryResult::warnings.
// Thread-safety: Add may be called from any thread (the worker pipelines
// of a parallel aggregate); Take by the statement's thread.
#pragma once

#include "formats/mutex.h"

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tsl::query {

class QueryWarnings {
 public:
  void Add(std::string warning) {
    tsl::MutexLock lock(mu_);
    warnings_.push_back(std::move(warning));
  }
  std::vector<std::string> Take() {
    tsl::MutexLock lock(mu_);
    return std::exchange(warnings_, {});
  }

 private:
  tsl::Mutex mu_;
  std::vector<std::string> warnings_ GUARDED_BY(mu_);
};

}  // namespace tsl::query
