// sql_test_runner: runs one sqllogictest-style file against tslake through
// the public C++ API (include/tslake/tslake.hpp), as DuckDB's sqllogictest
// does for DuckDB.
//
//   sql_test_runner FILE.test
//
// Exit status 0 when every record passes; otherwise each failure is printed
// (file:line, the SQL, expected vs actual) and the exit status is 1. A file
// that cannot be read or parsed, or a database that cannot be opened, exits
// with 2.
//
// File format (records are separated by blank lines; `#` starts a comment):
//
//   statement ok                      the SQL must succeed
//   statement error                   the SQL must fail; after an optional
//   ----                              `----` line, the following lines (joined
//   expected error substring          by newlines) must occur in the message
//
//   query ITR [nosort|rowsort|valuesort]
//   SELECT ...                        one type letter per result column:
//   ----                              I integer, R real (numeric compare with
//   1<TAB>2.5<TAB>text                 relative tolerance 1e-6), T text;
//                                     values tab-separated, one row a line, or
//                                     one value a line; NULL and (empty) spelled
//                                     out; <REGEX>:pattern matches a value
//                                     that varies (a commit time)
//
//   restart                           close and reopen the database (log replay)
//   load PATH [readonly]              switch to the database directory PATH
//   mode skip / mode unskip           skip records until unskip
//   halt                              stop reading the file
//
// Substitutions in SQL and paths: __TEST_DIR__ is a fresh temporary directory
// (mkdtemp, removed at exit) that also holds the default database
// (__TEST_DIR__/test.db); {DATA_DIR} is the absolute path of tests/sql/data,
// found from the test file's own path (or TSLAKE_SQL_DATA_DIR when set).
//
// Thread-safety: a single-threaded program.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tslake/tslake.hpp"

namespace {

namespace fs = std::filesystem;

constexpr double kRelativeTolerance = 1e-6;
// Below this magnitude two reals are equal when their difference is, so an
// expected 0 matches a computed 1e-17.
constexpr double kAbsoluteTolerance = 1e-9;

enum class RecordKind { kStatementOk, kStatementError, kQuery, kRestart, kLoad, kHalt, kModeSkip, kModeUnskip };
enum class SortMode { kNoSort, kRowSort, kValueSort };

struct Record {
  RecordKind kind = RecordKind::kStatementOk;
  int line = 0;             // line of the directive, for messages
  std::string sql;          // statements and queries
  std::string types;        // query: one letter per column
  SortMode sort = SortMode::kNoSort;
  bool has_expected = false;
  std::vector<std::string> expected;  // query rows, or error-substring lines
  std::string path;                   // load
  bool read_only = false;             // load
};

std::string Trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<std::string> SplitTabs(const std::string& s) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t tab = s.find('\t', start);
    fields.push_back(s.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
}

// Splits the file into records. Returns false and sets *error on a line
// that is not a known directive, naming the file and line.
bool ParseTestFile(const std::string& file, const std::vector<std::string>& lines,
                   std::vector<Record>* records, std::string* error) {
  size_t i = 0;
  auto blank = [&](size_t k) { return Trim(lines[k]).empty(); };
  // Reads lines until a blank line (or `----` when stop_at_dashes), returning
  // them joined by '\n'.
  auto read_block = [&](bool stop_at_dashes, bool* saw_dashes) {
    std::string text;
    *saw_dashes = false;
    while (i < lines.size() && !blank(i)) {
      if (stop_at_dashes && Trim(lines[i]) == "----") {
        *saw_dashes = true;
        ++i;
        break;
      }
      if (!text.empty()) text += '\n';
      text += lines[i];
      ++i;
    }
    return text;
  };
  // Expected lines keep their tabs; a result block ends at the first blank
  // line (an empty-string value is spelled "(empty)", so none is lost).
  auto read_expected = [&]() {
    std::vector<std::string> out;
    while (i < lines.size() && !blank(i)) out.push_back(lines[i++]);
    return out;
  };

  while (i < lines.size()) {
    std::string line = Trim(lines[i]);
    if (line.empty() || line[0] == '#') {
      ++i;
      continue;
    }
    Record r;
    r.line = static_cast<int>(i) + 1;
    std::vector<std::string> words = SplitWords(line);
    const std::string& head = words[0];
    ++i;
    bool dashes = false;
    if (head == "statement" && words.size() >= 2 && (words[1] == "ok" || words[1] == "error")) {
      r.kind = words[1] == "ok" ? RecordKind::kStatementOk : RecordKind::kStatementError;
      r.sql = read_block(/*stop_at_dashes=*/true, &dashes);
      if (dashes) {
        if (r.kind == RecordKind::kStatementOk) {
          *error = file + ":" + std::to_string(r.line) + ": `statement ok` takes no `----` block";
          return false;
        }
        r.has_expected = true;
        r.expected = read_expected();
      }
    } else if (head == "query" && words.size() >= 2) {
      r.kind = RecordKind::kQuery;
      r.types = words[1];
      for (char c : r.types) {
        if (c != 'I' && c != 'R' && c != 'T') {
          *error = file + ":" + std::to_string(r.line) + ": unknown column type letter '" +
                   std::string(1, c) + "' (expected I, R or T)";
          return false;
        }
      }
      if (words.size() >= 3) {
        if (words[2] == "nosort") {
          r.sort = SortMode::kNoSort;
        } else if (words[2] == "rowsort") {
          r.sort = SortMode::kRowSort;
        } else if (words[2] == "valuesort") {
          r.sort = SortMode::kValueSort;
        } else {
          *error = file + ":" + std::to_string(r.line) + ": unknown sort mode '" + words[2] +
                   "' (expected nosort, rowsort or valuesort)";
          return false;
        }
      }
      r.sql = read_block(/*stop_at_dashes=*/true, &dashes);
      r.has_expected = dashes;
      if (dashes) r.expected = read_expected();
    } else if (head == "restart" && words.size() == 1) {
      r.kind = RecordKind::kRestart;
    } else if (head == "halt" && words.size() == 1) {
      r.kind = RecordKind::kHalt;
    } else if (head == "load" && (words.size() == 2 || (words.size() == 3 && words[2] == "readonly"))) {
      r.kind = RecordKind::kLoad;
      r.path = words[1];
      r.read_only = words.size() == 3;
    } else if (head == "mode" && words.size() == 2 && (words[1] == "skip" || words[1] == "unskip")) {
      r.kind = words[1] == "skip" ? RecordKind::kModeSkip : RecordKind::kModeUnskip;
    } else {
      *error = file + ":" + std::to_string(r.line) + ": unknown directive: " + line;
      return false;
    }
    if ((r.kind == RecordKind::kStatementOk || r.kind == RecordKind::kStatementError ||
         r.kind == RecordKind::kQuery) &&
        Trim(r.sql).empty()) {
      *error = file + ":" + std::to_string(r.line) + ": `" + line + "` has no SQL";
      return false;
    }
    records->push_back(std::move(r));
  }
  return true;
}

// The text a result value is compared as: "NULL" for NULL, "(empty)" for ''.
std::string CellText(const tslake::Result& result, int column, int64_t row) {
  if (result.IsNull(column, row)) return "NULL";
  std::string text = result.GetString(column, row);
  return text.empty() ? "(empty)" : text;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

bool ParseReal(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0') return false;
  *out = v;
  return true;
}

// Whether one actual value matches one expected value for a column of type
// letter `type`. <REGEX>:pattern matches by regex. I: equal integers when the expectation is an integer
// (so a DOUBLE "6.0" does not pass for a BIGINT 6), else equal text (true,
// false). R: numbers within the tolerance. T: equal text.
bool ValueMatches(char type, const std::string& expected, const std::string& actual) {
  static const std::string kRegexPrefix = "<REGEX>:";
  if (expected.rfind(kRegexPrefix, 0) == 0) {
    // A value that differs run to run (a commit timestamp): the rest of the
    // expectation is an ECMAScript regex the whole value must match.
    try {
      return std::regex_match(actual, std::regex(expected.substr(kRegexPrefix.size())));
    } catch (const std::regex_error&) {
      return false;
    }
  }
  if (expected == "NULL" || actual == "NULL") return expected == actual;
  if (type == 'I') {
    int64_t e = 0;
    int64_t a = 0;
    if (ParseInt(expected, &e)) return ParseInt(actual, &a) && a == e;
    return expected == actual;
  }
  if (type == 'R') {
    double e = 0;
    double a = 0;
    if (!ParseReal(expected, &e)) return expected == actual;
    if (!ParseReal(actual, &a)) return false;
    if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
    if (std::isinf(e) || std::isinf(a)) return e == a;
    const double diff = std::fabs(e - a);
    return diff <= kAbsoluteTolerance || diff <= kRelativeTolerance * std::max(std::fabs(e), std::fabs(a));
  }
  return expected == actual;
}

std::string JoinRow(const std::vector<std::string>& row) {
  std::string s;
  for (size_t c = 0; c < row.size(); ++c) {
    if (c > 0) s += '\t';
    s += row[c];
  }
  return s;
}

class TestRunner {
 public:
  TestRunner(std::string file, std::string test_dir, std::string data_dir)
      : file_(std::move(file)), test_dir_(std::move(test_dir)), data_dir_(std::move(data_dir)) {}

  // Returns the number of failed records, or -1 when the database could not
  // be opened at all.
  int Run(const std::vector<Record>& records) {
    db_path_ = test_dir_ + "/test.db";
    if (!Open(0)) return -1;
    bool skipping = false;
    for (const Record& r : records) {
      if (r.kind == RecordKind::kHalt) break;
      if (r.kind == RecordKind::kModeSkip) skipping = true;
      if (r.kind == RecordKind::kModeUnskip) skipping = false;
      if (skipping) continue;
      ++executed_;
      switch (r.kind) {
        case RecordKind::kStatementOk:
        case RecordKind::kStatementError:
          RunStatement(r);
          break;
        case RecordKind::kQuery:
          RunQuery(r);
          break;
        case RecordKind::kRestart:
          if (!Open(r.line)) return failures_;
          break;
        case RecordKind::kLoad:
          db_path_ = Substitute(r.path);
          read_only_ = r.read_only;
          if (!Open(r.line)) return failures_;
          break;
        default:
          break;
      }
    }
    return failures_;
  }

  int executed() const { return executed_; }

 private:
  std::string Substitute(std::string text) const {
    ReplaceAll(&text, "__TEST_DIR__", test_dir_);
    ReplaceAll(&text, "{DATA_DIR}", data_dir_);
    return text;
  }

  // Closes the current database (connection first) and opens db_path_.
  bool Open(int line) {
    con_.reset();
    db_.reset();
    tslake::Options options;
    options.read_only = read_only_;
    std::string error;
    db_ = tslake::Database::Open(db_path_, options, &error);
    if (!db_) {
      std::cerr << file_ << ":" << line << ": cannot open database " << db_path_ << ": " << error
                << "\n";
      ++failures_;
      return false;
    }
    con_ = std::make_unique<tslake::Connection>(*db_);
    return true;
  }

  // Prints a failure: where, the SQL, then what differed. `what` is a one
  // line summary, optionally followed by lines of detail.
  void Fail(const Record& r, const std::string& sql, const std::string& what) {
    ++failures_;
    const size_t newline = what.find('\n');
    std::cerr << "================================================================\n"
              << file_ << ":" << r.line << ": FAILED: " << what.substr(0, newline) << "\n"
              << "---- SQL\n"
              << sql << "\n";
    if (newline != std::string::npos) {
      std::string details = what.substr(newline + 1);
      while (!details.empty() && details.back() == '\n') details.pop_back();
      std::cerr << details << "\n";
    }
  }

  void RunStatement(const Record& r) {
    const std::string sql = Substitute(r.sql);
    tslake::Result result = con_->Query(sql);
    if (r.kind == RecordKind::kStatementOk) {
      if (!result.ok()) Fail(r, sql, "expected success, got error:\n" + result.error_message());
      return;
    }
    if (result.ok()) {
      Fail(r, sql, "expected an error, but the statement succeeded");
      return;
    }
    if (r.has_expected) {
      std::string expected;
      for (const std::string& l : r.expected) expected += (expected.empty() ? "" : "\n") + Substitute(l);
      if (result.error_message().find(expected) == std::string::npos) {
        Fail(r, sql,
             "error message does not contain the expected text\n---- expected substring\n" +
                 expected + "\n---- actual error\n" + result.error_message());
      }
    }
  }

  void RunQuery(const Record& r) {
    const std::string sql = Substitute(r.sql);
    tslake::Result result = con_->Query(sql);
    if (!result.ok()) {
      Fail(r, sql, "query failed:\n" + result.error_message());
      return;
    }
    const int columns = static_cast<int>(r.types.size());
    if (result.column_count() != columns) {
      Fail(r, sql,
           "expected " + std::to_string(columns) + " column(s) (" + r.types + "), got " +
               std::to_string(result.column_count()) + "\n---- actual\n" + Render(result));
      return;
    }
    std::vector<std::vector<std::string>> actual;
    for (int64_t row = 0; row < result.row_count(); ++row) {
      std::vector<std::string> cells;
      for (int c = 0; c < columns; ++c) cells.push_back(CellText(result, c, row));
      actual.push_back(std::move(cells));
    }
    std::vector<std::vector<std::string>> expected;
    std::string shape_error;
    if (!ExpectedRows(r, columns, &expected, &shape_error)) {
      Fail(r, sql, shape_error + "\n---- actual\n" + Render(result));
      return;
    }
    if (r.sort == SortMode::kRowSort) {
      std::sort(actual.begin(), actual.end());
      std::sort(expected.begin(), expected.end());
    } else if (r.sort == SortMode::kValueSort) {
      SortValues(&actual, columns);
      SortValues(&expected, columns);
    }
    std::string mismatch;
    if (actual.size() != expected.size()) {
      mismatch = "expected " + std::to_string(expected.size()) + " row(s), got " +
                 std::to_string(actual.size());
    } else {
      for (size_t row = 0; row < actual.size() && mismatch.empty(); ++row) {
        for (int c = 0; c < columns; ++c) {
          if (!ValueMatches(r.types[c], expected[row][c], actual[row][c])) {
            mismatch = "row " + std::to_string(row + 1) + ", column " + std::to_string(c + 1) +
                       " (" + r.types[c] + "): expected " + expected[row][c] + ", got " +
                       actual[row][c];
            break;
          }
        }
      }
    }
    if (!mismatch.empty()) {
      std::string text = "wrong result: " + mismatch + "\n---- expected\n";
      for (const auto& row : expected) text += JoinRow(row) + "\n";
      text += "---- actual\n";
      for (const auto& row : actual) text += JoinRow(row) + "\n";
      Fail(r, sql, text);
    }
  }

  // The expected block as rows of `columns` values: either one row a line
  // (tab-separated), or one value a line (as sqllogictest writes wide
  // results), in row-major order.
  bool ExpectedRows(const Record& r, int columns, std::vector<std::vector<std::string>>* rows,
                    std::string* error) const {
    std::vector<std::vector<std::string>> lines;
    bool all_full = true;
    bool all_single = true;
    for (const std::string& l : r.expected) {
      lines.push_back(SplitTabs(Substitute(l)));
      all_full = all_full && static_cast<int>(lines.back().size()) == columns;
      all_single = all_single && lines.back().size() == 1;
    }
    if (all_full) {
      *rows = std::move(lines);
      return true;
    }
    if (all_single && lines.size() % columns == 0) {
      for (size_t k = 0; k < lines.size(); k += columns) {
        std::vector<std::string> row;
        for (int c = 0; c < columns; ++c) row.push_back(lines[k + c][0]);
        rows->push_back(std::move(row));
      }
      return true;
    }
    *error = "expected block does not have " + std::to_string(columns) +
             " tab-separated value(s) on every line (nor one value a line)";
    return false;
  }

  static void SortValues(std::vector<std::vector<std::string>>* rows, int columns) {
    std::vector<std::string> values;
    for (const auto& row : *rows) values.insert(values.end(), row.begin(), row.end());
    std::sort(values.begin(), values.end());
    rows->clear();
    for (size_t k = 0; k + columns <= values.size(); k += columns) {
      rows->emplace_back(values.begin() + k, values.begin() + k + columns);
    }
  }

  static std::string Render(const tslake::Result& result) {
    std::string text;
    for (int c = 0; c < result.column_count(); ++c) {
      text += (c ? "\t" : "") + result.column_name(c);
    }
    text += "\n";
    for (int64_t row = 0; row < result.row_count(); ++row) {
      for (int c = 0; c < result.column_count(); ++c) {
        text += (c ? "\t" : "") + CellText(result, c, row);
      }
      text += "\n";
    }
    return text;
  }

  std::string file_;
  std::string test_dir_;
  std::string data_dir_;
  std::string db_path_;
  bool read_only_ = false;
  // Declared after db_ so the connection is destroyed first.
  std::unique_ptr<tslake::Database> db_;
  std::unique_ptr<tslake::Connection> con_;
  int failures_ = 0;
  int executed_ = 0;
};

// tests/sql/data beside the test file: the nearest ancestor directory named
// "sql" whose parent is "tests".
std::string FindDataDir(const std::string& test_file) {
  if (const char* env = std::getenv("TSLAKE_SQL_DATA_DIR")) return env;
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(test_file, ec), ec);
  for (fs::path dir = p.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (dir.filename() == "sql" && dir.parent_path().filename() == "tests") {
      return (dir / "data").string();
    }
  }
  return (p.parent_path() / "data").string();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sql_test_runner FILE.test\n";
    return 2;
  }
  const std::string file = argv[1];
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << file << ": cannot open: " << std::strerror(errno) << "\n";
    return 2;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  std::vector<Record> records;
  std::string error;
  if (!ParseTestFile(file, lines, &records, &error)) {
    std::cerr << error << "\n";
    return 2;
  }

  char tmpl[] = "/tmp/tslake_sqltest_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::cerr << "cannot create a temporary directory: " << std::strerror(errno) << "\n";
    return 2;
  }
  const std::string test_dir = tmpl;
  int failures = 0;
  int executed = 0;
  {
    TestRunner runner(file, test_dir, FindDataDir(file));
    failures = runner.Run(records);
    executed = runner.executed();
  }  // the database is closed before its directory is removed
  std::error_code ec;
  fs::remove_all(test_dir, ec);
  if (failures < 0) return 2;
  if (failures > 0) {
    std::cerr << file << ": " << failures << " of " << executed << " record(s) failed\n";
    return 1;
  }
  std::cout << file << ": all " << executed << " record(s) passed\n";
  return 0;
}
