// ProgressPrinter: formatting and in-place redraw (see progress_printer.h).
// Thread-safety: one import at a time.
#include "ingest/progress_printer.h"

#include <unistd.h>

#include <string>

namespace tsl {

ProgressPrinter::ProgressPrinter(FILE* out, bool force)
    : out_(out), enabled_(force || ::isatty(::fileno(out)) == 1) {}

std::string ProgressPrinter::Format(const ImportProgress& p) {
  char buf[160];
  int n = std::snprintf(buf, sizeof buf, "%12lld rows", static_cast<long long>(p.rows));
  std::string s(buf, static_cast<size_t>(n));
  if (p.rejects > 0) s += "  " + std::to_string(p.rejects) + " rejects";
  if (p.bytes_read >= 0 && p.seconds > 0) {
    std::snprintf(buf, sizeof buf, "  %.1f MB/s", static_cast<double>(p.bytes_read) / 1e6 / p.seconds);
    s += buf;
    if (p.bytes_total > 0 && p.bytes_read > 0) {
      const double frac = static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total);
      const double eta = p.seconds * (1 - frac) / frac;
      std::snprintf(buf, sizeof buf, "  %3.0f%%  ETA %.0f s", 100 * frac, eta > 0 ? eta : 0);
      s += buf;
    }
  } else if (p.seconds > 0) {
    std::snprintf(buf, sizeof buf, "  %.0f rows/s", static_cast<double>(p.rows) / p.seconds);
    s += buf;
  }
  return s;
}

void ProgressPrinter::operator()(const ImportProgress& p) {
  if (!enabled_) return;
  if (p.done) {  // clear the line for the summary
    std::fprintf(out_, "\r%*s\r", static_cast<int>(last_width_), "");
    std::fflush(out_);
    return;
  }
  std::string line = Format(p);
  std::fprintf(out_, "\r%s%*s", line.c_str(),
               static_cast<int>(last_width_ > line.size() ? last_width_ - line.size() : 0), "");
  last_width_ = line.size();
  std::fflush(out_);
}

}  // namespace tsl
