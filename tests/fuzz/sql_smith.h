// sql_smith: a grammar-based SQL fuzzer in the manner of sqlsmith/SQLancer.
// A Generator draws random statements from tslake's grammar (SELECT with
// joins, ASOF JOIN, subqueries, CTEs, window functions, GROUP BY/HAVING,
// SAMPLE BY, LATEST ON, gapfill, set operations, ORDER/LIMIT, casts, every
// scalar overload and aggregate of the function registry with arguments of
// its types, INSERT/DELETE/COPY to and from a temp dir, time travel) over
// the schema SetupScript() creates (every column type, NULLs, extremes:
// min/max BIGINT and INTEGER, +-inf/NaN doubles, very old and new
// timestamps, empty, long and unicode strings); a few statements are
// mutated into invalid ones. A Runner executes one statement at a time
// through the public C++ API on a thread with a small stack (1 MiB by
// default, so recursion that needs a big stack crashes here), interrupts it
// after `timeout_s` seconds of CPU (or 6x that of wall time) and reports
// it as a hang, and reports a memory-limit
// overrun when the process's RSS grows far above SET memory_limit while it
// runs. Signals and sanitizer reports end the process; the driver
// (sql_smith.cc) keeps the statements that led there as a reproducer.
//
// Used by tests/fuzz/sql_smith.cc (the standalone, seeded fuzzer),
// tests/fuzz/sql_smith_fuzzer.cc (libFuzzer's bytes drive the generator)
// and tests/reliability/sql_smith_regression_test.cc (replays every kept
// reproducer). Reproducer files hold one statement a line; lines starting
// with "--" are comments; "{TMP}" stands for the run's temp directory.
// Thread-safety: a Generator and a Runner belong to one thread.
#pragma once

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "formats/types.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/scalar_function.h"
#include "tslake/tslake.hpp"

namespace tsl::fuzz::smith {

// ---------------------------------------------------------------------------
// Random sources.

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t Next() = 0;
  // Uniform-ish in [0, n); 0 when n == 0.
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  bool OneIn(uint64_t n) { return Below(n) == 0; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }
  // Whether the input is used up (a byte source); the generator then
  // closes every open construct with its simplest choice.
  virtual bool Exhausted() const { return false; }
};

class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : gen_(seed) {}
  uint64_t Next() override { return gen_(); }

 private:
  std::mt19937_64 gen_;
};

// libFuzzer's input as the choices: each choice takes one byte (or two),
// so mutating the input mutates the statement's structure. Zeros once used up.
class ByteRandom : public Random {
 public:
  ByteRandom(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint64_t Next() override {
    if (pos_ >= size_) return 0;
    uint64_t v = data_[pos_++];
    if (pos_ < size_ && (v & 0x80)) v = (v << 8) | data_[pos_++];
    return v;
  }
  bool Exhausted() const override { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Schema and data.

struct Column {
  std::string name;
  TypeId type;
};

struct TableDef {
  std::string name;
  std::vector<Column> columns;
  bool has_history;  // a real table (time travel), not a view
};

inline const std::vector<Column>& WideColumns() {
  static const std::vector<Column> cols = {
      {"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
      {"q", TypeId::kInteger},    {"n", TypeId::kBigint},    {"ok", TypeId::kBoolean},
      {"note", TypeId::kVarchar}};
  return cols;
}

// t: ~310 rows in several versions with every extreme; u: 101 narrower
// rows to join with; e: empty; s: the scratch table INSERT/DELETE/COPY
// change; vw: a view over t.
inline const std::vector<TableDef>& Tables() {
  static const std::vector<TableDef> tables = {
      {"t", WideColumns(), true},
      {"u",
       {{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
        {"q", TypeId::kInteger}},
       true},
      {"e", WideColumns(), true},
      {"s", WideColumns(), true},
      {"vw",
       {{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
        {"q", TypeId::kInteger}},
       false},
  };
  return tables;
}

inline std::string LongString() { return std::string(300, 'x') + "y" + std::string(200, 'z'); }

inline std::vector<std::string> CreateScratchStatements() {
  return {"CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, "
          "note VARCHAR)",
          "INSERT INTO s SELECT * FROM t WHERE q % 5 = 0"};
}

// Every statement that builds the schema, in order. Each is run on its own
// (an extreme a build refuses must not stop the others) and each INSERT is
// a version for time travel.
inline std::vector<std::string> SetupScript(int64_t memory_limit_mb) {
  const std::string wide = "(ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)";
  std::vector<std::string> s = {
      "SET memory_limit = '" + std::to_string(memory_limit_mb) + "MB'",
      "CREATE TABLE t " + wide,
      "CREATE TABLE u (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)",
      "CREATE TABLE e " + wide,
      "INSERT INTO t SELECT to_timestamp(1704067200 + i * 37), 'tag' || (i % 7), i * 0.25 - 20, "
      "i % 100 - 50, i * 1000003 - 200000000, i % 3 = 0, repeat('x', i % 5) FROM range(0, 300) r(i)",
      "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
      "INSERT INTO t VALUES (TIMESTAMP '0001-01-01 00:00:00', '', 'inf'::DOUBLE, 2147483647, "
      "9223372036854775807, true, '')",
      "INSERT INTO t VALUES (TIMESTAMP '9999-12-31 23:59:59.999999', 'héllo wörld ✓ 日本語 😀', "
      "'-inf'::DOUBLE, -2147483648, -9223372036854775808, false, '" + LongString() + "')",
      "INSERT INTO t VALUES (TIMESTAMP '1970-01-01 00:00:00', 'tag1', 'nan'::DOUBLE, 0, 0, NULL, "
      "'O''Brien')",
      "INSERT INTO t VALUES (TIMESTAMP '1677-09-21 00:12:44', 'tag2', 1e308, -1, -9223372036854775807, "
      "true, 'ünïcödé')",
      "INSERT INTO t VALUES (TIMESTAMP '2262-04-11 23:47:16', 'tag3', -1e308, 1, 4294967296, false, "
      "'%_\\\\')",
      "INSERT INTO t VALUES (TIMESTAMP '2024-01-01 00:00:00', 'tag0', -0.0, NULL, NULL, NULL, NULL), "
      "(TIMESTAMP '2024-01-01 00:00:00', 'tag0', 5e-324, 7, 7, true, 'dup ts')",
      "INSERT INTO u SELECT to_timestamp(1704067200 + i * 91), 'tag' || (i % 5), i * 1.5, i % 10 "
      "FROM range(0, 100) r(i)",
      "INSERT INTO u VALUES (NULL, NULL, NULL, NULL)",
      "CREATE VIEW vw AS SELECT ts, tag, v, q FROM t WHERE q IS NOT NULL",
  };
  for (const std::string& c : CreateScratchStatements()) s.push_back(c);
  return s;
}

// ---------------------------------------------------------------------------
// Generator.

struct ColRef {
  std::string text;  // qualified reference, or a group key's expression
  TypeId type;
};

struct Scope {
  std::vector<ColRef> cols;
};

// A relation the FROM clause can name (a CTE, a derived table).
struct Relation {
  std::string name;
  std::vector<Column> columns;
};

struct Query {
  std::string sql;
  std::vector<TypeId> types;  // output columns c0, c1, ...
};

class Generator {
 public:
  explicit Generator(Random* rnd) : r_(*rnd) {}

  // Also generate the shapes of the open findings (regressions/sql_smith/
  // open/): huge lpad/rpad/repeat lengths, gap filling with buckets far
  // smaller than the filled range or over centuries, LIMIT 2^63-1 with an OFFSET, substring
  // offsets near INT64_MIN. Off so a run (and CI) finds something new;
  // drop a case here once its finding is fixed.
  bool known_findings = false;

  // One statement, sometimes invalid. `changes_state` tells whether it may
  // change the database or session (so a reproducer must keep it).
  std::string Statement(bool* changes_state) {
    *changes_state = false;
    ctes_.clear();
    alias_counter_ = 0;
    uint64_t k = r_.Below(100);
    if (k < 62) {
      std::string q = TopQuery();
      return r_.OneIn(8) ? Mutate(q) : q;
    }
    if (k < 66) return std::string(r_.OneIn(2) ? "EXPLAIN " : "EXPLAIN ANALYZE ") + TopQuery();
    *changes_state = true;
    if (k < 74) return Insert();
    if (k < 79) return Delete();
    if (k < 87) return Copy();
    if (k < 89) return "SET threads = " + std::to_string(1 + r_.Below(4));
    if (k < 91) return "OPTIMIZE s";
    if (k < 93) return "RESTORE TABLE s TO VERSION AS OF " + std::to_string(r_.Below(6));
    if (k < 95) return "DELETE FROM s";
    *changes_state = false;
    if (k < 97) return "SELECT count(*) FROM read_parquet('{TMP}/f" + std::to_string(r_.Below(3)) + ".parquet')";
    return "DESCRIBE HISTORY s";
  }

  // A query whose results never change the database (libFuzzer target).
  std::string ReadOnlyStatement() {
    ctes_.clear();
    alias_counter_ = 0;
    std::string q = TopQuery();
    return r_.OneIn(8) ? Mutate(q) : q;
  }

 private:
  static constexpr TypeId kTypes[] = {TypeId::kBoolean, TypeId::kInteger, TypeId::kBigint,
                                      TypeId::kDouble,  TypeId::kVarchar, TypeId::kTimestamp};

  TypeId AnyType() { return kTypes[r_.Below(std::size(kTypes))]; }
  TypeId AnyTypeOrInterval() { return r_.OneIn(12) ? TypeId::kInterval : AnyType(); }
  bool Stop(int depth) { return depth <= 0 || r_.Exhausted(); }

  static const char* TypeSql(TypeId t) {
    switch (t) {
      case TypeId::kBoolean: return "BOOLEAN";
      case TypeId::kInteger: return "INTEGER";
      case TypeId::kBigint: return "BIGINT";
      case TypeId::kDouble: return "DOUBLE";
      case TypeId::kVarchar: return "VARCHAR";
      case TypeId::kTimestamp: return "TIMESTAMP";
      case TypeId::kInterval: return "INTERVAL";
      case TypeId::kDate: return "DATE";
      case TypeId::kTimestampTz: return "TIMESTAMPTZ";
      default: return "VARCHAR";
    }
  }

  // ---- literals ----
  std::string Literal(TypeId t) {
    if (r_.OneIn(10)) return r_.OneIn(2) ? "NULL" : std::string("(NULL::") + TypeSql(t) + ")";
    switch (t) {
      case TypeId::kBoolean: return r_.OneIn(2) ? "true" : "false";
      case TypeId::kInteger: {
        static const std::vector<std::string> v = {"0", "1", "-1", "7", "42", "100", "2147483647",
                                                   "-2147483648", "-2147483647", "3"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kBigint: {
        static const std::vector<std::string> v = {
            "(0::BIGINT)", "(1::BIGINT)", "9223372036854775807", "(-9223372036854775807 - 1)",
            "-9223372036854775807", "4294967296", "1000000007", "(-1::BIGINT)", "CAST(2 AS BIGINT)"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kDouble: {
        static const std::vector<std::string> v = {
            "1.5", "-0.0", "0.0", "1e308", "-1e308", "5e-324", "('inf'::DOUBLE)", "('-inf'::DOUBLE)",
            "('nan'::DOUBLE)", "('Infinity'::DOUBLE)", "3.141592653589793", "-2.5", "1e-10", "0.5"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kVarchar: {
        static const std::vector<std::string> v = {
            "''", "'a'", "'tag1'", "'tag0'", "'héllo wörld ✓ 日本語 😀'", "'O''Brien'", "'%'", "'_'",
            "'%a%'", "'(a|b)*c'", "'['", "'.*'", "'x'", "' padded '", "'\\'", "'2024-01-01 00:00:00'",
            "'1.5'", "'42'", "'true'", "'1 hour'", "'" + std::string(1000, 'w') + "'",
            "'\xF0\x9F\x98\x80\xC3\xA9'", "'tag'"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kTimestamp: {
        static const std::vector<std::string> v = {
            "TIMESTAMP '2024-01-01 00:00:00'", "TIMESTAMP '1970-01-01 00:00:00'",
            "TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '9999-12-31 23:59:59.999999'",
            "TIMESTAMP '1677-09-21 00:12:44'", "TIMESTAMP '2262-04-11 23:47:16'",
            "TIMESTAMP '2024-02-29 12:34:56.123456'", "TIMESTAMP '2024-01-01 01:00:00'",
            "('2024-01-01 00:30:00'::TIMESTAMP)", "now()", "current_timestamp"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kInterval: return Interval();
      case TypeId::kDate: {
        static const std::vector<std::string> v = {
            "DATE '2024-01-01'", "DATE '1969-12-31'", "DATE '5881580-07-10'",
            "DATE '5877642-06-25 (BC)'", "DATE '2024-02-29'", "current_date",
            "('2024-03-01'::DATE)", "make_date(2024, 12, 31)"};
        return v[r_.Below(v.size())];
      }
      case TypeId::kTimestampTz: {
        static const std::vector<std::string> v = {
            "TIMESTAMPTZ '2024-03-31 02:30:00+02'", "TIMESTAMPTZ '2024-10-27 02:30:00 Europe/Berlin'",
            "TIMESTAMPTZ '1800-01-01 00:00:00 Asia/Kolkata'", "TIMESTAMPTZ '294247-01-10 04:00:54.775806+00'",
            "TIMESTAMPTZ '290309-12-22 (BC) 00:00:00+00'", "now()",
            "(TIMESTAMP '2024-11-03 01:30:00' AT TIME ZONE 'America/New_York')",
            "('2024-01-01 00:00:00Z'::TIMESTAMPTZ)"};
        return v[r_.Below(v.size())];
      }
      default: return "NULL";
    }
  }

  std::string Interval() {
    static const std::vector<std::string> v = {
        "INTERVAL '1 hour'",     "INTERVAL '0 seconds'",  "INTERVAL '-1 day'",
        "INTERVAL '2 days'",     "INTERVAL '1000000 days'", "INTERVAL '1 microsecond'",
        "INTERVAL '37 minutes'", "INTERVAL '1 day'",       "INTERVAL 2 HOUR",
        "INTERVAL '15 seconds'", "INTERVAL '1 week'",      "INTERVAL '-90 minutes'"};
    return v[r_.Below(v.size())];
  }

  std::string Quoted(const std::vector<std::string>& words) { return "'" + r_.Pick(words) + "'"; }

  std::string DatePartName() {
    static const std::vector<std::string> v = {"year",   "month",   "day",        "hour",
                                               "minute", "second",  "millisecond", "microsecond",
                                               "week",   "quarter", "decade",     "century",
                                               "epoch",  "dow",     "doy",        "isodow",
                                               "millennium", "bogus", "", "YEAR"};
    return r_.Pick(v);
  }

  std::string Pattern() {
    static const std::vector<std::string> v = {"a.*", "^tag[0-9]+$", "(x|y)+", "", "[", "(a*)*b",
                                               "\\d+", ".", "ä+", "(?i)TAG", "a{1000}", "x*"};
    return r_.Pick(v);
  }

  std::string Format() {
    static const std::vector<std::string> v = {"%Y-%m-%d %H:%M:%S", "%f", "%%", "%Q", "",
                                               "%Y", "%d/%m/%Y", "%H:%M:%S.%f", "%j %a %b", "%z"};
    return r_.Pick(v);
  }

  // ---- expressions ----
  std::string ColumnOf(TypeId t, const Scope& scope) {
    std::vector<const ColRef*> match;
    for (const ColRef& c : scope.cols)
      if (c.type == t) match.push_back(&c);
    if (match.empty()) return Literal(t);
    return match[r_.Below(match.size())]->text;
  }

  bool HasType(TypeId t, const Scope& scope) {
    for (const ColRef& c : scope.cols)
      if (c.type == t) return true;
    return false;
  }

  // An expression of type `t` over `scope`. With `agg` non-null, aggregates
  // over the rows of `agg` may appear (the select list of a grouped query,
  // where `scope` holds only the group keys).
  std::string Expr(TypeId t, int depth, const Scope& scope, const Scope* agg = nullptr) {
    if (Stop(depth) || r_.OneIn(3)) {
      if (agg != nullptr && r_.OneIn(2)) return Aggregate(t, depth - 1, *agg);
      return r_.OneIn(3) || !HasType(t, scope) ? Literal(t) : ColumnOf(t, scope);
    }
    int d = depth - 1;
    uint64_t k = r_.Below(100);
    if (agg != nullptr && k < 25) return Aggregate(t, d, *agg);
    if (k < 30) return Case(t, d, scope, agg);
    if (k < 36) return Cast(t, d, scope, agg);
    if (k < 48) return Function(t, d, scope, agg);
    if (k < 52 && !r_.Exhausted()) return ScalarSubquery(t, d);
    if (k < 55) {
      static const char* kFns[] = {"coalesce", "ifnull", "nullif", "greatest", "least"};
      const char* f = kFns[r_.Below(std::size(kFns))];
      return std::string(f) + "(" + Expr(t, d, scope, agg) + ", " + Expr(t, d, scope, agg) + ")";
    }
    switch (t) {
      case TypeId::kBoolean: return Predicate(d, scope, agg);
      case TypeId::kInteger:
      case TypeId::kBigint:
      case TypeId::kDouble: {
        static const char* kOps[] = {"+", "-", "*", "/", "%", "//"};
        if (r_.OneIn(6)) return "(-" + Expr(t, d, scope, agg) + ")";
        if (t == TypeId::kBigint && r_.OneIn(5))
          return "datediff('" + DatePartName() + "', " + Expr(TypeId::kTimestamp, d, scope, agg) + ", " +
                 Expr(TypeId::kTimestamp, d, scope, agg) + ")";
        // "/" is DOUBLE division in DuckDB; "//" keeps integers integral.
        TypeId other = r_.OneIn(6) ? (r_.OneIn(2) ? TypeId::kInteger : TypeId::kBigint) : t;
        const char* op = kOps[r_.Below(std::size(kOps))];
        if (t != TypeId::kDouble && std::string(op) == "/") op = "//";
        if (t != TypeId::kDouble && other == TypeId::kDouble) other = t;
        return "(" + Expr(t, d, scope, agg) + " " + op + " " + Expr(other, d, scope, agg) + ")";
      }
      case TypeId::kVarchar:
        if (r_.OneIn(3)) return "(" + Expr(t, d, scope, agg) + " || " + Expr(AnyType(), d, scope, agg) + ")";
        if (r_.OneIn(3)) {
          static const char* kSpecial[] = {"substring(%s FROM %d FOR %d)", "trim(both 'x' FROM %s)",
                                           "trim(leading FROM %s)", "substring(%s FROM %d)"};
          std::string f = kSpecial[r_.Below(std::size(kSpecial))];
          std::string a = Expr(TypeId::kVarchar, d, scope, agg);
          std::string out;
          for (size_t i = 0; i < f.size(); ++i) {
            if (f[i] == '%' && i + 1 < f.size() && f[i + 1] == 's') {
              out += a;
              ++i;
            } else if (f[i] == '%' && i + 1 < f.size() && f[i + 1] == 'd') {
              // Offsets near INT64_MIN overflow Substring (open finding).
              out += known_findings ? Expr(TypeId::kBigint, 0, scope)
                                    : "(" + Expr(TypeId::kBigint, 0, scope) + " % 1000000)";
              ++i;
            } else {
              out += f[i];
            }
          }
          return out;
        }
        return Function(t, d, scope, agg);
      case TypeId::kTimestamp:
        if (r_.OneIn(2))
          return "(" + Expr(t, d, scope, agg) + (r_.OneIn(2) ? " + " : " - ") +
                 Expr(TypeId::kInterval, d, scope, agg) + ")";
        if (r_.OneIn(3))
          return "time_bucket(" + Interval() + ", " + Expr(t, d, scope, agg) +
                 (r_.OneIn(3) ? ", " + Expr(r_.OneIn(2) ? TypeId::kTimestamp : TypeId::kInterval, d, scope, agg) : "") + ")";
        return Function(t, d, scope, agg);
      case TypeId::kInterval:
        if (r_.OneIn(3))
          return "(" + Expr(TypeId::kTimestamp, d, scope, agg) + " - " + Expr(TypeId::kTimestamp, d, scope, agg) + ")";
        if (r_.OneIn(3)) return "(" + Interval() + " * " + Expr(TypeId::kInteger, d, scope, agg) + ")";
        return Interval();
      default: return Literal(t);
    }
  }

  std::string Predicate(int d, const Scope& scope, const Scope* agg) {
    uint64_t k = r_.Below(100);
    if (k < 30) {
      TypeId a = AnyType();
      static const char* kCmp[] = {"=", "<>", "<", "<=", ">", ">=", "!=", "IS DISTINCT FROM",
                                   "IS NOT DISTINCT FROM"};
      return "(" + Expr(a, d, scope, agg) + " " + kCmp[r_.Below(std::size(kCmp))] + " " +
             Expr(r_.OneIn(40) ? AnyType() : a, d, scope, agg) + ")";
    }
    if (k < 45) {
      const char* op = r_.OneIn(2) ? " AND " : " OR ";
      return "(" + Expr(TypeId::kBoolean, d, scope, agg) + op + Expr(TypeId::kBoolean, d, scope, agg) + ")";
    }
    if (k < 50) return "(NOT " + Expr(TypeId::kBoolean, d, scope, agg) + ")";
    if (k < 57) return "(" + Expr(AnyType(), d, scope, agg) + (r_.OneIn(2) ? " IS NULL)" : " IS NOT NULL)");
    if (k < 63) {
      TypeId a = AnyType();
      return "(" + Expr(a, d, scope, agg) + (r_.OneIn(3) ? " NOT" : "") + " BETWEEN " +
             Expr(a, d, scope, agg) + " AND " + Expr(a, d, scope, agg) + ")";
    }
    if (k < 70) {
      TypeId a = AnyType();
      std::string list;
      int n = 1 + static_cast<int>(r_.Below(4));
      for (int i = 0; i < n; ++i) list += (i ? ", " : "") + Expr(a, d - 1, scope, agg);
      return "(" + Expr(a, d, scope, agg) + (r_.OneIn(3) ? " NOT IN (" : " IN (") + list + "))";
    }
    if (k < 77) {
      const char* op = r_.OneIn(2) ? " LIKE " : (r_.OneIn(2) ? " ILIKE " : " NOT LIKE ");
      return "(" + Expr(TypeId::kVarchar, d, scope, agg) + op +
             (r_.OneIn(2) ? Literal(TypeId::kVarchar) : Expr(TypeId::kVarchar, d, scope, agg)) + ")";
    }
    if (k < 83 && !r_.Exhausted()) {
      Query sub = Select(d, {}, true);
      return std::string(r_.OneIn(3) ? "(NOT EXISTS (" : "(EXISTS (") + sub.sql + "))";
    }
    if (k < 89 && !r_.Exhausted()) {
      TypeId a = AnyType();
      Query sub = Select(d, {a}, true);
      return "(" + Expr(a, d, scope, agg) + (r_.OneIn(3) ? " NOT IN (" : " IN (") + sub.sql + "))";
    }
    if (k < 93) return Function(TypeId::kBoolean, d, scope, agg);
    return Literal(TypeId::kBoolean);
  }

  std::string Case(TypeId t, int d, const Scope& scope, const Scope* agg) {
    std::string s = "CASE";
    bool simple = r_.OneIn(3);
    TypeId st = AnyType();
    if (simple) s += " " + Expr(st, d, scope, agg);
    int n = 1 + static_cast<int>(r_.Below(2));
    for (int i = 0; i < n; ++i)
      s += " WHEN " + (simple ? Expr(st, d, scope, agg) : Expr(TypeId::kBoolean, d, scope, agg)) +
           " THEN " + Expr(t, d, scope, agg);
    if (r_.OneIn(2)) s += " ELSE " + Expr(t, d, scope, agg);
    return s + " END";
  }

  std::string Cast(TypeId t, int d, const Scope& scope, const Scope* agg) {
    // Mostly a cast that exists (numbers, booleans and strings among
    // themselves, strings and timestamps); any type now and then.
    TypeId from;
    if (r_.OneIn(5)) {
      from = AnyTypeOrInterval();
    } else if (t == TypeId::kTimestamp) {
      from = r_.OneIn(2) ? TypeId::kVarchar : TypeId::kTimestamp;
    } else if (t == TypeId::kVarchar) {
      from = AnyTypeOrInterval();
    } else {
      static const TypeId kNum[] = {TypeId::kBoolean, TypeId::kInteger, TypeId::kBigint, TypeId::kDouble,
                                    TypeId::kVarchar};
      from = kNum[r_.Below(std::size(kNum))];
    }
    std::string e = Expr(from, d, scope, agg);
    switch (r_.Below(3)) {
      case 0: return "CAST(" + e + " AS " + TypeSql(t) + ")";
      case 1: return "TRY_CAST(" + e + " AS " + TypeSql(t) + ")";
      default: return "(" + e + ")::" + TypeSql(t);
    }
  }

  // A registry overload returning `t`, arguments of its types (sometimes
  // any type, or any function name with any arguments).
  std::string Function(TypeId t, int d, const Scope& scope, const Scope* agg) {
    const auto& all = query::ScalarFunctionOverloads();
    if (r_.OneIn(60)) {
      const query::ScalarFunction& f = all[r_.Below(all.size())];
      std::string s = std::string(f.name) + "(";
      int n = static_cast<int>(r_.Below(4));
      for (int i = 0; i < n; ++i) s += (i ? ", " : "") + Expr(AnyTypeOrInterval(), d, scope, agg);
      return s + ")";
    }
    std::vector<const query::ScalarFunction*> match;
    for (const query::ScalarFunction& f : all)
      if (f.return_type == t) match.push_back(&f);
    if (match.empty()) return Literal(t);
    const query::ScalarFunction& f = *match[r_.Below(match.size())];
    std::string name = f.name;
    size_t n = f.arg_types.size();
    if ((f.flags & query::kScalarVariadic) && !r_.Exhausted()) n += r_.Below(3);
    std::string s = name + "(";
    for (size_t i = 0; i < n; ++i) {
      TypeId at = r_.OneIn(50) ? AnyTypeOrInterval() : f.ArgType(i);
      if (at == TypeId::kNull) at = AnyType();
      s += i ? ", " : "";
      s += Argument(name, i, at, d, scope, agg);
    }
    return s + ")";
  }

  // String arguments that name something (a date part, a regex, a format)
  // are mostly drawn from lists of meaningful values.
  std::string Argument(const std::string& fn, size_t i, TypeId t, int d, const Scope& scope,
                       const Scope* agg) {
    if (t == TypeId::kVarchar && !r_.OneIn(5)) {
      if (i == 0 && (fn.find("date_") == 0 || fn.find("datepart") == 0 || fn.find("datetrunc") == 0 ||
                     fn == "datediff" || fn == "datesub"))
        return "'" + DatePartName() + "'";
      if (i >= 1 && fn.find("regexp") == 0) return "'" + Pattern() + "'";
      if (i == 1 && (fn == "strftime" || fn == "strptime" || fn == "try_strptime")) return "'" + Format() + "'";
    }
    if (t == TypeId::kInterval && r_.OneIn(2)) return Interval();
    // The length of lpad/rpad/repeat: a huge one builds a string of that
    // size that neither memory_limit nor Interrupt() stops (open finding,
    // tests/fuzz/regressions/sql_smith/open/); kept below 10,000 unless
    // known_findings asks for it.
    if (!known_findings && i == 1 && (fn == "lpad" || fn == "rpad" || fn == "repeat"))
      return "(" + Expr(t, d, scope, agg) + " % 10000)";
    if (!known_findings && i >= 1 && (fn == "substring" || fn == "substr"))
      return "(" + Expr(t, d, scope, agg) + " % 1000000)";
    if ((t == TypeId::kBigint || t == TypeId::kInteger) && r_.OneIn(3)) {
      static const std::vector<std::string> v = {"0", "1", "2", "-1", "5", "100000", "9223372036854775807",
                                                 "-9223372036854775807"};
      return r_.Pick(v);
    }
    return Expr(t, d, scope, agg);
  }

  std::string Aggregate(TypeId t, int d, const Scope& rows) {
    std::string body = AggregateCall(t, d, rows);
    if (r_.OneIn(6)) body += " FILTER (WHERE " + Expr(TypeId::kBoolean, d, rows) + ")";
    return body;
  }

  std::string AggregateCall(TypeId t, int d, const Scope& rows) {
    // Any registry aggregate with arguments of any type, now and then.
    if (r_.OneIn(40)) {
      static const std::vector<std::string> names = query::AggregateFunctionNames();
      std::string s = r_.Pick(names) + "(";
      int n = 1 + static_cast<int>(r_.Below(3));
      for (int i = 0; i < n; ++i) s += (i ? ", " : "") + Expr(AnyType(), d, rows);
      return s + ")";
    }
    std::string distinct = r_.OneIn(6) ? "DISTINCT " : "";
    auto a = [&](TypeId at) { return Expr(at, d, rows); };
    auto same = [&](std::initializer_list<const char*> fns) {
      return std::string(*(fns.begin() + r_.Below(fns.size()))) + "(" + distinct + a(t) + ")";
    };
    switch (t) {
      case TypeId::kBigint:
        switch (r_.Below(6)) {
          case 0: return "count(*)";
          case 1: return "count(" + distinct + a(AnyType()) + ")";
          case 2: return "count_if(" + a(TypeId::kBoolean) + ")";
          case 3: return "approx_count_distinct(" + a(AnyType()) + ")";
          case 4: return "sum(" + distinct + a(r_.OneIn(2) ? TypeId::kInteger : TypeId::kBigint) + ")";
          default: return same({"min", "max", "first", "last", "any_value"});
        }
      case TypeId::kDouble:
        switch (r_.Below(6)) {
          case 0: return same({"avg", "sum", "stddev_samp", "stddev_pop", "var_samp", "var_pop", "median",
                               "stddev", "variance", "mean"});
          case 1: return "quantile_cont(" + a(TypeId::kDouble) + ", " +
                         r_.Pick(std::vector<std::string>{"0.5", "0", "1", "0.25", "1.5", "-0.1"}) + ")";
          case 2: return "time_weighted_avg(" + a(TypeId::kDouble) + ", " + a(TypeId::kTimestamp) +
                         (r_.OneIn(2) ? std::string(", '") + (r_.OneIn(2) ? "linear" : "locf") + "'" : "") + ")";
          case 3: return "avg(" + distinct + a(r_.OneIn(2) ? TypeId::kInteger : TypeId::kBigint) + ")";
          case 4: return std::string(r_.OneIn(2) ? "arg_min(" : "arg_max(") + a(t) + ", " + a(AnyType()) + ")";
          default: return same({"min", "max", "first", "last", "any_value"});
        }
      case TypeId::kVarchar:
        if (r_.OneIn(2))
          return "string_agg(" + distinct + a(r_.OneIn(3) ? AnyType() : t) + ", " +
                 r_.Pick(std::vector<std::string>{"','", "''", "' | '"}) +
                 (r_.OneIn(3) ? " ORDER BY " + a(AnyType()) + (r_.OneIn(2) ? " DESC" : "") : "") + ")";
        if (r_.OneIn(3)) return std::string(r_.OneIn(2) ? "max_by(" : "min_by(") + a(t) + ", " + a(AnyType()) + ")";
        return same({"min", "max", "first", "last", "any_value", "median"});
      case TypeId::kBoolean:
        return same({"bool_and", "bool_or", "min", "max", "first", "last", "any_value"});
      case TypeId::kTimestamp:
        if (r_.OneIn(3)) return std::string(r_.OneIn(2) ? "arg_min(" : "arg_max(") + a(t) + ", " + a(AnyType()) + ")";
        return same({"min", "max", "first", "last", "any_value", "median"});
      default:
        return same({"min", "max", "first", "last", "any_value"});
    }
  }

  std::string ScalarSubquery(TypeId t, int d) {
    Query q = Select(d, {t}, true);
    // Mostly one row, so most are valid; now and then more than one.
    if (r_.OneIn(8)) return "(" + q.sql + ")";
    return "(SELECT c0 FROM (" + q.sql + ") LIMIT 1)";
  }

  std::string WindowCall(TypeId* type, int d, const Scope& scope) {
    std::string fn;
    uint64_t k = r_.Below(10);
    if (k < 2) {
      static const char* kRank[] = {"row_number()", "rank()", "dense_rank()"};
      fn = kRank[r_.Below(3)];
      *type = TypeId::kBigint;
    } else if (k < 4) {
      *type = AnyType();
      fn = std::string(r_.OneIn(2) ? "lag(" : "lead(") + Expr(*type, d, scope) +
           (r_.OneIn(2) ? ", " + std::to_string(r_.Below(4)) + (r_.OneIn(2) ? ", " + Literal(*type) : "") : "") + ")";
    } else if (k < 5) {
      *type = AnyType();
      fn = std::string(r_.OneIn(2) ? "first_value(" : "last_value(") + Expr(*type, d, scope) + ")";
    } else if (k < 6) {
      *type = TypeId::kDouble;
      fn = std::string(r_.OneIn(2) ? "delta(" : "rate(") + Expr(TypeId::kDouble, d, scope) + ")";
    } else {
      *type = r_.OneIn(2) ? TypeId::kDouble : TypeId::kBigint;
      fn = r_.OneIn(10) ? Aggregate(*type, d, scope) : AggregateCall(*type, d, scope);
    }
    std::string over = " OVER (";
    if (r_.OneIn(2)) over += "PARTITION BY " + Expr(AnyType(), 1, scope) + " ";
    if (!r_.OneIn(4)) {
      TypeId ot = r_.OneIn(2) ? TypeId::kTimestamp : AnyType();
      over += "ORDER BY " + Expr(ot, 1, scope) + (r_.OneIn(3) ? " DESC" : "") +
              (r_.OneIn(4) ? " NULLS FIRST" : "") + " ";
      if (r_.OneIn(2)) {
        bool range = r_.OneIn(2);
        std::string unit = range ? (ot == TypeId::kTimestamp ? Interval() : std::to_string(r_.Below(10)))
                                 : r_.Pick(std::vector<std::string>{"0", "1", "3", "9223372036854775807"});
        // A frame offset of 2^63-1 overflows a double -> int64 conversion
        // (open finding).
        if (!known_findings && unit == "9223372036854775807") unit = "1000000";
        std::string lo = r_.OneIn(3) ? "UNBOUNDED PRECEDING" : unit + " PRECEDING";
        std::string hi = r_.OneIn(2) ? "CURRENT ROW" : (r_.OneIn(2) ? "UNBOUNDED FOLLOWING" : unit + " FOLLOWING");
        over += std::string(range ? "RANGE" : "ROWS") + " BETWEEN " + lo + " AND " + hi;
      }
    }
    return fn + over + ")";
  }

  // ---- FROM ----
  // Adds the columns of one FROM item named `alias` to `scope`.
  void AddColumns(const std::string& alias, const std::vector<Column>& cols, Scope* scope) {
    for (const Column& c : cols) scope->cols.push_back({alias + "." + c.name, c.type});
  }

  std::string NewAlias(const char* prefix) { return prefix + std::to_string(alias_counter_++); }

  // One FROM item: a table (maybe at an old version), a view, a derived
  // table, a CTE, range()/generate_series(). `small` avoids the big ones.
  std::string FromItem(int d, Scope* scope, bool* is_table, std::string* alias_out) {
    *is_table = false;
    std::string alias = NewAlias("a");
    *alias_out = alias;
    uint64_t k = r_.Below(100);
    if (k < 55 || Stop(d)) {
      const TableDef& t = Tables()[r_.Below(Tables().size())];
      std::string s = t.name;
      if (t.has_history && r_.OneIn(8)) {
        s += r_.OneIn(2) ? " VERSION AS OF " + std::to_string(r_.Below(8))
                         : " TIMESTAMP AS OF " + Literal(TypeId::kTimestamp);
      }
      AddColumns(alias, t.columns, scope);
      *is_table = t.name != "vw";
      return s + " AS " + alias;
    }
    if (k < 75) {
      int ncols = 1 + static_cast<int>(r_.Below(4));
      std::vector<TypeId> types;
      for (int i = 0; i < ncols; ++i) types.push_back(AnyType());
      Query q = Select(d - 1, types, false);
      std::vector<Column> cols;
      for (size_t i = 0; i < q.types.size(); ++i) cols.push_back({"c" + std::to_string(i), q.types[i]});
      AddColumns(alias, cols, scope);
      return "(" + q.sql + ") AS " + alias;
    }
    if (k < 85 && !ctes_.empty()) {
      const Relation& rel = ctes_[r_.Below(ctes_.size())];
      AddColumns(alias, rel.columns, scope);
      return rel.name + " AS " + alias;
    }
    // Bounded series only: an unbounded one is a slow query, not a bug.
    if (r_.OneIn(3)) {
      scope->cols.push_back({alias + ".g", TypeId::kTimestamp});
      return "generate_series(TIMESTAMP '2024-01-01 00:00:00', " +
             r_.Pick(std::vector<std::string>{"TIMESTAMP '2024-01-02 00:00:00'", "TIMESTAMP '2023-12-31 00:00:00'",
                                              "(NULL::TIMESTAMP)", "TIMESTAMP '2024-01-01 00:00:00'"}) +
             ", " +
             r_.Pick(std::vector<std::string>{"INTERVAL '1 hour'", "INTERVAL '15 minutes'", "INTERVAL '-1 hour'",
                                              "INTERVAL '0 seconds'", "INTERVAL '1 day'", "INTERVAL '1 month'"}) +
             ") AS " + alias + "(g)";
    }
    scope->cols.push_back({alias + ".i", TypeId::kBigint});
    std::string args = std::to_string(static_cast<int64_t>(r_.Below(40)) - 10);
    if (!r_.OneIn(3)) {
      args += ", " + std::to_string(r_.Below(60));
      if (r_.OneIn(3)) args += ", " + r_.Pick(std::vector<std::string>{"1", "2", "-1", "0", "7", "9223372036854775807"});
    }
    return std::string(r_.OneIn(2) ? "range(" : "generate_series(") + args + ") AS " + alias + "(i)";
  }

  std::string From(int d, Scope* scope, std::string* ts_table_alias) {
    bool is_table;
    std::string alias;
    std::string s = FromItem(d, scope, &is_table, &alias);
    if (is_table) *ts_table_alias = alias;
    if (Stop(d) || !r_.OneIn(3)) return s;
    // One join a FROM (nested FROM items may join again): three
    // ~300-row tables joined on a boolean are millions of rows, a slow
    // statement rather than a hang (the first runs reported those).
    int joins = 1;
    for (int j = 0; j < joins; ++j) {
      Scope right;
      bool rt;
      std::string ralias;
      std::string item = FromItem(d - 1, &right, &rt, &ralias);
      Scope both = *scope;
      for (const ColRef& c : right.cols) both.cols.push_back(c);
      uint64_t k = r_.Below(100);
      if (k < 15 && rt && is_table) {
        // ASOF JOIN on time, maybe with a tag equality.
        std::string cond = (r_.OneIn(2) ? *ts_table_alias + ".tag = " + ralias + ".tag AND " : std::string()) +
                           *ts_table_alias + ".ts " + r_.Pick(std::vector<std::string>{">=", ">"}) +
                           " " + ralias + ".ts";
        s += std::string(r_.OneIn(3) ? " ASOF LEFT JOIN " : " ASOF JOIN ") + item + " ON " + cond;
      } else if (k < 25) {
        s += " CROSS JOIN " + item;
      } else {
        static const char* kJoins[] = {" JOIN ", " INNER JOIN ", " LEFT JOIN ", " RIGHT JOIN ",
                                       " FULL OUTER JOIN ", " LEFT OUTER JOIN "};
        std::string cond;
        TypeId jt = AnyType();
        if (HasType(jt, *scope) && HasType(jt, right) && !r_.OneIn(4))
          cond = ColumnOf(jt, *scope) + " = " + ColumnOf(jt, right);
        else
          cond = Expr(TypeId::kBoolean, 2, both);
        if (r_.OneIn(4)) cond += " AND " + Expr(TypeId::kBoolean, 1, both);
        s += kJoins[r_.Below(std::size(kJoins))] + item + " ON " + cond;
      }
      *scope = both;
      if (Stop(d)) break;
    }
    return s;
  }

  // ---- queries ----
  std::string TopQuery() {
    std::string with;
    if (r_.OneIn(5)) {
      int n = 1 + static_cast<int>(r_.Below(2));
      with = "WITH ";
      for (int i = 0; i < n; ++i) {
        int ncols = 1 + static_cast<int>(r_.Below(3));
        std::vector<TypeId> types;
        for (int c = 0; c < ncols; ++c) types.push_back(AnyType());
        Query q = Select(2, types, false);
        Relation rel{"cte" + std::to_string(i), {}};
        for (size_t c = 0; c < q.types.size(); ++c) rel.columns.push_back({"c" + std::to_string(c), q.types[c]});
        with += (i ? ", " : "") + rel.name + (r_.OneIn(4) ? " AS MATERIALIZED (" : " AS (") + q.sql + ")";
        ctes_.push_back(rel);
      }
      with += " ";
    }
    return with + Select(3, {}, false).sql;
  }

  // A query returning `want` (columns c0.. of those types; any when empty).
  // `single` asks for at most one column when `want` is empty (EXISTS).
  Query Select(int depth, std::vector<TypeId> want, bool single) {
    if (want.empty()) {
      int n = single ? 1 : 1 + static_cast<int>(r_.Below(4));
      for (int i = 0; i < n; ++i) want.push_back(AnyType());
    }
    if (!Stop(depth) && r_.OneIn(7)) {
      static const char* kOps[] = {" UNION ", " UNION ALL ", " INTERSECT ", " EXCEPT ", " INTERSECT ALL ",
                                   " EXCEPT ALL "};
      Query l = SelectCore(depth - 1, want, false);
      Query r = SelectCore(depth - 1, want, false);
      Query q{l.sql + kOps[r_.Below(std::size(kOps))] + r.sql, want};
      if (r_.OneIn(3)) q.sql += " ORDER BY 1" + std::string(r_.OneIn(2) ? " DESC" : "");
      if (r_.OneIn(3)) q.sql += " LIMIT " + std::to_string(r_.Below(20));
      return q;
    }
    return SelectCore(depth, want, true);
  }

  // `tail` allows ORDER BY/LIMIT (not in a set operation's operands).
  Query SelectCore(int depth, const std::vector<TypeId>& want, bool tail_allowed) {
    Scope scope;
    std::string ts_alias;
    std::string from = From(depth, &scope, &ts_alias);
    int d = std::min(std::max(1, depth), 2) + (r_.OneIn(4) ? 1 : 0);
    std::string where;
    if (r_.OneIn(2)) where = " WHERE " + Expr(TypeId::kBoolean, d, scope);
    std::vector<std::string> items;
    std::string tail;
    uint64_t shape = r_.Below(100);
    bool grouped = false;
    if (shape < 25) {
      // GROUP BY keys; the select list is keys and aggregates.
      grouped = true;
      Scope keys;
      std::vector<std::string> key_sql;
      int nk = 1 + static_cast<int>(r_.Below(2));
      for (int i = 0; i < nk; ++i) {
        if (scope.cols.empty()) break;
        TypeId kt = scope.cols[r_.Below(scope.cols.size())].type;
        std::string k = HasType(TypeId::kTimestamp, scope) && r_.OneIn(3)
                            ? "time_bucket(" + Interval() + ", " + ColumnOf(TypeId::kTimestamp, scope) + ")"
                            : (r_.OneIn(5) ? "coalesce(" + ColumnOf(kt, scope) + ", " + Literal(kt) + ")"
                                           : ColumnOf(kt, scope));
        TypeId ktype = k.rfind("time_bucket(", 0) == 0 ? TypeId::kTimestamp : kt;
        key_sql.push_back(k);
        keys.cols.push_back({k, ktype});
      }
      for (TypeId t : want) items.push_back(Expr(t, d, keys, &scope));
      if (key_sql.empty()) key_sql.push_back("ALL");
      std::string group = " GROUP BY ";
      for (size_t i = 0; i < key_sql.size(); ++i) group += (i ? ", " : "") + key_sql[i];
      if (r_.OneIn(8)) group = " GROUP BY ALL";
      tail = group;
      if (r_.OneIn(3)) tail += " HAVING " + Expr(TypeId::kBoolean, d, keys, &scope);
    } else if (shape < 35) {
      // Aggregates only.
      grouped = true;
      Scope none;
      for (TypeId t : want) items.push_back(Expr(t, d, none, &scope));
      if (r_.OneIn(4)) tail = " HAVING " + Aggregate(TypeId::kBoolean, d, scope);
    } else {
      for (TypeId t : want) {
        if (r_.OneIn(6)) {
          TypeId wt;
          std::string w = WindowCall(&wt, d, scope);
          items.push_back(wt == t ? w : "CAST(" + w + " AS " + TypeSql(t) + ")");
        } else {
          items.push_back(Expr(t, d, scope));
        }
      }
    }
    std::string select = "SELECT ";
    if (r_.OneIn(10)) select += "DISTINCT ";
    else if (!grouped && r_.OneIn(20) && !scope.cols.empty())
      select += "DISTINCT ON (" + scope.cols[r_.Below(scope.cols.size())].text + ") ";
    for (size_t i = 0; i < items.size(); ++i)
      select += (i ? ", " : "") + items[i] + " AS c" + std::to_string(i);
    std::string sql = select + " FROM " + from + where + tail;

    // Time-series clauses over a table with ts and tag.
    if (!grouped && !ts_alias.empty() && r_.OneIn(15))
      sql += " LATEST ON " + ts_alias + ".ts PARTITION BY " + ts_alias + ".tag";
    if (!grouped && r_.OneIn(12) && !r_.Exhausted()) {
      std::string q = r_.OneIn(2) ? Expr(TypeId::kBoolean, 1, scope)
                                  : "row_number() OVER (ORDER BY " + Expr(AnyType(), 1, scope) + ") <= 3";
      sql += " QUALIFY " + q;
    }
    if (tail_allowed && r_.OneIn(3)) {
      sql += " ORDER BY ";
      int n = 1 + static_cast<int>(r_.Below(2));
      for (int i = 0; i < n; ++i) {
        sql += (i ? ", " : "") + std::to_string(1 + r_.Below(items.size()));
        if (r_.OneIn(2)) sql += r_.OneIn(2) ? " DESC" : " ASC";
        if (r_.OneIn(4)) sql += r_.OneIn(2) ? " NULLS FIRST" : " NULLS LAST";
      }
    }
    if (tail_allowed && r_.OneIn(4)) {
      static const std::vector<std::string> v = {"0", "1", "5", "100", "9223372036854775807"};
      std::string limit = r_.Pick(v);
      sql += " LIMIT " + limit;
      // LIMIT + OFFSET past 2^63-1 overflows (open finding).
      if (r_.OneIn(3) && (known_findings || limit != v.back())) {
        std::string offset = r_.Pick(v);
        sql += " OFFSET " + (known_findings || offset != v.back() ? offset : std::string("100"));
      }
    }
    if (tail_allowed && !ts_alias.empty() && r_.OneIn(25)) return SampleBy(depth, want);
    return {sql, want};
  }

  // SAMPLE BY and time_bucket_gapfill over t or u (their own shapes).
  Query SampleBy(int depth, const std::vector<TypeId>& want) {
    (void)want;
    std::string table = r_.OneIn(2) ? "t" : "u";
    Scope rows;
    AddColumns(table, Tables()[table == "t" ? 0 : 1].columns, &rows);
    std::string where = r_.OneIn(2) ? " WHERE " + Expr(TypeId::kBoolean, 1, rows) : "";
    if (r_.OneIn(2)) {
      static const std::vector<std::string> fills = {"", " FILL(NULL)", " FILL(PREV)", " FILL(LINEAR)",
                                                     " FILL(0)", " FILL(NONE)"};
      std::string unit = r_.Pick(std::vector<std::string>{"1h", "30m", "1d", "15s", "7d", "1s"});
      return {"SELECT ts, " + std::string(r_.OneIn(2) ? "tag, " : "") + "avg(v) AS c0 FROM " + table + where +
                  " SAMPLE BY " + unit + (table == "t" && !known_findings ? "" : r_.Pick(fills)) + (r_.OneIn(4) ? " ALIGN TO CALENDAR" : ""),
              {TypeId::kTimestamp}};
    }
    std::string agg = r_.Pick(std::vector<std::string>{"avg(v)", "sum(v)", "count(*)", "min(v)"});
    std::string wrapped = r_.OneIn(3) ? agg : std::string(r_.OneIn(2) ? "interpolate(" : "locf(") + agg + ")";
    // A range of centuries fills millions of buckets (open finding).
    std::string lo = known_findings && r_.OneIn(4) ? Literal(TypeId::kTimestamp) : "'2024-01-01 00:00:00'";
    std::string hi = known_findings && r_.OneIn(4) ? Literal(TypeId::kTimestamp)
                                                   : r_.Pick(std::vector<std::string>{"'2024-01-01 05:00:00'",
                                                                                      "'2024-01-02 00:00:00'",
                                                                                      "'2023-12-31 00:00:00'"});
    std::string width = known_findings ? Interval()
                                       : r_.Pick(std::vector<std::string>{"INTERVAL '1 hour'", "INTERVAL '15 minutes'",
                                                                          "INTERVAL '0 seconds'", "INTERVAL '-1 hour'",
                                                                          "INTERVAL '1 day'"});
    return {"SELECT time_bucket_gapfill(" + width + ", ts) AS c0, tag, " + wrapped + " FROM " + table +
                " WHERE ts >= " + lo + " AND ts < " + hi + " GROUP BY c0, tag ORDER BY tag, c0",
            {TypeId::kTimestamp}};
  }

  // ---- statements that change state ----
  std::string Insert() {
    if (r_.OneIn(3)) {
      std::string rows;
      int n = 1 + static_cast<int>(r_.Below(3));
      for (int i = 0; i < n; ++i) {
        rows += i ? ", (" : "(";
        const auto& cols = WideColumns();
        for (size_t c = 0; c < cols.size(); ++c) rows += (c ? ", " : "") + Literal(cols[c].type);
        rows += ")";
      }
      return "INSERT INTO s VALUES " + rows;
    }
    std::vector<TypeId> types;
    for (const Column& c : WideColumns()) types.push_back(c.type);
    Query q = Select(2, types, false);
    // Bounded, so the scratch table stays small.
    return "INSERT INTO s SELECT * FROM (" + q.sql + ") LIMIT " + std::to_string(1 + r_.Below(200));
  }

  std::string Delete() {
    Scope scope;
    AddColumns("s", WideColumns(), &scope);
    return "DELETE FROM s WHERE " + Expr(TypeId::kBoolean, 2, scope);
  }

  std::string Copy() {
    // COPY TO writes Parquet; COPY FROM reads it back (or a CSV, which
    // only exists when a test put one there: an error then).
    std::string file = "{TMP}/f" + std::to_string(r_.Below(3));
    uint64_t k = r_.Below(6);
    if (k == 0) return "COPY s FROM '" + file + ".csv'" + (r_.OneIn(2) ? " (HEADER true)" : "");
    if (k == 1) return "COPY s FROM '" + file + ".parquet'" + (r_.OneIn(2) ? " (FORMAT parquet)" : "");
    if (k == 2) return "COPY s TO '" + file + ".parquet' (FORMAT parquet)";
    if (k == 3) {
      std::vector<TypeId> types;
      for (const Column& c : WideColumns()) types.push_back(c.type);
      Query q = Select(2, types, false);
      return "COPY (" + q.sql + ") TO '" + file + ".parquet' (FORMAT parquet)";
    }
    Query q = Select(2, {}, false);
    return "COPY (" + q.sql + ") TO '" + file + ".parquet' (FORMAT parquet" +
           (r_.OneIn(3) ? ", COMPRESSION " + r_.Pick(std::vector<std::string>{"zstd", "snappy", "none", "lz4", "bogus"})
                        : std::string()) +
           ")";
  }

  // ---- invalid statements ----
  // Splits on spaces and deletes, repeats, swaps or inserts words.
  std::string Mutate(const std::string& sql) {
    std::vector<std::string> w;
    std::istringstream in(sql);
    for (std::string s; in >> s;) w.push_back(s);
    if (w.size() < 2) return sql;
    static const std::vector<std::string> junk = {"(", ")", ",", "SELECT", "FROM", "WHERE", "NULL", "*",
                                                  "OVER", "JOIN", "ON", "GROUP", "BY", "'", "\"", "::",
                                                  "AS", "CASE", "END", "1e999", "-", "ORDER", "LIMIT",
                                                  "UNION", "(SELECT", "ASOF", "INTERVAL", "$1", "?"};
    int n = 1 + static_cast<int>(r_.Below(3));
    for (int i = 0; i < n && w.size() > 1; ++i) {
      size_t p = 1 + r_.Below(w.size() - 1);  // keeps the first word (SELECT/WITH)
      switch (r_.Below(4)) {
        case 0: w.erase(w.begin() + static_cast<long>(p)); break;
        case 1: w.insert(w.begin() + static_cast<long>(p), w[p]); break;
        case 2: std::swap(w[p], w[1 + r_.Below(w.size() - 1)]); break;
        default: w.insert(w.begin() + static_cast<long>(p), r_.Pick(junk)); break;
      }
    }
    std::string out;
    for (size_t i = 0; i < w.size(); ++i) out += (i ? " " : "") + w[i];
    return out;
  }

  Random& r_;
  std::vector<Relation> ctes_;
  int alias_counter_ = 0;
};

// ---------------------------------------------------------------------------
// Runner: one statement at a time on a small-stack thread, with a watchdog.

inline int64_t CurrentRssBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0, resident = 0;
  int n = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<int64_t>(resident) * ::sysconf(_SC_PAGESIZE) : 0;
}

inline std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

inline double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

enum class Outcome { kOk, kError, kHang, kMemory };

inline const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kError: return "error";
    case Outcome::kHang: return "hang";
    case Outcome::kMemory: return "memory-limit overrun";
  }
  return "?";
}

struct RunnerOptions {
  double timeout_s = 10;
  // A hang that ignores the interrupt this long after it aborts the process.
  double abort_after_s = 30;
  size_t stack_bytes = 1 << 20;
  int64_t memory_limit_mb = 64;
  // RSS growth during one statement above which it is an overrun.
  int64_t rss_growth_limit_bytes = 0;  // 0: 4 * limit + 256 MiB
  bool abort_on_memory = false;        // abort at 4x the growth limit
  std::string tmp_dir = "/tmp";
};

class Runner {
 public:
  Runner(tslake::Connection* con, RunnerOptions options) : con_(con), o_(std::move(options)) {
    if (o_.rss_growth_limit_bytes == 0)
      o_.rss_growth_limit_bytes = (4 * o_.memory_limit_mb + 256) << 20;
  }

  // Runs `sql` ("{TMP}" replaced); `error` receives the engine's message.
  Outcome Run(const std::string& sql, std::string* error = nullptr, int64_t* peak_growth = nullptr) {
    Job job;
    job.con = con_;
    job.sql = ReplaceAll(sql, "{TMP}", o_.tmp_dir);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, o_.stack_bytes);
    pthread_t thread;
    const int64_t rss0 = CurrentRssBytes();
    int64_t peak = 0;
    if (pthread_create(&thread, &attr, &Job::Main, &job) != 0) {
      pthread_attr_destroy(&attr);
      std::fprintf(stderr, "sql_smith: pthread_create failed\n");
      std::abort();
    }
    pthread_attr_destroy(&attr);
    const auto start = std::chrono::steady_clock::now();
    const double cpu0 = ProcessCpuSeconds();
    bool interrupted = false, overrun = false;
    {
      std::unique_lock<std::mutex> lock(job.mu);
      while (!job.done) {
        job.cv.wait_for(lock, std::chrono::milliseconds(20));
        if (job.done) break;
        // CPU seconds of the process (the statement and any query threads
        // it started) decide, so a loaded, shared machine does not turn a
        // slow statement into a hang; wall time only past 6x the timeout.
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double elapsed = std::max(ProcessCpuSeconds() - cpu0, wall / 6);
        int64_t growth = CurrentRssBytes() - rss0;
        peak = std::max(peak, growth);
        if (growth > o_.rss_growth_limit_bytes && !overrun) {
          overrun = true;
          std::fprintf(stderr, "sql_smith: RSS grew by %lld MiB (limit %lld MB) running: %s\n",
                       static_cast<long long>(growth >> 20), static_cast<long long>(o_.memory_limit_mb),
                       job.sql.c_str());
          con_->Interrupt();
        }
        if (o_.abort_on_memory && growth > 4 * o_.rss_growth_limit_bytes) {
          std::fprintf(stderr, "sql_smith: RSS grew by %lld MiB; aborting\n", static_cast<long long>(growth >> 20));
          std::abort();
        }
        if (elapsed > o_.timeout_s && !interrupted) {
          interrupted = true;
          std::fprintf(stderr, "sql_smith: statement ran %.1f s, interrupting: %s\n", elapsed, job.sql.c_str());
          con_->Interrupt();
        }
        if (elapsed > o_.timeout_s + o_.abort_after_s) {
          std::fprintf(stderr, "sql_smith: statement ignored the interrupt for %.0f s; aborting: %s\n",
                       o_.abort_after_s, job.sql.c_str());
          std::abort();
        }
      }
    }
    pthread_join(thread, nullptr);
    if (peak_growth != nullptr) *peak_growth = peak;
    if (error != nullptr) *error = job.error;
    if (overrun) return Outcome::kMemory;
    if (interrupted) return Outcome::kHang;
    return job.ok ? Outcome::kOk : Outcome::kError;
  }

 private:
  struct Job {
    tslake::Connection* con = nullptr;
    std::string sql;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool ok = false;
    std::string error;

    static void* Main(void* arg) {
      Job* job = static_cast<Job*>(arg);
      bool ok;
      std::string error;
      {
        tslake::Result r = job->con->Query(job->sql);
        ok = r.ok();
        if (!ok) error = r.error_message();
        // Reads every cell, as a client would (the result's own code paths).
        for (int64_t row = 0; ok && row < std::min<int64_t>(r.row_count(), 50); ++row)
          for (int c = 0; c < r.column_count(); ++c) (void)r.GetString(c, row);
      }
      std::lock_guard<std::mutex> lock(job->mu);
      job->ok = ok;
      job->error = std::move(error);
      job->done = true;
      job->cv.notify_all();
      return nullptr;
    }
  };

  tslake::Connection* con_;
  RunnerOptions o_;
};

// The statements of a reproducer file: one a line, "--" lines skipped.
inline std::vector<std::string> ReadScript(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("--", 0) == 0) continue;
    out.push_back(line);
  }
  return out;
}

}  // namespace tsl::fuzz::smith
