// Binder: resolves names against the Database and table schemas, infers
// types, inserts implicit casts and turns a SelectNode into a BoundSelect
// (binder.cc); expressions are bound in expression_binder.cc. Errors are
// QueryError(kBinder / kCatalog / kConversion) at the offending token,
// worded as DuckDB's, with "Did you mean" suggestions.
// Thread-safety: one Binder per statement.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"
#include "query/functions/table_function.h"
#include "query/parser/statement.h"
#include "storage/database.h"

namespace tsl::query {

// The rows of a recursive CTE's working table (recursive_cte_binder.cc).
struct RecursiveRows {
  Schema schema;
  std::vector<DataChunk> chunks;
};

class Binder {
 public:
  Binder(Database* db, const TableFunctionRegistry* functions);

  // Uncorrelated subqueries in expressions run while binding, under `ctx`
  // (cancellation). Values of a prepared statement's parameters ($1 is
  // params[0]); without them a parameter is an error.
  void SetExecutionContext(ExecutionContext ctx) { exec_ctx_ = ctx; }
  void SetParameters(const std::vector<Value>* params) { params_ = params; }
  // Inside an explicit transaction: the snapshot a base table is read at
  // when no time travel is asked for (its view with the transaction's own
  // writes); GetSnapshot() otherwise.
  using SnapshotProvider =
      std::function<std::shared_ptr<const Snapshot>(const std::shared_ptr<Table>&)>;
  void SetSnapshotProvider(SnapshotProvider provider) { snapshot_provider_ = std::move(provider); }
  // The connection's temporary tables (CREATE TEMP TABLE, an in-memory
  // Database of its own; main/statement_executor.h): a name is looked up
  // there first, as DuckDB searches its temp schema first. Null: none.
  void SetTempDatabase(Database* temp) { temp_ = temp; }

  std::unique_ptr<BoundSelect> BindSelect(const SelectNode& node);
  // An expression with no FROM clause (VALUES rows, LIMIT, function args).
  BoundExpressionPtr BindConstantExpression(const ParsedExpression& expr);
  // Evaluates a constant expression now (throws if it references columns).
  Value EvaluateConstant(const ParsedExpression& expr);

  // A WHERE predicate over the columns of one table (DELETE, OPTIMIZE):
  // BOOLEAN, column references are indexes into `schema`. `clause` names
  // the statement in errors ("DELETE").
  BoundExpressionPtr BindTablePredicate(const ParsedExpression& expr, const std::string& table,
                                        const Schema& schema, const char* clause);

  // Issue 17's data changes (dml_binder.cc): expressions over one row made
  // of the columns of `tables` in order (UPDATE's target, then its FROM
  // source); a column reference is an index into their concatenation.
  // Aggregates and windows are refused, naming `clause` ("UPDATE").
  struct RowScopeTable {
    std::string name;  // alias or table name, for "t.col"
    std::vector<Field> columns;
    bool qualified_only = false;  // reached only as "name.col" (ON CONFLICT's excluded)
  };
  BoundExpressionPtr BindRowExpression(const ParsedExpression& expr,
                                       const std::vector<RowScopeTable>& tables,
                                       const char* clause);
  // A RETURNING-style list: `*` expanded, each item bound; `names` gets
  // the output names (alias, column name, or the expression's text).
  std::vector<BoundExpressionPtr> BindRowList(const std::vector<ParsedExpressionPtr>& list,
                                              const std::vector<RowScopeTable>& tables,
                                              const char* clause,
                                              std::vector<std::string>* names);

  // Looks up a table; Catalog Error with a suggestion when missing.
  std::shared_ptr<Table> GetTable(const std::string& name, int position);

 private:
  struct ScopeColumn {
    std::string table;  // alias or table name, for "t.col"
    std::string name;
    TypeId type;
    // JOIN ... USING / NATURAL JOIN (join_using_binder.cc): the left side's
    // column is the join key `using_key`, which an unqualified name finds
    // first; under RIGHT/FULL it reads as COALESCE of `coalesce` (scope
    // indexes). The right side's copy is `using_hidden`: only "t.col"
    // reaches it and `*` leaves it out.
    bool using_key = false;
    bool using_hidden = false;
    std::vector<int> coalesce;
  };
  // What expressions may reference while being bound.
  struct Context {
    const std::vector<ScopeColumn>* scope = nullptr;
    const char* clause = "";  // "WHERE", "GROUP BY"... for error messages
    // Aggregation: expressions equal to a group (by bound text) become
    // references to group i; aggregates are collected into `select`.
    BoundSelect* select = nullptr;
    const std::vector<std::string>* group_keys = nullptr;
    bool in_aggregate = false;
    // Select-list items whose alias may stand in for an unknown column
    // (DuckDB allows aliases in WHERE, GROUP BY and HAVING).
    const std::vector<ParsedExpressionPtr>* aliases = nullptr;
    // Only the first alias_count of `aliases` are visible: in the select
    // list the items before the one being bound (DuckDB's lateral column
    // aliases, `SELECT v * 2 AS x, x + 1 AS y`), inside an alias the
    // items before it (so chains resolve and cycles cannot form).
    size_t alias_count = static_cast<size_t>(-1);
    // Where window functions may appear (SELECT list, ORDER BY); null
    // elsewhere, which makes them an error.
    std::vector<BoundWindow>* windows = nullptr;
  };

  void BindSource(const TableRef& ref, BoundSource* source, std::vector<ScopeColumn>* scope);
  static std::vector<ScopeColumn> RowScope(const std::vector<RowScopeTable>& tables);
  // The condition of JOIN ... USING (cols) / NATURAL JOIN over `joined` (the
  // left side's `left_columns` columns, then the right's); marks the key
  // columns in `joined` (join_using_binder.cc).
  BoundExpressionPtr BindJoinUsing(const TableRef& ref, size_t left_columns,
                                   std::vector<ScopeColumn>* joined);
  // The select list with `*` / `t.*` (EXCLUDE, REPLACE) and COLUMNS('re')
  // / COLUMNS(*) expanded into one item per column (star_expansion.cc).
  std::vector<ParsedExpressionPtr> ExpandSelectList(const std::vector<ParsedExpressionPtr>& list,
                                                    const std::vector<ScopeColumn>& scope);
  // A scope column as an expression: itself, or its USING COALESCE.
  BoundExpressionPtr BindScopeColumn(const std::vector<ScopeColumn>& scope, size_t index,
                                     bool qualified, int position);
  BoundExpressionPtr Bind(const ParsedExpression& expr, Context& ctx);
  BoundExpressionPtr BindInner(const ParsedExpression& expr, Context& ctx);
  BoundExpressionPtr BindColumnRef(const ParsedExpression& expr, Context& ctx);
  BoundExpressionPtr BindFunction(const ParsedExpression& expr, Context& ctx);
  BoundExpressionPtr BindAggregate(const ParsedExpression& expr, Context& ctx);
  // Binds, casts and types an aggregate call's arguments (none for
  // count(*)), ORDER BY and FILTER into `agg` (aggregate_binder.cc).
  // window_call: the call is agg(...) OVER (...), its arguments bound in
  // `ctx` as they are (not as the inside of an aggregate).
  void BindAggregateArguments(const ParsedExpression& expr, Context& ctx, BoundAggregate* agg,
                              bool window_call = false);
  BoundExpressionPtr BindWindow(const ParsedExpression& expr, Context& ctx);  // window_binder.cc
  BoundExpressionPtr BindOperator(const ParsedExpression& expr, Context& ctx);
  // Casts *bound (bound from `parsed`) to `other` when `parsed` is an integer
  // literal that fits the narrower integer type `other` (DuckDB's literals).
  static void NarrowIntegerLiteral(const ParsedExpression& parsed, TypeId other,
                                   BoundExpressionPtr* bound);
  BoundExpressionPtr BindComparison(OpCode op, BoundExpressionPtr left, bool left_literal,
                                    BoundExpressionPtr right, bool right_literal, int position);
  // Row values (a, b, ...) compared or IN-tested field by field, with
  // DuckDB's STRUCT rules (row_value_binder.cc).
  static bool IsRowValue(const ParsedExpression& e);
  BoundExpressionPtr BindRowComparison(const ParsedExpression& expr, Context& ctx);
  BoundExpressionPtr BindRowIn(const ParsedExpression& expr, Context& ctx);
  // (a, b) IN (SELECT x, y ...), uncorrelated (subquery_binder.cc).
  BoundExpressionPtr BindRowInSubquery(const ParsedExpression& expr, Context& ctx,
                                       std::unique_ptr<BoundSelect> sub);
  // A bitwise operator (& | << >> ~), bound as the scalar function of its name.
  BoundExpressionPtr BindOperatorFunction(const std::string& op,
                                          std::vector<BoundExpressionPtr> args,
                                          const std::vector<bool>& literals, int position);
  BoundExpressionPtr BindArithmetic(const std::string& op, BoundExpressionPtr left,
                                    bool left_literal, BoundExpressionPtr right, bool right_literal,
                                    int position);
  BoundExpressionPtr ToBoolean(BoundExpressionPtr e, bool literal, const char* what);
  // Casts every expression to one common type (CASE, COALESCE, IN).
  void UnifyTypes(std::vector<BoundExpressionPtr*> exprs, const std::vector<bool>& literals,
                  const char* what, int position);
  int64_t BindLimit(const ParsedExpression& expr, const char* what);
  // Subqueries in expressions (uncorrelated: planned and run now).
  BoundExpressionPtr BindSubquery(const ParsedExpression& expr, Context& ctx);
  // QuestDB's SAMPLE BY and Timescale's time_bucket_gapfill
  // (time_series_binder.cc): rewrite the select items into time_bucket
  // groups and describe the gap filling of the result.
  struct TimeSeriesPlan {
    std::vector<ParsedExpressionPtr> groups;  // SAMPLE BY: the implied GROUP BY
    std::vector<OrderByItem> order;           // SAMPLE BY: the implied ORDER BY
    std::optional<BoundGapfill> gapfill;      // fills (projection indexes)
  };
  TimeSeriesPlan RewriteTimeSeries(const SelectNode& node, const std::vector<ScopeColumn>& scope,
                                   std::vector<ParsedExpressionPtr>* items,
                                   std::vector<ParsedExpressionPtr>* group_by);
  // GROUPING SETS / ROLLUP / CUBE (grouping_sets_binder.cc): maps the
  // parsed sets onto the bound groups (`group_of_expr[i]` is the group of
  // node.group_by[i]) and appends the hidden set index and absent-mask
  // groups; grouping(...) / grouping_id(...) read that mask.
  void BindGroupingSets(const SelectNode& node, const std::vector<int>& group_of_expr,
                        size_t implied_groups, BoundSelect* select,
                        std::vector<std::string>* group_keys);
  BoundExpressionPtr BindGroupingFunction(const ParsedExpression& expr, Context& ctx);
  // VALUES rows (values_binder.cc): every row's expressions typed column by
  // column to one type each, evaluated now, and served as a function source.
  void BindValues(const TableRef& ref, BoundSource* source);
  // The right side of join `ref` (a subquery or table function) bound with
  // the left's columns (`joined`) in reach; when it reads them, `source`
  // becomes a kLateral join (lateral_join_binder.cc). False when the right
  // side is of another kind (not bound yet).
  friend class LateralSubquery;
  bool BindLateralJoin(const TableRef& ref, BoundSource* source, std::vector<ScopeColumn>* joined);
  // unnest(list) in a SELECT list (unnest_binder.cc): when the list calls
  // it, binds the FROM joined laterally with unnest(list) and returns true;
  // ReplaceSelectUnnest then makes each call read that column.
  bool BindSelectUnnest(const SelectNode& node, BoundSource* source, std::vector<ScopeColumn>* scope);
  static void ReplaceSelectUnnest(std::vector<ParsedExpressionPtr>* items);
  // PIVOT / UNPIVOT: rewritten into a SELECT over the source and bound as a
  // subquery (pivot_binder.cc).
  void BindPivot(const TableRef& ref, BoundSource* source);
  // A view's definition bound as a subquery source; false if no such view.
  bool BindView(const TableRef& ref, BoundSource* source);

  // Correlated subqueries (subquery_binder.cc). A column of an enclosing
  // query is recorded in the frame of the subquery that crosses into it
  // (frames_ parallels outer_scopes_) and bound as a typed NULL there; the
  // subquery is then bound again per distinct outer key with those columns
  // substituted by values (substitutions_) - see CorrelatedSubquery.
  friend class CorrelatedSubquery;
  struct CorrelatedColumn {
    ScopeColumn column;
    // The reference as bound: compared by address only (it may be a copy
    // gone by now). `names` is it as written, to bind in the outer query.
    const ParsedExpression* ref;
    std::vector<std::string> names;
    int position = -1;
  };
  struct CorrelationFrame {
    std::vector<CorrelatedColumn> own;  // columns of the directly enclosing query
    std::vector<CorrelatedColumn> refs;  // every reference to them, as bound
    bool refers_above = false;           // also columns of queries further out
  };
  struct Substitution {
    ScopeColumn column;
    Value value;
  };
  // A reference to an enclosing query's column, or null when there is none.
  BoundExpressionPtr BindOuterColumn(const ParsedExpression& expr);
  BoundExpressionPtr BindCorrelated(const ParsedExpression& expr, Context& ctx,
                                    const BoundSelect& sub, std::vector<CorrelatedColumn> columns);
  // The decorrelated form of a subquery whose only references to the outer
  // query are `inner = outer` conjuncts of its WHERE: those conjuncts are
  // dropped and the inner sides become leading output columns (and GROUP BY
  // keys under aggregates), so it runs once for all keys. `key_columns[i]`
  // is the index in `columns` matched by output column i. Null when the
  // subquery has another shape (decorrelate_subquery.cc).
  std::shared_ptr<SelectNode> Decorrelate(const ParsedExpression& expr, Context& ctx,
                                          const std::vector<CorrelatedColumn>& columns,
                                          std::vector<size_t>* key_columns);
  std::vector<CorrelationFrame> frames_;
  std::vector<Substitution> substitutions_;

  Database* db_;
  Database* temp_ = nullptr;
  const TableFunctionRegistry* functions_;
  // CTEs visible while binding, innermost WITH last; a CTE being bound is
  // marked so a reference to itself is refused (no recursive CTEs).
  struct CteScope {
    CteScope() = default;
    CteScope(const CommonTableExpression* c, bool b) : cte(c), binding(b) {}
    const CommonTableExpression* cte = nullptr;
    bool binding = false;
    // A recursive CTE's step being bound: the CTE's name reads these rows
    // (the last iteration's).
    std::shared_ptr<const RecursiveRows> working;
    int working_reads = 0;  // references bound to `working`
  };
  // WITH RECURSIVE (recursive_cte_binder.cc): true when ctes_[i] is a
  // recursive CTE of the form `anchor UNION [ALL] step`; BindRecursiveCte
  // runs it to its fixpoint now and serves the rows as `source`.
  bool IsRecursiveUnion(size_t i) const;
  void BindRecursiveCte(size_t i, const TableRef& ref, BoundSource* source);
  void BindWorkingTable(const RecursiveRows& rows, BoundSource* source);
  std::vector<CteScope> ctes_;
  ExecutionContext exec_ctx_;
  const std::vector<Value>* params_ = nullptr;
  SnapshotProvider snapshot_provider_;
  // Scopes of the queries enclosing the subquery being bound, to tell a
  // correlated reference from a misspelled column.
  std::vector<const std::vector<ScopeColumn>*> outer_scopes_;
  // Nesting depth of expressions, queries and views being bound
  // (query/common/depth_guard.h): a view's text is parsed on its own, so
  // the parser's limit does not bound a chain of views.
  int depth_ = 0;
  // The views being bound, outermost first: naming one of them again is a
  // cycle (a -> b -> a), refused with the path.
  std::vector<std::string> view_path_;
  // Entries of view_path_ whose text is the statement itself (1 while
  // CREATE VIEW binds its definition): references at that depth are in
  // the user's SQL, deeper ones in stored view texts.
  size_t statement_views_ = 0;

 public:
  // CREATE [OR REPLACE] VIEW `name`: the definition is bound as if inside
  // `name`, so a path back to it is refused as a cycle before it is stored.
  void SetViewBeingCreated(const std::string& name) {
    view_path_ = {name};
    statement_views_ = 1;
  }
};

// True when `expr` contains an aggregate function call (a windowed
// aggregate, sum(x) OVER (...), is not one, but aggregates in its
// arguments, FILTER, PARTITION BY or ORDER BY are).
bool ContainsAggregate(const ParsedExpression& expr);
// True when `expr` reads a column other than through an aggregate (in a
// window call's arguments, PARTITION BY or ORDER BY too): GROUP BY ALL's
// test for a select item that must be a group.
bool ReferencesColumnsOutsideAggregates(const ParsedExpression& expr);
// True when `expr` contains a window function call.
bool ContainsWindow(const ParsedExpression& expr);

// The candidate closest to `name` by edit distance, if close enough for a
// "Did you mean" hint.
std::optional<std::string> ClosestMatch(const std::string& name,
                                        const std::vector<std::string>& candidates);

}  // namespace tsl::query
