// The .plot dot command: `.plot [--svg FILE] [--width N] [--height N]
// [SELECT ...]` charts the given query's result, or else the last result
// printed, with LineChart; in the terminal (braille, coloured when stdout
// is a terminal) or as an SVG file.
// Thread-safety: as ShellSession (one thread).
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>

#include "shell/cli/interrupt_guard.h"
#include "shell/cli/shell_session.h"

namespace tslake::cli {

namespace {

constexpr int kDefaultTextHeight = 20;
constexpr int kDefaultSvgWidth = 900;
constexpr int kDefaultSvgHeight = 400;
constexpr const char* kPlotUsage =
    ".plot [--svg FILE] [--width N] [--height N] [SELECT ...]";

bool PlotUsage(const std::string& why) {
  ShellSession::ReportError(why + "\nUsage: " + kPlotUsage);
  return false;
}

}  // namespace

bool ShellSession::DotPlot(const std::string& line) {
  // Options are words after ".plot" that start with "--"; the rest of the
  // line, from the first other word, is the query.
  std::string svg_path;
  int width = 0, height = 0;
  size_t pos = line.find_first_of(" \t");
  std::string sql;
  while (pos != std::string::npos) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string::npos) break;
    if (line.compare(pos, 2, "--") != 0) {
      sql = line.substr(pos);
      break;
    }
    size_t end = line.find_first_of(" \t", pos);
    std::string option = line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t value_at = end == std::string::npos ? end : line.find_first_not_of(" \t", end);
    if (value_at == std::string::npos) return PlotUsage(option + " needs a value");
    size_t value_end = line.find_first_of(" \t", value_at);
    std::string value = line.substr(value_at, value_end == std::string::npos ? std::string::npos
                                                                              : value_end - value_at);
    pos = value_end;
    if (option == "--svg") {
      svg_path = SplitWords(value).empty() ? value : SplitWords(value)[0];
    } else if (option == "--width" || option == "--height") {
      int n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || ptr != value.data() + value.size() || n < 5 || n > 10000)
        return PlotUsage(option + " takes a number from 5 to 10000, not \"" + value + "\"");
      (option == "--width" ? width : height) = n;
    } else {
      return PlotUsage("unknown option " + option);
    }
  }
  while (!sql.empty() && (sql.back() == ';' || sql.back() == ' ' || sql.back() == '\n')) sql.pop_back();

  LineChart chart;
  if (!sql.empty()) {
    Result result;
    {
      InterruptGuard guard(con_.get());
      result = con_->Query(sql);
    }
    if (!result.ok()) {
      ReportError(result.error_message());
      return false;
    }
    std::string error;
    if (!LineChart::FromResult(result, &chart, &error)) {
      ReportError(error);
      return false;
    }
  } else if (last_chart_) {
    chart = *last_chart_;
  } else {
    ReportError(last_chart_error_);
    return false;
  }

  if (!svg_path.empty()) {
    Status allowed = db_->CheckOutputFile(svg_path);  // never into the database directory
    if (!allowed.ok()) {
      ReportError(allowed.message());
      return false;
    }
    std::ofstream file(svg_path, std::ios::out | std::ios::trunc);
    file << chart.RenderSvg(width ? width : kDefaultSvgWidth, height ? height : kDefaultSvgHeight);
    file.close();
    if (!file) {
      ReportError("cannot write \"" + svg_path + "\": " + std::strerror(errno));
      return false;
    }
    size_t points = 0;
    for (const LineChart::Series& s : chart.series()) points += s.x.size();
    out() << "Wrote a chart of " << chart.series().size() << " series (" << points
          << " points) to " << svg_path << '\n';
    bool wrote = FinishOutput();
    return EndOnce() && wrote;
  }
  bool color = !output_file_ && isatty(STDOUT_FILENO) != 0;
  out() << chart.RenderText(width ? width : chart_width(), height ? height : kDefaultTextHeight,
                            color);
  bool wrote = FinishOutput();
  return EndOnce() && wrote;
}

}  // namespace tslake::cli
