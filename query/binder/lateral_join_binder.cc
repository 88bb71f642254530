// LATERAL joins: a subquery or table function on the right of a join that
// names columns of the FROM items before it (with the word LATERAL or, as
// DuckDB allows, without it). The right side is bound once with the left's
// columns as an enclosing scope, as a correlated subquery is: the columns
// it reads become the join's keys, bound as typed NULLs to learn its
// shape. If it reads none it is an ordinary join. Otherwise the join is a
// BoundSource of kind kLateral whose LateralSubquery binds, plans and runs
// the right side once per distinct key with the values substituted as
// constants, and caches the rows per key (execution/physical_lateral_join
// pairs them with the left rows).
// Thread-safety: Binder is per statement; LateralSubquery::Rows may be
// called from several threads (the cache is under a mutex).
#include <unordered_map>

#include "formats/mutex.h"
#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/cast_function.h"
#include "query/planner/planner.h"

namespace tsl::query {

class LateralSubquery : public LateralEvaluator {
 public:
  LateralSubquery(const Binder& outer, std::shared_ptr<const SelectNode> node,
                  std::vector<Binder::ScopeColumn> columns, std::vector<TypeId> types)
      : db_(outer.db_),
        functions_(outer.functions_),
        ctx_(outer.exec_ctx_),
        node_(std::move(node)),
        columns_(std::move(columns)),
        types_(std::move(types)),
        outer_substitutions_(outer.substitutions_),
        snapshot_provider_(outer.snapshot_provider_) {
    if (outer.params_) params_ = *outer.params_;
    for (const Binder::CteScope& c : outer.ctes_) ctes_.push_back(*c.cte);
  }

  std::string ToString() const override {
    std::string keys;
    for (const Binder::ScopeColumn& c : columns_) {
      keys += (keys.empty() ? "" : ", ") + c.table + "." + c.name;
    }
    return "LATERAL (" + keys + ")";
  }

  std::shared_ptr<const std::vector<DataChunk>> Rows(const std::vector<Value>& keys) override {
    std::string key;
    for (const Value& k : keys) {
      key += k.is_null() ? std::string("\x01N") : "\x02" + k.ToString();
      key += '\x1f';
    }
    {
      tsl::MutexLock lock(mu_);
      auto it = cache_.find(key);
      if (it != cache_.end()) return it->second;
    }
    // Run outside the lock (a parallel plan inside must not wait on it).
    auto rows = std::make_shared<const std::vector<DataChunk>>(Run(keys));
    int64_t bytes = static_cast<int64_t>(key.size()) + 64;
    for (const DataChunk& c : *rows) bytes += ApproxChunkBytes(c);
    tsl::MutexLock lock(mu_);
    memory_.Grow(bytes);  // throws past the memory limit
    cache_.emplace(key, rows);
    return rows;
  }

 private:
  std::vector<DataChunk> Run(const std::vector<Value>& keys) {
    Binder binder(db_, functions_);
    binder.SetExecutionContext(ctx_);
    binder.SetParameters(&params_);
    if (snapshot_provider_) binder.SetSnapshotProvider(snapshot_provider_);
    for (const CommonTableExpression& c : ctes_) binder.ctes_.push_back({&c, false});
    // The nearest scope wins: the keys before the enclosing queries' values.
    for (size_t i = 0; i < keys.size(); ++i) {
      Value v = keys[i];
      v = v.is_null() ? Value::Null(columns_[i].type) : v;
      binder.substitutions_.push_back({columns_[i], std::move(v)});
    }
    for (const Binder::Substitution& s : outer_substitutions_) binder.substitutions_.push_back(s);
    std::unique_ptr<BoundSelect> sub = binder.BindSelect(*node_);
    if (sub->visible != types_.size()) {
      throw QueryError(ErrorKind::kBinder, "LATERAL subquery changed its number of columns");
    }
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*sub);
    std::vector<DataChunk> out;
    DataChunk chunk;
    while (root->Next(&chunk)) {
      ctx_.CheckCancelled();
      DataChunk kept;
      kept.Initialize(types_);
      for (size_t c = 0; c < types_.size(); ++c) {
        if (chunk.columns[c].type == types_[c]) {
          kept.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
        } else {
          for (size_t r = 0; r < chunk.size(); ++r) {
            Value v = chunk.columns[c].GetValue(r);
            kept.columns[c].AppendValue(v.is_null() ? Value::Null(types_[c]) : CastValue(v, types_[c]));
          }
        }
      }
      out.push_back(std::move(kept));
    }
    return out;
  }

  Database* db_;
  const TableFunctionRegistry* functions_;
  ExecutionContext ctx_;
  std::shared_ptr<const SelectNode> node_;
  std::vector<Binder::ScopeColumn> columns_;
  std::vector<TypeId> types_;
  std::vector<Binder::Substitution> outer_substitutions_;
  Binder::SnapshotProvider snapshot_provider_;
  std::vector<Value> params_;
  std::vector<CommonTableExpression> ctes_;
  tsl::Mutex mu_;
  MemoryReservation memory_ GUARDED_BY(mu_){"LATERAL JOIN"};
  std::unordered_map<std::string, std::shared_ptr<const std::vector<DataChunk>>> cache_ GUARDED_BY(mu_);
};

bool Binder::BindLateralJoin(const TableRef& ref, BoundSource* source,
                             std::vector<ScopeColumn>* joined) {
  const TableRef& right = *ref.right;
  if (right.kind != TableRef::Kind::kSubquery && right.kind != TableRef::Kind::kTableFunction) {
    if (right.lateral) {
      throw QueryError(ErrorKind::kParser, "LATERAL needs a subquery or a table function",
                       right.position);
    }
    return false;
  }
  // A copy: BindSource appends the right's columns to `joined`.
  const std::vector<ScopeColumn> left_scope(*joined);
  outer_scopes_.push_back(&left_scope);
  frames_.emplace_back();
  try {
    BindSource(right, source->right.get(), joined);
  } catch (...) {
    outer_scopes_.pop_back();
    frames_.pop_back();
    throw;
  }
  outer_scopes_.pop_back();
  CorrelationFrame frame = std::move(frames_.back());
  frames_.pop_back();
  if (frame.own.empty()) return true;  // bound as an ordinary join's right side
  if (ref.join_type != JoinType::kInner && ref.join_type != JoinType::kLeft &&
      ref.join_type != JoinType::kCross) {
    throw QueryError(ErrorKind::kBinder,
                     "The combining JOIN type must be INNER or LEFT for a LATERAL reference",
                     ref.position);
  }
  // The right side's query, re-bound per key: the subquery itself, or
  // SELECT * FROM fn(args).
  std::shared_ptr<const SelectNode> node;
  if (right.kind == TableRef::Kind::kSubquery) {
    node = right.subquery;
  } else {
    auto select = std::make_shared<SelectNode>();
    select->position = right.position;
    auto star = std::make_unique<ParsedExpression>();
    star->kind = ExpressionKind::kStar;
    star->position = right.position;
    select->select_list.push_back(std::move(star));
    select->from.kind = TableRef::Kind::kTableFunction;
    select->from.position = right.position;
    select->from.name = right.name;
    for (const auto& a : right.args) select->from.args.push_back(a->Copy());
    for (const auto& [name, a] : right.named_args) select->from.named_args.emplace_back(name, a->Copy());
    node = std::move(select);
  }
  std::vector<TypeId> types;
  for (const Field& f : source->right->schema.fields) types.push_back(f.type);
  // The keys: each left column read, bound over the left side's scope.
  Context keys;
  keys.scope = &left_scope;
  keys.clause = "LATERAL";
  std::vector<ScopeColumn> key_columns;
  for (const CorrelatedColumn& c : frame.own) {
    ParsedExpression column;
    column.kind = ExpressionKind::kColumnRef;
    column.names = c.names;
    column.position = c.position;
    source->lateral_keys.push_back(Bind(column, keys));
    key_columns.push_back(c.column);
  }
  source->lateral = std::make_shared<LateralSubquery>(*this, std::move(node), std::move(key_columns),
                                                      std::move(types));
  source->kind = BoundSource::Kind::kLateral;
  source->name = "lateral join";
  if (source->join_type == JoinType::kCross) source->join_type = JoinType::kInner;
  // The right side only describes the rows' columns from here on.
  Schema right_schema = source->right->schema;
  *source->right = BoundSource();
  source->right->schema = std::move(right_schema);
  return true;
}

}  // namespace tsl::query
