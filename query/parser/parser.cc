// Statement grammar and token helpers of the Parser. See parser.h.
#include "query/parser/parser.h"

#include <array>
#include <cctype>

#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/parser/window_clause.h"

namespace tsl::query {

bool IsReservedKeyword(std::string_view word) {
  static constexpr std::array<std::string_view, 41> kReserved = {
      "select", "from", "where",  "group",   "having", "order", "limit", "offset",
      "union",  "as",   "on",     "join",    "and",    "or",    "not",   "in",
      "is",     "like", "ilike",  "between", "case",   "when",  "then",  "else",
      "end",    "asc",  "desc",   "by",      "null",   "true",  "false", "distinct",
      "all",    "with", "window", "qualify", "cast",   "into", "except", "intersect",
      "returning"};  // reserved in DuckDB: INSERT ... SELECT ... FROM t RETURNING
  for (std::string_view r : kReserved) {
    if (EqualsIgnoreCase(r, word)) return true;
  }
  return false;
}

// A statement may re-read its tokens this many times over (plus a fixed
// allowance) through rewinds; real statements re-read a few at most.
constexpr uint64_t kAdvancesPerToken = 128;
constexpr uint64_t kAdvanceAllowance = 1'000'000;

Parser::Parser(std::string_view sql)
    : sql_(sql),
      tokens_(Tokenize(sql)),
      advance_budget_(kAdvanceAllowance + kAdvancesPerToken * tokens_.size()) {}

const Token& Parser::Peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& Parser::Advance() {
  const Token& t = Peek();
  if (++advances_ > advance_budget_)
    throw QueryError(ErrorKind::kParser,
                     "statement too complex to parse (its nested parentheses make the parser "
                     "re-read it more than " + std::to_string(kAdvancesPerToken) + " times over)",
                     t.position);
  if (pos_ < tokens_.size() - 1) ++pos_;
  return t;
}

bool Parser::AtEnd() const { return Peek().type == TokenType::kEnd; }

bool Parser::IsKeyword(std::string_view kw, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.type == TokenType::kIdentifier && EqualsIgnoreCase(t.text, kw);
}

bool Parser::AcceptKeyword(std::string_view kw) {
  if (!IsKeyword(kw)) return false;
  Advance();
  return true;
}

void Parser::ExpectKeyword(std::string_view kw) {
  if (!AcceptKeyword(kw)) ThrowSyntaxError(Peek());
}

bool Parser::IsOperator(std::string_view op, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.type == TokenType::kOperator && t.text == op;
}

bool Parser::AcceptOperator(std::string_view op) {
  if (!IsOperator(op)) return false;
  Advance();
  return true;
}

void Parser::ExpectOperator(std::string_view op) {
  if (!AcceptOperator(op)) ThrowSyntaxError(Peek());
}

bool Parser::IsIdentifierToken(size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.type == TokenType::kQuotedIdentifier ||
         (t.type == TokenType::kIdentifier && !IsReservedKeyword(t.text));
}

std::string Parser::ExpectIdentifier(const char* what) {
  if (!IsIdentifierToken()) ThrowSyntaxError(Peek());
  return Advance().text;
}

void Parser::ThrowSyntaxError(const Token& at) const {
  if (at.type == TokenType::kEnd) {
    throw QueryError(ErrorKind::kParser, "syntax error at end of input", at.position);
  }
  std::string text = at.text;
  if (at.type == TokenType::kString) text = "'" + text + "'";
  if (at.type == TokenType::kQuotedIdentifier) text = "\"" + text + "\"";
  throw QueryError(ErrorKind::kParser, "syntax error at or near \"" + text + "\"", at.position);
}

std::vector<std::unique_ptr<Statement>> Parser::ParseScript() {
  std::vector<std::unique_ptr<Statement>> out;
  while (!AtEnd()) {
    if (AcceptOperator(";")) continue;
    int start = Peek().position;
    next_parameter_ = 0;
    max_parameter_ = 0;
    saw_positional_ = saw_numbered_ = false;
    saw_named_ = saw_numbered_index_ = false;
    parameter_names_.clear();
    auto stmt = ParseStatement();
    stmt->position = start;
    stmt->parameter_count = max_parameter_;
    stmt->parameter_names = parameter_names_;
    if (!AtEnd() && !IsOperator(";")) ThrowSyntaxError(Peek());
    stmt->end_position = Peek().position;
    out.push_back(std::move(stmt));
  }
  return out;
}

ParsedExpressionPtr Parser::ParseSingleExpression() {
  auto e = ParseExpression();
  if (!AtEnd()) ThrowSyntaxError(Peek());
  return e;
}

std::unique_ptr<Statement> Parser::ParseStatement() {
  auto stmt = std::make_unique<Statement>();
  if (IsKeyword("with") && WithLeadsToMerge()) {
    // WITH ... MERGE INTO t USING s ...: the CTEs go to the source query.
    Advance();
    std::vector<CommonTableExpression> ctes = ParseCteList();
    ExpectKeyword("merge");
    ParseMerge(stmt.get());
    for (auto& c : stmt->update_from->ctes) ctes.push_back(std::move(c));
    stmt->update_from->ctes = std::move(ctes);
  } else if (IsKeyword("select") || IsOperator("(") || IsKeyword("with") || IsKeyword("values") ||
      IsKeyword("from") || IsKeyword("pivot") || IsKeyword("unpivot") ||
      IsKeyword("pivot_wider") || IsKeyword("pivot_longer")) {
    stmt->type = StatementType::kSelect;
    stmt->select = ParseSelect();
  } else if (AcceptKeyword("create")) {
    ParseCreate(stmt.get());
  } else if (AcceptKeyword("drop")) {
    ParseDrop(stmt.get());
  } else if (AcceptKeyword("refresh")) {
    ParseMaterializedView(stmt.get(), StatementType::kRefreshMaterializedView);
  } else if (AcceptKeyword("insert")) {
    ParseInsert(stmt.get());
  } else if (AcceptKeyword("copy")) {
    ParseCopy(stmt.get());
  } else if (AcceptKeyword("describe") || AcceptKeyword("desc")) {
    ParseDescribe(stmt.get());
  } else if (IsKeyword("summarize") && !IsOperator(";", 1) && !AtEnd()) {
    // SUMMARIZE t / SUMMARIZE SELECT ...: DuckDB's per-column statistics
    // (statement_executor.cc); DESCRIBE's grammar.
    Advance();
    ParseDescribe(stmt.get());
    if (stmt->type != StatementType::kDescribe) ThrowSyntaxError(Peek());
    stmt->summarize = true;
  } else if (AcceptKeyword("show")) {
    ParseShow(stmt.get());
  } else if (AcceptKeyword("delete")) {
    ParseDelete(stmt.get());
  } else if (IsKeyword("begin") || IsKeyword("start") || IsKeyword("commit") || IsKeyword("end") ||
             IsKeyword("rollback") || IsKeyword("abort")) {
    ParseTransactionControl(stmt.get());
  } else if (AcceptKeyword("update")) {
    ParseUpdate(stmt.get());
  } else if (AcceptKeyword("merge")) {
    ParseMerge(stmt.get());
  } else if (AcceptKeyword("truncate")) {
    ParseTruncate(stmt.get());
  } else if (AcceptKeyword("optimize")) {
    ParseOptimize(stmt.get());
  } else if (AcceptKeyword("vacuum")) {
    ParseVacuum(stmt.get());
  } else if (AcceptKeyword("restore")) {
    ParseRestore(stmt.get());
  } else if (AcceptKeyword("alter")) {
    ParseAlter(stmt.get());
  } else if (IsKeyword("set") || IsKeyword("reset") || IsKeyword("pragma")) {
    std::string keyword = ToLower(Advance().text);
    ParseSet(stmt.get(), keyword);
  } else if (AcceptKeyword("prepare")) {
    ParsePrepare(stmt.get());
  } else if (AcceptKeyword("execute")) {
    ParseExecute(stmt.get());
  } else if (AcceptKeyword("deallocate")) {
    ParseDeallocate(stmt.get());
  } else if (AcceptKeyword("explain")) {
    stmt->type = StatementType::kExplain;
    stmt->explain_analyze = AcceptKeyword("analyze") || AcceptKeyword("analyse");
    if (!IsKeyword("select") && !IsOperator("(") && !IsKeyword("with") && !IsKeyword("from") &&
        !IsKeyword("values")) {
      ThrowSyntaxError(Peek());
    }
    stmt->select = ParseSelect();
  } else {
    ThrowSyntaxError(Peek());
  }
  return stmt;
}

std::vector<CommonTableExpression> Parser::ParseCteList() {
  // WITH a AS (SELECT ...), b AS (...): the CTEs belong to the statement's
  // outermost SELECT (or set operation), or to a MERGE's source.
  std::vector<CommonTableExpression> ctes;
  const bool recursive = AcceptKeyword("recursive");
  do {
    CommonTableExpression cte;
    cte.position = Peek().position;
    cte.name = ExpectIdentifier("CTE name");
    cte.recursive = recursive;
    if (AcceptOperator("(")) {
      do {
        cte.column_aliases.push_back(ExpectIdentifier("column alias"));
      } while (AcceptOperator(","));
      ExpectOperator(")");
    }
    if (recursive && IsKeyword("using") && IsKeyword("key", 1)) {
      Advance();
      Advance();
      ExpectOperator("(");
      do {
        cte.using_key.push_back(ExpectIdentifier("key column"));
      } while (AcceptOperator(","));
      ExpectOperator(")");
    }
    ExpectKeyword("as");
    if (AcceptKeyword("not")) ExpectKeyword("materialized");
    else AcceptKeyword("materialized");
    ExpectOperator("(");
    cte.query = ParseSelect();
    ExpectOperator(")");
    ctes.push_back(std::move(cte));
  } while (AcceptOperator(","));
  return ctes;
}

bool Parser::WithLeadsToMerge() const {
  // The CTE list's tokens outside parentheses are names, AS, [NOT]
  // MATERIALIZED, RECURSIVE, USING KEY and commas; the first other keyword
  // at depth 0 starts the statement's body.
  int depth = 0;
  for (size_t k = 1;; ++k) {
    const Token& t = Peek(k);
    if (t.type == TokenType::kEnd) return false;
    if (t.type == TokenType::kOperator && t.text == "(") {
      ++depth;
    } else if (t.type == TokenType::kOperator && t.text == ")") {
      if (--depth < 0) return false;
    } else if (depth == 0 && IsKeyword("merge", k) && IsKeyword("into", k + 1)) {
      return true;
    } else if (depth == 0 && (IsKeyword("select", k) || IsKeyword("from", k) ||
                              IsKeyword("values", k) || IsKeyword("insert", k) ||
                              IsKeyword("update", k) || IsKeyword("delete", k))) {
      return false;
    } else if (t.type == TokenType::kOperator && t.text == ";") {
      return false;
    }
  }
}

std::unique_ptr<SelectNode> Parser::ParseSelect() {
  DepthGuard level(&depth_, ErrorKind::kParser, Peek().position);
  std::vector<CommonTableExpression> ctes;
  if (AcceptKeyword("with")) ctes = ParseCteList();
  auto node = ParseSetOperation();
  ParseOrderLimit(&node);
  if (!ctes.empty()) {
    for (auto& c : node->ctes) ctes.push_back(std::move(c));
    node->ctes = std::move(ctes);
  }
  return node;
}

std::unique_ptr<SelectNode> Parser::MakeSetOperation(SetOpKind kind, int position,
                                                     std::unique_ptr<SelectNode> left,
                                                     std::unique_ptr<SelectNode> right) {
  auto node = std::make_unique<SelectNode>();
  node->position = position;
  auto star = std::make_unique<ParsedExpression>();
  star->kind = ExpressionKind::kStar;
  star->position = position;
  node->select_list.push_back(std::move(star));
  node->from.kind = TableRef::Kind::kSetOp;
  node->from.position = position;
  node->from.setop = kind;
  node->from.setop_inputs.push_back(std::move(left));
  node->from.setop_inputs.push_back(std::move(right));
  return node;
}

// UNION and EXCEPT bind looser than INTERSECT, all left-associative. A run
// of UNION ALL (or of UNION) is one n-ary node, so thousands of branches
// do not nest; a change of operator wraps what was built, one depth level.
std::unique_ptr<SelectNode> Parser::ParseSetOperation() {
  RestoreDepth restore{&depth_, depth_};
  auto left = ParseIntersection();
  bool built = false;
  while (IsKeyword("union") || IsKeyword("except")) {
    const int position = Peek().position;
    const bool is_union = IsKeyword("union");
    Advance();
    const bool all = AcceptKeyword("all");
    if (!all) AcceptKeyword("distinct");
    SetOpKind kind = is_union ? (all ? SetOpKind::kUnionAll : SetOpKind::kUnion)
                              : (all ? SetOpKind::kExceptAll : SetOpKind::kExcept);
    auto right = ParseIntersection();
    if (built && is_union && left->from.setop == kind) {
      left->from.setop_inputs.push_back(std::move(right));
      continue;
    }
    AddLevel(position);
    left = MakeSetOperation(kind, position, std::move(left), std::move(right));
    built = true;
  }
  return left;
}

std::unique_ptr<SelectNode> Parser::ParseIntersection() {
  RestoreDepth restore{&depth_, depth_};
  auto left = ParseSelectPrimary();
  while (IsKeyword("intersect")) {
    const int position = Advance().position;
    const bool all = AcceptKeyword("all");
    if (!all) AcceptKeyword("distinct");
    AddLevel(position);
    left = MakeSetOperation(all ? SetOpKind::kIntersectAll : SetOpKind::kIntersect, position,
                            std::move(left), ParseSelectPrimary());
  }
  return left;
}

std::unique_ptr<SelectNode> Parser::ParseSelectPrimary() {
  if (AcceptOperator("(")) {
    auto inner = ParseSelect();
    ExpectOperator(")");
    return inner;
  }
  if (IsKeyword("values")) return ParseValues();
  if (IsKeyword("pivot") || IsKeyword("unpivot") || IsKeyword("pivot_wider") ||
      IsKeyword("pivot_longer")) {
    return ParsePivotStatement();
  }
  return ParseSelectCore();
}

// ORDER BY / LIMIT / OFFSET after a SELECT core or a whole set operation. A
// parenthesized query that already has its own is wrapped in a subquery.
void Parser::ParseOrderLimit(std::unique_ptr<SelectNode>* target) {
  if (!IsKeyword("order") && !IsKeyword("limit") && !IsKeyword("offset") && !IsKeyword("fetch")) {
    return;
  }
  SelectNode* node = target->get();
  if (!node->order_by.empty() || node->order_by_all || node->limit || node->offset) {
    auto wrapper = std::make_unique<SelectNode>();
    wrapper->position = node->position;
    auto star = std::make_unique<ParsedExpression>();
    star->kind = ExpressionKind::kStar;
    star->position = node->position;
    wrapper->select_list.push_back(std::move(star));
    wrapper->from.kind = TableRef::Kind::kSubquery;
    wrapper->from.position = node->position;
    wrapper->from.subquery = std::move(*target);
    *target = std::move(wrapper);
    node = target->get();
  }
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    const bool all = IsKeyword("all") && !IsOperator("(", 1) && !IsOperator(".", 1);
    if (all) {
      node->order_by_all = true;
      Advance();
    }
    do {
      OrderByItem item;
      if (!all) item.expr = ParseExpression();
      if (AcceptKeyword("desc") || AcceptKeyword("descending")) {
        item.descending = true;
        item.direction_given = true;
      } else {
        item.direction_given = AcceptKeyword("asc") || AcceptKeyword("ascending");
      }
      if (AcceptKeyword("nulls")) {
        if (AcceptKeyword("first")) {
          item.nulls_first = true;
        } else {
          ExpectKeyword("last");
          item.nulls_first = false;
        }
      }
      if (item.expr) ResolveWindowNames(item.expr.get(), *node);
      node->order_by.push_back(std::move(item));
    } while (!all && AcceptOperator(","));
  }
  // LIMIT and OFFSET in either order, as DuckDB accepts; LIMIT ALL is no
  // limit; the SQL standard's OFFSET n ROWS and FETCH {FIRST|NEXT} [n]
  // {ROW|ROWS} ONLY (n defaults to 1).
  bool limit_seen = false;
  for (int i = 0; i < 2; ++i) {
    if (!limit_seen && AcceptKeyword("limit")) {
      limit_seen = true;
      if (AcceptKeyword("all")) {
        // no limit
      } else if (const size_t sign = IsOperator("-") ? 1 : 0;
                 (Peek(sign).type == TokenType::kInteger ||
                  Peek(sign).type == TokenType::kFloat) &&
                 IsOperator("%", sign + 1) &&
                 (Peek(sign + 2).type == TokenType::kEnd || IsOperator(";", sign + 2) ||
                  IsOperator(")", sign + 2) || IsKeyword("offset", sign + 2))) {
        // LIMIT 10%: the `%` ends the clause, it is no modulo.
        node->limit = ParseUnary();
        Advance();
        node->limit_percent = true;
      } else {
        node->limit = ParseExpression();
        node->limit_percent = AcceptKeyword("percent");
      }
    } else if (!limit_seen && AcceptKeyword("fetch")) {
      limit_seen = true;
      if (!AcceptKeyword("first")) ExpectKeyword("next");
      if (IsKeyword("row") || IsKeyword("rows")) {
        node->limit = MakeConstant(Value::Bigint(1), Peek().position);
      } else {
        node->limit = ParseExpression();
      }
      if (!AcceptKeyword("rows")) ExpectKeyword("row");
      ExpectKeyword("only");
    } else if (!node->offset && AcceptKeyword("offset")) {
      node->offset = ParseExpression();
      if (!AcceptKeyword("rows")) AcceptKeyword("row");
    }
  }
}

// QuestDB's SAMPLE BY interval: 1h, 15m, 30s, 1d, 1M (month), 1y, 100T (ms),
// or any INTERVAL expression / string.
ParsedExpressionPtr Parser::ParseSampleInterval() {
  const Token& t = Peek();
  if (t.type == TokenType::kInteger && Peek(1).type == TokenType::kIdentifier &&
      Peek(1).position == t.position + static_cast<int>(t.text.size())) {
    const std::string unit = Peek(1).text;
    static const std::pair<const char*, const char*> kUnits[] = {
        {"U", "microseconds"}, {"T", "milliseconds"}, {"s", "seconds"}, {"m", "minutes"},
        {"h", "hours"},        {"d", "days"},         {"w", "weeks"},   {"M", "months"},
        {"y", "years"}};
    for (const auto& [abbrev, word] : kUnits) {
      if (unit == abbrev) {
        const int position = t.position;
        std::string text = t.text + " " + word;
        Advance();
        Advance();
        auto e = std::make_unique<ParsedExpression>();
        e->kind = ExpressionKind::kCast;
        e->position = position;
        e->cast_type = TypeId::kInterval;
        auto lit = MakeConstant(Value::Varchar(text), position);
        lit->string_literal = true;
        e->children.push_back(std::move(lit));
        return e;
      }
    }
    throw QueryError(ErrorKind::kParser,
                     "unknown SAMPLE BY unit \"" + unit +
                         "\" (use U, T, s, m, h, d, w, M or y, e.g. SAMPLE BY 1h)",
                     Peek(1).position);
  }
  return ParseConcat();
}

std::unique_ptr<SelectNode> Parser::ParseSelectCore() {
  auto node = std::make_unique<SelectNode>();
  node->position = Peek().position;
  // DuckDB's FROM-first form: FROM t [SELECT list] [WHERE ...]; without
  // SELECT the list is `*`.
  const bool from_first = AcceptKeyword("from");
  if (from_first) {
    ParseFrom(&node->from);
    if (!AcceptKeyword("select")) {
      auto star = std::make_unique<ParsedExpression>();
      star->kind = ExpressionKind::kStar;
      star->position = node->position;
      node->select_list.push_back(std::move(star));
    }
  } else {
    ExpectKeyword("select");
  }
  if (!node->select_list.empty()) {
    // FROM t without SELECT: the list is already `*`.
  } else if (AcceptKeyword("distinct")) {
    node->distinct = true;
    if (AcceptKeyword("on")) {
      ExpectOperator("(");
      do {
        node->distinct_on.push_back(ParseExpression());
      } while (AcceptOperator(","));
      ExpectOperator(")");
      node->distinct = false;
    }
  } else {
    AcceptKeyword("all");
  }
  const bool list_given = node->select_list.empty();
  if (list_given && (AtEnd() || IsOperator(";") || IsOperator(")") || IsKeyword("from"))) {
    throw QueryError(ErrorKind::kParser, "SELECT clause without selection list", Peek().position);
  }
  while (list_given) {
    auto e = ParseExpression();
    if (e->kind == ExpressionKind::kStar) {
      // `*` takes no alias: "SELECT * FORM m" fails at FORM.
    } else if (AcceptKeyword("as")) {
      e->alias = ExpectIdentifier("alias");
    } else if (IsIdentifierToken() && !IsKeyword("except") && !IsKeyword("intersect") &&
               !(IsKeyword("fetch") && (IsKeyword("first", 1) || IsKeyword("next", 1)))) {
      e->alias = Advance().text;
    }
    node->select_list.push_back(std::move(e));
    if (!AcceptOperator(",")) break;
    // DuckDB allows a trailing comma: SELECT a, b, FROM t.
    if (AtEnd() || IsOperator(";") || IsOperator(")") || IsKeyword("from")) break;
  }

  if (!from_first && AcceptKeyword("from")) ParseFrom(&node->from);
  auto parse_latest = [&] {
    if (!(IsKeyword("latest") && IsKeyword("on", 1))) return;
    Advance();
    Advance();
    node->latest_on = ParseExpression();
    ExpectKeyword("partition");
    ExpectKeyword("by");
    do {
      node->latest_partition.push_back(ParseExpression());
    } while (AcceptOperator(","));
  };
  parse_latest();
  if (AcceptKeyword("where")) node->where = ParseExpression();
  if (!node->latest_on) parse_latest();
  if (IsKeyword("sample") && IsKeyword("by", 1)) {
    Advance();
    Advance();
    node->sample_by = ParseSampleInterval();
    node->sample_fill = "none";
    if (IsKeyword("fill") && IsOperator("(", 1)) {
      Advance();
      Advance();
      if (AcceptKeyword("none")) {
        node->sample_fill = "none";
      } else if (AcceptKeyword("null")) {
        node->sample_fill = "null";
      } else if (AcceptKeyword("prev")) {
        node->sample_fill = "prev";
      } else if (AcceptKeyword("linear")) {
        node->sample_fill = "linear";
      } else {
        node->sample_fill = "value";
        node->sample_fill_value = ParseExpression();
      }
      ExpectOperator(")");
    }
    if (AcceptKeyword("align")) {
      ExpectKeyword("to");
      const Token& at = Peek();
      if (AcceptKeyword("calendar")) {
        // Buckets on the calendar grid (the default).
      } else {
        throw QueryError(ErrorKind::kNotImplemented,
                         "only ALIGN TO CALENDAR is supported with SAMPLE BY", at.position);
      }
    }
  }
  if (AcceptKeyword("group")) {
    ExpectKeyword("by");
    if (AcceptKeyword("all")) {
      node->group_by_all = true;
    } else {
      ParseGroupBy(node.get());
    }
  }
  if (AcceptKeyword("having")) node->having = ParseExpression();
  if (AcceptKeyword("window")) {
    do {
      const int position = Peek().position;
      std::string name = ExpectIdentifier("window name");
      ExpectKeyword("as");
      if (!IsOperator("(")) ThrowSyntaxError(Peek());
      AddNamedWindow(node.get(), std::move(name), *ParseWindowSpec(), position);
    } while (AcceptOperator(","));
  }
  if (AcceptKeyword("qualify")) node->qualify = ParseExpression();
  ResolveWindowNames(node.get());
  return node;
}

void Parser::ParseFrom(TableRef* ref) {
  RestoreDepth restore{&depth_, depth_};
  ParseTableRefPrimary(ref);
  while (true) {
    const int position = Peek().position;
    JoinType type;
    const bool natural = AcceptKeyword("natural");
    if (natural && !IsKeyword("join") && !IsKeyword("inner") && !IsKeyword("left") &&
        !IsKeyword("right") && !IsKeyword("full") && !IsKeyword("semi") && !IsKeyword("anti")) {
      ThrowSyntaxError(Peek());
    }
    // DuckDB's SEMI / ANTI JOIN (also written LEFT SEMI / LEFT ANTI): the
    // left rows with (without) a matching right row, left columns only.
    SemiJoin semi = SemiJoin::kNone;
    const int semi_at = IsKeyword("left") ? 1 : 0;
    if ((IsKeyword("semi", semi_at) || IsKeyword("anti", semi_at)) && IsKeyword("join", semi_at + 1)) {
      if (semi_at) Advance();
      semi = IsKeyword("semi") ? SemiJoin::kSemi : SemiJoin::kAnti;
      Advance();
    }
    if (semi != SemiJoin::kNone) {
      ExpectKeyword("join");
      type = JoinType::kInner;
    } else if (AcceptOperator(",")) {
      type = JoinType::kCross;
    } else if (AcceptKeyword("cross")) {
      ExpectKeyword("join");
      type = JoinType::kCross;
    } else if (AcceptKeyword("positional")) {
      ExpectKeyword("join");
      type = JoinType::kPositional;
    } else if (AcceptKeyword("asof")) {
      type = AcceptKeyword("left") ? JoinType::kAsofLeft : JoinType::kAsof;
      AcceptKeyword("outer");
      ExpectKeyword("join");
    } else if (IsKeyword("join") || IsKeyword("inner") || IsKeyword("left") ||
               IsKeyword("right") || IsKeyword("full")) {
      type = JoinType::kInner;
      if (AcceptKeyword("left")) type = JoinType::kLeft;
      else if (AcceptKeyword("right")) type = JoinType::kRight;
      else if (AcceptKeyword("full")) type = JoinType::kFull;
      else AcceptKeyword("inner");
      if (type != JoinType::kInner) AcceptKeyword("outer");
      ExpectKeyword("join");
    } else {
      return;
    }
    AddLevel(position);  // the join nests the FROM items before it
    auto left = std::make_unique<TableRef>(std::move(*ref));
    *ref = TableRef();
    ref->kind = TableRef::Kind::kJoin;
    ref->position = position;
    ref->join_type = type;
    ref->semi = semi;
    ref->left = std::move(left);
    ref->right = std::make_unique<TableRef>();
    ParseTableRefPrimary(ref->right.get());
    ref->natural = natural;
    if (type != JoinType::kCross && type != JoinType::kPositional && !natural) {
      if (AcceptKeyword("using")) {
        ExpectOperator("(");
        do {
          ref->using_columns.push_back(ExpectIdentifier("column name"));
        } while (AcceptOperator(","));
        ExpectOperator(")");
      } else {
        ExpectKeyword("on");
        ref->on = ParseExpression();
      }
    }
  }
}

void Parser::ParseTableRefPrimary(TableRef* ref) {
  ref->position = Peek().position;
  // LATERAL (subquery) / LATERAL fn(...); a table named lateral still reads.
  if (IsKeyword("lateral") && (IsOperator("(", 1) || (IsIdentifierToken(1) && IsOperator("(", 2)))) {
    Advance();
    ref->lateral = true;
  }
  if (AcceptOperator("(")) {
    ref->kind = TableRef::Kind::kSubquery;
    ref->subquery = ParseSelect();
    ExpectOperator(")");
  } else if (IsIdentifierToken() && IsOperator("(", 1)) {
    ref->kind = TableRef::Kind::kTableFunction;
    ref->name = ToLower(Advance().text);
    ExpectOperator("(");
    if (!IsOperator(")")) {
      do {
        if (IsIdentifierToken() && (IsOperator("=>", 1) || IsOperator(":=", 1))) {
          std::string name = ToLower(Advance().text);
          Advance();
          ref->named_args.emplace_back(name, ParseExpression());
        } else if (IsIdentifierToken() && IsOperator("=", 1)) {
          std::string name = ToLower(Advance().text);
          Advance();
          ref->named_args.emplace_back(name, ParseExpression());
        } else {
          if (!ref->named_args.empty()) ThrowSyntaxError(Peek());
          ref->args.push_back(ParseExpression());
        }
      } while (AcceptOperator(","));
    }
    ExpectOperator(")");
  } else {
    ref->kind = TableRef::Kind::kBaseTable;
    int position = 0;
    ref->name = ParseTableName(&position);
    ref->position = position;
    // Delta/Databricks time travel: VERSION AS OF n | TIMESTAMP AS OF expr.
    if (IsKeyword("version") && IsKeyword("as", 1)) {
      Advance();
      Advance();
      ExpectKeyword("of");
      ref->version_as_of = ParseIntegerLiteral("version");
    } else if (IsKeyword("timestamp") && IsKeyword("as", 1)) {
      Advance();
      Advance();
      ExpectKeyword("of");
      ref->timestamp_as_of = ParseConcat();
    }
  }
  // Join words are not reserved (left() is a function) but end a FROM item.
  const bool join_word = IsKeyword("inner") || IsKeyword("left") || IsKeyword("right") ||
                         IsKeyword("full") || IsKeyword("cross") || IsKeyword("asof") ||
                         IsKeyword("natural") || IsKeyword("using") ||
                         (IsKeyword("positional") && IsKeyword("join", 1)) ||
                         ((IsKeyword("semi") || IsKeyword("anti")) && IsKeyword("join", 1)) ||
                         ((IsKeyword("pivot") || IsKeyword("unpivot")) &&
                          (IsOperator("(", 1) || IsKeyword("include", 1) ||
                           IsKeyword("exclude", 1))) ||
                         (IsKeyword("sample") && IsKeyword("by", 1)) ||
                         (IsKeyword("fetch") && (IsKeyword("first", 1) || IsKeyword("next", 1))) ||
                         (IsKeyword("latest") && IsKeyword("on", 1));
  if (AcceptKeyword("as")) {
    ref->alias = ExpectIdentifier("alias");
  } else if (IsIdentifierToken() && !join_word) {
    ref->alias = Advance().text;
  }
  if (!ref->alias.empty() && AcceptOperator("(")) {
    do {
      ref->column_aliases.push_back(ExpectIdentifier("column alias"));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  while ((IsKeyword("pivot") || IsKeyword("unpivot")) &&
         (IsOperator("(", 1) || IsKeyword("include", 1) || IsKeyword("exclude", 1))) {
    ParsePivotClause(ref);
  }
}

std::string Parser::ParseTableName(int* position) {
  *position = Peek().position;
  std::string name = ExpectIdentifier("table name");
  // Accept a schema qualifier ("main.m"); tslake has one schema.
  if (AcceptOperator(".")) {
    *position = Peek().position;
    name = ExpectIdentifier("table name");
  }
  return name;
}

int64_t Parser::ParseIntegerLiteral(const char* what) {
  const Token& t = Peek();
  if (t.type != TokenType::kInteger) ThrowSyntaxError(t);
  Advance();
  try {
    return std::stoll(t.text);
  } catch (...) {
    throw QueryError(ErrorKind::kParser, std::string(what) + " out of range: " + t.text,
                     t.position);
  }
}

TypeId Parser::ParseType() {
  const Token& t = Peek();
  if (t.type != TokenType::kIdentifier && t.type != TokenType::kQuotedIdentifier) {
    ThrowSyntaxError(t);
  }
  Advance();
  std::string name = t.text;
  if (EqualsIgnoreCase(name, "double") && AcceptKeyword("precision")) name = "double precision";
  if (EqualsIgnoreCase(name, "timestamp") && IsKeyword("with") && IsKeyword("time", 1)) {
    Advance();
    Advance();
    ExpectKeyword("zone");
    name = "timestamp with time zone";
  }
  const bool decimal = EqualsIgnoreCase(name, "decimal") || EqualsIgnoreCase(name, "numeric") ||
                       EqualsIgnoreCase(name, "dec");
  if (AcceptOperator("(")) {  // VARCHAR(20): width is not enforced; DECIMAL(18,3) is the type
    std::string mods;
    do {
      const int64_t m = ParseIntegerLiteral("type modifier");
      mods += (mods.empty() ? "" : ",") + std::to_string(m);
    } while (AcceptOperator(","));
    ExpectOperator(")");
    if (decimal) name += "(" + mods + ")";
  }
  // T[] (DuckDB's list type; T ARRAY is not accepted).
  while (IsOperator("[") && IsOperator("]", 1)) {
    Advance();
    Advance();
    name += "[]";
  }
  Result<TypeId> type = ParseTypeName(name);
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0 && !type.ok()) {
    throw QueryError(ErrorKind::kNotImplemented, type.status().message(), t.position);
  }
  if (decimal && !type.ok()) throw QueryError(ErrorKind::kBinder, type.status().message(), t.position);
  if (!type.ok() || *type == TypeId::kNull) {
    throw QueryError(ErrorKind::kCatalog, "Type with name " + name + " does not exist!",
                     t.position);
  }
  return *type;
}

void Parser::ParseCreate(Statement* stmt) {
  stmt->type = StatementType::kCreateTable;
  if (IsKeyword("materialized")) return ParseMaterializedView(stmt, StatementType::kCreateView);
  if (AcceptKeyword("or")) {
    ExpectKeyword("replace");
    stmt->or_replace = true;
    if (!IsKeyword("view") && !IsKeyword("table") && !IsKeyword("temp") &&
        !IsKeyword("temporary")) {
      ThrowSyntaxError(Peek());
    }
  }
  // CREATE [OR REPLACE] TEMP[ORARY] TABLE: session-local (main/temp_tables).
  if (IsKeyword("temp") || IsKeyword("temporary")) {
    if (!IsKeyword("table", 1)) ThrowSyntaxError(Peek(1));
    Advance();
    stmt->temporary = true;
  }
  if (AcceptKeyword("view")) {
    stmt->type = StatementType::kCreateView;
    if (AcceptKeyword("if")) {
      ExpectKeyword("not");
      ExpectKeyword("exists");
      stmt->if_not_exists = true;
    }
    stmt->table = ParseTableName(&stmt->table_position);
    ExpectKeyword("as");
    const int begin = Peek().position;
    stmt->select = ParseSelect();
    const int end = Peek().position;
    std::string text(sql_.substr(begin, end - begin));
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    stmt->view_sql = std::move(text);
    return;
  }
  ExpectKeyword("table");
  // DuckDB's grammar has no CREATE OR REPLACE TABLE IF NOT EXISTS.
  if (!stmt->or_replace && AcceptKeyword("if")) {
    ExpectKeyword("not");
    ExpectKeyword("exists");
    stmt->if_not_exists = true;
  }
  stmt->table = ParseTableName(&stmt->table_position);
  // CREATE TABLE t (a, b) AS SELECT ...: names without types rename the
  // query's first columns, as SELECT * FROM (query) AS t(a, b).
  std::vector<std::string> names;
  if (IsOperator("(")) {
    size_t k = 1;
    while (Peek(k).type == TokenType::kIdentifier || Peek(k).type == TokenType::kQuotedIdentifier) {
      if (IsOperator(",", k + 1)) {
        k += 2;
      } else {
        if (IsOperator(")", k + 1) && IsKeyword("as", k + 2)) {
          Advance();
          do {
            names.push_back(ExpectIdentifier("column name"));
          } while (AcceptOperator(","));
          ExpectOperator(")");
        }
        break;
      }
    }
  }
  if (AcceptKeyword("as")) {
    const int position = Peek().position;
    stmt->select = ParseSelect();
    if (!names.empty()) {
      auto outer = std::make_unique<SelectNode>();
      outer->position = position;
      auto star = std::make_unique<ParsedExpression>();
      star->kind = ExpressionKind::kStar;
      star->position = position;
      outer->select_list.push_back(std::move(star));
      outer->from.kind = TableRef::Kind::kSubquery;
      outer->from.position = position;
      outer->from.alias = stmt->table;
      outer->from.column_aliases = std::move(names);
      outer->from.subquery = std::move(stmt->select);
      stmt->select = std::move(outer);
    }
    return;
  }
  ExpectOperator("(");
  do {
    if (ParseTableConstraint(stmt)) continue;
    ColumnDefinition col;
    col.position = Peek().position;
    col.name = ExpectIdentifier("column name");
    col.type = ParseType();
    ParseColumnConstraints(stmt, col.name);
    stmt->columns.push_back(std::move(col));
  } while (AcceptOperator(","));
  ExpectOperator(")");
  for (int clauses = 0; clauses < 2; ++clauses) {
    if (AcceptKeyword("with")) {
      for (auto& [key, value] : ParsePropertyList()) stmt->properties[key] = value;
    } else if (IsKeyword("partition") && IsKeyword("by", 1)) {
      Advance();
      Advance();
      bool parens = AcceptOperator("(");
      auto expr = ParseExpression();
      if (parens) ExpectOperator(")");
      stmt->properties["partition_by"] = expr->ToString();
    }
  }
}

std::string Parser::ParseOptionValue() {
  const Token& t = Peek();
  switch (t.type) {
    case TokenType::kString:
    case TokenType::kInteger:
    case TokenType::kFloat:
    case TokenType::kIdentifier:
    case TokenType::kQuotedIdentifier:
      Advance();
      return t.text;
    default:
      ThrowSyntaxError(t);
  }
}

void Parser::ParseDrop(Statement* stmt) {
  stmt->type = StatementType::kDropTable;
  if (IsKeyword("materialized")) return ParseMaterializedView(stmt, StatementType::kDropView);
  if (AcceptKeyword("view")) {
    stmt->type = StatementType::kDropView;
  } else {
    ExpectKeyword("table");
  }
  if (AcceptKeyword("if")) {
    ExpectKeyword("exists");
    stmt->if_exists = true;
  }
  stmt->table = ParseTableName(&stmt->table_position);
  if (stmt->type == StatementType::kDropTable) ParseDropBehavior(stmt);
}

void Parser::ParseInsert(Statement* stmt) {
  stmt->type = StatementType::kInsert;
  if (AcceptKeyword("or")) {  // INSERT OR REPLACE | OR IGNORE (upsert.h)
    stmt->conflict_position = Peek().position;
    if (AcceptKeyword("replace")) {
      stmt->on_conflict = OnConflictAction::kReplace;
    } else {
      ExpectKeyword("ignore");
      stmt->on_conflict = OnConflictAction::kNothing;
    }
  }
  ExpectKeyword("into");
  stmt->table = ParseTableName(&stmt->table_position);
  if (IsOperator("(") && !IsKeyword("select", 1)) {
    Advance();
    do {
      stmt->insert_column_positions.push_back(Peek().position);
      stmt->insert_columns.push_back(ExpectIdentifier("column name"));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  if (AcceptKeyword("by")) {  // BY NAME | BY POSITION (the default)
    if (AcceptKeyword("name")) {
      stmt->insert_by_name = true;
    } else {
      ExpectKeyword("position");
    }
  } else if (IsKeyword("default") && IsKeyword("values", 1)) {
    Advance();
    Advance();
    stmt->insert_default_values = true;
    return;
  }
  if (AcceptKeyword("values")) {
    if (stmt->insert_by_name) {
      throw QueryError(ErrorKind::kBinder,
                       "INSERT BY NAME can only be used when inserting from a SELECT statement",
                       stmt->position);
    }
    do {
      ExpectOperator("(");
      std::vector<ParsedExpressionPtr> row;
      do {
        // DEFAULT as a value: the column's DEFAULT (a null entry).
        if (IsKeyword("default") && (IsOperator(",", 1) || IsOperator(")", 1))) {
          Advance();
          row.push_back(nullptr);
          continue;
        }
        row.push_back(ParseExpression());
      } while (AcceptOperator(","));
      ExpectOperator(")");
      stmt->values.push_back(std::move(row));
      // DuckDB allows a trailing comma after the last row.
    } while (AcceptOperator(",") && IsOperator("("));
  } else if (IsKeyword("select") || IsOperator("(") || IsKeyword("with")) {
    stmt->select = ParseSelect();
  } else {
    ThrowSyntaxError(Peek());
  }
  if (IsKeyword("on") && IsKeyword("conflict", 1)) ParseOnConflict(stmt);
  if (AcceptKeyword("returning")) ParseReturning(stmt);
}

void Parser::ParseCopy(Statement* stmt) {
  stmt->type = StatementType::kCopy;
  // COPY (SELECT ...) TO 'file' | COPY t TO 'path' | COPY t FROM 'file'
  // (COPY TO runs in query/main/copy_to_executor.cc).
  if (AcceptOperator("(")) {
    stmt->select = ParseSelect();
    ExpectOperator(")");
    ExpectKeyword("to");
    stmt->copy_to = true;
  } else {
    stmt->table = ParseTableName(&stmt->table_position);
    if (AcceptKeyword("to")) stmt->copy_to = true;
    else ExpectKeyword("from");
  }
  if (Peek().type != TokenType::kString) ThrowSyntaxError(Peek());
  stmt->copy_path = Advance().text;
  bool with = AcceptKeyword("with");
  if (AcceptOperator("(")) {
    do {
      std::string name = ToLower(ExpectIdentifier("option name"));
      ParsedExpressionPtr value;
      if (!IsOperator(",") && !IsOperator(")")) {
        AcceptOperator("=");
        // A bare word is a string: FORMAT csv, COMPRESSION zstd.
        if ((Peek().type == TokenType::kIdentifier ||
             Peek().type == TokenType::kQuotedIdentifier) &&
            !IsKeyword("true") && !IsKeyword("false") && !IsKeyword("null") &&
            (IsOperator(",", 1) || IsOperator(")", 1))) {
          const Token& word = Advance();
          value = MakeConstant(Value::Varchar(word.text), word.position);
          value->string_literal = true;
        } else {
          value = ParseExpression();
        }
      } else {
        value = MakeConstant(Value::Boolean(true), Peek().position);
      }
      stmt->copy_options.emplace_back(name, std::move(value));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  } else if (with) {
    ThrowSyntaxError(Peek());
  }
}

void Parser::ParseDescribe(Statement* stmt) {
  if (IsKeyword("history") && IsIdentifierToken(1)) {
    Advance();
    stmt->type = StatementType::kDescribeHistory;
    stmt->table = ParseTableName(&stmt->table_position);
    if (AcceptKeyword("limit")) stmt->history_limit = ParseIntegerLiteral("limit");
    return;
  }
  stmt->type = StatementType::kDescribe;
  if (IsKeyword("select") || IsKeyword("from") || IsKeyword("with") || IsKeyword("values") ||
      IsOperator("(")) {
    // DESCRIBE SELECT ...: the query's result columns.
    stmt->select = ParseSelect();
    return;
  }
  if (AcceptKeyword("table")) {
    // DESCRIBE TABLE t
  }
  stmt->table = ParseTableName(&stmt->table_position);
}

void Parser::ParseShow(Statement* stmt) {
  if (AcceptKeyword("tables")) {
    stmt->type = StatementType::kShowTables;
    return;
  }
  if (IsKeyword("all") && IsKeyword("tables", 1)) {
    Advance();
    Advance();
    stmt->type = StatementType::kShowTables;
    stmt->show_all = true;
    return;
  }
  stmt->type = StatementType::kDescribe;  // SHOW t is DESCRIBE t in DuckDB
  stmt->table = ParseTableName(&stmt->table_position);
}

}  // namespace tsl::query
