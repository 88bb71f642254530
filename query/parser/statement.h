// Statement ASTs produced by the Parser: SELECT (SelectNode), CREATE TABLE,
// DROP TABLE, INSERT, COPY, DESCRIBE, SHOW TABLES, DESCRIBE HISTORY and
// EXPLAIN. Each records the byte offset of its first token so errors can
// point into the script. Thread-safety: immutable after parsing.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/types.h"
#include "query/parser/parsed_expression.h"

namespace tsl::query {

struct SelectNode;

// kPositional: POSITIONAL JOIN, row i of the left beside row i of the right
// (the shorter side padded with NULLs).
enum class JoinType { kInner, kLeft, kRight, kFull, kCross, kAsof, kAsofLeft, kPositional };

// SEMI / ANTI JOIN: a kJoin whose result is the left rows that have (do
// not have) a right row passing the condition, each once, left columns only.
enum class SemiJoin { kNone, kSemi, kAnti };

// UNION / INTERSECT / EXCEPT, each as a set (distinct) or a bag (ALL).
enum class SetOpKind { kUnion, kUnionAll, kIntersect, kIntersectAll, kExcept, kExceptAll };

// PIVOT / UNPIVOT (pivot_parser.cc), rewritten by binder/pivot_binder.cc
// into a grouped SELECT with FILTERed aggregates (PIVOT) or a cross join
// with the column indexes (UNPIVOT).
struct PivotSpec {
  bool unpivot = false;
  // PIVOT: each ON expression with its IN values (none written: the
  // distinct non-NULL values, read first) and their names (empty: the
  // value as text).
  struct OnColumn {
    ParsedExpressionPtr expr;
    std::vector<ParsedExpressionPtr> in;
    std::vector<std::string> in_names;
  };
  std::vector<OnColumn> on;
  std::vector<ParsedExpressionPtr> aggregates;  // USING; alias in ->alias; none: count(*)
  std::vector<ParsedExpressionPtr> group_by;    // none: every column not used above
  // UNPIVOT: the columns turned into rows (their names, and the names of
  // the rows' name and value columns), and whether NULL values are kept.
  std::vector<std::string> columns;
  std::vector<std::string> column_names;  // IN (c AS n): the name a row gets
  std::string name_column = "name", value_column = "value";
  bool include_nulls = false;
  int position = 0;
};

struct TableRef {
  // kSetOp: `setop_inputs[0] <op> setop_inputs[1] <op> ...`, left to
  // right (more than two inputs only for a run of UNION ALL or of UNION);
  // the parser wraps a set operation as SELECT * FROM (the set op) so
  // ORDER BY / LIMIT bind to its result.
  // kValues: VALUES (...), (...) rows (values_parser.cc), columns col0..
  // kPivot: PIVOT/UNPIVOT (`pivot`) of `subquery` (SELECT * FROM the source).
  enum class Kind { kNone, kBaseTable, kTableFunction, kSubquery, kJoin, kSetOp, kValues, kPivot };
  Kind kind = Kind::kNone;
  int position = 0;
  std::string name;  // table or function name
  std::string alias;
  std::vector<std::string> column_aliases;  // AS r(a, b)
  // Time travel on a base table.
  std::optional<int64_t> version_as_of;
  ParsedExpressionPtr timestamp_as_of;
  // Table function arguments: positional, then `name => value`.
  std::vector<ParsedExpressionPtr> args;
  std::vector<std::pair<std::string, ParsedExpressionPtr>> named_args;
  // Shared: a LATERAL subquery is re-bound per outer row after the
  // statement's parse tree may be gone (binder/lateral_join_binder.cc).
  std::shared_ptr<SelectNode> subquery;
  // LATERAL written before a subquery or table function (DuckDB also
  // joins laterally, without the word, one that names an earlier FROM item).
  bool lateral = false;
  std::shared_ptr<const PivotSpec> pivot;
  // kJoin: left JOIN right ON on (no `on` for CROSS JOIN / a comma), or
  // USING (using_columns), or NATURAL (the columns both sides have).
  JoinType join_type = JoinType::kInner;
  SemiJoin semi = SemiJoin::kNone;
  std::unique_ptr<TableRef> left, right;
  ParsedExpressionPtr on;
  std::vector<std::string> using_columns;
  bool natural = false;
  SetOpKind setop = SetOpKind::kUnion;
  std::vector<std::unique_ptr<SelectNode>> setop_inputs;
  // kValues: the rows, all of one length.
  std::vector<std::vector<ParsedExpressionPtr>> values;
};

struct OrderByItem {
  ParsedExpressionPtr expr;
  bool descending = false;
  bool direction_given = false;     // ASC/DESC written; else default_order
  std::optional<bool> nulls_first;  // unset: default_null_order
};

struct CommonTableExpression {
  std::string name;
  int position = 0;
  std::vector<std::string> column_aliases;  // WITH name(a, b) AS (...)
  std::shared_ptr<const SelectNode> query;
  // WITH RECURSIVE: `query` may be `anchor UNION [ALL] step` with the step
  // reading the CTE (binder/recursive_cte_binder.cc); USING KEY (cols).
  bool recursive = false;
  std::vector<std::string> using_key;
};

struct SelectNode {
  int position = 0;
  std::vector<CommonTableExpression> ctes;  // WITH name AS (...), ...
  bool distinct = false;
  std::vector<ParsedExpressionPtr> distinct_on;  // DISTINCT ON (...)
  std::vector<ParsedExpressionPtr> select_list;
  TableRef from;
  ParsedExpressionPtr where;
  std::vector<ParsedExpressionPtr> group_by;
  bool group_by_all = false;
  // GROUPING SETS / ROLLUP / CUBE / (): each set lists indexes into
  // group_by; empty for a plain GROUP BY (one set of every group).
  std::vector<std::vector<int>> grouping_sets;
  ParsedExpressionPtr having;
  // WINDOW name AS (...), ...: resolved into the OVER clauses at parse time.
  std::vector<std::pair<std::string, std::shared_ptr<const WindowSpec>>> named_windows;
  ParsedExpressionPtr qualify;
  // QuestDB: SAMPLE BY <interval> [FILL(...)] [ALIGN TO CALENDAR].
  ParsedExpressionPtr sample_by;
  std::string sample_fill;         // "", "none", "null", "prev", "linear" or "value"
  ParsedExpressionPtr sample_fill_value;  // FILL(<constant>)
  // QuestDB: LATEST ON ts PARTITION BY tag, ...
  ParsedExpressionPtr latest_on;
  std::vector<ParsedExpressionPtr> latest_partition;
  std::vector<OrderByItem> order_by;
  bool order_by_all = false;  // ORDER BY ALL: order_by holds one item with the direction
  ParsedExpressionPtr limit;
  bool limit_percent = false;  // LIMIT p% / LIMIT p PERCENT
  ParsedExpressionPtr offset;
};

struct ColumnDefinition {
  std::string name;
  TypeId type = TypeId::kNull;
  int position = 0;
};

// A constraint of CREATE TABLE (query/parser/constraint_parser.cc), from a
// column's clause or the table's list; stored as table properties by
// query/main/table_constraints.h.
struct ConstraintDefinition {
  enum class Kind { kPrimaryKey, kUnique, kNotNull, kCheck, kDefault };
  Kind kind = Kind::kNotNull;
  std::vector<std::string> columns;  // key / NOT NULL / DEFAULT column(s)
  std::string expression;            // CHECK / DEFAULT: the expression's SQL
  int position = 0;
};

// INSERT's conflict handling (query/main/upsert.h): none, ON CONFLICT DO
// NOTHING / INSERT OR IGNORE, DO UPDATE SET, INSERT OR REPLACE.
enum class OnConflictAction { kNone, kNothing, kUpdate, kReplace };

// One WHEN clause of MERGE INTO (merge_parser.cc, run by
// main/merge_executor.cc), DuckDB 1.4+'s grammar.
struct MergeAction {
  // WHEN MATCHED / WHEN NOT MATCHED [BY TARGET] / WHEN NOT MATCHED BY SOURCE
  enum class When { kMatched, kNotMatchedByTarget, kNotMatchedBySource };
  enum class Kind { kUpdate, kDelete, kInsert, kDoNothing, kError };
  When when = When::kMatched;
  Kind kind = Kind::kDoNothing;
  int position = 0;
  ParsedExpressionPtr condition;  // AND condition; null: always
  // UPDATE SET c = e, ... (a null value: DEFAULT); no SET, or SET *: every
  // column from the source by position; BY NAME: by name.
  // INSERT [(columns)] VALUES (...) (a null value: DEFAULT); INSERT [*]:
  // every source column by position; BY NAME: by name; DEFAULT VALUES.
  std::vector<std::pair<std::string, int>> columns;  // name, position
  std::vector<ParsedExpressionPtr> values;
  bool star = false;
  bool by_name = false;
  bool default_values = false;
  ParsedExpressionPtr error_message;  // ERROR [message]
};

enum class StatementType {
  kSelect,
  kCreateTable,
  kDropTable,
  kInsert,
  kCopy,
  kDescribe,
  kShowTables,
  kDescribeHistory,
  kExplain,
  // Issue 3's changes and maintenance (parsed in maintenance_parser.cc,
  // run in maintenance_executor.cc).
  kDelete,
  kOptimize,
  kVacuum,
  kRestore,
  kAlterTable,
  kCreateView,  // CREATE [OR REPLACE] VIEW v AS SELECT ...; select + view_sql
  kDropView,    // DROP VIEW [IF EXISTS] v
  kSet,         // SET name = value / RESET name / PRAGMA name = value
  kUpdate,      // UPDATE (dml_parser.cc, update_executor.cc)
  // BEGIN [TRANSACTION] / COMMIT / ROLLBACK (ABORT): run by QueryEngine,
  // which keeps the connection's SessionTransaction.
  kBegin,
  kCommit,
  kRollback,
  // PREPARE name AS stmt / EXECUTE name(args) / DEALLOCATE name
  // (prepared_parser.cc; run by the engine, query_engine.cc).
  kPrepare,
  kExecute,
  kDeallocate,
  // REFRESH MATERIALIZED VIEW v (materialized_view_parser.cc, run in
  // main/materialized_view.cc).
  kRefreshMaterializedView,
  // MERGE INTO t USING source ON ... WHEN ... (merge_parser.cc,
  // merge_executor.cc): the target in table / table_alias, the source in
  // update_from, ON in where (or USING (columns) in merge_using).
  kMerge,
};

// kDropColumn: DROP COLUMN (column mapping, no rewrite); kAlterColumnType:
// ALTER COLUMN c TYPE t [USING e] (every file rewritten), both in
// query/main/alter_column.cc. kSetNotNull / kDropNotNull / kSetDefault /
// kDropDefault: ALTER [COLUMN] c SET/DROP NOT NULL, SET DEFAULT e (its SQL in
// constraints[0], a kDefault) / DROP DEFAULT: one metaData version changing
// the constraint properties (query/main/alter_constraint.cc).
enum class AlterKind {
  kAddColumn,
  kRenameColumn,
  kRenameTable,
  kSetProperties,
  kDropColumn,
  kAlterColumnType,
  kSetNotNull,
  kDropNotNull,
  kSetDefault,
  kDropDefault,
};

struct Statement {
  StatementType type = StatementType::kSelect;
  int position = 0;      // offset of the first token in the script
  int end_position = 0;  // offset just past the statement

  // SELECT / EXPLAIN / CREATE TABLE AS / INSERT ... SELECT
  std::unique_ptr<SelectNode> select;

  // Target table (CREATE, DROP, INSERT, COPY, DESCRIBE, DESCRIBE HISTORY).
  std::string table;
  int table_position = 0;
  bool if_not_exists = false;                     // CREATE
  bool temporary = false;                         // CREATE TEMP[ORARY] TABLE
  bool if_exists = false;                         // DROP
  std::vector<ColumnDefinition> columns;          // CREATE
  std::map<std::string, std::string> properties;  // CREATE ... WITH (...)
  std::vector<ConstraintDefinition> constraints;  // CREATE TABLE's constraints

  // INSERT
  std::vector<std::string> insert_columns;
  std::vector<int> insert_column_positions;
  std::vector<std::vector<ParsedExpressionPtr>> values;
  bool insert_by_name = false;         // INSERT INTO t BY NAME SELECT ...
  bool insert_default_values = false;  // INSERT INTO t DEFAULT VALUES
  // ON CONFLICT [(conflict_columns)] DO ...; DO UPDATE's assignments and
  // WHERE are in set_columns / set_values / where, as UPDATE's.
  OnConflictAction on_conflict = OnConflictAction::kNone;
  std::vector<std::string> conflict_columns;
  int conflict_position = 0;

  // COPY
  std::string copy_path;
  bool copy_to = false;  // COPY ... TO; `select` set for COPY (SELECT ...) TO
  std::vector<std::pair<std::string, ParsedExpressionPtr>> copy_options;

  bool explain_analyze = false;          // EXPLAIN ANALYZE

  // DELETE FROM t [WHERE]; OPTIMIZE t [WHERE partition predicate].
  ParsedExpressionPtr where;
  // VACUUM t [RETAIN n HOURS] [DRY RUN] [FORCE]
  std::optional<double> retain_hours;
  bool dry_run = false;
  bool force = false;
  // RESTORE TABLE t TO VERSION AS OF n | TO TIMESTAMP AS OF expr
  std::optional<int64_t> restore_version;
  ParsedExpressionPtr restore_timestamp;
  // ALTER TABLE t ADD COLUMN c TYPE | RENAME COLUMN a TO b | SET (k = v)
  // | RESET (k)
  AlterKind alter = AlterKind::kAddColumn;
  ColumnDefinition alter_column;  // ADD: the new column; RENAME: the old name
  ParsedExpressionPtr alter_using;  // ALTER COLUMN ... TYPE ... USING expr
  std::string rename_to;
  std::map<std::string, std::optional<std::string>> property_changes;

  // CREATE VIEW: the defining query's text (stored, re-parsed on use).
  std::string view_sql;
  // CREATE OR REPLACE VIEW / TABLE (a table is replaced in one new version,
  // query/main/replace_table.cc).
  bool or_replace = false;
  // CREATE / DROP MATERIALIZED VIEW (kCreateView / kDropView with this
  // set); DROP TABLE ... CASCADE also drops the table's materialized views.
  bool materialized = false;
  bool cascade = false;
  // Prepared statements: the number of `?` / `$n` parameters; with $name
  // parameters, the name of each.
  int parameter_count = 0;
  std::vector<std::string> parameter_names;
  // PREPARE (name in `table`): the statement and the text its positions
  // point into. EXECUTE: the values, each with its name for `name := v`.
  std::shared_ptr<const Statement> prepared;
  std::string prepared_sql;
  std::vector<std::pair<std::string, ParsedExpressionPtr>> execute_args;

  // SET / PRAGMA: the setting and its value as written; RESET: no value.
  std::string setting;
  std::optional<std::string> setting_value;
  // SET [GLOBAL | SESSION | LOCAL] name: 'g', 's', 'l', or 0 when not
  // written (DuckDB then sets the database-wide value, as GLOBAL does).
  char setting_scope = 0;

  // UPDATE t [AS table_alias] SET set_columns[i] = set_values[i] (null:
  // DEFAULT) [FROM: update_from, `SELECT * FROM source`] [WHERE where]
  // [RETURNING returning]. DELETE FROM t [AS table_alias] [USING: update_from]
  // [WHERE where] [RETURNING returning].
  std::string table_alias;
  std::vector<std::pair<std::string, int>> set_columns;  // name, position
  std::vector<ParsedExpressionPtr> set_values;
  std::unique_ptr<SelectNode> update_from;
  std::vector<ParsedExpressionPtr> returning;

  // MERGE INTO
  std::vector<std::string> merge_using;
  std::vector<MergeAction> merge_actions;

  bool show_all = false;                 // SHOW ALL TABLES
  bool summarize = false;                // kDescribe written SUMMARIZE t / SUMMARIZE SELECT ...
  std::optional<int64_t> history_limit;  // DESCRIBE HISTORY ... LIMIT n
};

}  // namespace tsl::query
