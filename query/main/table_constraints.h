// Table constraints (issue 17): PRIMARY KEY, UNIQUE, NOT NULL, CHECK and
// DEFAULT, declared by CREATE TABLE, stored as table properties in the
// log's metaData.configuration (formats/log.md, "Constraints"):
//   constraint.primary_key        = "tag,ts"    key columns, in order
//   constraint.unique.<n>         = "a,b"       each UNIQUE, n = 1, 2, ...
//   constraint.not_null           = "a,b"       NOT NULL columns (a primary
//                                               key's columns are listed too)
//   constraint.check.<n>          = "k < 10"    each CHECK, as SQL text
//   constraint.default.<column>   = "5"         DEFAULT, as SQL text
// Only CREATE TABLE sets them (WITH (...) and ALTER TABLE SET refuse the
// keys), so they always held for every row of every version.
//
// ConstraintChecker enforces them on the rows a statement adds (INSERT,
// COPY, UPDATE's new rows, the Appender), throwing QueryError(kConstraint)
// with DuckDB's messages. Uniqueness is checked two ways:
//  - within the statement: a hash set of the keys added so far (memory
//    grows with the statement's rows, not the table's);
//  - against the table: for each 2,048-row chunk, one scan of the key
//    columns only, over only the files whose zone maps (and, for a VARCHAR
//    key column such as tag, the catalog's tag index through
//    ScanRange::one_of) can hold one of the chunk's keys, narrowed to the
//    matching row ranges before decoding (drop_rows_outside_ranges). So
//    appending new points of (tag, ts) after the table's newest ts reads
//    no file at all (the ts range misses every file's max); a late
//    correction reads the key columns of the files covering its time range
//    and tag.
// Limitation: the check runs against the snapshot the statement read. Two
// writers appending the same new key at the same time both pass, as Delta
// appends never conflict; one connection's statements are serialized.
// Thread-safety: one statement at a time.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/binder.h"
#include "query/parser/statement.h"
#include "storage/snapshot.h"
#include "storage/table.h"

namespace tsl::query {

struct TableConstraintSet {
  std::vector<int> primary_key;           // schema indexes; empty: none
  std::vector<std::vector<int>> unique;   // each UNIQUE constraint
  std::vector<int> not_null;              // incl. the primary key's columns
  std::vector<std::string> checks;        // SQL text
  std::map<int, std::string> defaults;    // column -> SQL text

  bool empty() const {
    return primary_key.empty() && unique.empty() && not_null.empty() && checks.empty() &&
           defaults.empty();
  }
  // Anything INSERT/UPDATE must check (DEFAULT only fills values).
  bool HasChecks() const {
    return !primary_key.empty() || !unique.empty() || !not_null.empty() || !checks.empty();
  }
  // The set in `configuration`. A column a key names that the schema lacks
  // is a Catalog Error (a constrained column cannot be renamed).
  static TableConstraintSet FromProperties(const std::map<std::string, std::string>& configuration,
                                           const Schema& schema);
  // Columns any constraint names (for ALTER TABLE RENAME COLUMN).
  std::set<int> ConstrainedColumns() const;
};

// A stored DEFAULT's SQL text as DuckDB's DESCRIBE prints it (the parsed
// expression printed back: `1+2` -> `(1 + 2)`); the text as stored when it
// no longer parses.
std::string DefaultAsSql(const std::string& stored);

// True for the property keys above (refused in WITH (...) / ALTER SET).
bool IsConstraintProperty(const std::string& key);

// CREATE TABLE's constraints as properties added to `properties`; checks
// the columns exist, a single PRIMARY KEY, and that CHECK and DEFAULT bind
// over the table's columns (DEFAULT: without any).
void AddConstraintProperties(const std::string& table,
                             const std::vector<ConstraintDefinition>& constraints,
                             const Schema& schema, Binder* binder,
                             std::map<std::string, std::string>* properties);

// The DEFAULT of each column of `snapshot`'s table, evaluated once per
// statement (NULL where none is declared).
std::vector<Value> EvaluateDefaults(const TableConstraintSet& set, const Schema& schema,
                                    Binder* binder);

class ConstraintChecker {
 public:
  // `snapshot` is what the statement read (the session's view inside
  // BEGIN ... COMMIT). `binder` binds the CHECK expressions and must
  // outlive the checker.
  ConstraintChecker(std::shared_ptr<Table> table, std::shared_ptr<const Snapshot> snapshot,
                    TableConstraintSet set, Binder* binder);
  ~ConstraintChecker();

  // UPDATE: files the statement removes; their surviving rows come back
  // through Check, so the table-side lookups skip them.
  void ExcludeFile(const std::string& path) { excluded_.insert(path); }
  // Checks rows about to be added (full rows, the schema's types); throws
  // QueryError(kConstraint) at the first violation.
  void Check(const DataChunk& rows);
  // UPDATE / upsert: stored rows a rewritten file keeps. They already hold
  // every constraint; their keys join the statement's, so a new row with
  // one is reported as a duplicate of a stored key, as DuckDB does.
  void AddKept(const DataChunk& rows);
  // Checks the statement's added keys against the table (done by Check as
  // it goes unless deferred: UPDATE defers until every removed file is
  // known).
  void set_defer_table_lookups(bool defer) { defer_ = defer; }
  void FinishDeferred();

 private:
  void CheckNotNull(const DataChunk& rows) const;
  void CheckExpressions(const DataChunk& rows) const;
  void CheckUnique(const DataChunk& rows);
  // Scans the table's rows whose key may be one of `rows`' keys of
  // constraint `k` and throws when one is.
  void LookupTable(size_t k, const DataChunk& rows);

  std::shared_ptr<Table> table_;
  std::shared_ptr<const Snapshot> snapshot_;
  TableConstraintSet set_;
  std::vector<std::vector<int>> keys_;  // primary key first, then the UNIQUEs
  std::vector<BoundExpressionPtr> checks_;
  // Per key: the keys this statement writes -> whether a kept stored row's.
  std::vector<std::unordered_map<std::string, bool>> seen_;
  void ThrowDuplicate(size_t k, const DataChunk& rows, size_t row, bool stored) const;
  std::set<std::string> excluded_;
  bool defer_ = false;
  std::vector<DataChunk> deferred_;
};

// The key of `row` over `cols` as bytes (REQUIRES: no column NULL); equal
// keys give equal bytes.
std::string EncodeKey(const DataChunk& rows, const std::vector<int>& cols, size_t row);

}  // namespace tsl::query
