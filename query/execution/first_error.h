// FirstError: the first exception thrown by any worker of a parallel
// operator (a QueryError from a scan, a filter, the memory limit or a
// cancellation), kept to be rethrown on the statement's thread once every
// worker has been joined. The later ones are dropped: the first is the
// cause, the others are usually the cancellation it triggered.
// Thread-safety: Record from any thread; RethrowIfAny after the workers
// have been joined.
#pragma once

#include <exception>

#include "formats/mutex.h"

namespace tsl::query {

class FirstError {
 public:
  // Keeps `e` unless an error was recorded before.
  void Record(std::exception_ptr e) EXCLUDES(mu_) {
    tsl::MutexLock l(mu_);
    if (!error_) error_ = std::move(e);
  }
  // Throws the recorded error, if any.
  void RethrowIfAny() EXCLUDES(mu_) {
    std::exception_ptr e;
    {
      tsl::MutexLock l(mu_);
      e = error_;
    }
    if (e) std::rethrow_exception(e);
  }

 private:
  tsl::Mutex mu_;
  std::exception_ptr error_ GUARDED_BY(mu_);
};

}  // namespace tsl::query
