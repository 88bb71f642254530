// Grid output: box (DuckDB's box drawing, with a type row, row elision past
// max_rows and column elision past max_width), table (ASCII +---+ as
// sqlite's and duckdb's -table) and markdown. Numbers are right-aligned,
// everything else left-aligned; box headers are centred as DuckDB does.
// Thread-safety: a pure function of its arguments.
#include <algorithm>
#include <vector>

#include "shell/cli/result_printer.h"

namespace tslake::cli {

namespace {

// Long cells are cut so one wide value does not push every other column
// off the screen.
constexpr size_t kMaxCellWidth = 50;

struct GridChars {
  const char* top_left;
  const char* top_mid;
  const char* top_right;
  const char* mid_left;
  const char* mid_mid;
  const char* mid_right;
  const char* bottom_left;
  const char* bottom_mid;
  const char* bottom_right;
  const char* horizontal;
  const char* vertical;
};

constexpr GridChars kBox = {"┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘", "─", "│"};
constexpr GridChars kAscii = {"+", "+", "+", "+", "+", "+", "+", "+", "+", "-", "|"};

// Text fit for one grid cell: control characters escaped, long text cut.
std::string GridCell(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  if (DisplayWidth(out) <= kMaxCellWidth) return out;
  // Cut at a code point boundary within the width, then mark the cut.
  out.resize(PrefixWithinWidth(out, kMaxCellWidth - 1));
  out += "…";
  return out;
}

std::string Repeat(const char* s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

enum class Align { kLeft, kRight, kCenter };

std::string Pad(const std::string& text, size_t width, Align align) {
  size_t w = DisplayWidth(text);
  if (w >= width) return text;
  size_t gap = width - w;
  switch (align) {
    case Align::kLeft: return text + std::string(gap, ' ');
    case Align::kRight: return std::string(gap, ' ') + text;
    case Align::kCenter: return std::string(gap / 2, ' ') + text + std::string(gap - gap / 2, ' ');
  }
  return text;
}

// One displayed column: a result column, or the "…" stand-in for the
// columns dropped from the middle.
struct GridColumn {
  int source = -1;  // -1: the elision column
  std::string name;
  std::string type;
  bool numeric = false;
  size_t width = 1;
};

class Grid {
 public:
  Grid(const Result& result, const OutputSettings& settings, int64_t total_rows)
      : result_(result), settings_(settings), total_rows_(total_rows) {
    box_ = settings.mode == OutputMode::kBox;
    null_text_ = settings.null_value.value_or("NULL");
  }

  void Print(std::ostream& out) {
    ChooseRows();
    BuildColumns();
    if (settings_.mode == OutputMode::kMarkdown) {
      PrintMarkdown(out);
    } else {
      PrintFramed(out, box_ ? kBox : kAscii);
    }
  }

 private:
  // result_ holds every row, or (when total_rows_ is larger) at least the
  // first and last rows that are shown.
  void ChooseRows() {
    int64_t rows = result_.row_count();
    if (box_ && settings_.max_rows > 0 && total_rows_ > settings_.max_rows) {
      int64_t top = (settings_.max_rows + 1) / 2;
      int64_t bottom = settings_.max_rows - top;
      for (int64_t r = 0; r < top; ++r) rows_.push_back(r);
      elided_at_ = rows_.size();
      for (int64_t r = rows - bottom; r < rows; ++r) rows_.push_back(r);
    } else {
      for (int64_t r = 0; r < rows; ++r) rows_.push_back(r);
    }
  }

  void BuildColumns() {
    int n = result_.column_count();
    std::vector<GridColumn> all(static_cast<size_t>(n));
    cells_.assign(static_cast<size_t>(n), {});
    for (int c = 0; c < n; ++c) {
      GridColumn& col = all[static_cast<size_t>(c)];
      col.source = c;
      col.name = GridCell(result_.column_name(c));
      col.type = TypeName(result_.column_type(c));
      col.numeric = IsNumericType(result_.column_type(c));
      if (settings_.headers) {
        col.width = std::max(col.width, DisplayWidth(col.name));
        if (box_) col.width = std::max(col.width, DisplayWidth(col.type));
      }
      auto& cells = cells_[static_cast<size_t>(c)];
      cells.reserve(rows_.size());
      for (int64_t r : rows_) {
        cells.push_back(GridCell(CellText(result_, c, r, null_text_)));
        col.width = std::max(col.width, DisplayWidth(cells.back()));
      }
    }
    if (!box_ || settings_.max_width <= 0 || TotalWidth(all) <= static_cast<size_t>(settings_.max_width)) {
      columns_ = std::move(all);
      return;
    }
    // Keep columns from both ends, alternating, while they and a "…" column
    // fit; the ones left in the middle are dropped.
    GridColumn ellipsis;
    ellipsis.name = "…";
    ellipsis.type = "";
    ellipsis.width = 1;
    std::vector<GridColumn> left, right;
    size_t used = 1 + (ellipsis.width + 3);
    size_t i = 0, j = all.size();
    bool take_left = true;
    while (i < j) {
      GridColumn& next = take_left ? all[i] : all[j - 1];
      if (used + next.width + 3 > static_cast<size_t>(settings_.max_width)) break;
      used += next.width + 3;
      if (take_left) {
        left.push_back(next);
        ++i;
      } else {
        right.push_back(next);
        --j;
      }
      take_left = !take_left;
    }
    hidden_columns_ = static_cast<int>(j - i);
    columns_ = std::move(left);
    columns_.push_back(ellipsis);
    columns_.insert(columns_.end(), right.rbegin(), right.rend());
  }

  static size_t TotalWidth(const std::vector<GridColumn>& cols) {
    size_t w = 1;
    for (const GridColumn& c : cols) w += c.width + 3;
    return w;
  }

  const std::string& Cell(const GridColumn& col, size_t i) const {
    static const std::string kEllipsis = "…";
    return col.source < 0 ? kEllipsis : cells_[static_cast<size_t>(col.source)][i];
  }

  void Rule(std::ostream& out, const GridChars& g, const char* left, const char* mid,
            const char* right) const {
    out << left;
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) out << mid;
      out << Repeat(g.horizontal, columns_[c].width + 2);
    }
    out << right << '\n';
  }

  void Row(std::ostream& out, const GridChars& g, const std::vector<std::string>& texts,
           bool header) const {
    out << g.vertical;
    for (size_t c = 0; c < columns_.size(); ++c) {
      Align align = header ? (box_ ? Align::kCenter : Align::kLeft)
                           : (columns_[c].numeric ? Align::kRight : Align::kLeft);
      out << ' ' << Pad(texts[c], columns_[c].width, align) << ' ' << g.vertical;
    }
    out << '\n';
  }

  // Footer words ("100 rows", "(40 shown)", ...), packed onto lines later.
  std::vector<std::string> FooterParts() const {
    std::vector<std::string> parts;
    int64_t total = total_rows_;
    if (elided_at_ != SIZE_MAX || (box_ && total == 0)) {
      parts.push_back(std::to_string(total) + (total == 1 ? " row" : " rows"));
      if (elided_at_ != SIZE_MAX) parts.push_back("(" + std::to_string(rows_.size()) + " shown)");
    }
    if (hidden_columns_ > 0) {
      int shown = result_.column_count() - hidden_columns_;
      parts.push_back(std::to_string(result_.column_count()) + " columns");
      parts.push_back("(" + std::to_string(shown) + " shown)");
    }
    return parts;
  }

  // Packs footer parts into lines no wider than `inner`, as DuckDB wraps
  // "14 rows (4 shown)" under a narrow table.
  static std::vector<std::string> PackFooter(const std::vector<std::string>& parts, size_t inner) {
    std::vector<std::string> lines;
    for (const std::string& part : parts) {
      if (!lines.empty() && DisplayWidth(lines.back()) + 1 + DisplayWidth(part) <= inner) {
        lines.back() += " " + part;
      } else {
        lines.push_back(part);
      }
    }
    return lines;
  }

  void PrintFramed(std::ostream& out, const GridChars& g) {
    std::vector<std::string> parts = box_ ? FooterParts() : std::vector<std::string>{};
    if (!parts.empty()) {
      // Widen the last column only when a single footer word does not fit.
      size_t inner = TotalWidth(columns_) - 4;
      size_t need = 0;
      for (const std::string& p : parts) need = std::max(need, DisplayWidth(p));
      if (need > inner) columns_.back().width += need - inner;
    }
    std::vector<std::string> footer = PackFooter(parts, TotalWidth(columns_) - 4);
    Rule(out, g, g.top_left, g.top_mid, g.top_right);
    std::vector<std::string> texts(columns_.size());
    if (settings_.headers) {
      for (size_t c = 0; c < columns_.size(); ++c) texts[c] = columns_[c].name;
      Row(out, g, texts, true);
      if (box_) {
        for (size_t c = 0; c < columns_.size(); ++c) texts[c] = columns_[c].type;
        Row(out, g, texts, true);
      }
      if (!rows_.empty() || !footer.empty()) Rule(out, g, g.mid_left, g.mid_mid, g.mid_right);
    }
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (i == elided_at_) {
        for (size_t c = 0; c < columns_.size(); ++c) texts[c] = "·";
        Row(out, g, texts, true);
      }
      for (size_t c = 0; c < columns_.size(); ++c) texts[c] = Cell(columns_[c], i);
      Row(out, g, texts, false);
    }
    if (footer.empty()) {
      Rule(out, g, g.bottom_left, g.bottom_mid, g.bottom_right);
      return;
    }
    if (!rows_.empty()) Rule(out, g, g.mid_left, g.bottom_mid, g.mid_right);
    size_t inner = TotalWidth(columns_) - 4;
    for (const std::string& line : footer)
      out << g.vertical << ' ' << Pad(line, inner, Align::kLeft) << ' ' << g.vertical << '\n';
    out << g.bottom_left << Repeat(g.horizontal, inner + 2) << g.bottom_right << '\n';
  }

  void PrintMarkdown(std::ostream& out) const {
    auto escape = [](const std::string& s) {
      std::string o;
      for (char c : s) {
        if (c == '|') o += '\\';
        o += c;
      }
      return o;
    };
    auto line = [&](const std::vector<std::string>& texts, bool header) {
      out << '|';
      for (size_t c = 0; c < columns_.size(); ++c) {
        Align align = !header && columns_[c].numeric ? Align::kRight : Align::kLeft;
        out << ' ' << Pad(escape(texts[c]), columns_[c].width, align) << " |";
      }
      out << '\n';
    };
    std::vector<std::string> texts(columns_.size());
    // Markdown needs a header row to be a table; --no-header leaves it blank.
    for (size_t c = 0; c < columns_.size(); ++c)
      texts[c] = settings_.headers ? columns_[c].name : "";
    line(texts, true);
    out << '|';
    for (const GridColumn& col : columns_) {
      out << (col.numeric ? std::string(col.width + 1, '-') + ":" : std::string(col.width + 2, '-'))
          << '|';
    }
    out << '\n';
    for (size_t i = 0; i < rows_.size(); ++i) {
      for (size_t c = 0; c < columns_.size(); ++c) texts[c] = Cell(columns_[c], i);
      line(texts, false);
    }
  }

  const Result& result_;
  const OutputSettings& settings_;
  int64_t total_rows_;
  bool box_ = true;
  std::string null_text_;
  std::vector<int64_t> rows_;
  size_t elided_at_ = SIZE_MAX;  // index in rows_ before which rows were cut
  std::vector<GridColumn> columns_;
  std::vector<std::vector<std::string>> cells_;  // [source column][shown row]
  int hidden_columns_ = 0;
};

}  // namespace

void PrintGrid(const Result& result, const OutputSettings& settings, std::ostream& out) {
  Grid(result, settings, result.row_count()).Print(out);
}

void PrintGridKept(const Result& kept, int64_t total_rows, const OutputSettings& settings,
                   std::ostream& out) {
  Grid(kept, settings, total_rows).Print(out);
}

}  // namespace tslake::cli
