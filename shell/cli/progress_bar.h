// ProgressBar: DuckDB's terminal progress line for a long statement. While
// alive it polls Connection::Progress() from a thread of its own; once the
// statement has run for the connection's progress_bar_time (2 s unless SET)
// and its percentage is known, it draws
//    42% ▕█████████████████████████▍                                  ▏
// on the terminal with a carriage return, redrawing as it moves, and erases
// it when the statement ends or before a result is printed (Pause). Nothing
// is drawn unless standard output is a terminal, so pipes and files never
// see it. `.progress on|off` and SET enable_progress_bar switch it.
//
// Thread-safety: construct, Pause/Resume and destroy on the statement's
// thread; the poller only calls Connection::Progress() (any thread, as
// Interrupt) and writes to the terminal under the bar's mutex, which
// Pause takes too, so the bar and a result never interleave.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "tslake/tslake.hpp"

namespace tslake::cli {

class ProgressBar {
 public:
  // Starts polling when `enabled` and file descriptor `fd` is a terminal.
  // `delay` overrides the connection's progress_bar_time.
  ProgressBar(const Connection* connection, bool enabled, int fd,
              std::optional<std::chrono::milliseconds> delay = std::nullopt);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Erases the line and stops drawing (a statement's result is printed).
  void Pause();
  // Drawing may start again `delay` after now (the next statement runs).
  void Resume();

  // The line for `percentage` in `columns` terminal columns (no \r).
  static std::string Render(double percentage, int columns);

 private:
  void Poll();
  void EraseLocked();

  const Connection* connection_;
  int fd_;
  std::optional<std::chrono::milliseconds> delay_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool paused_ = false;
  bool shown_ = false;   // a line is on the terminal
  int shown_width_ = 0;  // its columns, for the erase
  std::chrono::steady_clock::time_point since_;
  std::thread poller_;
};

}  // namespace tslake::cli
