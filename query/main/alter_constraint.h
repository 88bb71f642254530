// ALTER TABLE t ALTER [COLUMN] c SET NOT NULL | DROP NOT NULL | SET DEFAULT e
// | DROP DEFAULT (issue 17), with DuckDB's semantics and errors. Each is one
// table version that changes only the constraint properties of the log's
// metaData (table_constraints.h's keys), operation "CHANGE COLUMN" (Delta's
// name for a column's nullability or default changing) with the column and
// the change as parameters; VERSION AS OF an older version keeps the old
// constraints. A change that changes nothing (SET NOT NULL on a NOT NULL
// column, DROP DEFAULT without one) commits no version, as DuckDB accepts
// it silently.
//   SET NOT NULL   reads the column in the snapshot the transaction commits
//                  on; a NULL fails with `NOT NULL constraint failed: t.c`.
//                  A concurrent commit conflicts (a metaData change conflicts
//                  with every winner), so no NULL can slip in between.
//   DROP NOT NULL  a primary key's column stays NOT NULL (DuckDB accepts the
//                  statement and the key still refuses NULLs).
//   SET DEFAULT    the expression is bound as CREATE TABLE's DEFAULT (no
//                  column, subquery or aggregate); it is cast to the
//                  column's type when a statement uses it, so a default that
//                  does not convert fails then, as in DuckDB.
// Thread-safety: one statement at a time.
#pragma once

#include <memory>

#include "query/binder/binder.h"
#include "query/main/query_engine.h"
#include "query/parser/statement.h"
#include "storage/table.h"

namespace tsl::query {

// REQUIRES: stmt.alter is kSetNotNull, kDropNotNull, kSetDefault or
// kDropDefault; `binder` binds the DEFAULT expression.
QueryResult ExecuteAlterConstraint(const Statement& stmt, const std::shared_ptr<Table>& table,
                                   Binder* binder);

// ALTER TABLE t ADD [CONSTRAINT name] PRIMARY KEY (cols) (stmt.constraints[0]):
// one version ("ADD CONSTRAINT") once the stored rows are checked in the
// snapshot it commits on: a NULL key column fails with DuckDB's `NOT NULL
// constraint failed: PRIMARY_t_a_b`, a repeated key with `Data contains
// duplicates on indexed column(s)` (the check holds every key in memory, as
// DuckDB builds its index); a table with a primary key refuses a second.
// ADD UNIQUE / CHECK are DuckDB's Not implemented Error.
QueryResult ExecuteAddConstraint(const Statement& stmt, const std::shared_ptr<Table>& table,
                                 Binder* binder);

}  // namespace tsl::query
