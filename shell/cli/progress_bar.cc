// The terminal progress line. See progress_bar.h.
#include "shell/cli/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace tslake::cli {

namespace {

constexpr std::chrono::milliseconds kPollInterval{100};
constexpr int kMaxBarColumns = 60;

void WriteAll(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) return;  // a failed terminal write loses a bar, nothing more
    off += static_cast<size_t>(n);
  }
}

int Columns(int fd) {
  struct winsize ws {};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// Cells of the bar in a terminal of `columns`: "100% ▕" + bar + "▏" takes
// 7 columns besides it; one spare so the cursor never wraps.
int BarCells(int columns) { return std::clamp(columns - 8, 0, kMaxBarColumns); }

}  // namespace

std::string ProgressBar::Render(double percentage, int columns) {
  percentage = std::clamp(percentage, 0.0, 100.0);
  char head[16];
  std::snprintf(head, sizeof head, "%3d%% ", static_cast<int>(percentage));
  const int bar = BarCells(columns);
  std::string line = head;
  if (bar == 0) return line;
  line += "\u2595";
  // Eighths of a cell, as DuckDB's bar: ▏▎▍▌▋▊▉█.
  static const char* const kEighths[] = {"",        "\u258F", "\u258E", "\u258D",
                                         "\u258C", "\u258B", "\u258A", "\u2589"};
  const int eighths = static_cast<int>(std::floor(percentage / 100.0 * bar * 8));
  const int full = eighths / 8;
  for (int i = 0; i < full; ++i) line += "\u2588";
  int used = full;
  if (full < bar && eighths % 8 != 0) {
    line += kEighths[eighths % 8];
    ++used;
  }
  line.append(static_cast<size_t>(bar - used), ' ');
  line += "\u258F";
  return line;
}

ProgressBar::ProgressBar(const Connection* connection, bool enabled, int fd,
                         std::optional<std::chrono::milliseconds> delay)
    : connection_(connection), fd_(fd), delay_(delay), since_(std::chrono::steady_clock::now()) {
  if (!enabled || connection_ == nullptr || isatty(fd_) == 0) return;
  poller_ = std::thread([this] { Poll(); });
}

ProgressBar::~ProgressBar() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
    EraseLocked();
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void ProgressBar::Pause() {
  std::lock_guard<std::mutex> l(mu_);
  paused_ = true;
  EraseLocked();
}

void ProgressBar::Resume() {
  std::lock_guard<std::mutex> l(mu_);
  paused_ = false;
  since_ = std::chrono::steady_clock::now();
}

void ProgressBar::EraseLocked() {
  if (!shown_) return;
  // Spaces rather than an escape sequence: any terminal understands them.
  WriteAll(fd_, "\r" + std::string(static_cast<size_t>(shown_width_), ' ') + "\r");
  shown_ = false;
}

void ProgressBar::Poll() {
  std::unique_lock<std::mutex> l(mu_);
  int last_drawn = -1;
  while (!stop_) {
    wake_.wait_for(l, kPollInterval, [this] { return stop_; });
    if (stop_) break;
    if (paused_) {
      last_drawn = -1;
      continue;
    }
    const QueryProgress progress = connection_->Progress();
    const std::chrono::milliseconds delay =
        delay_.value_or(std::chrono::milliseconds(progress.progress_bar_time_ms));
    if (std::chrono::steady_clock::now() - since_ < delay) {
      last_drawn = -1;
      continue;
    }
    const double pct = progress.percentage;
    if (pct < 0) {
      EraseLocked();
      last_drawn = -1;
      continue;
    }
    const int columns = Columns(fd_);
    // Redraw only when the picture changes (a tenth of a cell or the width).
    const int key = static_cast<int>(pct * 10) * 1000 + columns;
    if (shown_ && key == last_drawn) continue;
    std::string line = ProgressBar::Render(pct, columns);
    WriteAll(fd_, "\r" + line);
    shown_ = true;
    shown_width_ = BarCells(columns) > 0 ? BarCells(columns) + 7 : 5;
    last_drawn = key;
  }
}

}  // namespace tslake::cli
