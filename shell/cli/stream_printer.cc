// Printing a streamed result (PrintStream): row modes write chunk by chunk,
// the grid and column modes keep what they need and print at the end, in
// the same bytes as PrintResult. See result_printer.h.
// Thread-safety: a pure function of its arguments (and the stream's).
#include <deque>
#include <utility>

#include "shell/cli/result_printer.h"

namespace tslake::cli {

namespace {

bool WritesRowByRow(OutputMode mode) {
  switch (mode) {
    case OutputMode::kCsv:
    case OutputMode::kTsv:
    case OutputMode::kJson:
    case OutputMode::kJsonl:
    case OutputMode::kLine:
    case OutputMode::kList:
    case OutputMode::kHtml: return true;
    case OutputMode::kBox:
    case OutputMode::kTable:
    case OutputMode::kMarkdown:
    case OutputMode::kColumn: return false;
  }
  return false;
}

// One chunk in a row-by-row mode; `continued`: chunks were printed before
// (so no second header, and the separator between rows).
void PrintChunk(const Result& chunk, const OutputSettings& settings, bool continued,
                std::ostream& out) {
  OutputSettings s = settings;
  if (continued) s.headers = false;
  switch (settings.mode) {
    case OutputMode::kCsv: PrintDelimited(chunk, s, ',', out); break;
    case OutputMode::kTsv: PrintDelimited(chunk, s, '\t', out); break;
    case OutputMode::kJson:
      if (!continued) out << '[';
      PrintJsonRows(chunk, false, continued, out);
      break;
    case OutputMode::kJsonl: PrintJsonRows(chunk, true, continued, out); break;
    case OutputMode::kLine:
      if (continued && chunk.row_count() > 0) out << '\n';  // the blank line between rows
      PrintLines(chunk, s, out);
      break;
    case OutputMode::kList: PrintList(chunk, s, out); break;
    case OutputMode::kHtml: PrintHtml(chunk, s, out); break;
    default: break;
  }
}

// The rows a box in `settings` shows of a result streamed to it: all of
// them up to max_rows, else the head and at least the tail it shows.
class KeptRows {
 public:
  explicit KeptRows(const OutputSettings& settings) {
    if (settings.mode == OutputMode::kBox && settings.max_rows > 0) {
      head_rows_ = (settings.max_rows + 1) / 2;
      tail_rows_ = settings.max_rows - head_rows_;
      bounded_ = true;
    }
  }

  void Add(Result chunk) {
    total_ += chunk.row_count();
    if (!started_) {
      head_ = std::move(chunk);
      started_ = true;
      return;
    }
    if (!bounded_ || head_.row_count() < head_rows_) {
      (void)head_.Append(std::move(chunk));
      return;
    }
    tail_count_ += chunk.row_count();
    tail_.push_back(std::move(chunk));
    // Drop the oldest tail chunk while the rest still hold the tail shown.
    while (tail_.size() > 1 && tail_count_ - tail_.front().row_count() >= tail_rows_) {
      tail_count_ -= tail_.front().row_count();
      tail_.pop_front();
    }
  }

  // The head followed by the tail kept (the result's columns even when
  // it has no rows: `empty` is the stream's last, empty, chunk).
  Result Take(Result empty) {
    if (!started_) return empty;
    for (Result& r : tail_) (void)head_.Append(std::move(r));
    tail_.clear();
    return std::move(head_);
  }
  int64_t total() const { return total_; }

 private:
  bool bounded_ = false;
  int64_t head_rows_ = 0, tail_rows_ = 0;
  bool started_ = false;
  Result head_;
  std::deque<Result> tail_;
  int64_t tail_count_ = 0;
  int64_t total_ = 0;
};

}  // namespace

int64_t PrintStream(StreamingResult& stream, const OutputSettings& settings, std::ostream& out,
                    const std::function<void(const Result&)>& on_chunk,
                    const std::function<void()>& before_output) {
  const bool plan = stream.column_count() == 1 && stream.column_name(0) == "physical_plan";
  Result chunk;
  auto about_to_write = [&] {
    if (before_output) before_output();
  };
  if (WritesRowByRow(settings.mode) && !plan) {
    bool continued = false;
    while (stream.Fetch(&chunk)) {
      if (on_chunk) on_chunk(chunk);
      if (!continued) about_to_write();
      PrintChunk(chunk, settings, continued, out);
      continued = true;
      out.flush();
      if (!out) break;  // nobody reads any more: the rest is never computed
    }
    if (!continued && stream.ok() && out) {
      about_to_write();
      PrintResult(chunk, settings, out);  // header, "[]"
    }
    else if (settings.mode == OutputMode::kJson && continued && stream.ok() && out) out << "]\n";
    return stream.rows_fetched();
  }
  KeptRows kept(settings);
  while (stream.Fetch(&chunk)) {
    if (on_chunk) on_chunk(chunk);
    kept.Add(std::move(chunk));
  }
  if (!stream.ok()) return stream.rows_fetched();
  about_to_write();
  Result rows = kept.Take(std::move(chunk));
  const bool grid = settings.mode == OutputMode::kBox || settings.mode == OutputMode::kTable ||
                    settings.mode == OutputMode::kMarkdown;
  if (grid && !plan) {
    PrintGridKept(rows, kept.total(), settings, out);
  } else {
    PrintResult(rows, settings, out);
  }
  return stream.rows_fetched();
}

}  // namespace tslake::cli
