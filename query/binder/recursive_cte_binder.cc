// WITH RECURSIVE t AS (anchor UNION [ALL] step): run to its fixpoint while
// binding, as uncorrelated subqueries are (binder.h), and served as a
// source over the rows. The anchor runs once; then the step runs again and
// again with `t` reading the rows the previous iteration added (the working
// table), until an iteration adds none. UNION drops rows already in the
// result (and duplicates within an iteration); UNION ALL keeps them all.
// The step's columns are cast to the anchor's types, as DuckDB does. The
// step is bound and planned afresh each iteration (a plan runs once), like
// a correlated subquery per key. A recursion that never ends is bounded by
// memory_limit (the result and working table are reserved as they grow)
// and stops at an interrupt (the cancel flag is checked every iteration),
// which is DuckDB's behaviour too: it loops until memory runs out.
// Thread-safety: one Binder per statement; a served result has one reader.
#include <unordered_set>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_hash_aggregate.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

// Serves rows held in memory, a copy of each chunk per Next (the plan may
// move columns out of what it is given).
class RecursiveRowsSource : public ChunkSource {
 public:
  RecursiveRowsSource(std::shared_ptr<const RecursiveRows> rows,
                      std::unique_ptr<MemoryReservation> memory)
      : rows_(std::move(rows)), memory_(std::move(memory)) {}
  const Schema& schema() const override { return rows_->schema; }
  Result<bool> Next(DataChunk* out) override {
    if (next_ >= rows_->chunks.size()) return false;
    *out = rows_->chunks[next_++];
    return true;
  }

 private:
  std::shared_ptr<const RecursiveRows> rows_;
  std::unique_ptr<MemoryReservation> memory_;  // the rows' bytes, while served
  size_t next_ = 0;
};

// Recursive CTEs evaluated inside one another on this thread (a step that
// reads its CTE from a correlated subquery would start over each time).
thread_local int recursive_cte_nesting = 0;
constexpr int kMaxRecursiveCteNesting = 16;

bool SameColumnTypes(const DataChunk& a, const DataChunk& b) {
  if (a.columns.size() != b.columns.size()) return false;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    if (a.columns[c].type != b.columns[c].type || a.columns[c].dictionary_form ||
        b.columns[c].dictionary_form) {
      return false;
    }
  }
  return true;
}

// Appends `chunk` to `chunks`, filling the last chunk up to kVectorSize rows
// first: a recursion adding a row per iteration must hold its result as
// rows, not as one chunk (hundreds of bytes of structs) per iteration.
// Returns the change in the held bytes (ApproxChunkBytes).
int64_t AppendCoalesced(const DataChunk& chunk, std::vector<DataChunk>* chunks) {
  if (chunk.size() == 0) return 0;
  if (!chunks->empty() && chunks->back().size() + chunk.size() <= kVectorSize &&
      SameColumnTypes(chunks->back(), chunk)) {
    DataChunk& last = chunks->back();
    const int64_t before = ApproxChunkBytes(last);
    for (size_t c = 0; c < chunk.columns.size(); ++c) {
      last.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
    }
    return ApproxChunkBytes(last) - before;
  }
  chunks->push_back(chunk);
  return ApproxChunkBytes(chunks->back());
}

std::string RowKey(const DataChunk& chunk, size_t row) {
  std::string key;
  for (const ColumnVector& c : chunk.columns) SerializeKey(VectorView{&c, false}, row, &key);
  return key;
}

}  // namespace

bool Binder::IsRecursiveUnion(size_t i) const {
  const CommonTableExpression& cte = *ctes_[i].cte;
  if (!cte.recursive || !cte.query) return false;
  const TableRef& from = cte.query->from;
  return from.kind == TableRef::Kind::kSetOp && from.setop_inputs.size() >= 2 &&
         (from.setop == SetOpKind::kUnion || from.setop == SetOpKind::kUnionAll);
}

void Binder::BindWorkingTable(const RecursiveRows& rows, BoundSource* source) {
  auto copy = std::make_shared<RecursiveRows>(rows);
  source->kind = BoundSource::Kind::kFunction;
  source->schema = copy->schema;
  source->function_source = std::make_unique<RecursiveRowsSource>(std::move(copy), nullptr);
}

void Binder::BindRecursiveCte(size_t i, const TableRef& ref, BoundSource* source) {
  const CommonTableExpression& cte = *ctes_[i].cte;
  const SelectNode& body = *cte.query;
  if (body.limit || body.offset) {
    throw QueryError(ErrorKind::kParser, "LIMIT or OFFSET in a recursive query is not allowed",
                     body.position);
  }
  if (!body.order_by.empty() || body.order_by_all) {
    throw QueryError(ErrorKind::kParser, "ORDER BY in a recursive query is not allowed",
                     body.position);
  }
  if (!cte.using_key.empty()) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "WITH RECURSIVE ... USING KEY is not supported yet", cte.position);
  }
  if (recursive_cte_nesting >= kMaxRecursiveCteNesting) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "recursive CTE \"" + cte.name +
                         "\" is read from a correlated subquery of its own step, which is not "
                         "supported",
                     ref.position);
  }
  struct Nesting {
    Nesting() { ++recursive_cte_nesting; }
    ~Nesting() { --recursive_cte_nesting; }
  } nesting;

  const auto& inputs = body.from.setop_inputs;
  const bool distinct = body.from.setop == SetOpKind::kUnion;
  // Bind with only the CTEs defined up to this one visible; while the
  // anchor binds, a reference to the CTE is circular.
  std::vector<CteScope> outer(ctes_.begin(), ctes_.begin() + static_cast<long>(i) + 1);
  std::swap(outer, ctes_);
  struct Restore {
    std::vector<CteScope>* ctes;
    std::vector<CteScope>* saved;
    ~Restore() { std::swap(*ctes, *saved); }
  } restore{&ctes_, &outer};
  // ctes_[i] is indexed each time: binding pushes nested WITHs onto ctes_,
  // which may move its elements.

  auto rows = std::make_shared<RecursiveRows>();
  bool have_schema = false;
  auto memory = std::make_unique<MemoryReservation>("RECURSIVE CTE");
  int64_t result_bytes = 0;
  int64_t working_bytes = 0;  // the rows the running step reads
  // UNION: the key of every row of the result, and what the set holds for
  // each (a hash node, a bucket, the string).
  std::unordered_set<std::string> seen;
  constexpr int64_t kSeenNodeBytes = 72;
  int64_t seen_bytes = 0;

  // Runs one input query; the rows new to the result (UNION) are returned.
  auto run = [&](const SelectNode& query) {
    std::unique_ptr<BoundSelect> bound = BindSelect(query);
    if (!have_schema) {
      rows->schema = bound->output;
      for (size_t k = 0; k < cte.column_aliases.size() && k < rows->schema.size(); ++k) {
        rows->schema.fields[k].name = cte.column_aliases[k];
      }
      have_schema = true;
    } else if (bound->visible != rows->schema.size()) {
      throw QueryError(ErrorKind::kBinder,
                       "Set operations can only apply to expressions with the same number of "
                       "result columns (" + std::to_string(rows->schema.size()) +
                           " in the anchor of recursive CTE \"" + cte.name + "\", " +
                           std::to_string(bound->visible) + " in its step)",
                       query.position);
    }
    for (size_t k = 0; k < rows->schema.size(); ++k) {
      const TypeId want = rows->schema.fields[k].type;
      if (bound->projection[k]->type == want || want == TypeId::kNull) continue;
      bound->projection[k] = MakeBoundCast(std::move(bound->projection[k]), want);
      bound->output.fields[k].type = want;
    }
    std::unique_ptr<PhysicalOperator> root = Planner(exec_ctx_).Plan(*bound);
    std::vector<DataChunk> added;
    int64_t added_bytes = 0;
    DataChunk chunk;
    while (root->Next(&chunk)) {
      exec_ctx_.CheckCancelled();
      if (distinct) {
        std::vector<uint32_t> sel;
        for (size_t r = 0; r < chunk.size(); ++r) {
          std::string key = RowKey(chunk, r);
          const int64_t key_bytes = static_cast<int64_t>(key.capacity()) + kSeenNodeBytes;
          if (seen.insert(std::move(key)).second) {
            sel.push_back(static_cast<uint32_t>(r));
            seen_bytes += key_bytes;
          }
        }
        if (sel.empty()) continue;
        if (sel.size() < chunk.size()) {
          DataChunk kept;
          kept.columns.resize(chunk.columns.size());
          for (size_t c = 0; c < chunk.columns.size(); ++c) {
            kept.columns[c].type = chunk.columns[c].type;
            kept.columns[c].AppendSelection(chunk.columns[c], sel);
          }
          chunk = std::move(kept);
        }
      }
      added_bytes += ApproxChunkBytes(chunk);
      // The result, the working table and this iteration's rows.
      memory->Resize(result_bytes + working_bytes + added_bytes + seen_bytes);
      added.push_back(std::move(chunk));
      chunk = DataChunk();
    }
    return std::make_pair(std::move(added), added_bytes);
  };

  // The anchor: every input but the last.
  std::vector<DataChunk> working;
  ctes_[i].binding = true;
  for (size_t k = 0; k + 1 < inputs.size(); ++k) {
    auto [added, bytes] = run(*inputs[k]);
    for (DataChunk& c : added) working.push_back(std::move(c));
    working_bytes += bytes;
  }
  ctes_[i].binding = false;
  for (const DataChunk& c : working) result_bytes += AppendCoalesced(c, &rows->chunks);

  // The step, until it adds nothing.
  while (!working.empty()) {
    exec_ctx_.CheckCancelled();
    auto table = std::make_shared<RecursiveRows>();
    table->schema = rows->schema;
    table->chunks = std::move(working);
    ctes_[i].working = std::move(table);
    ctes_[i].working_reads = 0;
    std::pair<std::vector<DataChunk>, int64_t> step;
    try {
      step = run(*inputs.back());
    } catch (...) {
      ctes_[i].working = nullptr;
      throw;
    }
    ctes_[i].working = nullptr;
    working = std::move(step.first);
    working_bytes = step.second;
    for (const DataChunk& c : working) result_bytes += AppendCoalesced(c, &rows->chunks);
    memory->Resize(result_bytes + working_bytes + seen_bytes);
    // A step that never reads the CTE is an ordinary UNION input: it runs
    // once (WITH RECURSIVE over a plain union must not loop, as in DuckDB).
    if (ctes_[i].working_reads == 0) break;
  }

  source->kind = BoundSource::Kind::kFunction;
  source->name = ref.name;
  source->schema = rows->schema;
  source->function_source = std::make_unique<RecursiveRowsSource>(std::move(rows), std::move(memory));
}

}  // namespace tsl::query
