// Grammar of issue 17's data-changing statements: UPDATE t [AS a] SET c = e,
// ... [FROM source] [WHERE p] [RETURNING list]. Run by
// query/main/update_executor.cc. See parser.h. Thread-safety: one Parser per
// call.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {

// The select-list-like items of RETURNING: expressions with optional
// aliases, `*` allowed.
void Parser::ParseReturning(Statement* stmt) {
  do {
    auto e = ParseExpression();
    if (e->kind == ExpressionKind::kStar) {
      // `*` takes no alias.
    } else if (AcceptKeyword("as")) {
      e->alias = ExpectIdentifier("alias");
    } else if (IsIdentifierToken()) {
      e->alias = Advance().text;
    }
    stmt->returning.push_back(std::move(e));
  } while (AcceptOperator(","));
}

// UPDATE t [[AS] alias] SET col = expr | DEFAULT, ... [FROM source]
//        [WHERE predicate] [RETURNING list]
// The FROM source is kept as `SELECT * FROM source` (update_from): the
// executor runs it once and matches its rows against the target's.
void Parser::ParseUpdate(Statement* stmt) {
  stmt->type = StatementType::kUpdate;
  stmt->table = ParseTableName(&stmt->table_position);
  if (AcceptKeyword("as")) {
    stmt->table_alias = ExpectIdentifier("alias");
  } else if (IsIdentifierToken() && !IsKeyword("set")) {
    stmt->table_alias = Advance().text;
  }
  ExpectKeyword("set");
  do {
    const int position = Peek().position;
    std::string column = ExpectIdentifier("column name");
    if (IsOperator(".")) {
      throw QueryError(ErrorKind::kParser,
                       "Qualified column names in UPDATE .. SET not supported", position);
    }
    ExpectOperator("=");
    ParsedExpressionPtr value;
    if (!AcceptKeyword("default")) value = ParseExpression();  // DEFAULT: NULL (no defaults)
    stmt->set_columns.emplace_back(std::move(column), position);
    stmt->set_values.push_back(std::move(value));
  } while (AcceptOperator(","));
  if (IsKeyword("from")) {
    auto node = std::make_unique<SelectNode>();
    node->position = Peek().position;
    Advance();
    ParseFrom(&node->from);
    auto star = std::make_unique<ParsedExpression>();
    star->kind = ExpressionKind::kStar;
    star->position = node->position;
    node->select_list.push_back(std::move(star));
    stmt->update_from = std::move(node);
  }
  if (AcceptKeyword("where")) stmt->where = ParseExpression();
  if (AcceptKeyword("returning")) ParseReturning(stmt);
}

// BEGIN [TRANSACTION | WORK] | START TRANSACTION | COMMIT [TRANSACTION | WORK]
// | END [TRANSACTION] | ROLLBACK [TRANSACTION | WORK] | ABORT [TRANSACTION]
void Parser::ParseTransactionControl(Statement* stmt) {
  std::string keyword = ToLower(Advance().text);
  if (keyword == "start") {
    ExpectKeyword("transaction");
    stmt->type = StatementType::kBegin;
    return;
  }
  if (keyword == "begin") {
    stmt->type = StatementType::kBegin;
  } else if (keyword == "commit" || keyword == "end") {
    stmt->type = StatementType::kCommit;
  } else {
    stmt->type = StatementType::kRollback;
  }
  if (!AcceptKeyword("transaction")) AcceptKeyword("work");
}

}  // namespace tsl::query
