// Binding of GROUPING SETS / ROLLUP / CUBE (parsed by
// parser/group_by_parser.cc) and of grouping() / grouping_id(). The sets
// become BoundSelect::grouping_sets over the bound groups, and two hidden
// groups are appended: the set's index and its mask of absent groups
// (bit i set: group i is NULL in this set's rows). grouping(a, b, ...) is
// DuckDB's bit string read off that mask: one bit per argument, the first
// argument the most significant, set when the argument is not grouped in
// the row's set. Without grouping sets every group is present and
// grouping() is 0. Thread-safety: one Binder per statement.
#include <algorithm>

#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

// The mask is a BIGINT: at most 62 groups keep every bit non-negative.
constexpr size_t kMaxGroupingColumns = 62;

// Placeholder keys of the hidden groups: no bound expression prints so.
const char* const kSetKey = "\x01grouping set";
const char* const kMaskKey = "\x01grouping mask";

BoundExpressionPtr Op(OpCode op, BoundExpressionPtr a, BoundExpressionPtr b) {
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kOperator;
  e->type = TypeId::kBigint;
  e->op = op;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

}  // namespace

void Binder::BindGroupingSets(const SelectNode& node, const std::vector<int>& group_of_expr,
                              size_t implied_groups, BoundSelect* select,
                              std::vector<std::string>* group_keys) {
  if (implied_groups > 0) {
    throw QueryError(ErrorKind::kBinder,
                     "SAMPLE BY and time_bucket_gapfill cannot be combined with GROUPING SETS, "
                     "ROLLUP or CUBE",
                     node.position);
  }
  if (select->groups.size() > kMaxGroupingColumns) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "GROUPING SETS, ROLLUP and CUBE support at most " +
                         std::to_string(kMaxGroupingColumns) + " distinct grouping columns",
                     node.position);
  }
  // node.group_by[i] was bound as group_of_expr[i] (GROUP BY ALL, whose
  // items would come first, never has grouping sets).
  for (const std::vector<int>& parsed : node.grouping_sets) {
    std::vector<int> set;
    for (int i : parsed) set.push_back(group_of_expr.at(static_cast<size_t>(i)));
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    select->grouping_sets.push_back(std::move(set));
  }
  select->groups.push_back(MakeBoundConstant(Value::Bigint(0), node.position));
  group_keys->push_back(kSetKey);
  select->groups.push_back(MakeBoundConstant(Value::Bigint(0), node.position));
  group_keys->push_back(kMaskKey);
}

BoundExpressionPtr Binder::BindGroupingFunction(const ParsedExpression& expr, Context& ctx) {
  if (ctx.in_aggregate || expr.window || expr.distinct || expr.filter ||
      !expr.agg_order.empty()) {
    throw QueryError(ErrorKind::kBinder, "GROUPING function is not supported here",
                     expr.position);
  }
  if (!ctx.select || !ctx.group_keys) {
    throw QueryError(ErrorKind::kBinder, "GROUPING statement cannot be used without groups",
                     expr.position);
  }
  if (expr.children.empty()) {
    throw QueryError(ErrorKind::kParser, "syntax error at or near \")\"", expr.position);
  }
  if (expr.children.size() > kMaxGroupingColumns) {
    throw QueryError(ErrorKind::kBinder,
                     "GROUPING takes at most " + std::to_string(kMaxGroupingColumns) +
                         " arguments",
                     expr.position);
  }
  const BoundSelect& select = *ctx.select;
  const bool sets = !select.grouping_sets.empty();
  const size_t real_groups = select.groups.size() - (sets ? 2 : 0);
  std::vector<size_t> groups;
  for (const auto& child : expr.children) {
    Context plain;
    plain.scope = ctx.scope;
    plain.clause = "GROUPING";
    const std::string key = Bind(*child, plain)->ToString();
    size_t g = 0;
    while (g < real_groups && (*ctx.group_keys)[g] != key) ++g;
    if (g == real_groups) {
      throw QueryError(ErrorKind::kBinder,
                       "GROUPING child \"" + child->ToString() + "\" must be a grouping column",
                       child->position);
    }
    groups.push_back(g);
  }
  if (!sets) return MakeBoundConstant(Value::Bigint(0), expr.position);
  // sum over arguments j of ((mask // 2^g_j) % 2) * 2^(m-1-j)
  const int mask_column = static_cast<int>(select.groups.size()) - 1;
  BoundExpressionPtr result;
  const size_t m = groups.size();
  for (size_t j = 0; j < m; ++j) {
    BoundExpressionPtr bit =
        Op(OpCode::kMod,
           Op(OpCode::kIntDiv, MakeBoundColumn(mask_column, TypeId::kBigint, "grouping mask"),
              MakeBoundConstant(Value::Bigint(int64_t{1} << groups[j]))),
           MakeBoundConstant(Value::Bigint(2)));
    bit = Op(OpCode::kMul, std::move(bit),
             MakeBoundConstant(Value::Bigint(int64_t{1} << (m - 1 - j))));
    result = result ? Op(OpCode::kAdd, std::move(result), std::move(bit)) : std::move(bit);
  }
  result->position = expr.position;
  return result;
}

}  // namespace tsl::query
