// SIGINT -> Connection::Interrupt while a statement runs. See
// interrupt_guard.h.
#include "shell/cli/interrupt_guard.h"

#include <atomic>

namespace tslake::cli {

namespace {

std::atomic<Connection*> g_running{nullptr};

extern "C" void OnSigint(int) {
  Connection* con = g_running.load();
  if (con != nullptr) con->Interrupt();
}

}  // namespace

InterruptGuard::InterruptGuard(Connection* connection) {
  g_running.store(connection);
  struct sigaction action {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  installed_ = sigaction(SIGINT, &action, &previous_) == 0;
}

InterruptGuard::~InterruptGuard() {
  if (installed_) sigaction(SIGINT, &previous_, nullptr);
  g_running.store(nullptr);
}

}  // namespace tslake::cli
