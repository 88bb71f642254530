// Parser: CREATE MATERIALIZED VIEW [IF NOT EXISTS] v AS SELECT ...,
// DROP MATERIALIZED VIEW [IF EXISTS] v, REFRESH MATERIALIZED VIEW v, and
// DROP's CASCADE / RESTRICT. What a materialized view may compute is
// checked when it is created (query/main/materialized_view.cc), not here.
#include <cctype>

#include "query/parser/parser.h"

namespace tsl::query {

void Parser::ParseMaterializedView(Statement* stmt, StatementType type) {
  ExpectKeyword("materialized");
  ExpectKeyword("view");
  stmt->type = type;
  stmt->materialized = true;
  if (type == StatementType::kCreateView && AcceptKeyword("if")) {
    ExpectKeyword("not");
    ExpectKeyword("exists");
    stmt->if_not_exists = true;
  } else if (type == StatementType::kDropView && AcceptKeyword("if")) {
    ExpectKeyword("exists");
    stmt->if_exists = true;
  }
  stmt->table = ParseTableName(&stmt->table_position);
  if (type == StatementType::kDropView) {
    ParseDropBehavior(stmt);
    return;
  }
  if (type != StatementType::kCreateView) return;
  ExpectKeyword("as");
  const int begin = Peek().position;
  stmt->select = ParseSelect();
  const int end = Peek().position;
  std::string text(sql_.substr(begin, end - begin));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  stmt->view_sql = std::move(text);
}

void Parser::ParseDropBehavior(Statement* stmt) {
  if (AcceptKeyword("cascade")) {
    stmt->cascade = true;
  } else {
    (void)AcceptKeyword("restrict");
  }
}

}  // namespace tsl::query
