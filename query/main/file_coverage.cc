// Zone-map reasoning shared by DELETE and UPDATE: whether a predicate can
// match none, all or some of a segment file's rows, from its add stats
// alone. See file_coverage.h. Thread-safety: pure functions.
#include "query/main/file_coverage.h"

namespace tsl::query {
namespace {

// One conjunct `column <op> constant` over [min, max] of a file. `all`
// requires the file to hold no NULL in the column (NULL never matches).
Coverage ConjunctCoverage(OpCode op, const Value& v, const Value& min, const Value& max,
                          bool has_nulls) {
  int lo = min.Compare(v);  // min <=> v
  int hi = max.Compare(v);  // max <=> v
  bool none = false, all = false;
  switch (op) {
    case OpCode::kEq:
      none = lo > 0 || hi < 0;
      all = lo == 0 && hi == 0;
      break;
    case OpCode::kLt:
      none = lo >= 0;
      all = hi < 0;
      break;
    case OpCode::kLe:
      none = lo > 0;
      all = hi <= 0;
      break;
    case OpCode::kGt:
      none = hi <= 0;
      all = lo > 0;
      break;
    case OpCode::kGe:
      none = hi < 0;
      all = lo >= 0;
      break;
    default:
      return Coverage::kSome;
  }
  if (none) return Coverage::kNone;
  return all && !has_nulls ? Coverage::kAll : Coverage::kSome;
}

}  // namespace

void Conjuncts(const BoundExpression& e, std::vector<const BoundExpression*>* out) {
  if (e.kind == BoundKind::kAnd) {
    for (const auto& c : e.children) Conjuncts(*c, out);
  } else {
    out->push_back(&e);
  }
}

namespace {

OpCode Mirror(OpCode op) {
  switch (op) {
    case OpCode::kLt:
      return OpCode::kGt;
    case OpCode::kLe:
      return OpCode::kGe;
    case OpCode::kGt:
      return OpCode::kLt;
    case OpCode::kGe:
      return OpCode::kLe;
    default:
      return op;
  }
}

}  // namespace

Coverage FileCoverage(const BoundExpression& predicate, const Schema& physical,
                      const AddAction& file) {
  const FileStats& stats = file.stats;
  if (stats.num_records == 0) return Coverage::kNone;
  std::vector<const BoundExpression*> conjuncts;
  Conjuncts(predicate, &conjuncts);
  bool all = stats.num_records > 0;
  for (const BoundExpression* c : conjuncts) {
    if (c->kind == BoundKind::kConstant && c->type == TypeId::kBoolean) {
      if (c->value.is_null() || !c->value.bool_value()) return Coverage::kNone;
      continue;
    }
    if (c->kind != BoundKind::kOperator || c->children.size() != 2) {
      all = false;
      continue;
    }
    const BoundExpression* col = c->children[0].get();
    const BoundExpression* val = c->children[1].get();
    OpCode op = c->op;
    if (col->kind == BoundKind::kConstant && val->kind == BoundKind::kColumnRef) {
      std::swap(col, val);
      op = Mirror(op);
    }
    // A column beyond the table's (an UPDATE ... FROM source's) is no
    // file column: its conjunct decides nothing here.
    if (col->kind != BoundKind::kColumnRef || val->kind != BoundKind::kConstant ||
        val->type != col->type || col->column < 0 ||
        static_cast<size_t>(col->column) >= physical.fields.size()) {
      all = false;
      continue;
    }
    if (val->value.is_null()) return Coverage::kNone;  // x <op> NULL is never TRUE
    const std::string& name = physical.fields[col->column].name;
    auto nulls = stats.null_count.find(name);
    auto min = stats.min_values.find(name);
    auto max = stats.max_values.find(name);
    if (min == stats.min_values.end() || max == stats.max_values.end()) {
      // No min/max: every value NULL (when the counts say so), else unknown.
      if (nulls != stats.null_count.end() && stats.num_records > 0 &&
          nulls->second == stats.num_records) {
        return Coverage::kNone;
      }
      all = false;
      continue;
    }
    bool has_nulls = nulls == stats.null_count.end() || nulls->second != 0;
    Coverage cov = ConjunctCoverage(op, val->value, min->second, max->second, has_nulls);
    if (cov == Coverage::kNone) return Coverage::kNone;
    if (cov != Coverage::kAll) all = false;
  }
  return all ? Coverage::kAll : Coverage::kSome;
}

}  // namespace tsl::query
