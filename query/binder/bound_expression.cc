// Construction, copying and rendering of bound expressions. See
// bound_expression.h.
#include "query/binder/bound_expression.h"

#include "formats/date.h"

#include "query/execution/time_zone_setting.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

const char* OpText(OpCode op) {
  switch (op) {
    case OpCode::kAdd:
      return "+";
    case OpCode::kSub:
      return "-";
    case OpCode::kMul:
      return "*";
    case OpCode::kDiv:
      return "/";
    case OpCode::kIntDiv:
      return "//";
    case OpCode::kMod:
      return "%";
    case OpCode::kNeg:
      return "-";
    case OpCode::kConcat:
      return "||";
    case OpCode::kEq:
      return "=";
    case OpCode::kNe:
      return "<>";
    case OpCode::kLt:
      return "<";
    case OpCode::kLe:
      return "<=";
    case OpCode::kGt:
      return ">";
    case OpCode::kGe:
      return ">=";
  }
  return "?";
}

std::string JoinChildren(const std::vector<BoundExpressionPtr>& children, size_t from,
                         const char* sep) {
  std::string out;
  for (size_t i = from; i < children.size(); ++i) {
    if (i > from) out += sep;
    out += children[i]->ToString();
  }
  return out;
}

}  // namespace

BoundExpression::~BoundExpression() {
  if (children.empty()) return;
  std::vector<BoundExpressionPtr> pending;
  for (auto& c : children) {
    if (c) pending.push_back(std::move(c));
  }
  while (!pending.empty()) {
    BoundExpressionPtr next = std::move(pending.back());
    pending.pop_back();
    for (auto& c : next->children) {
      if (c) pending.push_back(std::move(c));
    }
  }  // `next` is freed here with nothing left below it
}

std::string BoundExpression::ToString() const {
  switch (kind) {
    case BoundKind::kConstant:
      if (value.is_null()) return "NULL";
      if (type == TypeId::kVarchar) return "'" + value.string_value() + "'";
      if (type == TypeId::kTimestamp || type == TypeId::kInterval) {
        return std::string(TypeName(type)) + " '" + value.ToString() + "'";
      }
      return value.ToString();
    case BoundKind::kColumnRef:
      return std::string("#") + std::to_string(column);
    case BoundKind::kTry:
      return "TRY(" + children[0]->ToString() + ")";
    case BoundKind::kCast:
      return "CAST(" + children[0]->ToString() + " AS " + std::string(TypeName(type)) + ")";
    case BoundKind::kOperator:
      if (op == OpCode::kNeg) return "(-" + children[0]->ToString() + ")";
      {  // an n-ary chain renders as its nested binary form
        std::string out(children.size() - 1, '(');
        out += children[0]->ToString();
        for (size_t i = 1; i < children.size(); ++i) {
          out += std::string(" ") + OpText(op) + " " + children[i]->ToString() + ")";
        }
        return out;
      }
    case BoundKind::kFunction:
      return name + std::string("(") + JoinChildren(children, 0, ", ") + ")";
    case BoundKind::kAnd:
      return std::string("(") + JoinChildren(children, 0, " AND ") + ")";
    case BoundKind::kOr:
      return std::string("(") + JoinChildren(children, 0, " OR ") + ")";
    case BoundKind::kNot:
      return "(NOT " + children[0]->ToString() + ")";
    case BoundKind::kIsNull:
      return std::string("(") + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundKind::kSubquery:
      return subquery->ToString() + "(" + JoinChildren(children, 0, ", ") + ")";
    case BoundKind::kIn:
      if (in_set) {
        return std::string("(") + children[0]->ToString() + (negated ? " NOT IN " : " IN ") +
               "hash set of " + std::to_string(in_set->size()) +
               (in_set->has_null() ? " values and NULL)" : " values)");
      }
      return std::string("(") + children[0]->ToString() + (negated ? " NOT IN (" : " IN (") +
             JoinChildren(children, 1, ", ") + "))";
    case BoundKind::kLike:
      return std::string("(") + children[0]->ToString() + (negated ? " NOT" : "") +
             (case_insensitive ? " ILIKE " : " LIKE ") + children[1]->ToString() + ")";
    case BoundKind::kCase: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        out += " WHEN " + children[i]->ToString() + " THEN " + children[i + 1]->ToString();
      }
      return out + " ELSE " + children.back()->ToString() + " END";
    }
    case BoundKind::kCoalesce:
      return "COALESCE(" + JoinChildren(children, 0, ", ") + ")";
  }
  return "?";
}

BoundExpressionPtr BoundExpression::Copy() const {
  auto out = std::make_unique<BoundExpression>();
  out->kind = kind;
  out->type = type;
  out->position = position;
  out->value = value;
  out->column = column;
  out->op = op;
  out->function = function;
  out->negated = negated;
  out->case_insensitive = case_insensitive;
  out->comparison_cast = comparison_cast;
  out->zone = zone;
  out->name = name;
  out->in_set = in_set;
  out->subquery = subquery;
  for (const auto& c : children) out->children.push_back(c->Copy());
  return out;
}

InSet::InSet(TypeId type, const std::vector<Value>& values) : type_(type) {
  for (const Value& v : values) {
    if (v.is_null()) {
      has_null_ = true;
      continue;
    }
    bool added = false;
    switch (PhysicalClassOf(type)) {
      case PhysicalClass::kInt64:
        added = ints_.insert(v.int_value()).second;
        break;
      case PhysicalClass::kDouble:
        added = doubles_.insert(v.AsDouble()).second;
        break;
      case PhysicalClass::kString:
        added = strings_.insert(v.string_value()).second;
        break;
    }
    size_ += added ? 1 : 0;
  }
}

int InSet::Probe(const Value& x) const {
  if (x.is_null()) return -1;
  bool found = false;
  switch (PhysicalClassOf(type_)) {
    case PhysicalClass::kInt64:
      found = ContainsInt(x.int_value());
      break;
    case PhysicalClass::kDouble:
      found = ContainsDouble(x.AsDouble());
      break;
    case PhysicalClass::kString:
      found = ContainsString(x.string_value());
      break;
  }
  if (found) return 1;
  return has_null_ ? -1 : 0;
}

BoundExpressionPtr MakeBoundConstant(Value v, int position) {
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kConstant;
  e->type = v.type();
  e->value = std::move(v);
  e->position = position;
  return e;
}

bool ReadsRow(const BoundExpression& e) {
  std::vector<const BoundExpression*> stack{&e};  // iterative: any depth
  while (!stack.empty()) {
    const BoundExpression* x = stack.back();
    stack.pop_back();
    if (x->kind == BoundKind::kColumnRef || x->kind == BoundKind::kSubquery) return true;
    for (const auto& c : x->children) stack.push_back(c.get());
  }
  return false;
}

BoundExpressionPtr MakeBoundColumn(int column, TypeId type, std::string name) {
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kColumnRef;
  e->column = column;
  e->type = type;
  e->name = std::move(name);
  return e;
}

BoundExpressionPtr MakeBoundCast(BoundExpressionPtr child, TypeId target) {
  if (child->type == target) return child;
  if (child->kind == BoundKind::kConstant) {
    int position = child->position;
    Value v = CastValue(child->value, target);
    return MakeBoundConstant(std::move(v), position);
  }
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kCast;
  e->type = target;
  e->position = child->position;
  if (CastNeedsTimeZone(child->type, target)) e->zone = CurrentTimeZone();
  e->children.push_back(std::move(child));
  return e;
}

BoundExpressionPtr MakeComparisonCast(BoundExpressionPtr child, TypeId target) {
  if (child->type != TypeId::kDate || target != TypeId::kTimestamp)
    return MakeBoundCast(std::move(child), target);
  // A constant folds as an ordinary cast: DuckDB fails such a literal too.
  if (child->kind == BoundKind::kConstant) return MakeBoundCast(std::move(child), target);
  BoundExpressionPtr e = MakeBoundCast(std::move(child), target);
  e->comparison_cast = true;
  return e;
}

}  // namespace tsl::query
