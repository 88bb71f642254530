// Materialized views (issue 21, docs/MATERIALIZED_VIEWS.md): CREATE /
// DROP / REFRESH MATERIALIZED VIEW and the incremental maintenance that
// runs after each commit into a view's source.
//
// A materialized view is a tslake table of its own (its own _log, so
// VERSION AS OF and DESCRIBE HISTORY work on it) whose metaData carries
// the defining query (property materialized_view.query) and its source
// (materialized_view.source). Its columns are the query's result columns,
// then the mergeable states of its aggregates (`__state_<k>_<part>`:
// counts, sums, sums of squares, min/max, first/last with their ordering
// key), which the binder hides from `*` and unqualified names.
//
// Invariant: a view's version records, as its txn action
// (kSourceApp, n), the source version n it materializes; every row of the
// view equals the defining query run over source VERSION AS OF n. Catching
// up from n to the source's latest version L diffs the two snapshots' live
// files, turns the time ranges (zone maps of the time_bucket column) of
// every file added or removed in between into whole buckets, deletes those
// buckets from the view and re-aggregates exactly those buckets from
// source VERSION AS OF L, all in one view commit with txn (kSourceApp, L).
// Re-aggregating from the source (rather than merging the new rows' states
// into the stored ones) makes deletes and updates exact for min/max, which
// are not subtractable, and gives the same numbers as the query run from
// scratch. Because the view remembers the source version, a commit whose
// maintenance failed (or an Appender in another process) is caught up by
// the next one.
// Thread-safety: as StatementExecutor (one statement at a time); two
// connections catching up the same view conflict on the txn app id and the
// loser retries on top of the winner.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "query/binder/view_catalog.h"
#include "query/common/query_error.h"
#include "query/common/query_warnings.h"
#include "query/execution/expression_executor.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/cast_function.h"
#include "query/main/file_coverage.h"
#include "query/main/statement_executor.h"
#include "query/parser/parser.h"
#include "storage/database.h"
#include "storage/table_scan.h"
#include "storage/transaction.h"

namespace tsl::query {

namespace {

constexpr char kSourceKey[] = "materialized_view.source";
constexpr char kQueryKey[] = "materialized_view.query";
constexpr char kSourceApp[] = "tslake.materialized_view";
constexpr char kStatePrefix[] = "__state_";

ParsedExpressionPtr Column(const std::string& name) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kColumnRef;
  e->names = {name};
  return e;
}

ParsedExpressionPtr Op(const std::string& op, ParsedExpressionPtr a, ParsedExpressionPtr b) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kOperator;
  e->op = op;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

ParsedExpressionPtr IsNull(ParsedExpressionPtr a) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kIsNull;
  e->children.push_back(std::move(a));
  return e;
}

// `agg` (an aggregate call) renamed to `name` over `args`, keeping its
// FILTER, aliased `alias`.
ParsedExpressionPtr StateCall(const ParsedExpression& agg, const std::string& name,
                              std::vector<ParsedExpressionPtr> args, const std::string& alias) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kFunction;
  e->position = agg.position;
  e->name = name;
  e->star = args.empty();
  e->children = std::move(args);
  if (agg.filter) e->filter = agg.filter->Copy();
  e->alias = alias;
  return e;
}

ParsedExpressionPtr AsDouble(const ParsedExpression& x) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kCast;
  e->cast_type = TypeId::kDouble;
  e->children.push_back(x.Copy());
  return e;
}

[[noreturn]] void Refuse(const std::string& part, int position) {
  throw QueryError(ErrorKind::kNotImplemented,
                   "materialized view cannot be maintained incrementally: " + part, position);
}

// The defining query, parsed and checked, with the state columns to
// store beside its result.
struct ViewDefinition {
  std::unique_ptr<SelectNode> node;
  std::string source;
  std::string ts_column;                 // time_bucket's time argument
  const ParsedExpression* bucket = nullptr;  // the time_bucket call
  std::string bucket_column;             // its result column's name
  size_t bucket_index = 0;               // its select-list (= view column) index
  // Grouped select items that are a plain source column (tag): the source
  // column and the view column (select-list index). A refresh restricts
  // itself to the key values the changed files' zone maps allow.
  std::vector<std::pair<std::string, size_t>> key_columns;
  std::vector<ParsedExpressionPtr> states;
};

class DefinitionChecker {
 public:
  explicit DefinitionChecker(ViewDefinition* def) : def_(def) {}

  // Checks an expression; collects the states of the aggregates in it.
  void Walk(const ParsedExpression& e, bool aggregates_allowed) {
    switch (e.kind) {
      case ExpressionKind::kSubquery:
      case ExpressionKind::kExists:
      case ExpressionKind::kInSubquery:
        Refuse("a subquery (" + e.ToString() + ")", e.position);
      default:
        break;
    }
    if (e.kind == ExpressionKind::kFunction) {
      if (e.window) Refuse("the window function " + e.name + "() OVER (...)", e.position);
      std::optional<AggregateKind> kind = LookupAggregate(e.name);
      if (kind && aggregates_allowed) {
        AddStates(e, *kind);
        return;  // arguments are row expressions, checked by the binder
      }
    }
    if (e.case_operand) Walk(*e.case_operand, aggregates_allowed);
    for (const auto& c : e.children) Walk(*c, aggregates_allowed);
  }

 private:
  void AddStates(const ParsedExpression& agg, AggregateKind kind) {
    const int k = next_++;
    auto alias = [&](const char* part) { return kStatePrefix + std::to_string(k) + "_" + part; };
    auto arg = [&](size_t i) { return agg.children.at(i)->Copy(); };
    auto one = [&](ParsedExpressionPtr a) {
      std::vector<ParsedExpressionPtr> v;
      v.push_back(std::move(a));
      return v;
    };
    if (agg.distinct) Refuse(agg.name + "(DISTINCT ...), which is not mergeable", agg.position);
    const bool ordered = !agg.agg_order.empty();
    auto& out = def_->states;
    if (agg.star || (kind == AggregateKind::kCount && agg.children.empty())) {
      kind = AggregateKind::kCountStar;
    }
    switch (kind) {
      case AggregateKind::kCountStar:
        out.push_back(StateCall(agg, "count", {}, alias("count")));
        return;
      case AggregateKind::kCount:
      case AggregateKind::kCountIf:
      case AggregateKind::kMin:
      case AggregateKind::kMax:
      case AggregateKind::kBoolAnd:
      case AggregateKind::kBoolOr:
        if (ordered) break;
        out.push_back(StateCall(agg, agg.name, one(arg(0)), alias("value")));
        return;
      case AggregateKind::kSum:
      case AggregateKind::kAvg:
        if (ordered) break;
        out.push_back(StateCall(agg, "sum", one(arg(0)), alias("sum")));
        out.push_back(StateCall(agg, "count", one(arg(0)), alias("count")));
        return;
      case AggregateKind::kStddevSamp:
      case AggregateKind::kStddevPop:
      case AggregateKind::kVarSamp:
      case AggregateKind::kVarPop:
        if (ordered) break;
        out.push_back(StateCall(agg, "count", one(arg(0)), alias("count")));
        out.push_back(StateCall(agg, "sum", one(AsDouble(*agg.children[0])), alias("sum")));
        out.push_back(StateCall(agg, "sum",
                                one(Op("*", AsDouble(*agg.children[0]), AsDouble(*agg.children[0]))),
                                alias("sum_squares")));
        return;
      case AggregateKind::kFirst:
      case AggregateKind::kLast: {
        if (agg.agg_order.size() != 1) {
          Refuse(agg.name + "() without ORDER BY <one column> (its value would depend on the order "
                            "rows were committed in)",
                 agg.position);
        }
        const bool first = kind == AggregateKind::kFirst;
        if (agg.agg_order_desc[0]) {
          Refuse(agg.name + "(... ORDER BY ... DESC): write it as " + (first ? "last" : "first") +
                     "(... ORDER BY ...)",
                 agg.position);
        }
        std::vector<ParsedExpressionPtr> args;
        args.push_back(arg(0));
        args.push_back(agg.agg_order[0]->Copy());
        out.push_back(StateCall(agg, first ? "arg_min" : "arg_max", std::move(args), alias("value")));
        out.push_back(StateCall(agg, first ? "min" : "max", one(agg.agg_order[0]->Copy()),
                                alias("order")));
        return;
      }
      case AggregateKind::kArgMin:
      case AggregateKind::kArgMax: {
        if (ordered || agg.children.size() != 2) break;
        std::vector<ParsedExpressionPtr> args;
        args.push_back(arg(0));
        args.push_back(arg(1));
        const bool min = kind == AggregateKind::kArgMin;
        out.push_back(StateCall(agg, agg.name, std::move(args), alias("value")));
        out.push_back(StateCall(agg, min ? "min" : "max", one(arg(1)), alias("order")));
        return;
      }
      default:
        break;
    }
    Refuse("the aggregate " + agg.ToString() + " (its state is not mergeable)", agg.position);
  }

  ViewDefinition* def_;
  int next_ = 0;
};

// Parses and checks a materialized view's defining query. Throws naming
// the part that cannot be maintained incrementally.
ViewDefinition AnalyzeDefinition(const std::string& sql, int position) {
  Parser parser(sql);
  std::vector<std::unique_ptr<Statement>> stmts = parser.ParseScript();
  if (stmts.size() != 1 || stmts[0]->type != StatementType::kSelect) {
    throw QueryError(ErrorKind::kInvalidInput, "a materialized view is defined by one SELECT",
                     position);
  }
  ViewDefinition def;
  def.node = std::move(stmts[0]->select);
  SelectNode& n = *def.node;
  if (!n.ctes.empty()) Refuse("WITH", position);
  switch (n.from.kind) {
    case TableRef::Kind::kBaseTable: break;
    case TableRef::Kind::kJoin: Refuse("a join", n.from.position);
    case TableRef::Kind::kSetOp: Refuse("UNION / INTERSECT / EXCEPT", position);
    case TableRef::Kind::kSubquery: Refuse("a subquery in FROM", n.from.position);
    case TableRef::Kind::kTableFunction:
      Refuse("the table function " + n.from.name + "()", n.from.position);
    case TableRef::Kind::kValues: Refuse("VALUES", n.from.position);
    case TableRef::Kind::kPivot: Refuse("PIVOT / UNPIVOT", n.from.position);
    case TableRef::Kind::kNone: Refuse("a query without FROM", position);
  }
  if (n.from.version_as_of || n.from.timestamp_as_of) {
    Refuse("time travel (AS OF) in FROM", n.from.position);
  }
  if (n.distinct || !n.distinct_on.empty()) Refuse("DISTINCT", position);
  if (!n.grouping_sets.empty()) Refuse("GROUPING SETS / ROLLUP / CUBE", position);
  if (!n.order_by.empty() || n.limit || n.offset) Refuse("ORDER BY / LIMIT / OFFSET", position);
  if (n.qualify) Refuse("QUALIFY", n.qualify->position);
  if (n.sample_by || n.latest_on) Refuse("SAMPLE BY / LATEST ON", position);
  if (n.group_by.empty() && !n.group_by_all) Refuse("a query without GROUP BY", position);
  def.source = n.from.name;

  DefinitionChecker checker(&def);
  for (const auto& item : n.select_list) {
    if (item->kind == ExpressionKind::kStar) Refuse("* in the select list", item->position);
    checker.Walk(*item, /*aggregates_allowed=*/true);
  }
  if (n.where) checker.Walk(*n.where, false);
  for (const auto& g : n.group_by) checker.Walk(*g, false);
  if (n.having) checker.Walk(*n.having, true);

  for (const auto& item : n.select_list) {
    if (item->kind != ExpressionKind::kFunction || item->name != "time_bucket") continue;
    if (item->children.size() < 2 || item->children[1]->kind != ExpressionKind::kColumnRef) continue;
    const std::string text = item->ToString();
    bool grouped = n.group_by_all;
    const size_t index = static_cast<size_t>(&item - n.select_list.data()) + 1;
    for (const auto& g : n.group_by) {
      if (g->kind == ExpressionKind::kConstant && !g->value.is_null() &&
          (g->value.type() == TypeId::kInteger || g->value.type() == TypeId::kBigint) &&
          static_cast<size_t>(g->value.int_value()) == index) {
        grouped = true;  // GROUP BY 1
      }
      if (g->ToString() == text ||
          (g->kind == ExpressionKind::kColumnRef && g->names.size() == 1 && !item->alias.empty() &&
           EqualsIgnoreCase(g->names[0], item->alias))) {
        grouped = true;
      }
    }
    if (!grouped) continue;
    def.bucket = item.get();
    def.bucket_index = index - 1;
    def.ts_column = item->children[1]->names.back();
    def.bucket_column = item->alias.empty() ? text : item->alias;
    break;
  }
  for (size_t i = 0; i < n.select_list.size(); ++i) {
    const ParsedExpression& item = *n.select_list[i];
    if (item.kind != ExpressionKind::kColumnRef || item.names.size() != 1) continue;
    bool grouped = n.group_by_all;
    for (const auto& g : n.group_by) {
      if ((g->kind == ExpressionKind::kColumnRef && g->names.size() == 1 &&
           EqualsIgnoreCase(g->names[0], item.names[0])) ||
          (g->kind == ExpressionKind::kConstant && !g->value.is_null() &&
           (g->value.type() == TypeId::kInteger || g->value.type() == TypeId::kBigint) &&
           g->value.int_value() == static_cast<int64_t>(i) + 1)) {
        grouped = true;
      }
    }
    if (grouped) def.key_columns.emplace_back(item.names[0], i);
  }
  if (def.bucket == nullptr) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "a materialized view needs time_bucket(<interval>, <time column>) in its "
                     "select list and GROUP BY: its buckets are what commits re-aggregate",
                     position);
  }
  return def;
}

// The query that fills the view from source VERSION AS OF `version`: the
// definition plus its state columns, restricted to `range` (a predicate
// over the source's columns) when given.
std::unique_ptr<SelectNode> MaterializeQuery(const std::string& sql, int64_t version,
                                             ParsedExpressionPtr range) {
  ViewDefinition def = AnalyzeDefinition(sql, 0);
  std::unique_ptr<SelectNode> node = std::move(def.node);
  for (auto& s : def.states) node->select_list.push_back(std::move(s));
  node->from.version_as_of = version;
  if (range) {
    node->where = node->where ? Op("AND", std::move(node->where), std::move(range))
                              : std::move(range);
  }
  return node;
}

bool IsMaterializedView(const Snapshot& s) {
  return s.metadata().configuration.count(kSourceKey) > 0;
}

std::string PropertyOf(const Snapshot& s, const char* key) {
  auto it = s.metadata().configuration.find(key);
  return it == s.metadata().configuration.end() ? std::string() : it->second;
}

// The names of the materialized views defined over `source` (all of them
// when empty).
std::vector<std::string> ViewsOver(Database* db, const std::string& source) {
  std::vector<std::string> out;
  for (const std::string& name : db->ListTables()) {
    Result<std::shared_ptr<Table>> t = db->GetTable(name);
    if (!t.ok()) continue;
    Result<std::shared_ptr<const Snapshot>> s = (*t)->GetSnapshot();
    if (!s.ok() || !IsMaterializedView(**s)) continue;
    if (source.empty() || EqualsIgnoreCase(PropertyOf(**s, kSourceKey), source)) {
      out.push_back(name);
    }
  }
  return out;
}

void CastChunkTo(DataChunk* chunk, const std::vector<TypeId>& types) {
  const size_t n = chunk->size();
  for (size_t c = 0; c < types.size(); ++c) {
    if (chunk->columns[c].type == types[c]) continue;
    ColumnVector out;
    CastVector(VectorView{&chunk->columns[c], false}, n, types[c], &out);
    chunk->columns[c] = std::move(out);
  }
}

// Removes the rows of `snapshot` where `predicate` is TRUE within `txn`
// (whole files when their zone maps prove it, else the file is rewritten
// with its other rows).
void RemoveRows(Table& table, const std::shared_ptr<const Snapshot>& snapshot,
                const BoundExpression& predicate, Transaction* txn) {
  const Schema& schema = snapshot->schema();
  std::vector<TypeId> types;
  ScanOptions all;
  for (size_t i = 0; i < schema.size(); ++i) {
    types.push_back(schema.fields[i].type);
    all.columns.push_back(static_cast<int>(i));
  }
  std::vector<uint32_t> sel, keep;
  for (const AddAction& file : snapshot->files()) {
    Coverage cov = FileCoverage(predicate, snapshot->physical_schema(), file);
    if (cov == Coverage::kNone) continue;
    if (cov == Coverage::kAll) {
      ThrowIfError(txn->RemoveFile(file));
      continue;
    }
    ScanOptions options = all;
    options.only_files = {file.path};
    std::unique_ptr<ChunkSource> scan = ValueOrThrow(table.NewScan(snapshot, std::move(options)));
    std::vector<DataChunk> survivors;
    bool matched = false;
    DataChunk chunk;
    while (true) {
      chunk.Initialize(types);
      if (!ValueOrThrow(scan->Next(&chunk))) break;
      const size_t n = chunk.size();
      sel.clear();
      ExpressionExecutor::Select(predicate, chunk, n, &sel);
      if (!sel.empty()) matched = true;
      keep.clear();
      for (uint32_t i = 0, s = 0; i < n; ++i) {
        if (s < sel.size() && sel[s] == i) {
          ++s;
        } else {
          keep.push_back(i);
        }
      }
      if (keep.empty()) continue;
      DataChunk kept;
      kept.Initialize(types);
      for (size_t c = 0; c < types.size(); ++c) kept.columns[c].AppendSelection(chunk.columns[c], keep);
      survivors.push_back(std::move(kept));
    }
    if (!matched) continue;
    ThrowIfError(txn->RemoveFile(file));
    for (DataChunk& c : survivors) ThrowIfError(txn->AddRows(std::move(c)));
  }
}

// A time range of the source to re-aggregate, as whole buckets:
// [lo, hi) on both the source's time column and the view's bucket column.
// `nulls`: the bucket of rows whose time is NULL.
struct BucketRange {
  Value lo, hi;
  bool nulls = false;
  bool open = false;  // no upper bound (hi unused)
};

// Retention (issue 21): below a table's retention horizon (the txn
// action Table::ApplyRetention records) rows may be gone, so a bucket that
// starts before it cannot be re-aggregated from the source: the view keeps
// what it materialized there. The horizon is the later of the source's and
// the view's own (re-aggregating a bucket the view's retention removed
// would bring it back). Returns the first bucket start at or after it, in
// the time column's type; none without a horizon.
std::optional<int64_t> HorizonOf(const Snapshot& s) {
  auto it = s.app_versions().find(kRetentionHorizonApp);
  if (it == s.app_versions().end()) return std::nullopt;
  return it->second;
}

std::optional<Value> FrozenBelow(StatementExecutor& executor, const ViewDefinition& def,
                                 const Snapshot& source, const Snapshot& view) {
  std::optional<int64_t> h = HorizonOf(source), own = HorizonOf(view);
  if (!h || (own && *own > *h)) h = own;
  if (!h) return std::nullopt;
  const int ts_index = source.schema().FindField(def.ts_column);
  if (ts_index < 0) return std::nullopt;
  const TypeId type = source.schema().fields[static_cast<size_t>(ts_index)].type;
  if (!IsTimestampType(type)) return std::nullopt;
  const Value at = Value::FromInt(type, *h);
  auto node = std::make_unique<SelectNode>();
  auto bucket = def.bucket->Copy();
  bucket->alias.clear();
  bucket->children[1] = MakeConstant(at, 0);
  auto next = def.bucket->Copy();
  next->alias.clear();
  next->children[1] = MakeConstant(at, 0);
  node->select_list.push_back(std::move(bucket));
  node->select_list.push_back(Op("+", std::move(next), def.bucket->children[0]->Copy()));
  StatementExecutor::OpenedSelect bounds = executor.OpenSelect(*node);
  DataChunk chunk;
  if (!bounds.root->Next(&chunk) || chunk.size() != 1) {
    throw QueryError(ErrorKind::kInternal, "materialized view retention horizon");
  }
  Value start = chunk.columns[0].GetValue(0);
  if (start.is_null()) return std::nullopt;
  Result<Value> cast = at.CastTo(start.type());
  if (cast.ok() && start.Compare(*cast) == 0) return start;
  Value after = chunk.columns[1].GetValue(0);
  if (after.is_null()) return std::nullopt;
  return after;
}

}  // namespace

QueryResult StatementExecutor::ExecuteCreateMaterializedView(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "CREATE MATERIALIZED VIEW";
  ViewDefinition def = AnalyzeDefinition(stmt.view_sql, stmt.position);
  if (db_->GetTable(stmt.table).ok()) {
    if (stmt.if_not_exists) return result;
    throw QueryError(ErrorKind::kCatalog, "Table with name \"" + stmt.table + "\" already exists!",
                     stmt.table_position)
        .WithCode(StatusCode::kAlreadyExists);
  }
  Binder binder = NewBinder();
  std::shared_ptr<Table> source = binder.GetTable(def.source, def.node->from.position);
  const int64_t version = ValueOrThrow(source->LatestVersion());
  std::unique_ptr<SelectNode> query = MaterializeQuery(stmt.view_sql, version, nullptr);
  OpenedSelect opened = OpenSelect(*query);
  Schema schema;
  std::set<std::string> names;
  for (const Field& f : opened.schema.fields) {
    if (f.type == TypeId::kInterval || f.type == TypeId::kNull) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "materialized view column \"" + f.name + "\" has type " +
                           std::string(TypeName(f.type)) + ", which tables cannot store",
                       stmt.position);
    }
    if (!names.insert(ToLower(f.name)).second) {
      throw QueryError(ErrorKind::kCatalog,
                       "materialized view column \"" + f.name +
                           "\" appears twice: give the select list items distinct aliases",
                       stmt.position);
    }
    schema.fields.push_back(f);
  }
  std::map<std::string, std::string> properties = {{kSourceKey, source->name()},
                                                    {kQueryKey, stmt.view_sql}};
  std::shared_ptr<Table> table =
      ValueOrThrow(db_->CreateTable(stmt.table, schema, properties, false, false));
  try {
    std::unique_ptr<Transaction> txn = ValueOrThrow(table->NewTransaction());
    txn->SetSegmentDefaults(db_->options().segment_options);
    std::vector<TypeId> types;
    for (const Field& f : schema.fields) types.push_back(f.type);
    DataChunk chunk;
    int64_t rows = 0;
    while (opened.root->Next(&chunk)) {
      ctx_.CheckCancelled();
      CastChunkTo(&chunk, types);
      rows += static_cast<int64_t>(chunk.size());
      ThrowIfError(txn->AddRows(std::move(chunk)));
      chunk = DataChunk();
    }
    ThrowIfError(txn->SetTxn(kSourceApp, version));
    ValueOrThrow(txn->Commit("MATERIALIZED VIEW REFRESH",
                             {{"source", source->name()},
                              {"sourceVersion", std::to_string(version)},
                              {"mode", "full"}}));
  } catch (...) {
    (void)db_->DropTable(stmt.table, /*if_exists=*/true);
    throw;
  }
  return result;
}

namespace {
std::shared_ptr<Table> ViewTableOrThrow(Binder& binder, const Statement& stmt) {
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  if (!IsMaterializedView(*ValueOrThrow(table->GetSnapshot()))) {
    throw QueryError(ErrorKind::kCatalog,
                     "\"" + stmt.table + "\" is a table, not a materialized view",
                     stmt.table_position);
  }
  return table;
}
}  // namespace

QueryResult StatementExecutor::ExecuteDropMaterializedView(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "DROP MATERIALIZED VIEW";
  if (stmt.if_exists && !db_->GetTable(stmt.table).ok()) return result;
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = ViewTableOrThrow(binder, stmt);
  Statement drop;
  drop.type = StatementType::kDropTable;
  drop.table = table->name();
  drop.table_position = stmt.table_position;
  drop.cascade = stmt.cascade;
  drop.materialized = true;
  CheckMaterializedViewDependents(drop);  // views over this view
  ThrowIfError(db_->DropTable(table->name(), false));
  return result;
}

void StatementExecutor::CheckMaterializedViewDependents(const Statement& stmt) {
  Result<std::shared_ptr<Table>> table = db_->GetTable(stmt.table);
  if (!table.ok()) return;  // ExecuteDrop reports it
  if (!stmt.materialized) {
    Result<std::shared_ptr<const Snapshot>> s = (*table)->GetSnapshot();
    if (s.ok() && IsMaterializedView(**s)) {
      throw QueryError(ErrorKind::kCatalog,
                       "\"" + stmt.table +
                           "\" is a materialized view: drop it with DROP MATERIALIZED VIEW",
                       stmt.table_position);
    }
  }
  std::vector<std::string> views = ViewsOver(db_, (*table)->name());
  if (views.empty()) return;
  if (!stmt.cascade) {
    std::string list;
    for (const auto& v : views) list += (list.empty() ? "" : ", ") + v;
    throw QueryError(ErrorKind::kCatalog,
                     "Cannot drop entry \"" + stmt.table +
                         "\" because there are entries that depend on it: materialized view " +
                         list + ". Use DROP ... CASCADE to drop all dependents.",
                     stmt.table_position);
  }
  for (const auto& v : views) {
    Statement drop;
    drop.type = StatementType::kDropTable;
    drop.table = v;
    drop.cascade = true;
    drop.materialized = true;
    CheckMaterializedViewDependents(drop);
    ThrowIfError(db_->DropTable(v, true));
  }
}

void StatementExecutor::RenameTable(const Statement& stmt) {
  Database* db = db_;
  if (temp_ != nullptr && *temp_ != nullptr && (*temp_)->GetTable(stmt.table).ok())
    db = temp_->get();
  std::shared_ptr<Table> table = ValueOrThrow(db->GetTable(stmt.table));
  std::vector<std::string> views = ViewsOver(db, table->name());
  if (!views.empty()) {
    std::string list;
    for (const auto& v : views) list += (list.empty() ? "" : ", ") + v;
    throw QueryError(ErrorKind::kCatalog,
                     "cannot rename table \"" + table->name() +
                         "\": materialized view " + list +
                         " is maintained from it (drop the view first, rename, and create it again)",
                     stmt.table_position);
  }
  if (ViewCatalog(db_).Get(stmt.rename_to)) {
    throw QueryError(ErrorKind::kCatalog,
                     "Could not rename \"" + table->name() + "\" to \"" + stmt.rename_to +
                         "\": another entry with this name already exists!",
                     stmt.alter_column.position);
  }
  Status st = db->RenameTable(stmt.table, stmt.rename_to);
  if (st.code() == StatusCode::kAlreadyExists)
    throw QueryError(ErrorKind::kCatalog, st.message(), stmt.alter_column.position);
  ThrowIfError(st);
}

void StatementExecutor::RefuseWriteIntoMaterializedView(const Statement& stmt) {
  const char* what = nullptr;
  switch (stmt.type) {
    case StatementType::kInsert: what = "INSERT into"; break;
    case StatementType::kUpdate: what = "UPDATE"; break;
    case StatementType::kDelete: what = "DELETE from"; break;
    case StatementType::kMerge: what = "MERGE into"; break;
    case StatementType::kRestore: what = "RESTORE"; break;
    case StatementType::kCopy:
      if (stmt.copy_to) return;
      what = "COPY into";
      break;
    case StatementType::kAlterTable:
      if (stmt.alter == AlterKind::kSetProperties) {
        // The definition is written by CREATE MATERIALIZED VIEW only: a
        // changed query or source would no longer match the stored rows,
        // and setting them on a table would make it a view.
        for (const auto& change : stmt.property_changes) {
          if (ToLower(change.first).rfind("materialized_view.", 0) == 0) {
            throw QueryError(ErrorKind::kInvalidInput,
                             "table property \"" + change.first +
                                 "\" is set by CREATE MATERIALIZED VIEW, not by ALTER TABLE",
                             stmt.position);
          }
        }
        return;  // retention and the other properties may change
      }
      what = "ALTER";
      break;
    default:
      return;
  }
  Result<std::shared_ptr<Table>> table = db_->GetTable(stmt.table);
  if (!table.ok()) return;  // the statement reports it
  Result<std::shared_ptr<const Snapshot>> snapshot = (*table)->GetSnapshot();
  if (!snapshot.ok() || !IsMaterializedView(**snapshot)) return;
  throw QueryError(ErrorKind::kInvalidInput,
                   std::string("cannot ") + what + " materialized view \"" + stmt.table +
                       "\": its rows are maintained from its source table " +
                       PropertyOf(**snapshot, kSourceKey) +
                       " (write into the source; REFRESH MATERIALIZED VIEW " + stmt.table +
                       " rebuilds it)",
                   stmt.table_position);
}

CommitResult StatementExecutor::ApplyRetentionPolicy(
    const std::string& name, bool rewrite_straddling,
    const std::map<std::string, std::string>& parameters) {
  std::shared_ptr<Table> table = ValueOrThrow(db_->GetTable(name));
  std::shared_ptr<const Snapshot> snapshot = ValueOrThrow(table->GetSnapshot());
  if (!snapshot->metadata().configuration.count("retention")) return {};
  RetentionOptions options;
  options.rewrite_straddling = rewrite_straddling;
  options.parameters = parameters;
  if (IsMaterializedView(*snapshot)) {
    ViewDefinition def = AnalyzeDefinition(PropertyOf(*snapshot, kQueryKey), 0);
    if (def.bucket_index >= snapshot->schema().size()) return {};
    options.column = snapshot->schema().fields[def.bucket_index].name;
  }
  Result<CommitResult> r = table->ApplyRetention(options);
  // A lost race leaves the expired rows for the next commit or VACUUM.
  if (!r.ok() && !r.status().IsConflict()) throw QueryError(r.status());
  return r.ok() ? *r : CommitResult{};
}

QueryResult StatementExecutor::ExecuteRefreshMaterializedView(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "REFRESH MATERIALIZED VIEW";
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = ViewTableOrThrow(binder, stmt);
  RefreshMaterializedView(table->name(), /*full=*/true);
  MaintainMaterializedViews(table->name());  // rollups over this view
  return result;
}

void StatementExecutor::MaintainMaterializedViews(const std::string& source) {
  // A view over a view (a rollup of a rollup) is caught up after the
  // view it reads; a chain ends because a view's source is older than it.
  // With no source (after COMMIT: every view), a view may be visited
  // before the view it reads; it is visited again after that one, and a
  // view already caught up is a no-op.
  std::vector<std::string> pending = {source};
  int guard = 0;
  while (!pending.empty() && ++guard < 256) {
    const std::string s = pending.front();
    pending.erase(pending.begin());
    for (const std::string& v : ViewsOver(db_, s)) {
      try {
        RefreshMaterializedView(v, /*full=*/false);
        // A view is written by its refresh, not by a TableWriter, so its
        // own retention (rollups kept 90 days) is applied here.
        ApplyRetentionPolicy(v, /*rewrite_straddling=*/false);
      } catch (const QueryError& e) {
        if (ctx_.warnings == nullptr) throw;
        ctx_.warnings->Add("materialized view " + v + " was not refreshed (" + e.what() +
                           "); the next commit into " + s +
                           " or REFRESH MATERIALIZED VIEW catches it up");
      }
      pending.push_back(v);
    }
  }
}

// Catches view `name` up with its source (full: rebuilds it). Retries on a
// conflict with another connection's refresh.
void StatementExecutor::RefreshMaterializedView(const std::string& name, bool full) {
  for (int attempt = 0;; ++attempt) {
    try {
      RefreshMaterializedViewOnce(name, full);
      return;
    } catch (const QueryError& e) {
      if (attempt >= 3 || e.status().code() != StatusCode::kConflict) throw;
    }
  }
}

void StatementExecutor::RefreshMaterializedViewOnce(const std::string& name, bool full) {
  std::shared_ptr<Table> view = ValueOrThrow(db_->GetTable(name));
  std::shared_ptr<const Snapshot> view_snap = ValueOrThrow(view->GetSnapshot());
  const std::string sql = PropertyOf(*view_snap, kQueryKey);
  ViewDefinition def = AnalyzeDefinition(sql, 0);
  std::shared_ptr<Table> source = ValueOrThrow(db_->GetTable(PropertyOf(*view_snap, kSourceKey)));
  const int64_t latest = ValueOrThrow(source->LatestVersion());
  auto app = view_snap->app_versions().find(kSourceApp);
  const int64_t done = app == view_snap->app_versions().end() ? -1 : app->second;
  if (!full && done >= latest) return;

  // Which buckets changed: the time ranges of every file added or removed
  // between the materialized version and the latest.
  std::vector<BucketRange> ranges;
  bool nulls = false;
  // The changed files' key bounds (an incremental refresh only): groups
  // with a key outside them saw no changed row and are left alone.
  struct KeyBound {
    std::string source_column;
    size_t view_index;
    Value lo, hi;
  };
  std::vector<KeyBound> keys;
  std::shared_ptr<const Snapshot> new_snap = ValueOrThrow(source->GetSnapshot(latest));
  if (!full && done >= 0) {
    std::shared_ptr<const Snapshot> old_snap = ValueOrThrow(source->GetSnapshot(done));
    const int ts_index = new_snap->schema().FindField(def.ts_column);
    if (ts_index < 0) {
      full = true;
    } else {
      const std::string physical = new_snap->physical_schema().fields[ts_index].name;
      std::set<std::string> old_paths, new_paths;
      for (const AddAction& f : old_snap->files()) old_paths.insert(f.path);
      for (const AddAction& f : new_snap->files()) new_paths.insert(f.path);
      std::vector<std::pair<Value, Value>> spans;
      // Per key column: [min, max] over the changed files; unusable
      // (nullopt) once a file has NULL keys or no zone map for it.
      std::vector<std::optional<std::pair<Value, Value>>> key_bounds(def.key_columns.size());
      std::vector<std::string> key_physical(def.key_columns.size());
      std::vector<bool> key_usable(def.key_columns.size(), true);
      for (size_t k = 0; k < def.key_columns.size(); ++k) {
        const int index = new_snap->schema().FindField(def.key_columns[k].first);
        // Only types whose zone map values are the column's own values
        // (a DECIMAL's bounds, say, are stored unscaled).
        const TypeId type =
            index < 0 ? TypeId::kNull : new_snap->schema().fields[static_cast<size_t>(index)].type;
        if (type != TypeId::kVarchar && type != TypeId::kInteger && type != TypeId::kBigint) {
          key_usable[k] = false;
        } else {
          key_physical[k] = new_snap->physical_schema().fields[static_cast<size_t>(index)].name;
        }
      }
      auto visit_keys = [&](const AddAction& f) {
        for (size_t k = 0; k < key_bounds.size(); ++k) {
          if (!key_usable[k]) continue;
          auto lo = f.stats.min_values.find(key_physical[k]);
          auto hi = f.stats.max_values.find(key_physical[k]);
          auto nc = f.stats.null_count.find(key_physical[k]);
          if (lo == f.stats.min_values.end() || hi == f.stats.max_values.end() ||
              nc == f.stats.null_count.end() || nc->second > 0 || lo->second.is_null() ||
              hi->second.is_null()) {
            key_usable[k] = false;
            continue;
          }
          if (!key_bounds[k]) {
            key_bounds[k] = std::make_pair(lo->second, hi->second);
            continue;
          }
          if (lo->second.Compare(key_bounds[k]->first) < 0) key_bounds[k]->first = lo->second;
          if (hi->second.Compare(key_bounds[k]->second) > 0) key_bounds[k]->second = hi->second;
        }
      };
      auto visit = [&](const AddAction& f) {
        visit_keys(f);
        auto lo = f.stats.min_values.find(physical);
        auto hi = f.stats.max_values.find(physical);
        auto nc = f.stats.null_count.find(physical);
        if (f.stats.num_records < 0) {
          full = true;
          return;
        }
        if (nc == f.stats.null_count.end() || nc->second > 0) nulls = true;
        if (lo != f.stats.min_values.end() && hi != f.stats.max_values.end()) {
          spans.emplace_back(lo->second, hi->second);
        } else if (nc == f.stats.null_count.end() || nc->second < f.stats.num_records) {
          full = true;  // non-NULL times without a zone map
        }
      };
      for (const AddAction& f : old_snap->files())
        if (!new_paths.count(f.path)) visit(f);
      for (const AddAction& f : new_snap->files())
        if (!old_paths.count(f.path)) visit(f);
      if (!full) {
        if (spans.empty() && !nulls) return;  // no data changed (a property change)
        // Bucket bounds: [time_bucket(lo), time_bucket(hi) + interval).
        for (auto& [lo, hi] : spans) {
          auto node = std::make_unique<SelectNode>();
          auto lo_b = def.bucket->Copy();
          lo_b->alias.clear();
          lo_b->children[1] = MakeConstant(lo, 0);
          auto hi_b = def.bucket->Copy();
          hi_b->alias.clear();
          hi_b->children[1] = MakeConstant(hi, 0);
          node->select_list.push_back(std::move(lo_b));
          node->select_list.push_back(Op("+", std::move(hi_b), def.bucket->children[0]->Copy()));
          OpenedSelect bounds = OpenSelect(*node);
          DataChunk chunk;
          if (!bounds.root->Next(&chunk) || chunk.size() != 1) {
            throw QueryError(ErrorKind::kInternal, "materialized view bucket bounds");
          }
          Value a = chunk.columns[0].GetValue(0), b = chunk.columns[1].GetValue(0);
          if (a.is_null() || b.is_null()) {
            full = true;
            break;
          }
          ranges.push_back({a, b, false});
        }
        // Merge overlapping or touching ranges (sorted by start).
        std::sort(ranges.begin(), ranges.end(),
                  [](const BucketRange& x, const BucketRange& y) { return x.lo.Compare(y.lo) < 0; });
        std::vector<BucketRange> merged;
        for (BucketRange& r : ranges) {
          if (!merged.empty() && r.lo.Compare(merged.back().hi) <= 0) {
            if (r.hi.Compare(merged.back().hi) > 0) merged.back().hi = r.hi;
          } else {
            merged.push_back(std::move(r));
          }
        }
        ranges = std::move(merged);
        if (nulls) ranges.push_back({Value(), Value(), true});
        for (size_t k = 0; k < key_bounds.size(); ++k) {
          if (key_usable[k] && key_bounds[k]) {
            keys.push_back({def.key_columns[k].first, def.key_columns[k].second,
                            key_bounds[k]->first, key_bounds[k]->second});
          }
        }
      }
    }
  } else {
    full = true;
  }
  // Buckets that start before the retention horizon keep what the view
  // materialized (HorizonOf): a full rebuild becomes one of the buckets at
  // or after it, and the changed ranges are clipped to it.
  if (std::optional<Value> frozen = FrozenBelow(*this, def, *new_snap, *view_snap)) {
    if (full) {
      full = false;
      keys.clear();
      ranges.clear();
      ranges.push_back({*frozen, Value(), false, /*open=*/true});
      ranges.push_back({Value(), Value(), true, false});
    } else {
      std::vector<BucketRange> clipped;  // keys stay: a subset of rows
      for (BucketRange& r : ranges) {
        if (!r.nulls && !r.open && r.hi.Compare(*frozen) <= 0) continue;
        if (!r.nulls && r.lo.Compare(*frozen) < 0) r.lo = *frozen;
        clipped.push_back(std::move(r));
      }
      ranges = std::move(clipped);
      if (ranges.empty()) return;  // every change was below the horizon
    }
  }

  std::unique_ptr<Transaction> txn = ValueOrThrow(view->NewTransaction(view_snap->version()));
  txn->SetSegmentDefaults(db_->options().segment_options);
  const Schema& schema = view_snap->schema();
  std::vector<TypeId> types;
  for (const Field& f : schema.fields) types.push_back(f.type);
  auto fill = [&](ParsedExpressionPtr range) {
    std::unique_ptr<SelectNode> query = MaterializeQuery(sql, latest, std::move(range));
    OpenedSelect opened = OpenSelect(*query);
    if (opened.schema.size() != schema.size()) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "materialized view " + name + " no longer matches its source's columns: "
                       "drop and create it again");
    }
    DataChunk chunk;
    while (opened.root->Next(&chunk)) {
      ctx_.CheckCancelled();
      CastChunkTo(&chunk, types);
      ThrowIfError(txn->AddRows(std::move(chunk)));
      chunk = DataChunk();
    }
  };
  Binder binder = NewBinder();
  if (full) {
    for (const AddAction& f : view_snap->files()) ThrowIfError(txn->RemoveFile(f));
    fill(nullptr);
  } else {
    // One pass removes every touched bucket (a view file is rewritten at
    // most once, so the rows it keeps are never added twice), then each
    // range is re-aggregated.
    ParsedExpressionPtr in_view;
    std::vector<ParsedExpressionPtr> in_source;
    for (const BucketRange& r : ranges) {
      ParsedExpressionPtr v;
      if (r.nulls) {
        v = IsNull(Column(def.bucket_column));
        in_source.push_back(IsNull(Column(def.ts_column)));
      } else if (r.open) {
        v = Op(">=", Column(def.bucket_column), MakeConstant(r.lo, 0));
        in_source.push_back(Op(">=", Column(def.ts_column), MakeConstant(r.lo, 0)));
      } else {
        v = Op("AND", Op(">=", Column(def.bucket_column), MakeConstant(r.lo, 0)),
               Op("<", Column(def.bucket_column), MakeConstant(r.hi, 0)));
        in_source.push_back(Op("AND", Op(">=", Column(def.ts_column), MakeConstant(r.lo, 0)),
                               Op("<", Column(def.ts_column), MakeConstant(r.hi, 0))));
      }
      in_view = in_view ? Op("OR", std::move(in_view), std::move(v)) : std::move(v);
    }
    if (!in_view) return;
    for (const KeyBound& k : keys) {
      const std::string& view_column = schema.fields[k.view_index].name;
      in_view = Op("AND", std::move(in_view),
                   Op("AND", Op(">=", Column(view_column), MakeConstant(k.lo, 0)),
                      Op("<=", Column(view_column), MakeConstant(k.hi, 0))));
      for (ParsedExpressionPtr& range : in_source) {
        range = Op("AND", std::move(range),
                   Op("AND", Op(">=", Column(k.source_column), MakeConstant(k.lo, 0)),
                      Op("<=", Column(k.source_column), MakeConstant(k.hi, 0))));
      }
    }
    BoundExpressionPtr predicate =
        binder.BindTablePredicate(*in_view, view->name(), schema, "REFRESH MATERIALIZED VIEW");
    RemoveRows(*view, view_snap, *predicate, txn.get());
    for (ParsedExpressionPtr& range : in_source) fill(std::move(range));
  }
  if (latest > done) ThrowIfError(txn->SetTxn(kSourceApp, latest));
  std::string buckets;
  for (const BucketRange& r : ranges) {
    if (!buckets.empty()) buckets += ", ";
    buckets += r.nulls  ? "NULL"
               : r.open ? "[" + r.lo.ToString() + ", ...)"
                        : "[" + r.lo.ToString() + ", " + r.hi.ToString() + ")";
  }
  std::map<std::string, std::string> params = {{"source", source->name()},
                                                {"sourceVersion", std::to_string(latest)},
                                                {"mode", full ? "full" : "incremental"},
                                                {"buckets", full ? "all" : buckets}};
  std::string key_text;
  for (const KeyBound& k : keys) {
    if (!key_text.empty()) key_text += ", ";
    key_text += k.source_column + " in [" + k.lo.ToString() + ", " + k.hi.ToString() + "]";
  }
  if (!key_text.empty()) params["keys"] = key_text;
  Result<CommitResult> committed = txn->Commit("MATERIALIZED VIEW REFRESH", std::move(params));
  if (!committed.ok()) throw QueryError(committed.status());
}

Status QueryEngine::MaintainMaterializedViews(Database* db, const TableFunctionRegistry* functions,
                                              const std::string& table) {
  try {
    StatementExecutor(db, functions, ExecutionContext{}).MaintainMaterializedViews(table);
    return Status::OK();
  } catch (const QueryError& e) {
    return e.status().ok() ? Status::InvalidArgument(e.message()) : e.status();
  }
}

Result<CommitResult> QueryEngine::ApplyRetentionBehindViews(
    Database* db, const TableFunctionRegistry* functions, const std::string& table,
    const std::map<std::string, std::string>& parameters, std::string* held_back) {
  held_back->clear();
  try {
    std::shared_ptr<Table> t = ValueOrThrow(db->GetTable(table));
    std::shared_ptr<const Snapshot> snapshot = ValueOrThrow(t->GetSnapshot());
    if (!snapshot->metadata().configuration.count("retention")) return CommitResult{};
    StatementExecutor executor(db, functions, ExecutionContext{});
    executor.MaintainMaterializedViews(t->name());
    // Every view reading the table must hold the buckets of the version
    // retention starts from; one that could not catch up keeps the rows.
    const int64_t latest = snapshot->version();
    for (const std::string& v : ViewsOver(db, t->name())) {
      std::shared_ptr<const Snapshot> view = ValueOrThrow(ValueOrThrow(db->GetTable(v))->GetSnapshot());
      auto app = view->app_versions().find(kSourceApp);
      const int64_t done = app == view->app_versions().end() ? -1 : app->second;
      // A refresh that found no changed file records nothing, so a view
      // may hold an older version whose files are the latest's (an ALTER
      // since, say): it covers the latest then too.
      bool covered = done >= latest;
      if (!covered && done >= 0) {
        std::shared_ptr<const Snapshot> held = ValueOrThrow(t->GetSnapshot(done));
        std::set<std::string> a, b;
        for (const AddAction& f : held->files()) a.insert(f.path);
        for (const AddAction& f : snapshot->files()) b.insert(f.path);
        covered = a == b;
      }
      if (!covered) {
        *held_back = "retention held back: materialized view " + v + " holds version " +
                     std::to_string(done) + " of " + t->name() + ", not yet " +
                     std::to_string(latest);
        return CommitResult{};
      }
    }
    return executor.ApplyRetentionPolicy(t->name(), /*rewrite_straddling=*/false, parameters);
  } catch (const QueryError& e) {
    return e.status().ok() ? Status::InvalidArgument(e.message()) : e.status();
  }
}

}  // namespace tsl::query
