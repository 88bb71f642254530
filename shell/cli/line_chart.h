// LineChart: the shell's .plot. Takes a query result, puts its first
// TIMESTAMP column on x and either its numeric columns or, when it has a
// text column, one series per distinct value of it (a tag) on y, at most
// kMaxSeries of them; resamples each series to the drawing's width (the
// mean of the points falling in each x pixel) and draws it as braille
// line segments in the terminal with labelled axes and a legend, or as
// an SVG file.
// Thread-safety: a LineChart is a plain value; one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tslake/tslake.hpp"

namespace tslake::cli {

class LineChart {
 public:
  static constexpr size_t kMaxSeries = 8;

  struct Series {
    std::string name;
    std::vector<int64_t> x;  // microseconds since the epoch
    std::vector<double> y;
  };

  // Builds the chart's series from `result`. False, with *error saying what
  // the result lacks, when it has no TIMESTAMP column, no numeric column or
  // no point with both values.
  static bool FromResult(const Result& result, LineChart* chart, std::string* error);


  // The chart as terminal text: `width` x `height` characters in all,
  // axes and legend included. `color` adds ANSI colours per series (the
  // legend names them; without colour the series share one glyph set).
  std::string RenderText(int width, int height, bool color) const;
  // The chart as a standalone SVG document, `width` x `height` pixels.
  std::string RenderSvg(int width, int height) const;

  const std::vector<Series>& series() const { return series_; }
  // Said under the chart when series were left out (more than kMaxSeries).
  const std::string& note() const { return note_; }

 private:
  friend class LineChartBuilder;
  void ComputeRanges();

  std::string x_name_;
  std::string y_name_;
  std::vector<Series> series_;
  std::string note_;
  int64_t x_min_ = 0, x_max_ = 0;
  double y_min_ = 0, y_max_ = 0;
};

// LineChart::FromResult a chunk at a time, for a streamed result: Begin
// with the result's columns (false, with *error, when it cannot be
// charted), Add each chunk, Finish with the rows seen. Keeps only the
// points it charts (two numbers a point of at most kMaxSeries series).
class LineChartBuilder {
 public:
  bool Begin(const Result& shape, std::string* error);
  void Add(const Result& rows);
  bool Finish(LineChart* chart, int64_t total_rows, std::string* error);

 private:
  int x_col_ = -1, tag_col_ = -1;
  std::vector<int> numeric_;
  std::string tag_name_;
  std::map<std::string, size_t> index_;  // tag -> series (SIZE_MAX: not drawn)
  size_t dropped_ = 0;
  LineChart out_;
};

// Formats a timestamp (microseconds since the epoch) as "YYYY-MM-DD
// HH:MM:SS" in UTC, shortened per `span_micros`: only the time when the
// span is under a day.
std::string FormatChartTime(int64_t micros, int64_t span_micros);

}  // namespace tslake::cli
