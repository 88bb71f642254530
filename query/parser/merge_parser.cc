// Grammar of MERGE INTO (issue 17, DuckDB 1.4+'s):
//   MERGE INTO t [[AS] alias] USING source [[AS] alias]
//     { ON condition | USING (column, ...) }
//     { WHEN MATCHED [AND cond] THEN
//           { UPDATE [SET c = e | DEFAULT, ... | SET * | BY NAME] | DELETE
//           | DO NOTHING | ERROR [message] }
//     | WHEN NOT MATCHED [BY TARGET] [AND cond] THEN
//           { INSERT [(c, ...)] VALUES (e | DEFAULT, ...) | INSERT [* | BY NAME]
//           | INSERT DEFAULT VALUES | DO NOTHING | ERROR [message] }
//     | WHEN NOT MATCHED BY SOURCE [AND cond] THEN
//           { UPDATE SET ... | DELETE | DO NOTHING | ERROR [message] } } ...
// Run by query/main/merge_executor.cc. Thread-safety: one Parser per call.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {

void Parser::ParseMerge(Statement* stmt) {
  stmt->type = StatementType::kMerge;
  ExpectKeyword("into");
  stmt->table = ParseTableName(&stmt->table_position);
  if (AcceptKeyword("as")) {
    stmt->table_alias = ExpectIdentifier("alias");
  } else if (IsIdentifierToken() && !IsKeyword("using")) {
    stmt->table_alias = Advance().text;
  }
  // The source: one FROM item (its alias included), kept as SELECT * FROM it.
  auto node = std::make_unique<SelectNode>();
  node->position = Peek().position;
  ExpectKeyword("using");
  ParseTableRefPrimary(&node->from);
  auto star = std::make_unique<ParsedExpression>();
  star->kind = ExpressionKind::kStar;
  star->position = node->position;
  node->select_list.push_back(std::move(star));
  stmt->update_from = std::move(node);
  if (AcceptKeyword("using")) {
    ExpectOperator("(");
    do {
      stmt->merge_using.push_back(ExpectIdentifier("column name"));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  } else {
    ExpectKeyword("on");
    stmt->where = ParseExpression();
  }
  if (!IsKeyword("when")) ThrowSyntaxError(Peek());
  while (IsKeyword("when")) {
    MergeAction action;
    action.position = Peek().position;
    Advance();
    if (AcceptKeyword("not")) {
      ExpectKeyword("matched");
      action.when = MergeAction::When::kNotMatchedByTarget;
      if (AcceptKeyword("by")) {
        if (AcceptKeyword("source")) {
          action.when = MergeAction::When::kNotMatchedBySource;
        } else {
          ExpectKeyword("target");
        }
      }
    } else {
      ExpectKeyword("matched");
    }
    if (AcceptKeyword("and")) action.condition = ParseExpression();
    ExpectKeyword("then");
    const bool insert_allowed = action.when == MergeAction::When::kNotMatchedByTarget;
    if (IsKeyword("update") && !insert_allowed) {
      Advance();
      action.kind = MergeAction::Kind::kUpdate;
      if (AcceptKeyword("by")) {
        ExpectKeyword("name");
        action.by_name = true;
      } else if (AcceptKeyword("set")) {
        if (AcceptOperator("*")) {
          action.star = true;
        } else {
          do {
            const int position = Peek().position;
            std::string column = ExpectIdentifier("column name");
            ExpectOperator("=");
            ParsedExpressionPtr value;
            if (!AcceptKeyword("default")) value = ParseExpression();
            action.columns.emplace_back(std::move(column), position);
            action.values.push_back(std::move(value));
          } while (AcceptOperator(","));
        }
      } else {
        action.star = true;
      }
    } else if (IsKeyword("delete") && !insert_allowed) {
      Advance();
      action.kind = MergeAction::Kind::kDelete;
    } else if (IsKeyword("insert") && insert_allowed) {
      Advance();
      action.kind = MergeAction::Kind::kInsert;
      if (AcceptKeyword("by")) {
        ExpectKeyword("name");
        action.by_name = true;
      } else if (AcceptOperator("*")) {
        action.star = true;
      } else if (AcceptKeyword("default")) {
        ExpectKeyword("values");
        action.default_values = true;
      } else if (IsOperator("(") || IsKeyword("values")) {
        if (AcceptOperator("(")) {
          do {
            const int position = Peek().position;
            action.columns.emplace_back(ExpectIdentifier("column name"), position);
          } while (AcceptOperator(","));
          ExpectOperator(")");
        }
        ExpectKeyword("values");
        ExpectOperator("(");
        do {
          ParsedExpressionPtr value;
          if (!AcceptKeyword("default")) value = ParseExpression();
          action.values.push_back(std::move(value));
        } while (AcceptOperator(","));
        ExpectOperator(")");
      } else {
        action.star = true;
      }
    } else if (AcceptKeyword("do")) {
      ExpectKeyword("nothing");
      action.kind = MergeAction::Kind::kDoNothing;
    } else if (AcceptKeyword("error")) {
      action.kind = MergeAction::Kind::kError;
      if (!AtEnd() && !IsOperator(";") && !IsKeyword("when") && !IsKeyword("returning")) {
        action.error_message = ParseExpression();
      }
    } else {
      ThrowSyntaxError(Peek());
    }
    stmt->merge_actions.push_back(std::move(action));
  }
  if (AcceptKeyword("returning")) ParseReturning(stmt);
}

}  // namespace tsl::query
