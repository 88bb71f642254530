// Grammar of issue 3's statements: DELETE, OPTIMIZE, VACUUM, RESTORE and
// ALTER TABLE, SET / RESET / PRAGMA of a setting, plus the `(key = value, ...)` property list shared with
// CREATE TABLE ... WITH. See parser.h. Thread-safety: one Parser per call.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {

std::map<std::string, std::string> Parser::ParsePropertyList() {
  std::map<std::string, std::string> out;
  ExpectOperator("(");
  do {
    std::string key = ExpectIdentifier("property name");
    while (AcceptOperator(".")) {
      key += ".";
      key += ExpectIdentifier("property name");
    }
    ExpectOperator("=");
    out[ToLower(key)] = ParseOptionValue();
  } while (AcceptOperator(","));
  ExpectOperator(")");
  return out;
}

void Parser::ParseSet(Statement* stmt, std::string_view keyword) {
  stmt->type = StatementType::kSet;
  if (keyword != "pragma") {
    if (AcceptKeyword("global")) {
      stmt->setting_scope = 'g';
    } else if (AcceptKeyword("session")) {
      stmt->setting_scope = 's';
    } else if (AcceptKeyword("local")) {
      stmt->setting_scope = 'l';
    }
  }
  stmt->setting = ToLower(ExpectIdentifier("setting name"));
  if (keyword == "reset") return;
  // PRAGMA name alone (DuckDB's enable_verification, verify_parallelism):
  // a switch turned on.
  if (keyword == "pragma" && (AtEnd() || IsOperator(";"))) {
    stmt->setting_value = "true";
    return;
  }
  if (keyword == "pragma" && AcceptOperator("(")) {
    stmt->setting_value = ParseOptionValue();
    ExpectOperator(")");
    return;
  }
  if (!AcceptOperator("=") && !(keyword == "set" && AcceptKeyword("to"))) {
    ThrowSyntaxError(Peek());
  }
  stmt->setting_value = ParseOptionValue();
}

// DELETE FROM t [[AS] alias] [USING source, ...] [WHERE predicate]
//             [RETURNING list]
// The USING source is kept as `SELECT * FROM source` (update_from, as
// UPDATE ... FROM's): the executor runs it once and deletes each target row
// that some source row matches.
void Parser::ParseDelete(Statement* stmt) {
  stmt->type = StatementType::kDelete;
  ExpectKeyword("from");
  stmt->table = ParseTableName(&stmt->table_position);
  if (AcceptKeyword("as")) {
    stmt->table_alias = ExpectIdentifier("alias");
  } else if (IsIdentifierToken() && !IsKeyword("using") && !IsKeyword("where") &&
             !IsKeyword("returning")) {
    stmt->table_alias = Advance().text;
  }
  if (IsKeyword("using")) {
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

// TRUNCATE [TABLE] t: DuckDB's spelling of DELETE FROM t (one version
// removing every file; the result is the number of rows deleted).
void Parser::ParseTruncate(Statement* stmt) {
  stmt->type = StatementType::kDelete;
  AcceptKeyword("table");
  stmt->table = ParseTableName(&stmt->table_position);
}

// OPTIMIZE t [WHERE predicate]
void Parser::ParseOptimize(Statement* stmt) {
  stmt->type = StatementType::kOptimize;
  AcceptKeyword("table");
  stmt->table = ParseTableName(&stmt->table_position);
  if (AcceptKeyword("where")) stmt->where = ParseExpression();
}

// VACUUM t [RETAIN n HOURS] [DRY RUN] [FORCE]. FORCE allows a retention
// under the 168-hour safety minimum (Delta's retentionDurationCheck off).
void Parser::ParseVacuum(Statement* stmt) {
  stmt->type = StatementType::kVacuum;
  AcceptKeyword("table");
  stmt->table = ParseTableName(&stmt->table_position);
  while (!AtEnd() && !IsOperator(";")) {
    if (AcceptKeyword("retain")) {
      const Token& t = Peek();
      if (t.type != TokenType::kInteger && t.type != TokenType::kFloat) ThrowSyntaxError(t);
      Advance();
      stmt->retain_hours = std::strtod(t.text.c_str(), nullptr);
      if (!AcceptKeyword("hours")) ExpectKeyword("hour");
    } else if (AcceptKeyword("dry")) {
      ExpectKeyword("run");
      stmt->dry_run = true;
    } else if (AcceptKeyword("force")) {
      stmt->force = true;
    } else {
      ThrowSyntaxError(Peek());
    }
  }
}

// RESTORE [TABLE] t TO [VERSION AS OF n | TIMESTAMP AS OF expr]
void Parser::ParseRestore(Statement* stmt) {
  stmt->type = StatementType::kRestore;
  AcceptKeyword("table");
  stmt->table = ParseTableName(&stmt->table_position);
  ExpectKeyword("to");
  if (AcceptKeyword("version")) {
    ExpectKeyword("as");
    ExpectKeyword("of");
    stmt->restore_version = ParseIntegerLiteral("version");
  } else if (AcceptKeyword("timestamp")) {
    ExpectKeyword("as");
    ExpectKeyword("of");
    stmt->restore_timestamp = ParseExpression();
  } else {
    ThrowSyntaxError(Peek());
  }
}

// ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] c TYPE | ADD table_constraint
//             | RENAME [COLUMN] a TO b | RENAME TO new_table_name
//             | DROP [COLUMN] [IF EXISTS] c [CASCADE | RESTRICT]
//             | ALTER [COLUMN] c [SET DATA] TYPE type [USING expr]
//             | ALTER [COLUMN] c {SET | DROP} NOT NULL | SET DEFAULT e | DROP DEFAULT
//             | SET (key = value, ...) | RESET (key, ...)
void Parser::ParseAlter(Statement* stmt) {
  stmt->type = StatementType::kAlterTable;
  ExpectKeyword("table");
  stmt->table = ParseTableName(&stmt->table_position);
  if (AcceptKeyword("add")) {
    // ADD [CONSTRAINT name] PRIMARY KEY (cols) | UNIQUE (...) | CHECK (...):
    // a change of the table's constraint properties (kSetProperties with
    // the constraint in `constraints`, query/main/alter_constraint.cc).
    if (ParseTableConstraint(stmt)) {
      stmt->alter = AlterKind::kSetProperties;
      return;
    }
    stmt->alter = AlterKind::kAddColumn;
    AcceptKeyword("column");
    if (IsKeyword("if") && IsKeyword("not", 1)) {
      Advance();
      Advance();
      ExpectKeyword("exists");
      stmt->if_not_exists = true;
    }
    stmt->alter_column.position = Peek().position;
    stmt->alter_column.name = ExpectIdentifier("column name");
    stmt->alter_column.type = ParseType();
  } else if (AcceptKeyword("drop")) {
    stmt->alter = AlterKind::kDropColumn;
    AcceptKeyword("column");
    if (AcceptKeyword("if")) {
      ExpectKeyword("exists");
      stmt->if_exists = true;
    }
    stmt->alter_column.position = Peek().position;
    stmt->alter_column.name = ExpectIdentifier("column name");
    if (!AcceptKeyword("restrict")) AcceptKeyword("cascade");
  } else if (AcceptKeyword("alter")) {
    // ALTER [COLUMN] c [SET DATA] TYPE type [USING expr]
    //                | SET NOT NULL | DROP NOT NULL | SET DEFAULT e | DROP DEFAULT
    stmt->alter = AlterKind::kAlterColumnType;
    AcceptKeyword("column");
    stmt->alter_column.position = Peek().position;
    stmt->alter_column.name = ExpectIdentifier("column name");
    if (IsKeyword("set") && IsKeyword("not", 1)) {
      Advance();
      Advance();
      ExpectKeyword("null");
      stmt->alter = AlterKind::kSetNotNull;
      return;
    }
    if (IsKeyword("set") && IsKeyword("default", 1)) {
      Advance();
      Advance();
      stmt->alter = AlterKind::kSetDefault;
      ConstraintDefinition c;
      c.kind = ConstraintDefinition::Kind::kDefault;
      c.columns = {stmt->alter_column.name};
      c.position = Peek().position;
      c.expression = ParseConstraintExpression();
      stmt->constraints.push_back(std::move(c));
      return;
    }
    if (AcceptKeyword("drop")) {
      if (AcceptKeyword("not")) {
        ExpectKeyword("null");
        stmt->alter = AlterKind::kDropNotNull;
      } else {
        ExpectKeyword("default");
        stmt->alter = AlterKind::kDropDefault;
      }
      return;
    }
    if (AcceptKeyword("set")) {
      ExpectKeyword("data");
    }
    ExpectKeyword("type");
    stmt->alter_column.type = ParseType();
    if (AcceptKeyword("using")) stmt->alter_using = ParseExpression();
  } else if (AcceptKeyword("rename")) {
    if (AcceptKeyword("to")) {  // RENAME TO new_name: the table itself
      stmt->alter = AlterKind::kRenameTable;
      stmt->alter_column.position = Peek().position;
      stmt->rename_to = ExpectIdentifier("table name");
      return;
    }
    stmt->alter = AlterKind::kRenameColumn;
    AcceptKeyword("column");
    stmt->alter_column.position = Peek().position;
    stmt->alter_column.name = ExpectIdentifier("column name");
    ExpectKeyword("to");
    stmt->rename_to = ExpectIdentifier("column name");
  } else if (AcceptKeyword("set")) {
    stmt->alter = AlterKind::kSetProperties;
    AcceptKeyword("tblproperties");
    for (auto& [key, value] : ParsePropertyList()) stmt->property_changes[key] = value;
  } else if (AcceptKeyword("reset")) {
    stmt->alter = AlterKind::kSetProperties;
    AcceptKeyword("tblproperties");
    ExpectOperator("(");
    do {
      stmt->property_changes[ToLower(ExpectIdentifier("property name"))] = std::nullopt;
    } while (AcceptOperator(","));
    ExpectOperator(")");
  } else {
    ThrowSyntaxError(Peek());
  }
}

}  // namespace tsl::query
