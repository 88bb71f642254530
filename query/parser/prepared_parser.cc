// SQL-level prepared statements, as DuckDB: `PREPARE name AS statement`,
// `EXECUTE name [(value, ...)]` (or `name := value` per named parameter)
// and `DEALLOCATE [PREPARE] name`. The prepared statement keeps its own
// parse (parameters `?`, `$n`, `$name` counted for it alone) and the text
// its positions point into; the engine holds them per connection
// (query/main/query_engine.cc). See parser.h.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {

void Parser::ParsePrepare(Statement* stmt) {
  stmt->type = StatementType::kPrepare;
  stmt->table_position = Peek().position;
  stmt->table = ToLower(ExpectIdentifier("prepared statement name"));
  ExpectKeyword("as");
  if (IsKeyword("prepare") || IsKeyword("execute") || IsKeyword("deallocate")) {
    ThrowSyntaxError(Peek());
  }
  const int start = Peek().position;
  next_parameter_ = 0;
  max_parameter_ = 0;
  saw_positional_ = saw_numbered_ = false;
  parameter_names_.clear();
  std::unique_ptr<Statement> inner = ParseStatement();
  inner->position = start;
  inner->parameter_count = max_parameter_;
  inner->parameter_names = parameter_names_;
  inner->end_position = Peek().position;
  stmt->prepared = std::move(inner);
  stmt->prepared_sql = std::string(sql_);
  // The PREPARE itself takes no values.
  max_parameter_ = 0;
  parameter_names_.clear();
}

void Parser::ParseExecute(Statement* stmt) {
  stmt->type = StatementType::kExecute;
  stmt->table_position = Peek().position;
  stmt->table = ToLower(ExpectIdentifier("prepared statement name"));
  if (!AcceptOperator("(")) return;  // `EXECUTE q()` is a syntax error, as in DuckDB
  do {
    std::string name;
    if (IsIdentifierToken() && IsOperator(":", 1) && IsOperator("=", 2)) {
      name = ToLower(Advance().text);
      Advance();
      Advance();
    }
    stmt->execute_args.emplace_back(std::move(name), ParseExpression());
  } while (AcceptOperator(","));
  ExpectOperator(")");
}

void Parser::ParseDeallocate(Statement* stmt) {
  stmt->type = StatementType::kDeallocate;
  AcceptKeyword("prepare");
  stmt->table_position = Peek().position;
  stmt->table = ToLower(ExpectIdentifier("prepared statement name"));
}

}  // namespace tsl::query
