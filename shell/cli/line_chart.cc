// LineChart: series from a result, braille text and SVG rendering. See
// line_chart.h.
//
// Braille: each character cell is a 2 x 4 grid of dots (U+2800 + a bit per
// dot), so a chart of C x R cells has 2C x 4R pixels. A series is resampled
// to 2C x-pixels (the mean of the points in each) and consecutive pixels
// are joined by straight segments, so a trend reads as a line whatever the
// number of rows. A cell takes the colour of the last series drawn in it.
#include "shell/cli/line_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>

namespace tslake::cli {

namespace {

constexpr const char* kAnsiColors[LineChart::kMaxSeries] = {
    "\x1b[34m", "\x1b[33m", "\x1b[32m", "\x1b[31m", "\x1b[35m", "\x1b[36m", "\x1b[94m", "\x1b[91m"};
constexpr const char* kAnsiReset = "\x1b[0m";
constexpr const char* kSvgColors[LineChart::kMaxSeries] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

bool IsChartNumeric(Type t) {
  return t == Type::kInteger || t == Type::kBigint || t == Type::kDouble || t == Type::kDecimal ||
         t == Type::kSmallint || t == Type::kTinyint;
}

// One resampled point: x pixel and the mean y of the points in it.
struct Pixel {
  int x;
  double y;
};

// Means per x pixel of `s` over [x_min, x_max] mapped onto 0..pixels-1.
std::vector<Pixel> Resample(const LineChart::Series& s, int64_t x_min, int64_t x_max, int pixels) {
  std::vector<double> sum(static_cast<size_t>(pixels), 0.0);
  std::vector<int64_t> count(static_cast<size_t>(pixels), 0);
  double span = static_cast<double>(x_max - x_min);
  for (size_t i = 0; i < s.x.size(); ++i) {
    int px = span <= 0 ? pixels / 2
                       : static_cast<int>(std::lround(static_cast<double>(s.x[i] - x_min) / span *
                                                      (pixels - 1)));
    px = std::clamp(px, 0, pixels - 1);
    sum[static_cast<size_t>(px)] += s.y[i];
    ++count[static_cast<size_t>(px)];
  }
  std::vector<Pixel> out;
  for (int px = 0; px < pixels; ++px) {
    if (count[static_cast<size_t>(px)] > 0)
      out.push_back({px, sum[static_cast<size_t>(px)] / static_cast<double>(count[static_cast<size_t>(px)])});
  }
  return out;
}

// A y-axis label: fixed decimals suited to the range, %g for extremes.
std::string FormatNumber(double v, double range) {
  char buf[64];
  double mag = std::fabs(v);
  if (mag >= 1e7 || (mag != 0 && mag < 1e-4)) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  int decimals = range > 0 ? std::clamp(2 - static_cast<int>(std::floor(std::log10(range))), 0, 6) : 2;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

size_t Utf8Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string EncodeUtf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

std::string FormatChartTime(int64_t micros, int64_t span_micros) {
  int64_t seconds = micros / 1000000;
  if (micros % 1000000 < 0) --seconds;
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  if (span_micros < kDay) {
    std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  } else if (span_micros < 30 * kDay) {
    std::strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  }
  return buf;
}

bool LineChartBuilder::Begin(const Result& shape, std::string* error) {
  x_col_ = -1;
  tag_col_ = -1;
  numeric_.clear();
  for (int c = 0; c < shape.column_count(); ++c) {
    Type t = shape.column_type(c);
    if (t == Type::kTimestamp && x_col_ < 0) {
      x_col_ = c;
    } else if (t == Type::kVarchar && tag_col_ < 0) {
      tag_col_ = c;
    } else if (IsChartNumeric(t)) {
      numeric_.push_back(c);
    }
  }
  auto columns = [&]() {
    std::string list;
    for (int c = 0; c < shape.column_count(); ++c)
      list += (c ? ", " : "") + shape.column_name(c) + " " + TypeName(shape.column_type(c));
    return list.empty() ? std::string("no columns") : list;
  };
  if (x_col_ < 0) {
    *error = ".plot needs a TIMESTAMP column for the x axis; the result has " + columns();
    return false;
  }
  if (numeric_.empty()) {
    *error = ".plot needs a numeric column for the y axis; the result has " + columns();
    return false;
  }
  out_ = LineChart();
  out_.x_name_ = shape.column_name(x_col_);
  index_.clear();
  dropped_ = 0;
  if (tag_col_ >= 0) {
    // One series per distinct tag, in order of first appearance.
    out_.y_name_ = shape.column_name(numeric_[0]);
    tag_name_ = shape.column_name(tag_col_);
  } else {
    if (numeric_.size() > LineChart::kMaxSeries) {
      out_.note_ = std::to_string(numeric_.size()) + " numeric columns; the first " +
                   std::to_string(LineChart::kMaxSeries) + " are drawn";
      numeric_.resize(LineChart::kMaxSeries);
    }
    out_.y_name_ = numeric_.size() == 1 ? shape.column_name(numeric_[0]) : "";
    for (int c : numeric_) out_.series_.push_back(LineChart::Series{shape.column_name(c), {}, {}});
  }
  return true;
}

void LineChartBuilder::Add(const Result& rows) {
  if (tag_col_ >= 0) {
    int y_col = numeric_[0];
    for (int64_t r = 0; r < rows.row_count(); ++r) {
      if (rows.IsNull(x_col_, r) || rows.IsNull(y_col, r)) continue;
      std::string tag = rows.IsNull(tag_col_, r) ? "NULL" : rows.GetString(tag_col_, r);
      auto it = index_.find(tag);
      if (it == index_.end()) {
        if (out_.series_.size() == LineChart::kMaxSeries) {
          index_.emplace(tag, SIZE_MAX);
          ++dropped_;
          continue;
        }
        it = index_.emplace(tag, out_.series_.size()).first;
        out_.series_.push_back(LineChart::Series{tag, {}, {}});
      }
      if (it->second == SIZE_MAX) continue;
      out_.series_[it->second].x.push_back(rows.GetInt64(x_col_, r));
      out_.series_[it->second].y.push_back(rows.GetDouble(y_col, r));
    }
    return;
  }
  for (size_t i = 0; i < numeric_.size(); ++i) {
    LineChart::Series& s = out_.series_[i];
    const int c = numeric_[i];
    for (int64_t r = 0; r < rows.row_count(); ++r) {
      if (rows.IsNull(x_col_, r) || rows.IsNull(c, r)) continue;
      s.x.push_back(rows.GetInt64(x_col_, r));
      s.y.push_back(rows.GetDouble(c, r));
    }
  }
}

bool LineChartBuilder::Finish(LineChart* chart, int64_t total_rows, std::string* error) {
  LineChart out = std::move(out_);
  out_ = LineChart();
  if (tag_col_ >= 0 && dropped_ > 0) {
    out.note_ = std::to_string(out.series_.size() + dropped_) + " distinct " + tag_name_ +
                " values; the first " + std::to_string(LineChart::kMaxSeries) +
                " are drawn (filter with WHERE to choose)";
  }
  out.series_.erase(std::remove_if(out.series_.begin(), out.series_.end(),
                                   [](const LineChart::Series& s) { return s.x.empty(); }),
                    out.series_.end());
  if (out.series_.empty()) {
    *error = ".plot found no row with both a " + out.x_name_ + " and a value to draw (" +
             std::to_string(total_rows) + " rows)";
    return false;
  }
  out.ComputeRanges();
  *chart = std::move(out);
  return true;
}

bool LineChart::FromResult(const Result& result, LineChart* chart, std::string* error) {
  LineChartBuilder builder;
  if (!builder.Begin(result, error)) return false;
  builder.Add(result);
  return builder.Finish(chart, result.row_count(), error);
}

void LineChart::ComputeRanges() {
  bool first = true;
  for (const Series& s : series_) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (first) {
        x_min_ = x_max_ = s.x[i];
        y_min_ = y_max_ = s.y[i];
        first = false;
      }
      x_min_ = std::min(x_min_, s.x[i]);
      x_max_ = std::max(x_max_, s.x[i]);
      if (std::isfinite(s.y[i])) {
        y_min_ = std::min(y_min_, s.y[i]);
        y_max_ = std::max(y_max_, s.y[i]);
      }
    }
  }
  if (y_max_ - y_min_ <= 0) {
    // A flat series still needs a range; centre it.
    double pad = y_min_ == 0 ? 1.0 : std::fabs(y_min_) * 0.1;
    y_min_ -= pad;
    y_max_ += pad;
  }
}

std::string LineChart::RenderText(int width, int height, bool color) const {
  // Legend first, as it decides how many lines are left for the plot.
  std::vector<std::string> legend_lines(1);
  size_t legend_width = 0;
  for (size_t i = 0; i < series_.size(); ++i) {
    std::string item = "━━ " + series_[i].name;
    size_t w = Utf8Width(item) + 3;
    if (legend_width > 0 && legend_width + w > static_cast<size_t>(width)) {
      legend_lines.emplace_back();
      legend_width = 0;
    }
    std::string& line = legend_lines.back();
    line += legend_width == 0 ? "  " : "   ";
    if (color) line += kAnsiColors[i];
    line += "━━";
    if (color) line += kAnsiReset;
    line += " " + series_[i].name;
    legend_width += w;
  }
  std::string axis_title = "x: " + x_name_ + " (UTC)" + (y_name_.empty() ? "" : ", y: " + y_name_);
  if (legend_width + axis_title.size() + 4 <= static_cast<size_t>(width)) {
    legend_lines.back() += "   " + axis_title;
  } else {
    legend_lines.push_back("  " + axis_title);
  }

  int rows = std::max(3, height - 2 - static_cast<int>(legend_lines.size()) - (note_.empty() ? 0 : 1));
  double y_range = y_max_ - y_min_;
  // y label of each row: the value at its top dot (first row), bottom dot
  // (last row) or middle; only every fourth row and the ends carry one.
  std::vector<std::string> labels(static_cast<size_t>(rows));
  int ph = rows * 4;
  for (int r = 0; r < rows; ++r) {
    if (r != 0 && r != rows - 1 && r % 4 != 0) continue;
    if (r != 0 && r != rows - 1 && rows - 1 - r < 2) continue;  // too close to the bottom label
    double ty = r == 0 ? 0 : r == rows - 1 ? ph - 1 : r * 4 + 1.5;
    labels[static_cast<size_t>(r)] = FormatNumber(y_max_ - ty / (ph - 1) * y_range, y_range);
  }
  size_t label_width = 0;
  for (const std::string& l : labels) label_width = std::max(label_width, l.size());
  int margin = static_cast<int>(label_width) + 2;
  int cols = std::max(10, width - margin - 1);
  int pw = cols * 2;

  std::vector<uint8_t> bits(static_cast<size_t>(rows * cols), 0);
  std::vector<int> owner(static_cast<size_t>(rows * cols), -1);
  auto plot = [&](int px, int py, int series) {
    int ty = ph - 1 - py;
    if (px < 0 || px >= pw || ty < 0 || ty >= ph) return;
    static constexpr uint8_t kDot[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    size_t cell = static_cast<size_t>((ty / 4) * cols + px / 2);
    bits[cell] |= kDot[ty % 4][px % 2];
    owner[cell] = series;
  };
  for (size_t si = 0; si < series_.size(); ++si) {
    std::vector<Pixel> pixels = Resample(series_[si], x_min_, x_max_, pw);
    auto to_py = [&](double y) {
      if (!std::isfinite(y)) return -1;
      return static_cast<int>(std::lround((y - y_min_) / y_range * (ph - 1)));
    };
    for (size_t i = 0; i < pixels.size(); ++i) {
      int x0 = pixels[i].x, y0 = to_py(pixels[i].y);
      if (i + 1 == pixels.size()) {
        plot(x0, y0, static_cast<int>(si));
        break;
      }
      // Bresenham from this pixel to the next.
      int x1 = pixels[i + 1].x, y1 = to_py(pixels[i + 1].y);
      int dx = x1 - x0, dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1, err = dx + dy;
      while (true) {
        plot(x0, y0, static_cast<int>(si));
        if (x0 == x1 && y0 == y1) break;
        int e2 = 2 * err;
        if (e2 >= dy) {
          err += dy;
          ++x0;
        }
        if (e2 <= dx) {
          err += dx;
          y0 += sy;
        }
      }
    }
  }

  std::string out;
  for (int r = 0; r < rows; ++r) {
    const std::string& label = labels[static_cast<size_t>(r)];
    out += std::string(label_width - label.size(), ' ') + label + ' ';
    out += label.empty() ? "│" : "┤";
    int current = -1;
    for (int c = 0; c < cols; ++c) {
      size_t cell = static_cast<size_t>(r * cols + c);
      if (color && owner[cell] != current) {
        out += owner[cell] < 0 ? kAnsiReset : kAnsiColors[owner[cell]];
        current = owner[cell];
      }
      out += bits[cell] == 0 ? std::string(" ") : EncodeUtf8(0x2800 + bits[cell]);
    }
    if (color && current >= 0) out += kAnsiReset;
    out += '\n';
  }

  // x axis with ticks, then the tick labels.
  int64_t span = x_max_ - x_min_;
  size_t label_len = FormatChartTime(x_min_, span).size();
  int ticks = std::clamp(cols / static_cast<int>(label_len + 4), 2, 8);
  if (span == 0) ticks = 1;
  std::vector<int> tick_cols;
  for (int i = 0; i < ticks; ++i)
    tick_cols.push_back(ticks == 1 ? cols / 2 : static_cast<int>(std::lround(i * (cols - 1.0) / (ticks - 1))));
  out += std::string(label_width + 1, ' ') + "└";
  for (int c = 0; c < cols; ++c)
    out += std::find(tick_cols.begin(), tick_cols.end(), c) != tick_cols.end() ? "┬" : "─";
  out += '\n';
  std::string tick_line(static_cast<size_t>(width) + label_len, ' ');
  int next_free = 0;
  for (int i = 0; i < ticks; ++i) {
    int64_t at = ticks == 1 ? x_min_ : x_min_ + static_cast<int64_t>(std::llround(static_cast<double>(span) * i / (ticks - 1)));
    std::string text = FormatChartTime(at, span);
    int start = margin + tick_cols[static_cast<size_t>(i)] - static_cast<int>(text.size()) / 2;
    start = std::clamp(start, margin, std::max(margin, width - static_cast<int>(text.size())));
    if (start < next_free) continue;
    tick_line.replace(static_cast<size_t>(start), text.size(), text);
    next_free = start + static_cast<int>(text.size()) + 1;
  }
  while (!tick_line.empty() && tick_line.back() == ' ') tick_line.pop_back();
  out += tick_line + '\n';
  for (const std::string& line : legend_lines) out += line + '\n';
  if (!note_.empty()) out += "  (" + note_ + ")\n";
  return out;
}

std::string LineChart::RenderSvg(int width, int height) const {
  const int left = 80, right = 20, top = 40, bottom = 50;
  int pw = std::max(10, width - left - right);
  int ph = std::max(10, height - top - bottom);
  double y_range = y_max_ - y_min_;
  int64_t span = x_max_ - x_min_;
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  // Grid and y labels.
  constexpr int kYTicks = 5;
  for (int i = 0; i < kYTicks; ++i) {
    double y = y_min_ + y_range * i / (kYTicks - 1);
    double py = top + ph - static_cast<double>(ph) * i / (kYTicks - 1);
    svg << "<line x1=\"" << left << "\" y1=\"" << py << "\" x2=\"" << left + pw << "\" y2=\"" << py
        << "\" stroke=\"#e0e0e0\"/>\n"
        << "<text x=\"" << left - 6 << "\" y=\"" << py + 4 << "\" text-anchor=\"end\">"
        << XmlEscape(FormatNumber(y, y_range)) << "</text>\n";
  }
  int x_ticks = span == 0 ? 1 : 5;
  for (int i = 0; i < x_ticks; ++i) {
    double px = x_ticks == 1 ? left + pw / 2.0 : left + static_cast<double>(pw) * i / (x_ticks - 1);
    int64_t at = x_ticks == 1 ? x_min_ : x_min_ + static_cast<int64_t>(std::llround(static_cast<double>(span) * i / (x_ticks - 1)));
    svg << "<line x1=\"" << px << "\" y1=\"" << top + ph << "\" x2=\"" << px << "\" y2=\""
        << top + ph + 5 << "\" stroke=\"black\"/>\n"
        << "<text x=\"" << px << "\" y=\"" << top + ph + 20 << "\" text-anchor=\"middle\">"
        << XmlEscape(FormatChartTime(at, span)) << "</text>\n";
  }
  svg << "<polyline points=\"" << left << ',' << top << ' ' << left << ',' << top + ph << ' '
      << left + pw << ',' << top + ph << "\" fill=\"none\" stroke=\"black\"/>\n"
      << "<text x=\"" << left + pw / 2 << "\" y=\"" << height - 10 << "\" text-anchor=\"middle\">"
      << XmlEscape(x_name_) << " (UTC)</text>\n";
  if (!y_name_.empty()) {
    svg << "<text transform=\"translate(14," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << XmlEscape(y_name_) << "</text>\n";
  }
  // Series, then the legend across the top.
  for (size_t si = 0; si < series_.size(); ++si) {
    svg << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << kSvgColors[si] << "\" points=\"";
    for (const Pixel& p : Resample(series_[si], x_min_, x_max_, pw)) {
      if (!std::isfinite(p.y)) continue;
      double py = top + ph - (p.y - y_min_) / y_range * ph;
      svg << left + p.x << ',' << py << ' ';
    }
    svg << "\"/>\n";
  }
  double lx = left;
  for (size_t si = 0; si < series_.size(); ++si) {
    svg << "<line x1=\"" << lx << "\" y1=\"16\" x2=\"" << lx + 20 << "\" y2=\"16\" stroke-width=\"3\" stroke=\""
        << kSvgColors[si] << "\"/>\n"
        << "<text x=\"" << lx + 24 << "\" y=\"20\">" << XmlEscape(series_[si].name) << "</text>\n";
    lx += 40 + 7.0 * static_cast<double>(Utf8Width(series_[si].name));
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace tslake::cli
