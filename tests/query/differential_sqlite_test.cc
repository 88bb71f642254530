// The differential test of issue 5: >= 200 generated queries (filters,
// expressions, aggregates, GROUP BY time buckets, windows with ROWS and
// RANGE frames, ranking, joins, DISTINCT ON, subqueries, set operations,
// ORDER BY/LIMIT) over deterministic random data with NULLs run in tslake
// and in SQLite (the system library), and the results must agree: as
// multisets, or in order for queries whose ORDER BY is total; NULL equals
// NULL; numbers compare with a relative tolerance of 1e-9 (absolute below
// 1e-9); timestamps compare as epoch seconds. The generator is in
// differential_generator.h. Runs in well under a second.
// Thread-safety: a single-threaded test.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "query/main/query_engine.h"
#include "storage/database.h"
#include "differential_generator.h"

namespace tsl::query::difftest {
namespace {

// One normalized value: NULL, a number (also timestamps and booleans) or text.
struct Cell {
  enum Kind { kNull, kNumber, kText } kind = kNull;
  double number = 0;
  std::string text;
};
using Row = std::vector<Cell>;

std::string CellString(const Cell& c) {
  if (c.kind == Cell::kNull) return "NULL";
  if (c.kind == Cell::kText) return "'" + c.text + "'";
  std::ostringstream os;
  os.precision(15);
  os << c.number;
  return os.str();
}

std::string RowString(const Row& r) {
  std::string out;
  for (size_t i = 0; i < r.size(); ++i) out += (i ? " | " : "") + CellString(r[i]);
  return out;
}

bool NumbersEqual(double a, double b) {
  if (a == b) return true;
  const double diff = std::fabs(a - b);
  return diff <= 1e-9 || diff <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

bool CellsEqual(const Cell& a, const Cell& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Cell::kNumber) return NumbersEqual(a.number, b.number);
  return a.text == b.text;
}

// Orders rows for multiset comparison (numbers rounded so that values
// within the tolerance sort alike).
bool RowLess(const Row& a, const Row& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    const Cell &x = a[i], &y = b[i];
    if (x.kind != y.kind) return x.kind < y.kind;
    if (x.kind == Cell::kNumber) {
      if (NumbersEqual(x.number, y.number)) continue;
      return x.number < y.number;
    }
    if (x.text != y.text) return x.text < y.text;
  }
  return a.size() < b.size();
}

Cell FromValue(const Value& v) {
  Cell c;
  if (v.is_null()) return c;
  switch (v.type()) {
    case TypeId::kVarchar:
      c.kind = Cell::kText;
      c.text = v.string_value();
      break;
    case TypeId::kTimestamp:
      c.kind = Cell::kNumber;
      c.number = static_cast<double>(v.int_value()) / 1e6;
      break;
    default:
      c.kind = Cell::kNumber;
      c.number = v.AsDouble();
      break;
  }
  return c;
}

class DifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    engine_ = std::make_unique<QueryEngine>(db_.get(), &functions_);
    ASSERT_EQ(sqlite3_open(":memory:", &sqlite_), SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(sqlite_); }

  bool RunTslake(const std::string& sql, std::vector<Row>* rows, std::string* error) {
    Result<QueryResult> r = engine_->Execute(sql);
    if (!r.ok()) {
      *error = r.status().ToString();
      return false;
    }
    for (int64_t i = 0; i < r->row_count(); ++i) {
      Row row;
      for (size_t c = 0; c < r->schema.size(); ++c) row.push_back(FromValue(r->GetValue(c, i)));
      rows->push_back(std::move(row));
    }
    return true;
  }

  bool RunSqlite(const std::string& sql, std::vector<Row>* rows, std::string* error) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(sqlite_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      *error = sqlite3_errmsg(sqlite_);
      return false;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        Cell cell;
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            break;
          case SQLITE_INTEGER:
          case SQLITE_FLOAT:
            cell.kind = Cell::kNumber;
            cell.number = sqlite3_column_double(stmt, c);
            break;
          default:
            cell.kind = Cell::kText;
            cell.text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            break;
        }
        row.push_back(std::move(cell));
      }
      rows->push_back(std::move(row));
    }
    const bool ok = rc == SQLITE_DONE;
    if (!ok) *error = sqlite3_errmsg(sqlite_);
    sqlite3_finalize(stmt);
    return ok;
  }

  // "" when equal, else a description of the first difference.
  static std::string Compare(std::vector<Row> a, std::vector<Row> b, bool ordered) {
    if (!ordered) {
      std::sort(a.begin(), a.end(), RowLess);
      std::sort(b.begin(), b.end(), RowLess);
    }
    if (a.size() != b.size()) {
      return "row count: tslake " + std::to_string(a.size()) + ", sqlite " + std::to_string(b.size());
    }
    for (size_t i = 0; i < a.size(); ++i) {
      bool same = a[i].size() == b[i].size();
      for (size_t c = 0; same && c < a[i].size(); ++c) same = CellsEqual(a[i][c], b[i][c]);
      if (!same) {
        return "row " + std::to_string(i) + ": tslake [" + RowString(a[i]) + "], sqlite [" +
               RowString(b[i]) + "]";
      }
    }
    return "";
  }

  TableFunctionRegistry functions_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<QueryEngine> engine_;
  sqlite3* sqlite_ = nullptr;
};

TEST_F(DifferentialTest, GeneratedQueriesAgreeWithSqlite) {
  Rng rng(20240601);
  Dataset data = MakeDataset(rng, 400);
  for (const std::string& sql : data.tslake_setup) {
    Status st = engine_->ExecuteScript(sql, nullptr);
    ASSERT_TRUE(st.ok()) << sql << "\n" << st.ToString();
  }
  for (const std::string& sql : data.sqlite_setup) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(sqlite_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << sql << "\n" << (err ? err : "");
  }
  std::vector<DiffQuery> queries = GenerateQueries(rng, data);
  ASSERT_GE(queries.size(), 200u);
  std::map<std::string, int> per_family, failures;
  size_t compared_rows = 0;
  for (const DiffQuery& q : queries) {
    ++per_family[q.family];
    std::vector<Row> ours, theirs;
    std::string our_error, their_error;
    const bool ok_ours = RunTslake(q.tslake, &ours, &our_error);
    const bool ok_theirs = RunSqlite(q.sqlite, &theirs, &their_error);
    ASSERT_TRUE(ok_theirs) << "SQLite rejected the generated query (a generator bug):\n"
                           << q.sqlite << "\n" << their_error;
    if (!ok_ours) {
      ++failures[q.family];
      ADD_FAILURE() << "[" << q.family << "] tslake failed:\n" << q.tslake << "\n" << our_error;
      continue;
    }
    std::string diff = Compare(ours, theirs, q.ordered);
    if (!diff.empty()) {
      ++failures[q.family];
      ADD_FAILURE() << "[" << q.family << "] results differ (" << diff << "):\ntslake: " << q.tslake
                    << "\nsqlite: " << q.sqlite;
    }
    compared_rows += ours.size();
  }
  std::string summary;
  for (const auto& [family, n] : per_family) {
    summary += family + "=" + std::to_string(n) +
               (failures.count(family) ? " (" + std::to_string(failures[family]) + " failed)" : "") +
               " ";
  }
  std::printf("differential: %zu queries, %zu result rows compared: %s\n", queries.size(),
              compared_rows, summary.c_str());
}

}  // namespace
}  // namespace tsl::query::difftest
