// Grammar of CREATE TABLE's constraints (issue 17): after a column's type
//   [NULL | NOT NULL | PRIMARY KEY | UNIQUE | CHECK (expr) | DEFAULT expr
//    | CONSTRAINT name ...]...
// and as items of the column list
//   [CONSTRAINT name] PRIMARY KEY (cols) | UNIQUE (cols) | CHECK (expr)
// They become Statement::constraints; query/main/table_constraints.h stores
// and enforces them. FOREIGN KEY / REFERENCES, COLLATE and generated columns
// are refused by name rather than accepted and ignored. Thread-safety: one
// Parser per call.
#include <cctype>

#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

[[noreturn]] void Refuse(const std::string& what, int position) {
  throw QueryError(ErrorKind::kNotImplemented,
                   what + " is not supported by tslake (the table would not enforce it)", position);
}

}  // namespace

// An expression's source text, as written (CHECK's and DEFAULT's are kept
// as SQL and re-parsed when a statement writes to the table).
std::string Parser::ParseConstraintExpression() {
  const int parameters_before = max_parameter_;
  const size_t named_before = parameter_names_.size();
  const int begin = Peek().position;
  ParseExpression();
  const int end = Peek().position;
  if (max_parameter_ != parameters_before || parameter_names_.size() != named_before) {
    throw QueryError(ErrorKind::kBinder, "a constraint or DEFAULT cannot hold a parameter", begin);
  }
  std::string text(sql_.substr(begin, end - begin));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

void Parser::ParseColumnConstraints(Statement* stmt, const std::string& column) {
  using Kind = ConstraintDefinition::Kind;
  while (true) {
    const Token& t = Peek();
    const int position = t.position;
    if (AcceptKeyword("null")) continue;
    if (AcceptKeyword("constraint")) {  // a name: DuckDB accepts and drops it
      ExpectIdentifier("constraint name");
      continue;
    }
    ConstraintDefinition c;
    c.position = position;
    c.columns = {column};
    if (IsKeyword("not") && IsKeyword("null", 1)) {
      Advance();
      Advance();
      c.kind = Kind::kNotNull;
    } else if (AcceptKeyword("primary")) {
      ExpectKeyword("key");
      c.kind = Kind::kPrimaryKey;
    } else if (AcceptKeyword("unique")) {
      c.kind = Kind::kUnique;
    } else if (AcceptKeyword("check")) {
      ExpectOperator("(");
      c.kind = Kind::kCheck;
      c.expression = ParseConstraintExpression();
      ExpectOperator(")");
      c.columns.clear();
    } else if (AcceptKeyword("default")) {
      c.kind = Kind::kDefault;
      c.expression = ParseConstraintExpression();
    } else if (IsKeyword("references")) {
      Refuse("column constraint REFERENCES", position);
    } else if (IsKeyword("generated") || IsKeyword("as")) {
      Refuse("column constraint generated column", position);
    } else if (IsKeyword("collate")) {
      Refuse("column constraint COLLATE", position);
    } else {
      return;
    }
    stmt->constraints.push_back(std::move(c));
  }
}

// A table constraint at the current item of the column list, if there is
// one; false (nothing consumed) for a column definition.
bool Parser::ParseTableConstraint(Statement* stmt) {
  using Kind = ConstraintDefinition::Kind;
  const bool named = IsKeyword("constraint");
  const bool keyword = (IsKeyword("primary") && IsKeyword("key", 1)) ||
                       (IsKeyword("unique") && IsOperator("(", 1)) ||
                       (IsKeyword("check") && IsOperator("(", 1)) ||
                       (IsKeyword("foreign") && IsKeyword("key", 1));
  if (!named && !keyword) return false;
  if (named) {
    Advance();
    ExpectIdentifier("constraint name");
  }
  ConstraintDefinition c;
  c.position = Peek().position;
  if (IsKeyword("foreign")) Refuse("table constraint FOREIGN KEY", c.position);
  if (AcceptKeyword("primary")) {
    ExpectKeyword("key");
    c.kind = Kind::kPrimaryKey;
  } else if (AcceptKeyword("unique")) {
    c.kind = Kind::kUnique;
  } else if (AcceptKeyword("check")) {
    c.kind = Kind::kCheck;
    ExpectOperator("(");
    c.expression = ParseConstraintExpression();
    ExpectOperator(")");
    stmt->constraints.push_back(std::move(c));
    return true;
  } else {
    ThrowSyntaxError(Peek());
  }
  ExpectOperator("(");
  do {
    c.columns.push_back(ExpectIdentifier("column name"));
  } while (AcceptOperator(","));
  ExpectOperator(")");
  stmt->constraints.push_back(std::move(c));
  return true;
}

// ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET col = expr, ... [WHERE
// cond], after INSERT's rows (query/main/upsert.h).
void Parser::ParseOnConflict(Statement* stmt) {
  stmt->conflict_position = Peek().position;
  if (stmt->on_conflict != OnConflictAction::kNone) {
    throw QueryError(ErrorKind::kParser,
                     "Only one ON CONFLICT clause is allowed (INSERT OR REPLACE / OR IGNORE is one)",
                     Peek().position);
  }
  ExpectKeyword("on");
  ExpectKeyword("conflict");
  if (AcceptOperator("(")) {
    do {
      stmt->conflict_columns.push_back(ExpectIdentifier("column name"));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  ExpectKeyword("do");
  if (AcceptKeyword("nothing")) {
    stmt->on_conflict = OnConflictAction::kNothing;
    return;
  }
  ExpectKeyword("update");
  ExpectKeyword("set");
  stmt->on_conflict = OnConflictAction::kUpdate;
  do {
    const int position = Peek().position;
    std::string column = ExpectIdentifier("column name");
    if (IsOperator(".")) {
      throw QueryError(ErrorKind::kParser,
                       "Qualified column names in UPDATE .. SET not supported", position);
    }
    ExpectOperator("=");
    ParsedExpressionPtr value;
    if (!AcceptKeyword("default")) value = ParseExpression();  // DEFAULT: the column's
    stmt->set_columns.emplace_back(std::move(column), position);
    stmt->set_values.push_back(std::move(value));
  } while (AcceptOperator(","));
  if (AcceptKeyword("where")) stmt->where = ParseExpression();
}

}  // namespace tsl::query
