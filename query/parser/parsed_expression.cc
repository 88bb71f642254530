// Rendering and copying of parsed expressions. See parsed_expression.h.
#include "query/parser/parsed_expression.h"

namespace tsl::query {
namespace {

std::string QuoteIfNeeded(const std::string& name) { return name; }

std::string ConstantToString(const ParsedExpression& e) {
  if (e.value.is_null()) return "NULL";
  if (e.value.type() == TypeId::kVarchar) {
    std::string out = "'";
    for (char c : e.value.string_value()) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  if (e.value.type() == TypeId::kTimestamp) return "'" + e.value.ToString() + "'";
  if (e.value.type() == TypeId::kInterval) return "INTERVAL '" + e.value.ToString() + "'";
  if (e.value.type() == TypeId::kDate) return "DATE '" + e.value.ToString() + "'";
  return e.value.ToString();
}

// Moves the expressions `e` owns into `pending`.
void TakeChildren(ParsedExpression& e, std::vector<ParsedExpressionPtr>* pending) {
  for (auto& c : e.children) {
    if (c) pending->push_back(std::move(c));
  }
  for (auto& c : e.agg_order) {
    if (c) pending->push_back(std::move(c));
  }
  if (e.case_operand) pending->push_back(std::move(e.case_operand));
  if (e.filter) pending->push_back(std::move(e.filter));
}

}  // namespace

ParsedExpression::~ParsedExpression() {
  if (children.empty() && agg_order.empty() && !case_operand && !filter) return;
  std::vector<ParsedExpressionPtr> pending;
  TakeChildren(*this, &pending);
  while (!pending.empty()) {
    ParsedExpressionPtr next = std::move(pending.back());
    pending.pop_back();
    TakeChildren(*next, &pending);
  }  // `next` is freed here with nothing left below it
}

std::string ParsedExpression::ToString() const {
  switch (kind) {
    case ExpressionKind::kConstant:
      return ConstantToString(*this);
    case ExpressionKind::kColumnRef: {
      std::string out;
      for (size_t i = 0; i < names.size(); ++i) {
        if (i) out += ".";
        out += QuoteIfNeeded(names[i]);
      }
      return out;
    }
    case ExpressionKind::kStar:
      return names.empty() ? "*" : names[0] + ".*";
    case ExpressionKind::kFunction: {
      if (star) return name == "count" ? "count_star()" : name + "(*)";
      if (keyword_call) return name;
      std::string out = name + "(";
      if (distinct) out += "DISTINCT ";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i) out += ", ";
        out += children[i]->ToString();
      }
      if (nulls_treatment != NullsTreatment::kDefault) {
        out += nulls_treatment == NullsTreatment::kIgnore ? " IGNORE NULLS" : " RESPECT NULLS";
      }
      for (size_t i = 0; i < agg_order.size(); ++i) {
        out += (i ? ", " : " ORDER BY ") + agg_order[i]->ToString();
        if (agg_order_desc[i]) out += " DESC";
      }
      out += ")";
      if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
      if (window) {
        out += " OVER (";
        std::string sep;
        if (!window->partitions.empty()) {
          out += "PARTITION BY ";
          for (size_t i = 0; i < window->partitions.size(); ++i) {
            out += (i ? ", " : "") + window->partitions[i]->ToString();
          }
          sep = " ";
        }
        if (!window->orders.empty()) {
          out += sep + "ORDER BY ";
          for (size_t i = 0; i < window->orders.size(); ++i) {
            out += (i ? ", " : "") + window->orders[i].expr->ToString();
            if (window->orders[i].descending) out += " DESC";
          }
        }
        out += ")";
      }
      return out;
    }
    case ExpressionKind::kOperator:
      if (op == "NOT") return "(NOT " + children[0]->ToString() + ")";
      if (op == "NEG") return std::string("-") + children[0]->ToString();
      if (op == "~") return "~(" + children[0]->ToString() + ")";
      if (op == "AND" || op == "OR") {  // DuckDB: "(a AND b AND c)"
        std::string out = "(";
        for (size_t i = 0; i < children.size(); ++i) {
          if (i) out += " " + op + " ";
          out += children[i]->ToString();
        }
        return out + ")";
      }
      {  // ((a + b) + c): an n-ary chain renders as the nested binary form
        std::string out(children.size() - 1, '(');
        out += children[0]->ToString();
        for (size_t i = 1; i < children.size(); ++i) {
          out += " " + op + " " + children[i]->ToString() + ")";
        }
        return out;
      }
    case ExpressionKind::kIsNull:
      return std::string("(") + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case ExpressionKind::kBetween:
      return std::string("(") + children[0]->ToString() +
             (negated ? " NOT BETWEEN " : " BETWEEN ") + children[1]->ToString() + " AND " +
             children[2]->ToString() + ")";
    case ExpressionKind::kIn: {
      std::string out =
          std::string("(") + children[0]->ToString() + (negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < children.size(); ++i) {
        if (i > 1) out += ", ";
        out += children[i]->ToString();
      }
      return out + "))";
    }
    case ExpressionKind::kLike: {
      std::string word = op == "ILIKE" ? "~~*" : "~~";
      if (negated) word = "!" + word;
      if (children.size() > 2) {  // ESCAPE, as DuckDB names it
        return std::string(negated ? "not_" : "") + (op == "ILIKE" ? "ilike" : "like") +
               "_escape(" + children[0]->ToString() + ", " + children[1]->ToString() + ", " +
               children[2]->ToString() + ")";
      }
      return std::string("(") + children[0]->ToString() + " " + word + " " +
             children[1]->ToString() + ")";
    }
    case ExpressionKind::kTry:
      return "TRY(" + children[0]->ToString() + ")";
    case ExpressionKind::kCast:
      return std::string(try_cast ? "TRY_CAST(" : "CAST(") + children[0]->ToString() + " AS " + std::string(TypeName(cast_type)) + ")";
    case ExpressionKind::kCase: {
      std::string out = "CASE";
      if (case_operand) {
        out += " ";
        out += case_operand->ToString();
      }
      size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        out += " WHEN " + children[2 * i]->ToString() + " THEN " + children[2 * i + 1]->ToString();
      }
      out += " ELSE " + (has_else ? children.back()->ToString() : std::string("NULL"));
      return out + " END";
    }
    case ExpressionKind::kSubquery:
      return "(" + subquery_text + ")";
    case ExpressionKind::kExists:
      return std::string(negated ? "(NOT EXISTS(" : "EXISTS(") + subquery_text +
             (negated ? "))" : ")");
    case ExpressionKind::kInSubquery:
      if (!op.empty()) {
        return "(" + children[0]->ToString() + " " + op + (quantifier_all ? " ALL(" : " ANY(") +
               subquery_text + "))";
      }
      return std::string(negated ? "(NOT (" : "(") + children[0]->ToString() + " = ANY(" +
             subquery_text + (negated ? ")))" : "))");
    case ExpressionKind::kParameter:
      return "$" + std::to_string(parameter + 1);
  }
  return "?";
}

ParsedExpressionPtr ParsedExpression::Copy() const {
  auto out = std::make_unique<ParsedExpression>();
  out->kind = kind;
  out->position = position;
  out->alias = alias;
  out->value = value;
  out->string_literal = string_literal;
  out->names = names;
  out->name = name;
  out->op = op;
  out->negated = negated;
  out->distinct = distinct;
  out->star = star;
  out->keyword_call = keyword_call;
  out->nulls_treatment = nulls_treatment;
  out->has_else = has_else;
  out->cast_type = cast_type;
  out->try_cast = try_cast;
  out->star_exclude = star_exclude;
  if (case_operand) out->case_operand = case_operand->Copy();
  out->window = window;  // immutable, shared
  out->subquery = subquery;
  out->subquery_text = subquery_text;
  out->quantifier_all = quantifier_all;
  out->parameter = parameter;
  for (const auto& o : agg_order) out->agg_order.push_back(o->Copy());
  out->agg_order_desc = agg_order_desc;
  if (filter) out->filter = filter->Copy();
  for (const auto& c : children) out->children.push_back(c->Copy());
  return out;
}

ParsedExpressionPtr MakeConstant(Value v, int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kConstant;
  e->value = std::move(v);
  e->position = position;
  return e;
}

}  // namespace tsl::query
