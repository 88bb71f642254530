// sql_test_runner: runs one sqllogictest file against tslake through the
// public C++ API (include/tslake/tslake.hpp), speaking the dialect of
// DuckDB's runner (test/sqlite/sqllogic_test_runner.cpp in duckdb/duckdb),
// so the project's tests and DuckDB's own test/sql suite run through it.
//
//   sql_test_runner [--duckdb] [--progress PATH] FILE.test
//
// --duckdb       compare values by the result column's type as DuckDB's
//                runner does (reals within 1%, booleans as 1/0 or
//                true/false, integers after a cast); used for DuckDB's suite
//                (tests/sql/tools/duckdb_suite.sh). Without it, values are
//                compared by the query's type letter (below), which is
//                stricter and what the project's own tests expect.
// --progress P   before each record runs, P is overwritten with its line,
//                the counts of records passed and failed so far and the loop
//                iteration (tab-separated), so a harness can name the record
//                a crash or a timeout happened in.
//
// Output: failures on stderr (file:line, the SQL, expected vs actual), then
// one summary line on stdout:
//   FILE: N passed, N failed, N skipped[ (skipped: REASON)]
// A record is a `statement` or `query` block of the file: it passed when
// every execution (loops run it several times) passed, failed when one
// failed, skipped when it never ran (mode skip, onlyif/skipif, a `require`
// that is not met, a loop condition). Execution never stops at a failure.
// Exit status 0 when nothing failed, 1 when a record failed or the database
// could not be opened, 2 when the file cannot be read or a directive cannot
// be parsed (records before it count; the rest is not run).
//
// Records are separated by blank lines; `#` lines are comments (and end an
// SQL text, as in DuckDB). Directives:
//
//   statement ok|error|maybe [CONNECTION]
//   SQL                               error: must fail; an optional `----`
//   ----                              block is text the message must contain
//   expected error text               (or <REGEX>:re / <!REGEX>:re); maybe:
//                                     success and error both pass. An error
//                                     containing INTERNAL never passes.
//   query TYPES [SORT|CONNECTION] [LABEL]
//   SQL                               TYPES: one letter per column, I integer
//   ----                              R real, T text. SORT: nosort, rowsort
//   rows                              (or sort), valuesort. Rows: values
//                                     tab-separated a line, or one value a
//                                     line; NULL and (empty) spelled out;
//                                     <REGEX>:re matches a varying value;
//                                     "N values hashing to MD5" compares the
//                                     MD5 of the values (each + "\n"). A
//                                     LABEL: queries with the same label
//                                     must give the same values.
//   Type letters (without --duckdb): I integers compare as integers (a
//   DOUBLE 6.0 does not pass for 6), R reals within a relative 1e-6, T text.
//
//   loop VAR START END                run the records up to `endloop` with
//   foreach VAR V1 V2 ...             {VAR} (or ${VAR}) replaced by START..
//   concurrentloop / concurrentforeach END-1 or by each value; `foreach a,b
//   endloop                           1,2 3,4` sets both. Value groups as in
//                                     DuckDB: <signed> <unsigned> <integral>
//                                     <numeric> <alltypes> <compression>
//                                     <all_types_columns>; !V removes V.
//                                     Concurrent loops run their iterations
//                                     one after the other, each on its own
//                                     connection (DuckDB runs them on
//                                     threads; the statements they hold are
//                                     written to be order-independent).
//   continue                          end this loop iteration
//   skipif COND / onlyif COND         before a record. COND VAR=V, VAR<>V,
//                                     VAR<N, ... (&&-joined) tests loop
//                                     variables; any other word names a
//                                     system: tslake runs `onlyif tslake`
//                                     and skips `skipif tslake`; it is no
//                                     other system, DuckDB included.
//   require WHAT                      skip the whole file unless WHAT holds:
//                                     platform and configuration checks as
//                                     DuckDB answers them for a standard
//                                     build (64bit, notwindows, vector_size
//                                     N <= 2048, ram N, ...); every DuckDB
//                                     extension (parquet, json, icu, ...) is
//                                     absent
//   require-env NAME [VALUE]          skip the file unless the environment
//                                     variable is set (to VALUE); {NAME}
//                                     then substitutes it
//   test-env NAME DEFAULT             {NAME} is the variable or DEFAULT
//   set variable NAME VALUE           {NAME} substitutes VALUE
//   set seed X                        SELECT setseed(X)
//   set ignore_error_messages A, B    an error containing one skips the rest
//   set always_fail_error_messages A  such errors never pass `statement error`
//   mode skip / mode unskip           skip records until unskip (nested)
//   mode output_hash|output_result|no_output|debug   accepted, no effect
//   hash-threshold N                  results of more than N values are
//                                     compared by hash only
//   reset label LABEL                 forget a query label
//   restart [no_extension_load]       close and reopen the database
//   reconnect                         a new main connection
//   load [PATH [readonly|readwrite]]  switch to database PATH (no PATH: a
//                                     fresh one); a writable PATH inside the
//                                     test directory is deleted first
//   sleep N UNIT                      second(s), millisecond(s), ...
//   include PATH                      read records from another file
//   halt                              stop reading the file
//   tags ... / unzip ...              accepted (unzip is not supported)
//   statement debug / debug_skip      as `maybe`
//
// Substitutions in SQL, paths and expected text: __TEST_DIR__ / {TEST_DIR} /
// {TEMP_DIR} is a fresh temporary directory (mkdtemp, removed at exit) that
// also holds the default database (__TEST_DIR__/test.db); {DATA_DIR} is
// TSLAKE_SQL_DATA_DIR when set, else tests/sql/data found from the test
// file's own path; {WORKING_DIRECTORY}, {UUID}, {TEST_NAME},
// {BASE_TEST_NAME}, and variables set above.
//
// Thread-safety: a single-threaded program.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runner/md5.h"
#include "tslake/tslake.hpp"

namespace {

namespace fs = std::filesystem;

constexpr double kRelativeTolerance = 1e-6;
// Below this magnitude two reals are equal when their difference is, so an
// expected 0 matches a computed 1e-17.
constexpr double kAbsoluteTolerance = 1e-9;

std::string Trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<std::string> Split(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + sep.size();
  }
  return parts;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
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

// ---------------------------------------------------------------------------
// Commands: what the parser makes of the file. Loops own the commands up to
// their `endloop`; everything else runs as soon as it is read (as in DuckDB,
// so a parse error late in a file does not discard the records before it).

// One `statement` or `query` block of the file, the unit the summary counts.
struct RecordStats {
  int line = 0;
  bool ran = false;
  bool failed = false;
  bool skipped_by_error = false;  // an ignore_error_messages match
};

enum class Expect { kOk, kError, kMaybe };
enum class SortMode { kNoSort, kRowSort, kValueSort };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

// A loop-variable condition of onlyif/skipif, checked at run time.
struct Condition {
  std::string variable;
  CompareOp op = CompareOp::kEq;
  std::string value;
  bool skip_if = false;
};

struct LoopDefinition {
  std::string variable;  // "i", or "a,b" for a foreach over pairs
  int64_t start = 0;
  int64_t end = 0;
  std::vector<std::string> tokens;  // foreach: the values (groups unexpanded)
  bool is_foreach = false;
  bool concurrent = false;
};

struct Command;
using CommandList = std::vector<std::unique_ptr<Command>>;

enum class CommandKind {
  kStatement,
  kQuery,
  kRestart,
  kReconnect,
  kLoad,
  kLoop,
  kContinue,
  kSleep,
  kSetSeed,
  kResetLabel,
};

struct Command {
  CommandKind kind = CommandKind::kStatement;
  int line = 0;
  std::vector<Condition> conditions;
  RecordStats* stats = nullptr;  // statement and query
  // statement / query
  std::string sql;
  std::string connection;
  Expect expect = Expect::kOk;
  bool has_expected = false;
  std::vector<std::string> expected;  // error text lines, or result lines
  std::string types;
  SortMode sort = SortMode::kNoSort;
  std::string label;
  // load
  std::string path;
  bool path_given = false;
  bool read_only = false;
  // loop
  LoopDefinition loop;
  CommandList body;
  // sleep
  int64_t sleep_micros = 0;
  // set seed
  std::string seed;
};

// The state of one running loop iteration.
struct LoopState {
  const LoopDefinition* def = nullptr;
  std::vector<std::string> values;  // foreach: expanded values
  int64_t index = 0;
  bool continued = false;  // `continue` ran in this iteration
  std::string Value() const { return def->is_foreach ? values[index] : std::to_string(index); }
};

// DuckDB's foreach groups (LoopCommand::ForEachTokenReplace). Returns
// whether `parameter` was a group or a removal, having updated `result`.
bool ForEachTokenReplace(const std::string& parameter, std::vector<std::string>* result) {
  if (parameter.empty()) return true;
  const std::string token = Lower(Trim(parameter));
  bool collection = false;
  const bool is_compression = token == "<compression>";
  const bool is_all = token == "<alltypes>";
  const bool is_numeric = is_all || token == "<numeric>";
  const bool is_integral = is_numeric || token == "<integral>";
  const bool is_signed = is_integral || token == "<signed>";
  const bool is_unsigned = is_integral || token == "<unsigned>";
  const bool is_all_types_column = token == "<all_types_columns>";
  if (token[0] == '!') {
    auto entry = std::find(result->begin(), result->end(), parameter.substr(1));
    if (entry == result->end()) return false;
    result->erase(entry);
    collection = true;
  }
  auto add = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) result->push_back(n);
    collection = true;
  };
  if (is_signed) add({"tinyint", "smallint", "integer", "bigint", "hugeint"});
  if (is_unsigned) add({"utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"});
  if (is_numeric) add({"float", "double"});
  if (is_all) add({"bool", "interval", "varchar"});
  if (is_compression) {
    add({"none", "uncompressed", "rle", "bitpacking", "dictionary", "fsst", "dict_fsst", "alp", "alprd"});
  }
  if (is_all_types_column) {
    add({"bool",
         "tinyint",
         "smallint",
         "int",
         "bigint",
         "hugeint",
         "uhugeint",
         "utinyint",
         "usmallint",
         "uint",
         "ubigint",
         "date",
         "time",
         "timestamp",
         "timestamp_s",
         "timestamp_ms",
         "timestamp_ns",
         "time_tz",
         "timestamp_tz",
         "float",
         "double",
         "dec_4_1",
         "dec_9_4",
         "dec_18_6",
         "dec38_10",
         "uuid",
         "interval",
         "varchar",
         "blob",
         "bit",
         "small_enum",
         "medium_enum",
         "large_enum",
         "int_array",
         "double_array",
         "date_array",
         "timestamp_array",
         "timestamptz_array",
         "varchar_array",
         "nested_int_array",
         "struct",
         "struct_of_arrays",
         "array_of_structs",
         "map",
         "union",
         "fixed_int_array",
         "fixed_varchar_array",
         "fixed_nested_int_array",
         "fixed_nested_varchar_array",
         "fixed_struct_array",
         "struct_of_fixed_array",
         "fixed_array_of_int_list",
         "list_of_fixed_int_array"});
  }
  return collection;
}

// ---------------------------------------------------------------------------
// Reading the file: lines, with `include` pushing another file on a stack.

struct Source {
  std::string file;
  std::vector<std::string> lines;
  size_t pos = 0;
};

bool ReadLines(const std::string& file, std::vector<std::string>* lines, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = file + ": cannot open: " + std::strerror(errno);
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines->push_back(line);
  }
  return true;
}

// DuckDB ends an SQL text at an empty line or a comment; the project's own
// files also treat a line of spaces as blank.
bool EmptyOrComment(const std::string& line) {
  const std::string t = Trim(line);
  return t.empty() || line[0] == '#';
}

// ---------------------------------------------------------------------------

bool IsNumericType(tslake::Type t) {
  switch (t) {
    case tslake::Type::kInteger:
    case tslake::Type::kBigint:
    case tslake::Type::kDouble:
      return true;
    default:
      return false;
  }
}

std::string JoinRow(const std::vector<std::string>& row) {
  std::string s;
  for (size_t c = 0; c < row.size(); ++c) {
    if (c > 0) s += '\t';
    s += row[c];
  }
  return s;
}

// Whether `value` has the shape "N values hashing to <32 hex digits>".
bool IsHashLine(const std::string& value) {
  static const std::regex kHash("[0-9]+ values hashing to [0-9a-z]{32}");
  return std::regex_match(value, kHash);
}

bool RegexMatches(const std::string& pattern_with_prefix, const std::string& actual, bool* matched) {
  static const std::string kYes = "<REGEX>:";
  static const std::string kNo = "<!REGEX>:";
  bool want = true;
  std::string pattern;
  if (pattern_with_prefix.rfind(kYes, 0) == 0) {
    pattern = pattern_with_prefix.substr(kYes.size());
  } else if (pattern_with_prefix.rfind(kNo, 0) == 0) {
    pattern = pattern_with_prefix.substr(kNo.size());
    want = false;
  } else {
    return false;
  }
  try {
    // DuckDB matches with RE2 and `.` matching newlines; ECMAScript's
    // [\s\S] does that, so `.` is rewritten outside of classes and escapes.
    std::string re;
    bool in_class = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      const char c = pattern[i];
      if (c == '\\' && i + 1 < pattern.size()) {
        re += c;
        re += pattern[++i];
      } else if (c == '[') {
        in_class = true;
        re += c;
      } else if (c == ']') {
        in_class = false;
        re += c;
      } else if (c == '.' && !in_class) {
        re += "[\\s\\S]";
      } else {
        re += c;
      }
    }
    *matched = std::regex_match(actual, std::regex(re)) == want;
  } catch (const std::regex_error&) {
    *matched = false;
  }
  return true;
}

// Whether one actual value matches one expected value for a column of type
// letter `type` (the project's rules). I: equal integers when the
// expectation is an integer (so a DOUBLE "6.0" does not pass for a BIGINT
// 6), else equal text (true, false). R: numbers within the tolerance. T:
// equal text.
bool LetterValueMatches(char type, const std::string& expected, const std::string& actual) {
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

// A number as DuckDB's VARCHAR -> integer cast reads it: an integer, or a
// decimal rounded half away from zero.
bool DuckIntegerCast(const std::string& text, int64_t* out) {
  const std::string s = Trim(text);
  if (ParseInt(s, out)) return true;
  double d = 0;
  if (!ParseReal(s, &d) || !std::isfinite(d) || std::fabs(d) >= 9.2e18) return false;
  *out = static_cast<int64_t>(std::llround(d));
  return true;
}

// DuckDB's ApproxEqual: within 1% of the actual value plus 1e-8.
bool DuckApproxEqual(double expected, double actual) {
  if (std::isnan(expected) && std::isnan(actual)) return true;
  if (!std::isfinite(expected) || !std::isfinite(actual)) return expected == actual;
  const double epsilon = std::fabs(actual) * 0.01 + 0.00000001;
  return std::fabs(expected - actual) <= epsilon;
}

// DuckDB's TestResultHelper::CompareValues after the string comparison
// failed: numeric columns compare as numbers of the column's type, BOOLEAN
// columns as 1/0 or true/false; other types must be equal text.
bool DuckValueMatches(tslake::Type type, const std::string& expected, const std::string& actual) {
  if (IsNumericType(type)) {
    if (expected == "NULL" || actual == "NULL") return expected == actual;
    if (type == tslake::Type::kDouble) {
      double e = 0;
      double a = 0;
      return ParseReal(Trim(expected), &e) && ParseReal(Trim(actual), &a) && DuckApproxEqual(e, a);
    }
    int64_t e = 0;
    int64_t a = 0;
    return DuckIntegerCast(expected, &e) && DuckIntegerCast(actual, &a) && e == a;
  }
  if (type == tslake::Type::kBoolean) {
    auto as_bool = [](const std::string& s, int* v) {
      const std::string l = Lower(s);
      if (l == "true" || s == "1") {
        *v = 1;
      } else if (l == "false" || s == "0") {
        *v = 0;
      } else {
        return false;
      }
      return true;
    };
    int e = 0;
    int a = 0;
    return as_bool(expected, &e) && as_bool(actual, &a) && e == a;
  }
  return false;
}

// ---------------------------------------------------------------------------

struct Options {
  bool duckdb = false;
  std::string progress_path;
};

class TestRunner {
 public:
  TestRunner(std::string file, std::string test_dir, std::string data_dir, Options options)
      : file_(std::move(file)),
        test_dir_(std::move(test_dir)),
        data_dir_(std::move(data_dir)),
        options_(std::move(options)) {
    if (!options_.progress_path.empty()) progress_ = std::fopen(options_.progress_path.c_str(), "w");
  }
  ~TestRunner() {
    CloseDatabase();
    if (progress_ != nullptr) std::fclose(progress_);
  }

  // Reads and runs the file. Returns false when it could not be read or a
  // directive could not be parsed (the error is printed).
  bool Run() {
    std::string error;
    Source main;
    main.file = file_;
    if (!ReadLines(file_, &main.lines, &error)) {
      std::cerr << error << "\n";
      return false;
    }
    sources_.push_back(std::move(main));
    db_path_ = test_dir_ + "/test.db";
    OpenDatabase(0);
    const bool parsed = ParseAndRun();
    if (!loop_stack_.empty() && parsed && !halted_) {
      std::cerr << file_ << ": missing endloop\n";
      return false;
    }
    return parsed;
  }

  // Prints the summary line; returns the process exit status.
  int Summarize(bool parsed) const {
    int passed = 0;
    int failed = 0;
    int skipped = static_cast<int>(parse_skipped_);
    for (const auto& r : records_) {
      if (file_skipped_) {
        ++skipped;  // a `require` that is not met skips the whole file
      } else if (r->failed) {
        ++failed;
      } else if (r->ran && !r->skipped_by_error) {
        ++passed;
      } else {
        ++skipped;
      }
    }
    std::cout << file_ << ": " << passed << " passed, " << failed << " failed, " << skipped << " skipped";
    if (!skip_reason_.empty()) std::cout << " (skipped: " << skip_reason_ << ")";
    if (!parsed) std::cout << " (stopped: parse error)";
    std::cout << "\n";
    if (!parsed) return 2;
    return failed > 0 || harness_errors_ > 0 ? 1 : 0;
  }

 private:
  // ---- parsing --------------------------------------------------------

  bool HasLine() const { return !sources_.empty() && sources_.back().pos < sources_.back().lines.size(); }
  const std::string& Line() const { return sources_.back().lines[sources_.back().pos]; }
  int LineNumber() const { return static_cast<int>(sources_.back().pos) + 1; }
  void Next() { ++sources_.back().pos; }

  bool ParseError(const std::string& message) {
    std::cerr << sources_.back().file << ":" << LineNumber() << ": " << message << "\n";
    return false;
  }

  // Skips to the first line of the next record; pops finished includes.
  // Returns false at the end of the main file.
  bool NextRecord() {
    while (true) {
      while (HasLine() && EmptyOrComment(Line())) Next();
      if (HasLine()) return true;
      if (sources_.size() == 1) return false;
      sources_.pop_back();
    }
  }

  // The SQL text: lines up to a blank or comment line or `----`.
  std::string ReadSql() {
    std::string text;
    while (HasLine() && !EmptyOrComment(Line())) {
      if (Line() == "----") break;
      if (!text.empty()) text += '\n';
      text += Line();
      Next();
    }
    return text;
  }

  // After `----`: the lines up to an empty line (DuckDB keeps `#` lines and
  // lines of spaces here as values).
  bool ReadExpected(std::vector<std::string>* out) {
    if (!HasLine() || Line() != "----") return false;
    Next();
    while (HasLine() && !Line().empty()) {
      out->push_back(Substitute(Line()));
      Next();
    }
    return true;
  }

  // Skips what is left of the current record.
  void SkipRest() {
    while (HasLine() && !EmptyOrComment(Line())) Next();
  }

  // A record that will not run: counted as skipped.
  void SkipRecord(const std::vector<std::string>& words) {
    if (words[0] == "statement" || words[0] == "query") ++parse_skipped_;
    Next();
    SkipRest();
  }

  // Parses loop-variable conditions (`i=2`, `threadid<>1 && x>3`); returns
  // false when `text` names a system instead.
  static bool ParseConditions(const std::string& text, bool skip_if, std::vector<Condition>* out) {
    if (text.find_first_of("=<>") == std::string::npos) return false;
    static const std::vector<std::pair<std::string, CompareOp>> kOps = {
        {"<>", CompareOp::kNe}, {">=", CompareOp::kGe}, {">", CompareOp::kGt},
        {"<=", CompareOp::kLe}, {"<", CompareOp::kLt},  {"=", CompareOp::kEq}};
    for (const std::string& part : Split(text, "&&")) {
      Condition c;
      c.skip_if = skip_if;
      bool found = false;
      for (const auto& [op, kind] : kOps) {
        const size_t at = part.find(op);
        if (at == std::string::npos) continue;
        c.variable = Trim(part.substr(0, at));
        c.value = Trim(part.substr(at + op.size()));
        c.op = kind;
        found = true;
        break;
      }
      if (!found) return false;
      out->push_back(std::move(c));
    }
    return true;
  }

  std::string RequireMissing(const std::vector<std::string>& p) const {
    const std::string what = Lower(p[0]);
    static const std::set<std::string> kPresent = {
        "notmusl", "notmingw", "notwindows", "64bit", "noforcestorage", "no_force_storage", "nothreadsan",
        "strinline", "skip_reload", "no_alternative_verify", "no_latest_storage", "no_vector_verification",
        "no_extension_autoloading"};
    if (kPresent.count(what) != 0) return "";
    if (what == "longdouble") return sizeof(long double) > sizeof(double) ? "" : what;
    // DuckDB's standard build: vectors of 2048 values, 256 KiB blocks.
    int64_t n = 0;
    if (what == "vector_size" && p.size() == 2 && ParseInt(p[1], &n)) return n <= 2048 ? "" : what + " " + p[1];
    if (what == "exact_vector_size" && p.size() == 2 && ParseInt(p[1], &n)) {
      return n == 2048 ? "" : what + " " + p[1];
    }
    if (what == "block_size" && p.size() == 2 && ParseInt(p[1], &n)) return n == 262144 ? "" : what + " " + p[1];
    if ((what == "ram" || what == "disk_space") && p.size() == 2) {
      // A size such as 16gb against what the machine has.
      const std::string s = Lower(p[1]);
      double v = std::atof(s.c_str());
      if (s.find("tb") != std::string::npos) v *= 1099511627776.0;
      else if (s.find("gb") != std::string::npos || s.find("gib") != std::string::npos) v *= 1073741824.0;
      else if (s.find("mb") != std::string::npos || s.find("mib") != std::string::npos) v *= 1048576.0;
      else if (s.find("kb") != std::string::npos || s.find("kib") != std::string::npos) v *= 1024.0;
      double have = 0;
      std::error_code ec;
      if (what == "ram") {
        std::ifstream meminfo("/proc/meminfo");
        for (std::string key; meminfo >> key;) {
          double kb = 0;
          meminfo >> kb;
          if (key == "MemAvailable:") have = kb * 1024;
          std::string unit;
          meminfo >> unit;
        }
      } else {
        have = static_cast<double>(fs::space(test_dir_, ec).available);
      }
      return have >= v ? "" : what + " " + p[1];
    }
    // windows, mingw, allow_unsigned_extensions, vacuum_rebuild_indexes and
    // every extension name: tslake is not DuckDB and loads no extensions.
    return what;
  }

  // Reads records until the end of the file; runs each top-level command as
  // it is read. Returns false on a parse error.
  bool ParseAndRun() {
    while (NextRecord()) {
      const std::string first = Line();
      std::vector<std::string> words = SplitWords(first);
      if (words.empty()) return ParseError("empty directive");
      // A file-wide skip (a `require` that is not met) still reads the rest
      // so its records are counted as skipped.
      if (file_skipped_) {
        SkipRecord(words);
        continue;
      }
      // onlyif / skipif lines before the directive.
      std::vector<Condition> conditions;
      bool skip = false;
      while (words[0] == "onlyif" || words[0] == "skipif") {
        if (words.size() < 2) return ParseError("onlyif/skipif needs a condition");
        const bool skip_if = words[0] == "skipif";
        std::string cond;
        for (size_t k = 1; k < words.size(); ++k) cond += words[k];
        if (!ParseConditions(Lower(cond), skip_if, &conditions)) {
          const bool ours = Lower(words[1]) == "tslake";
          if (ours == skip_if) skip = true;
        }
        Next();
        if (!HasLine() || EmptyOrComment(Line())) return ParseError("onlyif/skipif without a record");
        words = SplitWords(Line());
      }
      if (skip || (skip_level_ > 0 && words[0] != "mode")) {
        SkipRecord(words);
        continue;
      }
      const std::string& head = words[0];
      const int line = LineNumber();
      auto cmd = std::make_unique<Command>();
      cmd->line = line;
      cmd->conditions = std::move(conditions);
      Next();
      if (head == "statement") {
        if (words.size() < 2) return ParseError("statement needs ok, error or maybe");
        const std::string& what = words[1];
        if (what == "ok") {
          cmd->expect = Expect::kOk;
        } else if (what == "error") {
          cmd->expect = Expect::kError;
        } else if (what == "maybe" || what == "debug" || what == "debug_skip") {
          cmd->expect = Expect::kMaybe;
        } else {
          return ParseError("statement argument should be ok, error or maybe: " + first);
        }
        if (words.size() >= 3) cmd->connection = words[2];
        cmd->kind = CommandKind::kStatement;
        cmd->sql = Substitute(ReadSql());
        if (Trim(cmd->sql).empty()) return ParseError("`" + first + "` has no SQL");
        cmd->has_expected = ReadExpected(&cmd->expected);
        if (cmd->has_expected && cmd->expect == Expect::kOk) {
          return ParseError("`statement ok` takes no `----` block");
        }
        AddRecord(cmd.get());
      } else if (head == "query") {
        if (words.size() < 2) return ParseError("query needs column type letters");
        cmd->kind = CommandKind::kQuery;
        cmd->types = words[1];
        for (char c : cmd->types) {
          if (c != 'I' && c != 'R' && c != 'T') {
            return ParseError("unknown column type letter '" + std::string(1, c) + "' (expected I, R or T)");
          }
        }
        if (words.size() >= 3) {
          const std::string& s = words[2];
          if (s == "nosort" || s == "none") {
            cmd->sort = SortMode::kNoSort;
          } else if (s == "rowsort" || s == "sort") {
            cmd->sort = SortMode::kRowSort;
          } else if (s == "valuesort") {
            cmd->sort = SortMode::kValueSort;
          } else {
            cmd->connection = s;  // as DuckDB: not a sort mode names a connection
          }
        }
        if (words.size() >= 4) cmd->label = words[3];
        cmd->sql = Substitute(ReadSql());
        if (Trim(cmd->sql).empty()) return ParseError("`" + first + "` has no SQL");
        cmd->has_expected = ReadExpected(&cmd->expected);
        AddRecord(cmd.get());
      } else if (head == "halt") {
        halted_ = true;
        return true;
      } else if (head == "hash-threshold") {
        int64_t n = 0;
        if (words.size() != 2 || !ParseInt(words[1], &n)) return ParseError("hash-threshold needs a number");
        hash_threshold_ = n;
        continue;
      } else if (head == "mode") {
        if (words.size() < 2) return ParseError("mode needs a parameter");
        if (words[1] == "skip") {
          ++skip_level_;
        } else if (words[1] == "unskip") {
          if (skip_level_ > 0) --skip_level_;
        } else if (words[1] != "output_hash" && words[1] != "output_result" && words[1] != "no_output" &&
                   words[1] != "debug") {
          return ParseError("unknown mode: " + words[1]);
        }
        SkipRest();
        continue;
      } else if (head == "set") {
        if (words.size() < 2) return ParseError("set needs a parameter");
        if (words[1] == "ignore_error_messages" || words[1] == "always_fail_error_messages") {
          std::vector<std::string>& list =
              words[1] == "ignore_error_messages" ? ignore_error_messages_ : always_fail_error_messages_;
          list.clear();
          const size_t at = first.find(words[1]) + words[1].size();
          for (const std::string& part : Split(first.substr(at), ",")) {
            if (!Trim(part).empty()) list.push_back(Trim(part));
          }
          continue;
        }
        if (words[1] == "seed") {
          if (words.size() != 3) return ParseError("set seed needs one value");
          cmd->kind = CommandKind::kSetSeed;
          cmd->seed = words[2];
        } else if (words[1] == "variable") {
          if (words.size() != 4) return ParseError("set variable needs a name and a value");
          variables_[words[2]] = words[3];
          continue;
        } else {
          return ParseError("unrecognized set parameter: " + words[1]);
        }
      } else if (head == "reset") {
        if (words.size() != 3 || Lower(words[1]) != "label") return ParseError("expected reset label NAME");
        cmd->kind = CommandKind::kResetLabel;
        cmd->label = words[2];
      } else if (head == "loop" || head == "concurrentloop") {
        if (words.size() != 4) return ParseError("expected loop VAR START END");
        cmd->kind = CommandKind::kLoop;
        cmd->loop.variable = words[1];
        if (!ParseInt(words[2], &cmd->loop.start) || !ParseInt(words[3], &cmd->loop.end)) {
          return ParseError("loop start and end must be numbers");
        }
        cmd->loop.concurrent = head == "concurrentloop";
        StartLoop(std::move(cmd));
        continue;
      } else if (head == "foreach" || head == "concurrentforeach") {
        if (words.size() < 3) return ParseError("expected foreach VAR VALUE...");
        cmd->kind = CommandKind::kLoop;
        cmd->loop.variable = words[1];
        cmd->loop.is_foreach = true;
        for (size_t k = 2; k < words.size(); ++k) cmd->loop.tokens.push_back(Substitute(words[k]));
        cmd->loop.concurrent = head == "concurrentforeach";
        StartLoop(std::move(cmd));
        continue;
      } else if (head == "endloop") {
        if (loop_stack_.empty()) return ParseError("endloop without a loop");
        Command* loop = loop_stack_.back();
        loop_stack_.pop_back();
        if (loop_stack_.empty()) {
          ExecContext context;
          Execute(*loop, &context);
          top_loop_.reset();
        }
        continue;
      } else if (head == "continue") {
        if (loop_stack_.empty()) return ParseError("continue outside of a loop");
        cmd->kind = CommandKind::kContinue;
      } else if (head == "require") {
        if (words.size() < 2) return ParseError("require needs a parameter");
        std::vector<std::string> params(words.begin() + 1, words.end());
        const std::string missing = RequireMissing(params);
        if (!missing.empty()) {
          SkipFile("require " + missing);
        }
        continue;
      } else if (head == "require-env") {
        if (words.size() != 2 && words.size() != 3) return ParseError("require-env NAME [VALUE]");
        const char* value = std::getenv(words[1].c_str());
        if (value == nullptr || (words.size() == 3 && words[2] != value)) {
          SkipFile("require-env " + words[1]);
        } else {
          variables_[words[1]] = value;
        }
        continue;
      } else if (head == "test-env") {
        if (words.size() != 3) return ParseError("test-env NAME DEFAULT");
        const char* value = std::getenv(words[1].c_str());
        variables_[words[1]] = value != nullptr ? value : words[2];
        continue;
      } else if (head == "load") {
        cmd->kind = CommandKind::kLoad;
        if (words.size() >= 2) {
          cmd->path = Substitute(words[1]);
          cmd->path_given = true;
        }
        if (words.size() >= 3) {
          const std::string mode = Lower(words[2]);
          if (mode != "readonly" && mode != "readwrite") {
            return ParseError("load: expected readonly or readwrite, got " + words[2]);
          }
          cmd->read_only = mode == "readonly";
        }
      } else if (head == "restart") {
        cmd->kind = CommandKind::kRestart;
      } else if (head == "reconnect") {
        cmd->kind = CommandKind::kReconnect;
      } else if (head == "sleep") {
        int64_t n = 0;
        if (words.size() != 3 || !ParseInt(words[1], &n)) return ParseError("expected sleep N UNIT");
        const std::string unit = words[2];
        if (unit == "second" || unit == "seconds" || unit == "sec") {
          cmd->sleep_micros = n * 1000000;
        } else if (unit == "millisecond" || unit == "milliseconds" || unit == "milli") {
          cmd->sleep_micros = n * 1000;
        } else if (unit == "microsecond" || unit == "microseconds" || unit == "micro") {
          cmd->sleep_micros = n;
        } else if (unit == "nanosecond" || unit == "nanoseconds" || unit == "nano") {
          cmd->sleep_micros = n / 1000;
        } else {
          return ParseError("unknown sleep unit: " + unit);
        }
        cmd->kind = CommandKind::kSleep;
      } else if (head == "include") {
        if (words.size() != 2) return ParseError("expected include PATH");
        Source inc;
        inc.file = Substitute(words[1]);
        std::string error;
        if (sources_.size() > 16 || !ReadLines(inc.file, &inc.lines, &error)) {
          return ParseError("include: " + (error.empty() ? "nested too deeply" : error));
        }
        SkipRest();
        sources_.push_back(std::move(inc));
        continue;
      } else if (head == "tags" || head == "unzip") {
        // tags select tests in DuckDB's harness; unzip extracts data files
        // this runner does not have (a test that reads them fails).
        SkipRest();
        continue;
      } else {
        return ParseError("unknown directive: " + first);
      }
      SkipRest();
      if (!loop_stack_.empty()) {
        loop_stack_.back()->body.push_back(std::move(cmd));
      } else {
        ExecContext context;
        Execute(*cmd, &context);
      }
    }
    return true;
  }

  void AddRecord(Command* cmd) {
    auto stats = std::make_unique<RecordStats>();
    stats->line = cmd->line;
    cmd->stats = stats.get();
    records_.push_back(std::move(stats));
  }

  void StartLoop(std::unique_ptr<Command> loop) {
    SkipRest();
    Command* raw = loop.get();
    if (loop_stack_.empty()) {
      top_loop_ = std::move(loop);
    } else {
      loop_stack_.back()->body.push_back(std::move(loop));
    }
    loop_stack_.push_back(raw);
  }

  void SkipFile(const std::string& reason) {
    file_skipped_ = true;
    skip_reason_ = reason;
    // Records already read (inside an unfinished loop) never run.
    loop_stack_.clear();
    top_loop_.reset();
  }

  // ---- substitution ---------------------------------------------------

  std::string Substitute(std::string text) const {
    for (const auto& [name, value] : variables_) {
      ReplaceAll(&text, "${" + name + "}", value);
      ReplaceAll(&text, "{" + name + "}", value);
    }
    ReplaceAll(&text, "__TEST_DIR__", test_dir_);
    ReplaceAll(&text, "{TEST_DIR}", test_dir_);
    ReplaceAll(&text, "{TEMP_DIR}", test_dir_);
    ReplaceAll(&text, "{DATA_DIR}", data_dir_);
    if (text.find('{') != std::string::npos || text.find("__") != std::string::npos) {
      std::error_code ec;
      const std::string cwd = fs::current_path(ec).string();
      ReplaceAll(&text, "{WORKING_DIRECTORY}", cwd);
      ReplaceAll(&text, "__WORKING_DIRECTORY__", cwd);
      ReplaceAll(&text, "{BUILD_DIRECTORY}", cwd);
      ReplaceAll(&text, "__BUILD_DIRECTORY__", cwd);
      ReplaceAll(&text, "{TEST_NAME}", file_);
      std::string base = file_;
      std::replace(base.begin(), base.end(), '/', '_');
      ReplaceAll(&text, "{BASE_TEST_NAME}", base);
      while (text.find("{UUID}") != std::string::npos) {
        static std::mt19937_64 rng(std::random_device{}());
        char uuid[40];
        std::snprintf(uuid, sizeof(uuid), "%016llx%016llx", static_cast<unsigned long long>(rng()),
                      static_cast<unsigned long long>(rng()));
        text.replace(text.find("{UUID}"), 6, uuid);
      }
    }
    return text;
  }

  static std::string LoopReplace(std::string text, const std::vector<LoopState>& loops) {
    for (const LoopState& loop : loops) {
      const std::string value = loop.Value();
      std::vector<std::string> names = Split(loop.def->variable, ",");
      std::vector<std::string> values = names.size() > 1 ? Split(value, ",") : std::vector<std::string>{value};
      for (size_t k = 0; k < names.size() && k < values.size(); ++k) {
        ReplaceAll(&text, "${" + names[k] + "}", values[k]);
        ReplaceAll(&text, "{" + names[k] + "}", values[k]);
      }
    }
    return text;
  }

  // ---- execution ------------------------------------------------------

  struct ExecContext {
    std::vector<LoopState> loops;
    tslake::Connection* con = nullptr;  // a concurrent loop's own connection
    std::string iteration;              // for --progress
  };

  // Whether the onlyif/skipif loop conditions let the command run; sets
  // *error when one names no running loop variable.
  static bool ConditionsHold(const Command& cmd, const ExecContext& context, std::string* error) {
    for (const Condition& c : cmd.conditions) {
      const LoopState* loop = nullptr;
      for (const LoopState& l : context.loops) {
        if (l.def->variable == c.variable) loop = &l;
      }
      if (loop == nullptr) {
        *error = "onlyif/skipif condition on '" + c.variable + "', which is not a running loop variable";
        return false;
      }
      const std::string value = loop->Value();
      bool holds = false;
      if (c.op == CompareOp::kEq || c.op == CompareOp::kNe) {
        holds = (value == c.value) == (c.op == CompareOp::kEq);
      } else {
        int64_t a = 0;
        int64_t b = 0;
        if (!ParseInt(value, &a) || !ParseInt(c.value, &b)) {
          *error = "onlyif/skipif: '" + value + "' or '" + c.value + "' is not a number";
          return false;
        }
        holds = c.op == CompareOp::kLt   ? a < b
                : c.op == CompareOp::kLe ? a <= b
                : c.op == CompareOp::kGt ? a > b
                                         : a >= b;
      }
      if (holds == c.skip_if) return false;
    }
    return true;
  }

  void Execute(const Command& cmd, ExecContext* context) {
    if (stop_file_) return;
    std::string condition_error;
    if (!ConditionsHold(cmd, *context, &condition_error)) {
      if (!condition_error.empty() && cmd.stats != nullptr) {
        if (!cmd.stats->ran) ++ran_count_;
        cmd.stats->ran = true;
        Fail(cmd, cmd.sql, condition_error);
      }
      return;
    }
    switch (cmd.kind) {
      case CommandKind::kStatement:
      case CommandKind::kQuery:
        RunRecord(cmd, context);
        break;
      case CommandKind::kLoop:
        RunLoop(cmd, context);
        break;
      case CommandKind::kContinue:
        if (!context->loops.empty()) context->loops.back().continued = true;
        break;
      case CommandKind::kRestart:
        if (context->con != nullptr) break;  // not inside a concurrent loop
        OpenDatabase(cmd.line);
        break;
      case CommandKind::kReconnect:
        if (context->con != nullptr) break;
        if (db_) {
          con_.reset();
          con_ = std::make_unique<tslake::Connection>(*db_);
        }
        break;
      case CommandKind::kLoad: {
        if (context->con != nullptr) break;
        std::string path = LoopReplace(cmd.path, context->loops);
        if (!cmd.path_given || path.empty() || path == ":memory:") {
          path = test_dir_ + "/memory_" + std::to_string(++memory_dbs_) + ".db";
        }
        read_only_ = cmd.read_only;
        if (!read_only_) DeleteTestDatabase(path);
        db_path_ = path;
        OpenDatabase(cmd.line);
        break;
      }
      case CommandKind::kSleep:
        std::this_thread::sleep_for(std::chrono::microseconds(cmd.sleep_micros));
        break;
      case CommandKind::kSetSeed:
        if (con_) con_->Query("SELECT setseed(" + cmd.seed + ")");
        break;
      case CommandKind::kResetLabel:
        labels_.erase(cmd.label);
        break;
    }
  }

  void RunLoop(const Command& cmd, ExecContext* context) {
    LoopState state;
    state.def = &cmd.loop;
    int64_t end = cmd.loop.end;
    state.index = cmd.loop.start;
    if (cmd.loop.is_foreach) {
      for (const std::string& token : cmd.loop.tokens) {
        if (!ForEachTokenReplace(token, &state.values)) state.values.push_back(token);
      }
      state.index = 0;
      end = static_cast<int64_t>(state.values.size());
    }
    // A concurrent loop's iterations each get their own connection, as each
    // of DuckDB's threads does; they run one after the other here.
    for (; state.index < end && !stop_file_; ++state.index) {
      std::unique_ptr<tslake::Connection> own;
      ExecContext* ctx = context;
      ExecContext concurrent;
      if (cmd.loop.concurrent && db_) {
        own = std::make_unique<tslake::Connection>(*db_);
        concurrent.loops = context->loops;
        concurrent.con = own.get();
        ctx = &concurrent;
      }
      state.continued = false;
      ctx->loops.push_back(state);
      for (const auto& child : cmd.body) {
        Execute(*child, ctx);
        if (ctx->loops.back().continued) break;
      }
      ctx->loops.pop_back();
    }
  }

  void Progress(const Command& cmd, const ExecContext& context) {
    if (progress_ == nullptr) return;
    // The record's line, the loop variables, and the records that passed and
    // failed before it (a harness counts them when this process dies).
    std::string where = std::to_string(cmd.line) + "\t" + std::to_string(ran_count_ - failed_count_) + "\t" +
                        std::to_string(failed_count_) + "\t";
    for (const LoopState& l : context.loops) where += l.def->variable + "=" + l.Value() + " ";
    std::rewind(progress_);
    std::fprintf(progress_, "%-120.120s\n", where.c_str());
    std::fflush(progress_);
  }

  tslake::Connection* ConnectionFor(const Command& cmd, ExecContext* context) {
    if (!db_) return nullptr;
    if (!cmd.connection.empty() && context->con == nullptr) {
      auto& named = named_[cmd.connection];
      if (!named) named = std::make_unique<tslake::Connection>(*db_);
      return named.get();
    }
    return context->con != nullptr ? context->con : con_.get();
  }

  void RunRecord(const Command& cmd, ExecContext* context) {
    Progress(cmd, *context);
    if (!cmd.stats->ran) ++ran_count_;
    cmd.stats->ran = true;
    const std::string sql = LoopReplace(cmd.sql, context->loops);
    tslake::Connection* con = ConnectionFor(cmd, context);
    if (con == nullptr) {
      Fail(cmd, sql, "no database is open");
      return;
    }
    tslake::Result result = con->Query(sql);
    if (cmd.kind == CommandKind::kStatement) {
      CheckStatement(cmd, sql, result);
    } else {
      CheckQuery(cmd, sql, result);
    }
  }

  bool Contains(const std::vector<std::string>& needles, const std::string& message) const {
    for (const std::string& n : needles) {
      if (message.find(n) != std::string::npos) return true;
    }
    return false;
  }

  // An error the file said to skip on: the rest of the file does not run.
  bool IgnoredError(const Command& cmd, const tslake::Result& result) {
    if (result.ok() || !Contains(ignore_error_messages_, result.error_message())) return false;
    cmd.stats->skipped_by_error = true;
    stop_file_ = true;
    return true;
  }

  void CheckStatement(const Command& cmd, const std::string& sql, const tslake::Result& result) {
    if (cmd.expect == Expect::kOk) {
      if (!result.ok() && !IgnoredError(cmd, result)) {
        Fail(cmd, sql, "expected success, got error:\n" + result.error_message());
      }
      return;
    }
    if (result.ok()) {
      if (cmd.expect == Expect::kError) Fail(cmd, sql, "expected an error, but the statement succeeded");
      return;
    }
    const std::string& message = result.error_message();
    if (Contains(always_fail_error_messages_, message)) {
      Fail(cmd, sql, "an internal error never passes as an expected error:\n" + message);
      return;
    }
    if (!cmd.has_expected) return;
    std::string expected;
    for (const std::string& l : cmd.expected) expected += (expected.empty() ? "" : "\n") + l;
    if (expected.empty() || message.find(expected) != std::string::npos) return;
    bool matched = false;
    if (RegexMatches(expected, message, &matched) && matched) return;
    if (IgnoredError(cmd, result)) return;
    Fail(cmd, sql,
         "error message does not contain the expected text\n---- expected substring\n" + expected +
             "\n---- actual error\n" + message);
  }

  // The text a value is compared as: "NULL", "(empty)" for '', NUL bytes as
  // \0; with --duckdb a BOOLEAN is 1 or 0, as DuckDB's runner renders it.
  std::string CellText(const tslake::Result& result, int column, int64_t row) const {
    if (result.IsNull(column, row)) return "NULL";
    std::string text = result.GetString(column, row);
    if (text.empty()) return "(empty)";
    if (options_.duckdb && result.column_type(column) == tslake::Type::kBoolean) {
      if (text == "true") return "1";
      if (text == "false") return "0";
    }
    ReplaceAll(&text, std::string(1, '\0'), "\\0");
    return text;
  }

  bool ValueMatches(const Command& cmd, tslake::Type type, int column, const std::string& expected,
                    const std::string& actual) const {
    if (expected == actual) return true;
    bool matched = false;
    if (RegexMatches(expected, actual, &matched)) return matched;
    if (LetterValueMatches(cmd.types[column], expected, actual)) return true;
    return options_.duckdb && DuckValueMatches(type, expected, actual);
  }

  void CheckQuery(const Command& cmd, const std::string& sql, const tslake::Result& result) {
    if (!result.ok()) {
      if (IgnoredError(cmd, result)) return;
      Fail(cmd, sql, "query failed:\n" + result.error_message());
      return;
    }
    const int columns = static_cast<int>(cmd.types.size());
    if (result.column_count() != columns) {
      Fail(cmd, sql,
           "expected " + std::to_string(columns) + " column(s) (" + cmd.types + "), got " +
               std::to_string(result.column_count()) + "\n---- actual\n" + Render(result));
      return;
    }
    std::vector<std::vector<std::string>> actual;
    for (int64_t row = 0; row < result.row_count(); ++row) {
      std::vector<std::string> cells;
      for (int c = 0; c < columns; ++c) cells.push_back(CellText(result, c, row));
      actual.push_back(std::move(cells));
    }
    if (cmd.sort == SortMode::kRowSort) {
      std::sort(actual.begin(), actual.end());
    } else if (cmd.sort == SortMode::kValueSort) {
      SortValues(&actual, columns);
    }

    // Hash comparison: a label, more values than hash-threshold, or an
    // expected "N values hashing to H" (DuckDB: the MD5 of the sorted
    // values, each followed by a newline).
    const int64_t value_count = result.row_count() * columns;
    const bool expected_is_hash = cmd.expected.size() == 1 && IsHashLine(cmd.expected[0]);
    if (!cmd.label.empty() || expected_is_hash || (hash_threshold_ > 0 && value_count > hash_threshold_)) {
      tslake_test::Md5 md5;
      for (const auto& row : actual) {
        for (const std::string& v : row) {
          md5.Add(v);
          md5.Add("\n");
        }
      }
      const std::string hash = std::to_string(value_count) + " values hashing to " + md5.FinishHex();
      if (!cmd.label.empty()) {
        auto [it, inserted] = labels_.emplace(cmd.label, hash);
        if (!inserted && it->second != hash) {
          Fail(cmd, sql, "result differs from the earlier query labeled " + cmd.label + ": " + hash + " vs " +
                             it->second + "\n---- actual\n" + Render(result));
          return;
        }
      }
      if (expected_is_hash && cmd.expected[0] != hash) {
        Fail(cmd, sql, "wrong result hash: expected " + cmd.expected[0] + ", got " + hash + "\n---- actual\n" +
                           Render(result));
      }
      return;  // as DuckDB: listed values past the threshold are not compared
    }

    std::vector<std::vector<std::string>> expected;
    std::string shape_error;
    if (!ExpectedRows(cmd, columns, &expected, &shape_error)) {
      Fail(cmd, sql, shape_error + "\n---- actual\n" + Render(result));
      return;
    }
    if (cmd.sort == SortMode::kRowSort) {
      std::sort(expected.begin(), expected.end());
    } else if (cmd.sort == SortMode::kValueSort) {
      SortValues(&expected, columns);
    }
    std::string mismatch;
    if (actual.size() != expected.size()) {
      mismatch = "expected " + std::to_string(expected.size()) + " row(s), got " + std::to_string(actual.size());
    } else {
      for (size_t row = 0; row < actual.size() && mismatch.empty(); ++row) {
        for (int c = 0; c < columns; ++c) {
          if (!ValueMatches(cmd, result.column_type(c), c, expected[row][c], actual[row][c])) {
            mismatch = "row " + std::to_string(row + 1) + ", column " + std::to_string(c + 1) + " (" +
                       cmd.types[c] + "): expected " + expected[row][c] + ", got " + actual[row][c];
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
      Fail(cmd, sql, text);
    }
  }

  // The expected block as rows of `columns` values: either one row a line
  // (tab-separated), or one value a line (as sqllogictest writes wide
  // results), in row-major order.
  static bool ExpectedRows(const Command& cmd, int columns, std::vector<std::vector<std::string>>* rows,
                           std::string* error) {
    std::vector<std::vector<std::string>> lines;
    bool all_full = true;
    bool all_single = true;
    for (const std::string& l : cmd.expected) {
      lines.push_back(Split(l, "\t"));
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

  std::string Render(const tslake::Result& result) const {
    std::string text;
    for (int c = 0; c < result.column_count(); ++c) text += (c ? "\t" : "") + result.column_name(c);
    text += "\n";
    for (int64_t row = 0; row < result.row_count() && row < 100; ++row) {
      for (int c = 0; c < result.column_count(); ++c) text += (c ? "\t" : "") + CellText(result, c, row);
      text += "\n";
    }
    if (result.row_count() > 100) text += "... " + std::to_string(result.row_count()) + " rows\n";
    return text;
  }

  // Prints a failure: where, the SQL, then what differed. `what` is a one
  // line summary, optionally followed by lines of detail.
  void Fail(const Command& cmd, const std::string& sql, const std::string& what) {
    if (cmd.stats != nullptr && !cmd.stats->failed) {
      cmd.stats->failed = true;
      ++failed_count_;
    }
    const size_t newline = what.find('\n');
    std::cerr << "================================================================\n"
              << file_ << ":" << cmd.line << ": FAILED: " << what.substr(0, newline) << "\n"
              << "---- SQL\n"
              << sql << "\n";
    if (newline != std::string::npos) {
      std::string details = what.substr(newline + 1);
      while (!details.empty() && details.back() == '\n') details.pop_back();
      std::cerr << details << "\n";
    }
  }

  // ---- the database ---------------------------------------------------

  void CloseDatabase() {
    named_.clear();
    con_.reset();
    db_.reset();
  }

  // A writable `load` starts from an empty database, as in DuckDB; only
  // paths inside this run's test directory are ever deleted.
  void DeleteTestDatabase(const std::string& path) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    const fs::path dir = fs::weakly_canonical(fs::path(test_dir_), ec);
    const std::string ps = p.string();
    if (ps.rfind(dir.string() + "/", 0) != 0) return;
    CloseDatabase();
    fs::remove_all(p, ec);
  }

  // Closes the current database (connections first) and opens db_path_.
  void OpenDatabase(int line) {
    CloseDatabase();
    tslake::Options options;
    options.read_only = read_only_;
    std::string error;
    db_ = tslake::Database::Open(db_path_, options, &error);
    if (!db_) {
      std::cerr << file_ << ":" << line << ": cannot open database " << db_path_ << ": " << error << "\n";
      ++harness_errors_;
      return;
    }
    con_ = std::make_unique<tslake::Connection>(*db_);
  }

  std::string file_;
  std::string test_dir_;
  std::string data_dir_;
  Options options_;
  std::FILE* progress_ = nullptr;

  std::vector<Source> sources_;
  std::vector<std::unique_ptr<RecordStats>> records_;
  int64_t parse_skipped_ = 0;
  int skip_level_ = 0;
  bool file_skipped_ = false;
  std::string skip_reason_;
  bool halted_ = false;
  bool stop_file_ = false;  // an ignore_error_messages match
  std::unique_ptr<Command> top_loop_;
  std::vector<Command*> loop_stack_;
  std::map<std::string, std::string> variables_;
  std::vector<std::string> ignore_error_messages_;
  std::vector<std::string> always_fail_error_messages_ = {"INTERNAL"};
  std::map<std::string, std::string> labels_;
  int64_t hash_threshold_ = 0;
  int memory_dbs_ = 0;
  int64_t ran_count_ = 0;     // records that ran at least once
  int64_t failed_count_ = 0;  // records that failed at least once
  int harness_errors_ = 0;

  std::string db_path_;
  bool read_only_ = false;
  // Declared after db_ so the connections are destroyed first.
  std::unique_ptr<tslake::Database> db_;
  std::unique_ptr<tslake::Connection> con_;
  std::map<std::string, std::unique_ptr<tslake::Connection>> named_;
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
  Options options;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--duckdb") {
      options.duckdb = true;
    } else if (arg == "--progress" && i + 1 < argc) {
      options.progress_path = argv[++i];
    } else if (file.empty() && (arg.empty() || arg[0] != '-')) {
      file = arg;
    } else {
      file.clear();
      break;
    }
  }
  if (file.empty()) {
    std::cerr << "usage: sql_test_runner [--duckdb] [--progress PATH] FILE.test\n";
    return 2;
  }
  char tmpl[] = "/tmp/tslake_sqltest_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::cerr << "cannot create a temporary directory: " << std::strerror(errno) << "\n";
    return 2;
  }
  const std::string test_dir = tmpl;
  int status = 0;
  {
    TestRunner runner(file, test_dir, FindDataDir(file), options);
    const bool parsed = runner.Run();
    status = runner.Summarize(parsed);
  }  // the database is closed before its directory is removed
  std::error_code ec;
  fs::remove_all(test_dir, ec);
  return status;
}
