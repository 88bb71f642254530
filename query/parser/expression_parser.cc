// Expression grammar of the Parser, lowest precedence first (as in
// PostgreSQL and DuckDB): OR, AND, NOT, comparison, IS/BETWEEN/IN/LIKE,
// ||, + -, * / // %, unary minus, ::cast, primary. See parser.h.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "formats/decimal.h"
#include "formats/timestamp.h"
#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

ParsedExpressionPtr MakeOperator(std::string op, int position, ParsedExpressionPtr left,
                                 ParsedExpressionPtr right = nullptr) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kOperator;
  e->op = std::move(op);
  e->position = position;
  e->children.push_back(std::move(left));
  if (right) e->children.push_back(std::move(right));
  return e;
}

// INTEGER when the literal fits 32 bits, else BIGINT, else DOUBLE (DuckDB
// would use HUGEINT there).
Value IntegerLiteral(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE) return Value::Double(std::strtod(text.c_str(), nullptr));
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    return Value::Integer(static_cast<int32_t>(v));
  }
  return Value::Bigint(v);
}

// True when an integer literal's digits are 2^63 (9223372036854775808),
// leading zeros and digit-group underscores aside.
bool IsInt64MinMagnitude(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c == '_') continue;
    if (c < '0' || c > '9') return false;
    if (digits.empty() && c == '0') continue;
    digits += c;
  }
  return digits == "9223372036854775808";
}

// A literal with a point and no exponent is DECIMAL(digits, fraction
// digits) as in DuckDB (1.5 is DECIMAL(2,1), .5 DECIMAL(1,1)); one with an
// exponent, or too many digits for a 64-bit DECIMAL, is DOUBLE.
Value FloatLiteral(const std::string& text) {
  const size_t point = text.find('.');
  if (point != std::string::npos && text.find_first_of("eE") == std::string::npos) {
    const int scale = static_cast<int>(text.size() - point - 1);
    const int width = std::max(1, static_cast<int>(text.size()) - 1);
    if (width <= kMaxDecimalWidth) {
      const TypeId type = DecimalType(width, scale);
      if (Result<int64_t> raw = ParseDecimal(text, type); raw.ok()) return Value::FromInt(type, *raw);
    }
  }
  return Value::Double(std::strtod(text.c_str(), nullptr));
}

// The loops of the binary-operator levels: `left <op> right` either joins
// the n-ary node the loop built for the same operator (a + b + c is one
// node whose children fold left to right, so a chain of thousands of terms
// is flat and no walk recurses per term) or wraps `left` in a new node.
class Chain {
 public:
  explicit Chain(ParsedExpressionPtr first) : left_(std::move(first)) {}
  // True when `op` extends the node built so far: one this loop made, or a
  // parenthesized one ((a + b) + c folds the same either way).
  bool Extends(const std::string& op) const {
    return left_->kind == ExpressionKind::kOperator && left_->op == op &&
           left_->children.size() >= 2;
  }
  void Append(ParsedExpressionPtr right) { left_->children.push_back(std::move(right)); }
  // AND/OR: a parenthesized right side of the same operator joins too, so
  // a AND (b AND c) is (a AND b AND c), as DuckDB renders it.
  void AppendFlattened(ParsedExpressionPtr right) {
    if (right->kind == ExpressionKind::kOperator && right->op == left_->op &&
        right->children.size() >= 2) {
      for (auto& c : right->children) left_->children.push_back(std::move(c));
    } else {
      Append(std::move(right));
    }
  }
  void Wrap(std::string op, int position, ParsedExpressionPtr right) {
    left_ = MakeOperator(std::move(op), position, std::move(left_), std::move(right));
  }
  ParsedExpressionPtr Take() { return std::move(left_); }

 private:
  ParsedExpressionPtr left_;
};

}  // namespace

void Parser::AddLevel(int position) {
  if (depth_ >= kMaxExpressionDepth) {
    DepthGuard overflow(&depth_, ErrorKind::kParser, position);  // throws
  }
  CheckStackDepth(ErrorKind::kParser, position);
  ++depth_;
}

ParsedExpressionPtr Parser::ParseExpression() {
  DepthGuard level(&depth_, ErrorKind::kParser, Peek().position);
  return ParseOr();
}

ParsedExpressionPtr Parser::ParseSubqueryExpression(ExpressionKind kind, int position,
                                                    int open_position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = kind;
  e->position = position;
  const int begin = Peek().position;
  e->subquery = ParseSelect();
  const int end = Peek().position;
  ExpectOperator(")");
  std::string text(sql_.substr(begin, end - begin));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  e->subquery_text = std::move(text);
  (void)open_position;
  return e;
}

// a OR b OR c and a AND b AND c are one n-ary node each (DuckDB's
// conjunctions), rendered "(a AND b AND c)".
ParsedExpressionPtr Parser::ParseOr() {
  Chain chain(ParseAnd());
  while (IsKeyword("or")) {
    int position = Advance().position;
    auto right = ParseAnd();
    if (!chain.Extends("OR")) chain.Wrap("OR", position, nullptr);
    chain.AppendFlattened(std::move(right));
  }
  return chain.Take();
}

ParsedExpressionPtr Parser::ParseAnd() {
  Chain chain(ParseNot());
  while (IsKeyword("and")) {
    int position = Advance().position;
    auto right = ParseNot();
    if (!chain.Extends("AND")) chain.Wrap("AND", position, nullptr);
    chain.AppendFlattened(std::move(right));
  }
  return chain.Take();
}

ParsedExpressionPtr Parser::ParseNot() {
  if (IsKeyword("not")) {
    int position = Advance().position;
    DepthGuard level(&depth_, ErrorKind::kParser, position);
    return MakeOperator("NOT", position, ParseNot());
  }
  return ParseComparison();
}

// a ~ b (regexp_full_match: DuckDB 1.5.6 matches the whole string), a !~ b
// (negated), a ~~ b (LIKE), ~~* (ILIKE), !~~ / !~~*, a ^@ b (starts_with):
// DuckDB's operator spellings, at the comparison level. Null when the next
// token is none of them; else consumes it and its right operand.
ParsedExpressionPtr Parser::ParsePatternOperator(ParsedExpressionPtr* left) {
  const std::string op = Peek().text;
  if (op != "~" && op != "!~" && op != "~~" && op != "~~*" && op != "!~~" && op != "!~~*" &&
      op != "^@") {
    return nullptr;
  }
  const int position = Advance().position;
  AddLevel(position);
  ParsedExpressionPtr right = ParsePredicate();
  const bool negated = op[0] == '!';
  auto e = std::make_unique<ParsedExpression>();
  e->position = position;
  if (op.find("~~") != std::string::npos) {
    e->kind = ExpressionKind::kLike;
    e->op = op.back() == '*' ? "ILIKE" : "LIKE";
    e->negated = negated;
    e->children.push_back(std::move(*left));
    e->children.push_back(std::move(right));
    return e;
  }
  e->kind = ExpressionKind::kFunction;
  e->name = op == "^@" ? "starts_with" : "regexp_full_match";
  e->children.push_back(std::move(*left));
  e->children.push_back(std::move(right));
  if (!negated) return e;
  return MakeOperator("NOT", position, std::move(e));
}

ParsedExpressionPtr Parser::ParseComparison() {
  RestoreDepth restore{&depth_, depth_};
  auto left = ParsePredicate();
  static const char* kOps[] = {"=", "==", "<>", "!=", "<", "<=", ">", ">="};
  while (Peek().type == TokenType::kOperator) {
    if (ParsedExpressionPtr pattern = ParsePatternOperator(&left)) {
      left = std::move(pattern);
      continue;
    }
    std::string op;
    for (const char* candidate : kOps) {
      if (Peek().text == candidate) op = candidate;
    }
    if (op.empty()) break;
    int position = Advance().position;
    if (op == "==") op = "=";
    if (op == "!=") op = "<>";
    AddLevel(position);
    // x op ANY|SOME|ALL (SELECT ...): a quantified comparison.
    if ((IsKeyword("any") || IsKeyword("some") || IsKeyword("all")) && IsOperator("(", 1) &&
        (IsKeyword("select", 2) || IsKeyword("with", 2) || IsKeyword("from", 2) ||
         (IsOperator("(", 2) && (IsKeyword("select", 3) || IsKeyword("with", 3))))) {
      const bool all = IsKeyword("all");
      Advance();
      const int open = Advance().position;
      auto sub = ParseSubqueryExpression(ExpressionKind::kInSubquery, position, open);
      sub->children.push_back(std::move(left));
      if (op == "=" && !all) {
        // = ANY is IN
      } else if (op == "<>" && all) {
        sub->negated = true;  // <> ALL is NOT IN
      } else {
        sub->op = op;
        sub->quantifier_all = all;
      }
      left = std::move(sub);
      continue;
    }
    left = MakeOperator(op, position, std::move(left), ParsePredicate());
  }
  return left;
}

ParsedExpressionPtr Parser::ParsePredicate() {
  RestoreDepth restore{&depth_, depth_};
  auto left = ParseConcat();
  while (true) {
    int position = Peek().position;
    if (IsKeyword("is") || IsKeyword("not") || IsKeyword("between") || IsKeyword("in") ||
        IsKeyword("like") || IsKeyword("ilike")) {
      AddLevel(position);  // each wraps `left`
    }
    if (IsKeyword("is")) {
      Advance();
      bool negated = AcceptKeyword("not");
      if (AcceptKeyword("distinct")) {
        // a IS [NOT] DISTINCT FROM b: NULL-safe comparison, as
        // CASE WHEN a IS NULL THEN b IS [NOT] NULL WHEN b IS NULL THEN
        // true|false ELSE a <> b | a = b END.
        ExpectKeyword("from");
        auto right = ParseConcat();
        auto is_null = [&](const ParsedExpression& x, bool neg) {
          auto n = std::make_unique<ParsedExpression>();
          n->kind = ExpressionKind::kIsNull;
          n->negated = neg;
          n->position = position;
          n->children.push_back(x.Copy());
          return n;
        };
        auto e = std::make_unique<ParsedExpression>();
        e->kind = ExpressionKind::kCase;
        e->position = position;
        e->has_else = true;
        e->children.push_back(is_null(*left, false));
        e->children.push_back(is_null(*right, !negated));
        e->children.push_back(is_null(*right, false));
        e->children.push_back(MakeConstant(Value::Boolean(!negated), position));
        e->children.push_back(MakeOperator(negated ? "=" : "<>", position, left->Copy(),
                                           right->Copy()));
        left = std::move(e);
        continue;
      }
      ExpectKeyword("null");
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kIsNull;
      e->negated = negated;
      e->position = position;
      e->children.push_back(std::move(left));
      left = std::move(e);
      continue;
    }
    bool negated = false;
    size_t ahead = 0;
    if (IsKeyword("not") && (IsKeyword("between", 1) || IsKeyword("in", 1) ||
                             IsKeyword("like", 1) || IsKeyword("ilike", 1))) {
      negated = true;
      ahead = 1;
    }
    if (IsKeyword("between", ahead)) {
      pos_ += ahead + 1;
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kBetween;
      e->negated = negated;
      e->position = position;
      e->children.push_back(std::move(left));
      e->children.push_back(ParseConcat());
      ExpectKeyword("and");
      e->children.push_back(ParseConcat());
      left = std::move(e);
    } else if (IsKeyword("in", ahead)) {
      pos_ += ahead + 1;
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kIn;
      e->negated = negated;
      e->position = position;
      e->children.push_back(std::move(left));
      const int open = Peek().position;
      ExpectOperator("(");
      if (IsKeyword("select") || IsKeyword("with") ||
          (IsOperator("(") && (IsKeyword("select", 1) || IsKeyword("with", 1)))) {
        auto sub = ParseSubqueryExpression(ExpressionKind::kInSubquery, position, open);
        sub->negated = negated;
        sub->children.push_back(std::move(e->children[0]));
        left = std::move(sub);
        continue;
      }
      do {
        e->children.push_back(ParseExpression());
      } while (AcceptOperator(","));
      ExpectOperator(")");
      left = std::move(e);
    } else if (IsKeyword("like", ahead) || IsKeyword("ilike", ahead)) {
      pos_ += ahead;
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kLike;
      e->op = IsKeyword("ilike") ? "ILIKE" : "LIKE";
      Advance();
      e->negated = negated;
      e->position = position;
      e->children.push_back(std::move(left));
      e->children.push_back(ParseConcat());
      if (AcceptKeyword("escape")) e->children.push_back(ParseConcat());
      left = std::move(e);
    } else if (!negated && IsKeyword("glob")) {
      // s GLOB pattern: DuckDB's ~~~ (glob_functions.cc); DuckDB has no
      // NOT GLOB (write NOT (s GLOB p)).
      Advance();
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kFunction;
      e->name = "~~~";
      e->position = position;
      e->children.push_back(std::move(left));
      e->children.push_back(ParseConcat());
      left = std::move(e);
    } else {
      break;
    }
  }
  return left;
}

// a || b, a & b, a | b, a << b, a >> b: PostgreSQL's "other operators",
// which DuckDB parses at one precedence, left to right, between the
// comparisons and + -: 1 | 2 & 4 is ((1 | 2) & 4), 6 & 3 = 2 is
// ((6 & 3) = 2) and 1 << 2 + 1 is (1 << (2 + 1)).
ParsedExpressionPtr Parser::ParseConcat() {
  RestoreDepth restore{&depth_, depth_};
  Chain chain(ParseAdditive());
  while (IsOperator("||") || IsOperator("&") || IsOperator("|") || IsOperator("<<") ||
         IsOperator(">>")) {
    const Token& t = Advance();
    auto right = ParseAdditive();
    if (chain.Extends(t.text)) {
      chain.Append(std::move(right));
    } else {
      if (t.text != "||") AddLevel(t.position);
      chain.Wrap(t.text, t.position, std::move(right));
    }
  }
  return chain.Take();
}

// a + b - c + d: runs of one operator share a node; a change of operator
// wraps the node built so far, one depth level each.
ParsedExpressionPtr Parser::ParseAdditive() {
  RestoreDepth restore{&depth_, depth_};
  Chain chain(ParseMultiplicative());
  while (IsOperator("+") || IsOperator("-")) {
    const Token& t = Advance();
    auto right = ParseMultiplicative();
    if (chain.Extends(t.text)) {
      chain.Append(std::move(right));
    } else {
      AddLevel(t.position);
      chain.Wrap(t.text, t.position, std::move(right));
    }
  }
  return chain.Take();
}

ParsedExpressionPtr Parser::ParseMultiplicative() {
  RestoreDepth restore{&depth_, depth_};
  Chain chain(ParseUnary());
  while (IsOperator("*") || IsOperator("/") || IsOperator("//") || IsOperator("%")) {
    const Token& t = Advance();
    auto right = ParseUnary();
    if (chain.Extends(t.text)) {
      chain.Append(std::move(right));
    } else {
      AddLevel(t.position);
      chain.Wrap(t.text, t.position, std::move(right));
    }
  }
  return chain.Take();
}

ParsedExpressionPtr Parser::ParseUnary() {
  if (IsOperator("-")) {
    int position = Advance().position;
    DepthGuard level(&depth_, ErrorKind::kParser, position);
    const Token& operand = Peek();
    const bool int64_min_digits =
        operand.type == TokenType::kInteger && IsInt64MinMagnitude(operand.text);
    const int operand_position = operand.position;
    auto child = ParseUnary();
    // Fold "-<number>" so -2147483648 is an INTEGER literal, as in DuckDB.
    if (child->kind == ExpressionKind::kConstant && !child->value.is_null()) {
      const Value& v = child->value;
      // 9223372036854775808 alone does not fit BIGINT (it is DOUBLE here,
      // HUGEINT in DuckDB), but negated it is BIGINT's minimum, as in
      // DuckDB: it was DOUBLE, so abs() and -() of it succeeded with
      // 9.2e18 where DuckDB reports the overflow.
      if (int64_min_digits && child->position == operand_position && v.type() == TypeId::kDouble) {
        child->value = Value::Bigint(std::numeric_limits<int64_t>::min());
        child->position = position;
        return child;
      }
      if (v.type() == TypeId::kInteger || v.type() == TypeId::kBigint) {
        int64_t n = v.int_value();
        if (n != std::numeric_limits<int64_t>::min()) {
          int64_t neg = -n;
          child->value = neg >= std::numeric_limits<int32_t>::min() &&
                                 neg <= std::numeric_limits<int32_t>::max()
                             ? Value::Integer(static_cast<int32_t>(neg))
                             : Value::Bigint(neg);
          child->position = position;
          return child;
        }
      } else if (v.type() == TypeId::kDouble) {
        child->value = Value::Double(-v.double_value());
        child->position = position;
        return child;
      } else if (IsDecimal(v.type())) {  // -0.05 stays DECIMAL(3,2), as in DuckDB
        child->value = Value::FromInt(v.type(), -v.int_value());
        child->position = position;
        return child;
      }
    }
    return MakeOperator("NEG", position, std::move(child));
  }
  if (IsOperator("+")) {
    DepthGuard level(&depth_, ErrorKind::kParser, Advance().position);
    return ParseUnary();
  }
  return ParsePostfix();
}

ParsedExpressionPtr Parser::ParsePostfix() {
  RestoreDepth restore{&depth_, depth_};
  auto e = ParsePrimary();
  while (true) {
    if (IsOperator("::")) {
      int position = Advance().position;
      AddLevel(position);
      auto cast = std::make_unique<ParsedExpression>();
      cast->kind = ExpressionKind::kCast;
      cast->position = position;
      cast->cast_type = ParseType();
      cast->children.push_back(std::move(e));
      e = std::move(cast);
    } else if (IsOperator("[")) {
      // l[i] is list_extract(l, i); l[a:b] is list_slice(l, a, b), a
      // missing bound being the list's first (0) or last (-1) element.
      int position = Advance().position;
      AddLevel(position);
      auto call = std::make_unique<ParsedExpression>();
      call->kind = ExpressionKind::kFunction;
      call->position = position;
      call->children.push_back(std::move(e));
      auto bound = [&](int64_t missing) {
        if (IsOperator(":") || IsOperator("]")) return MakeConstant(Value::Bigint(missing), Peek().position);
        return ParseExpression();
      };
      ParsedExpressionPtr first = bound(0);
      if (AcceptOperator(":")) {
        call->name = "list_slice";
        call->children.push_back(std::move(first));
        call->children.push_back(bound(-1));
      } else {
        call->name = "list_extract";
        call->children.push_back(std::move(first));
      }
      ExpectOperator("]");
      e = std::move(call);
    } else if (IsKeyword("at") && IsKeyword("time", 1) && IsKeyword("zone", 2)) {
      // x AT TIME ZONE z is timezone(z, x), as DuckDB rewrites it.
      int position = Advance().position;
      Advance();
      Advance();
      AddLevel(position);
      auto call = std::make_unique<ParsedExpression>();
      call->kind = ExpressionKind::kFunction;
      call->name = "timezone";
      call->position = position;
      call->children.push_back(ParsePrimary());
      call->children.push_back(std::move(e));
      e = std::move(call);
    } else {
      break;
    }
  }
  return e;
}

ParsedExpressionPtr Parser::ParsePrimary() {
  const Token& t = Peek();
  int position = t.position;
  switch (t.type) {
    case TokenType::kInteger:
      Advance();
      return MakeConstant(IntegerLiteral(t.text), position);
    case TokenType::kFloat:
      Advance();
      return MakeConstant(FloatLiteral(t.text), position);
    case TokenType::kString: {
      Advance();
      auto e = MakeConstant(Value::Varchar(t.text), position);
      e->string_literal = true;
      return e;
    }
    case TokenType::kOperator:
      if (t.text == "(") {
        Advance();
        if (IsKeyword("select") || IsKeyword("with")) {
          return ParseSubqueryExpression(ExpressionKind::kSubquery, position, position);
        }
        if (IsOperator("(")) {
          // ((SELECT ...) UNION ...) or ((SELECT 1)) + 1: try a query first.
          size_t save = pos_;
          int depth = 0;
          size_t k = 0;
          while (IsOperator("(", k)) {
            ++depth;
            ++k;
          }
          if (depth > 0 && (IsKeyword("select", k) || IsKeyword("with", k)) &&
              !failed_subquery_at_.count(save)) {
            try {
              return ParseSubqueryExpression(ExpressionKind::kSubquery, position, position);
            } catch (const DepthLimitError&) {
              throw;  // as deep as an expression: no point in retrying
            } catch (const QueryError&) {
              failed_subquery_at_.insert(save);
              pos_ = save;
            }
          }
        }
        auto e = ParseExpression();
        if (IsOperator(",")) {
          // (a, b, ...): a row value, DuckDB's row(a, b, ...) (a STRUCT
          // there), compared and IN-tested field by field here.
          auto row = std::make_unique<ParsedExpression>();
          row->kind = ExpressionKind::kFunction;
          row->name = "row";
          row->position = position;
          row->children.push_back(std::move(e));
          while (AcceptOperator(",")) row->children.push_back(ParseExpression());
          e = std::move(row);
        }
        ExpectOperator(")");
        return e;
      }
      if (t.text == "?" || t.text[0] == '$') {
        Advance();
        auto e = std::make_unique<ParsedExpression>();
        e->kind = ExpressionKind::kParameter;
        e->position = position;
        if ((t.text == "?" ? saw_numbered_ : saw_positional_)) {
          throw QueryError(ErrorKind::kParser,
                           "cannot mix ? and $n parameters in one statement", position);
        }
        (t.text == "?" ? saw_positional_ : saw_numbered_) = true;
        if (t.text == "?") {
          e->parameter = next_parameter_++;
        } else if (!std::isdigit(static_cast<unsigned char>(t.text[1]))) {
          // $name: numbered in order of first appearance.
          if (saw_numbered_index_) {
            throw QueryError(ErrorKind::kParser,
                             "cannot mix named ($name) and numbered ($n) parameters", position);
          }
          saw_named_ = true;
          const std::string name = ToLower(t.text.substr(1));
          auto it = std::find(parameter_names_.begin(), parameter_names_.end(), name);
          e->parameter = static_cast<int>(it - parameter_names_.begin());
          if (it == parameter_names_.end()) parameter_names_.push_back(name);
        } else {
          if (saw_named_) {
            throw QueryError(ErrorKind::kParser,
                             "cannot mix named ($name) and numbered ($n) parameters", position);
          }
          saw_numbered_index_ = true;
          // Parameters are held densely (one slot per number below the
          // largest), so $N is bounded: PREPARE p AS SELECT $30000000 took
          // 3.3 GB and 4 minutes to EXECUTE, $999999999 ran out of memory.
          constexpr int kMaxParameterNumber = 65535;  // PostgreSQL's protocol limit
          int64_t number = 0;
          for (size_t k = 1; k < t.text.size() && number <= kMaxParameterNumber; ++k) {
            if (!std::isdigit(static_cast<unsigned char>(t.text[k]))) ThrowSyntaxError(t);
            number = number * 10 + (t.text[k] - '0');
          }
          if (number > kMaxParameterNumber) {
            throw QueryError(ErrorKind::kParser,
                             "parameter " + t.text.substr(0, 24) + " is out of range: at most $" +
                                 std::to_string(kMaxParameterNumber),
                             position);
          }
          e->parameter = static_cast<int>(number) - 1;
          if (e->parameter < 0) ThrowSyntaxError(t);
          next_parameter_ = e->parameter + 1;
        }
        max_parameter_ = std::max(max_parameter_, e->parameter + 1);
        return e;
      }
      if (t.text == "[") {
        // [a, b, ...]: list_value(a, b, ...), as DuckDB rewrites it.
        Advance();
        DepthGuard level(&depth_, ErrorKind::kParser, position);
        auto e = std::make_unique<ParsedExpression>();
        e->kind = ExpressionKind::kFunction;
        e->name = "list_value";
        e->position = position;
        if (!AcceptOperator("]")) {
          do {
            if (IsOperator("]")) break;  // a trailing comma, as DuckDB allows
            e->children.push_back(ParseExpression());
          } while (AcceptOperator(","));
          ExpectOperator("]");
        }
        return e;
      }
      if (t.text == "~") {
        // Prefix ~ (bitwise not) binds looser than + and *, as in DuckDB:
        // ~5 + 1 is ~(5 + 1), ~5 || 'x' is (~(5) || 'x').
        Advance();
        DepthGuard level(&depth_, ErrorKind::kParser, position);
        return MakeOperator("~", position, ParseAdditive());
      }
      if (t.text == "*") {
        Advance();
        auto e = std::make_unique<ParsedExpression>();
        e->kind = ExpressionKind::kStar;
        e->position = position;
        ParseStarModifiers(e.get());
        return e;
      }
      ThrowSyntaxError(t);
    case TokenType::kQuotedIdentifier:
    case TokenType::kIdentifier:
      break;
    case TokenType::kEnd:
      ThrowSyntaxError(t);
  }
  // Identifiers, keywords that start expressions, function calls.
  if (t.type == TokenType::kIdentifier) {
    if (AcceptKeyword("null")) return MakeConstant(Value::Null(), position);
    if (AcceptKeyword("true")) return MakeConstant(Value::Boolean(true), position);
    if (AcceptKeyword("false")) return MakeConstant(Value::Boolean(false), position);
    if (AcceptKeyword("case")) return ParseCase(position);
    if (IsKeyword("exists") && IsOperator("(", 1)) {
      Advance();
      const int open = Advance().position;
      return ParseSubqueryExpression(ExpressionKind::kExists, position, open);
    }
    if (IsKeyword("interval")) {  // also INTERVAL (expr) UNIT
      Advance();
      return ParseInterval(position);
    }
    if ((IsKeyword("cast") || IsKeyword("try_cast")) && IsOperator("(", 1)) {
      const bool try_cast = IsKeyword("try_cast");
      Advance();
      ExpectOperator("(");
      auto cast = std::make_unique<ParsedExpression>();
      cast->kind = ExpressionKind::kCast;
      cast->try_cast = try_cast;
      cast->position = position;
      cast->children.push_back(ParseExpression());
      ExpectKeyword("as");
      cast->cast_type = ParseType();
      ExpectOperator(")");
      return cast;
    }
    if (IsKeyword("try") && IsOperator("(", 1)) {
      // TRY(expr): exactly one argument, as DuckDB's grammar has it.
      Advance();
      const Token& open = Advance();
      if (IsOperator(")")) {
        throw QueryError(ErrorKind::kParser, "Wrong number of arguments provided to TRY expression",
                         open.position);
      }
      auto e = std::make_unique<ParsedExpression>();
      e->kind = ExpressionKind::kTry;
      e->position = position;
      e->children.push_back(ParseExpression());
      if (!IsOperator(")")) {
        throw QueryError(ErrorKind::kParser, "Wrong number of arguments provided to TRY expression",
                         Peek().position);
      }
      Advance();
      return e;
    }
    // Typed string literal: TIMESTAMP '2024-01-01', DATE '...', VARCHAR 'x'.
    if (Peek(1).type == TokenType::kString && !IsReservedKeyword(t.text)) {
      Result<TypeId> type = ParseTypeName(t.text);
      if (type.ok()) {
        Advance();
        const Token& lit = Advance();
        auto cast = std::make_unique<ParsedExpression>();
        cast->kind = ExpressionKind::kCast;
        cast->position = position;
        cast->cast_type = *type;
        auto str = MakeConstant(Value::Varchar(lit.text), lit.position);
        str->string_literal = true;
        cast->children.push_back(std::move(str));
        return cast;
      }
    }
    if (IsReservedKeyword(t.text)) ThrowSyntaxError(t);
  }
  Advance();
  std::string first = t.text;
  if (IsOperator("(")) {  // f(...), or "f"(...) ("&"(6, 3) names an operator)
    return ParseFunctionCall(ToLower(first), position);
  }
  // current_timestamp without parentheses is now() (sqlfn).
  if (t.type == TokenType::kIdentifier && (EqualsIgnoreCase(first, "current_timestamp") ||
                                           EqualsIgnoreCase(first, "localtimestamp"))) {
    auto now = std::make_unique<ParsedExpression>();
    now->kind = ExpressionKind::kFunction;
    now->name = "current_timestamp";
    now->keyword_call = true;
    now->position = position;
    return now;
  }
  if (t.type == TokenType::kIdentifier && EqualsIgnoreCase(first, "current_date")) {
    auto today = std::make_unique<ParsedExpression>();
    today->kind = ExpressionKind::kFunction;
    today->name = "current_date";
    today->keyword_call = true;
    today->position = position;
    return today;
  }
  auto e = std::make_unique<ParsedExpression>();
  e->position = position;
  e->kind = ExpressionKind::kColumnRef;
  e->names.push_back(first);
  if (AcceptOperator(".")) {
    if (AcceptOperator("*")) {
      e->kind = ExpressionKind::kStar;
      ParseStarModifiers(e.get());
      return e;
    }
    e->names.push_back(ExpectIdentifier("column name"));
  }
  return e;
}

ParsedExpressionPtr Parser::ParseFunctionCall(std::string name, int position) {
  ExpectOperator("(");
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kFunction;
  e->name = std::move(name);
  e->position = position;
  if (AcceptOperator("*")) {
    e->star = true;
    ExpectOperator(")");
    if (IsKeyword("filter") && IsOperator("(", 1)) {
      Advance();
      Advance();
      AcceptKeyword("where");  // DuckDB also reads FILTER (cond)
      e->filter = ParseExpression();
      ExpectOperator(")");
    }
    if (AcceptKeyword("over")) e->window = ParseWindowSpec();
    return e;
  }
  // SQL-standard call forms (sqlfn): EXTRACT(part FROM x) -> date_part,
  // POSITION(needle IN s), SUBSTRING(s FROM a [FOR n]),
  // TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) -> trim/ltrim/rtrim.
  if (e->name == "extract" && IsKeyword("from", 1)) {
    const Token& part = Advance();
    auto text = MakeConstant(Value::Varchar(part.text), part.position);
    text->string_literal = true;
    ExpectKeyword("from");
    e->name = "date_part";
    e->children.push_back(std::move(text));
    e->children.push_back(ParseExpression());
    ExpectOperator(")");
    return e;
  }
  if (e->name == "position" && !IsOperator(")")) {
    auto needle = ParseConcat();
    if (AcceptKeyword("in")) {
      e->children.push_back(ParseExpression());
      e->children.push_back(std::move(needle));
      ExpectOperator(")");
      return e;
    }
    e->children.push_back(std::move(needle));
    while (AcceptOperator(",")) e->children.push_back(ParseExpression());
    ExpectOperator(")");
    return e;
  }
  if ((e->name == "substring" || e->name == "substr") && !IsOperator(")")) {
    e->children.push_back(ParseExpression());
    if (IsKeyword("from") || IsKeyword("for")) {
      e->children.push_back(AcceptKeyword("from") ? ParseExpression()
                                                  : MakeConstant(Value::Integer(1), position));
      if (AcceptKeyword("for")) e->children.push_back(ParseExpression());
    }
    while (AcceptOperator(",")) e->children.push_back(ParseExpression());
    ExpectOperator(")");
    return e;
  }
  if (e->name == "trim" && !IsOperator(")")) {
    if (AcceptKeyword("leading")) {
      e->name = "ltrim";
    } else if (AcceptKeyword("trailing")) {
      e->name = "rtrim";
    } else {
      AcceptKeyword("both");
    }
    ParsedExpressionPtr chars;
    if (!IsKeyword("from")) chars = ParseExpression();
    if (AcceptKeyword("from")) {
      e->children.push_back(ParseExpression());
      if (chars) e->children.push_back(std::move(chars));
    } else {
      e->children.push_back(std::move(chars));
      while (AcceptOperator(",")) e->children.push_back(ParseExpression());
    }
    ExpectOperator(")");
    return e;
  }
  if (!IsOperator(")")) {
    if (AcceptKeyword("distinct")) {
      e->distinct = true;
    } else {
      AcceptKeyword("all");
    }
    do {
      e->children.push_back(ParseExpression());
    } while (AcceptOperator(","));
    // lag(v, 1 IGNORE NULLS) OVER (...): checked by the window binder.
    if ((IsKeyword("ignore") || IsKeyword("respect")) && IsKeyword("nulls", 1)) {
      e->nulls_treatment = IsKeyword("ignore") ? NullsTreatment::kIgnore : NullsTreatment::kRespect;
      Advance();
      Advance();
    }
    if (AcceptKeyword("order")) {  // string_agg(x, ',' ORDER BY ts DESC)
      ExpectKeyword("by");
      do {
        e->agg_order.push_back(ParseExpression());
        e->agg_order_desc.push_back(AcceptKeyword("desc"));
        if (!e->agg_order_desc.back()) AcceptKeyword("asc");
        if (AcceptKeyword("nulls")) {  // NULLs sort last, DuckDB's default
          if (IsKeyword("first")) {
            throw QueryError(ErrorKind::kNotImplemented,
                             "NULLS FIRST inside an aggregate's ORDER BY is not supported",
                             Peek().position);
          }
          ExpectKeyword("last");
        }
      } while (AcceptOperator(","));
    }
  }
  ExpectOperator(")");
  // The ordered-set aggregates of the SQL standard, rewritten as DuckDB's
  // transformer does: percentile_cont(f) WITHIN GROUP (ORDER BY x) is
  // quantile_cont(x, f) (with DESC, quantile_cont(x, 1 - f)), percentile_disc
  // likewise quantile_disc, mode() WITHIN GROUP (ORDER BY x) is mode(x).
  if (IsKeyword("within") && IsKeyword("group", 1)) {
    const int position = Peek().position;
    Advance();  // WITHIN
    Advance();  // GROUP
    ExpectOperator("(");
    ExpectKeyword("order");
    ExpectKeyword("by");
    ParsedExpressionPtr key = ParseExpression();
    const bool descending = AcceptKeyword("desc");
    if (!descending) AcceptKeyword("asc");
    ExpectOperator(")");
    const bool percentile = e->name == "percentile_cont" || e->name == "percentile_disc";
    if (!percentile && e->name != "mode") {
      throw QueryError(ErrorKind::kParser, "Unknown ordered aggregate \"" + e->name + "\".",
                       position);
    }
    if (e->distinct || !e->agg_order.empty() ||
        e->children.size() != (percentile ? 1u : 0u)) {
      throw QueryError(ErrorKind::kParser,
                       "Wrong number of arguments provided to " + e->name + " function",
                       position);
    }
    if (percentile) {
      e->name = e->name == "percentile_cont" ? "quantile_cont" : "quantile_disc";
      ParsedExpressionPtr fraction = std::move(e->children[0]);
      if (descending && fraction->kind == ExpressionKind::kConstant &&
          !fraction->value.is_null() && IsNumeric(fraction->value.type())) {
        // Folded here: the quantile's fraction must be a constant.
        fraction = MakeConstant(Value::Double(1.0 - fraction->value.AsDouble()), fraction->position);
      } else if (descending) {
        auto minus = std::make_unique<ParsedExpression>();
        minus->kind = ExpressionKind::kOperator;
        minus->op = "-";
        minus->position = fraction->position;
        minus->children.push_back(MakeConstant(Value::Integer(1), fraction->position));
        minus->children.push_back(std::move(fraction));
        fraction = std::move(minus);
      }
      e->children.clear();
      e->children.push_back(std::move(key));
      e->children.push_back(std::move(fraction));
    } else {
      e->children.push_back(std::move(key));
    }
  }
  if (IsKeyword("filter") && IsOperator("(", 1)) {  // count(*) FILTER (WHERE v > 0)
    Advance();
    Advance();
    AcceptKeyword("where");  // DuckDB also reads FILTER (cond)
    e->filter = ParseExpression();
    ExpectOperator(")");
  }
  if (AcceptKeyword("over")) e->window = ParseWindowSpec();
  return e;
}

WindowFrameBound Parser::ParseFrameBound() {
  WindowFrameBound b;
  if (AcceptKeyword("unbounded")) {
    if (AcceptKeyword("preceding")) {
      b.kind = WindowFrameBound::Kind::kUnboundedPreceding;
    } else {
      ExpectKeyword("following");
      b.kind = WindowFrameBound::Kind::kUnboundedFollowing;
    }
  } else if (AcceptKeyword("current")) {
    ExpectKeyword("row");
    b.kind = WindowFrameBound::Kind::kCurrentRow;
  } else {
    b.offset = ParseAdditive();
    if (AcceptKeyword("preceding")) {
      b.kind = WindowFrameBound::Kind::kPreceding;
    } else {
      ExpectKeyword("following");
      b.kind = WindowFrameBound::Kind::kFollowing;
    }
  }
  return b;
}

std::shared_ptr<const WindowSpec> Parser::ParseWindowSpec() {
  auto spec = std::make_shared<WindowSpec>();
  spec->position = Peek().position;
  if (IsIdentifierToken()) {  // OVER w
    spec->base = Advance().text;
    spec->bare = true;
    return spec;
  }
  ExpectOperator("(");
  if (IsIdentifierToken() && !IsKeyword("partition") && !IsKeyword("order") &&
      !IsKeyword("rows") && !IsKeyword("range") && !IsKeyword("groups")) {
    spec->base = Advance().text;  // OVER (w ROWS ...)
  }
  if (IsKeyword("partition") && IsKeyword("by", 1)) {
    Advance();
    Advance();
    do {
      spec->partitions.push_back(ParseExpression());
    } while (AcceptOperator(","));
  }
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    do {
      WindowSpec::Order o;
      o.expr = ParseExpression();
      if (AcceptKeyword("desc") || AcceptKeyword("descending")) {
        o.descending = true;
        o.direction_given = true;
      } else {
        o.direction_given = AcceptKeyword("asc") || AcceptKeyword("ascending");
      }
      if (AcceptKeyword("nulls")) {
        if (AcceptKeyword("first")) {
          o.nulls_first = true;
        } else {
          ExpectKeyword("last");
          o.nulls_first = false;
        }
      }
      spec->orders.push_back(std::move(o));
    } while (AcceptOperator(","));
  }
  if (IsKeyword("rows") || IsKeyword("range") || IsKeyword("groups")) {
    spec->has_frame = true;
    spec->rows = IsKeyword("rows");
    spec->groups = IsKeyword("groups");
    Advance();
    if (AcceptKeyword("between")) {
      spec->start = ParseFrameBound();
      ExpectKeyword("and");
      spec->end = ParseFrameBound();
    } else {
      spec->start = ParseFrameBound();
      spec->end.kind = WindowFrameBound::Kind::kCurrentRow;
    }
    if (AcceptKeyword("exclude")) {
      using Exclude = WindowSpec::Exclude;
      if (AcceptKeyword("no")) {
        ExpectKeyword("others");  // the default: nothing is excluded
      } else if (AcceptKeyword("group")) {
        spec->exclude = Exclude::kGroup;
      } else if (AcceptKeyword("ties")) {
        spec->exclude = Exclude::kTies;
      } else {
        ExpectKeyword("current");
        ExpectKeyword("row");
        spec->exclude = Exclude::kCurrentRow;
      }
    }
  }
  ExpectOperator(")");
  return spec;
}

ParsedExpressionPtr Parser::ParseCase(int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kCase;
  e->position = position;
  if (!IsKeyword("when")) e->case_operand = ParseExpression();
  if (!IsKeyword("when")) ThrowSyntaxError(Peek());
  while (AcceptKeyword("when")) {
    e->children.push_back(ParseExpression());
    ExpectKeyword("then");
    e->children.push_back(ParseExpression());
  }
  if (AcceptKeyword("else")) {
    e->children.push_back(ParseExpression());
    e->has_else = true;
  }
  ExpectKeyword("end");
  return e;
}

// INTERVAL '1 hour' | INTERVAL 1 HOUR | INTERVAL '15' MINUTE |
// INTERVAL (expr) UNIT (DuckDB: to_<unit>s(expr); without a unit, seconds)
ParsedExpressionPtr Parser::ParseInterval(int position) {
  const Token& t = Peek();
  const int text_position = t.position;
  std::string text;
  ParsedExpressionPtr operand;
  if (t.type == TokenType::kString || t.type == TokenType::kInteger ||
      t.type == TokenType::kFloat) {
    text = Advance().text;
  } else if (AcceptOperator("(")) {
    operand = ParseExpression();
    ExpectOperator(")");
  } else {
    ThrowSyntaxError(t);
  }
  // Each unit keyword DuckDB accepts after INTERVAL x, with its to_ function.
  static const struct {
    const char* unit;
    const char* to_function;
  } kUnits[] = {{"microsecond", "to_microseconds"}, {"microseconds", "to_microseconds"},
                {"millisecond", "to_milliseconds"}, {"milliseconds", "to_milliseconds"},
                {"second", "to_seconds"},           {"seconds", "to_seconds"},
                {"minute", "to_minutes"},           {"minutes", "to_minutes"},
                {"hour", "to_hours"},               {"hours", "to_hours"},
                {"day", "to_days"},                 {"days", "to_days"},
                {"week", "to_weeks"},               {"weeks", "to_weeks"},
                {"month", "to_months"},             {"months", "to_months"},
                {"quarter", "to_quarters"},         {"quarters", "to_quarters"},
                {"year", "to_years"},               {"years", "to_years"},
                {"decade", "to_decades"},           {"decades", "to_decades"},
                {"century", "to_centuries"},        {"centuries", "to_centuries"},
                {"millennium", "to_millennia"},     {"millennia", "to_millennia"}};
  const char* to_function = "to_seconds";
  if (Peek().type == TokenType::kIdentifier) {
    for (const auto& u : kUnits) {
      if (IsKeyword(u.unit)) {
        Advance();
        if (!operand) text += std::string(" ") + u.unit;
        to_function = u.to_function;
        break;
      }
    }
  }
  if (operand) {
    auto call = std::make_unique<ParsedExpression>();
    call->kind = ExpressionKind::kFunction;
    call->name = to_function;
    call->position = position;
    call->children.push_back(std::move(operand));
    return call;
  }
  Result<int64_t> micros = tsl::ParseInterval(text);
  if (!micros.ok()) {
    throw QueryError(ErrorKind::kConversion, "Could not convert string '" + text + "' to INTERVAL",
                     text_position);
  }
  return MakeConstant(Value::Interval(*micros), position);
}

}  // namespace tsl::query
