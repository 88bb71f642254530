// InterruptGuard: while alive, Ctrl-C (SIGINT) cancels the running
// statement through Connection::Interrupt() instead of killing the shell.
// The previous SIGINT disposition is restored on destruction, so the
// handler exists only while a statement runs.
// Thread-safety: construct and destroy on the thread running the
// statement; the handler only performs Interrupt(), an atomic store.
#pragma once

#include <csignal>

#include "tslake/tslake.hpp"

namespace tslake::cli {

class InterruptGuard {
 public:
  explicit InterruptGuard(Connection* connection);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace tslake::cli
