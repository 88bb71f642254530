// PIVOT and UNPIVOT, in DuckDB's two spellings:
//   PIVOT src [ON expr [IN (v, ...)], ...] [USING agg [AS a], ...] [GROUP BY ...]
//   UNPIVOT [INCLUDE NULLS] src ON col, ... [INTO NAME n VALUE v]
//   FROM src PIVOT (agg [AS a], ... FOR expr IN (v [AS n], ...) ... [GROUP BY ...]) [alias]
//   FROM src UNPIVOT [INCLUDE NULLS] (v FOR n IN (col [AS name], ...)) [alias]
// Each becomes a TableRef of kind kPivot over `SELECT * FROM src`; the
// statement forms are SELECT * FROM it (ORDER BY / LIMIT may follow).
// binder/pivot_binder.cc rewrites it. See parser.h.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

// `SELECT * FROM source` over the FROM item parsed so far.
std::unique_ptr<SelectNode> WrapSource(TableRef source, int position) {
  auto node = std::make_unique<SelectNode>();
  node->position = position;
  auto star = std::make_unique<ParsedExpression>();
  star->kind = ExpressionKind::kStar;
  star->position = position;
  node->select_list.push_back(std::move(star));
  node->from = std::move(source);
  return node;
}

}  // namespace

std::vector<PivotSpec::OnColumn> Parser::ParsePivotOn(bool standard) {
  std::vector<PivotSpec::OnColumn> out;
  do {
    PivotSpec::OnColumn on;
    on.expr = ParseConcat();
    if (standard || IsKeyword("in")) {
      ExpectKeyword("in");
      ExpectOperator("(");
      do {
        on.in.push_back(ParseExpression());
        std::string name;
        if (AcceptKeyword("as")) name = ExpectIdentifier("alias");
        on.in_names.push_back(std::move(name));
      } while (AcceptOperator(","));
      ExpectOperator(")");
    }
    out.push_back(std::move(on));
    // The standard form lists `expr IN (...)` items without commas.
  } while (standard ? (!IsOperator(")") && !IsKeyword("group")) : AcceptOperator(","));
  return out;
}

std::unique_ptr<SelectNode> Parser::ParsePivotStatement() {
  const int position = Peek().position;
  auto spec = std::make_shared<PivotSpec>();
  spec->position = position;
  spec->unpivot = IsKeyword("unpivot") || IsKeyword("pivot_longer");
  Advance();
  if (spec->unpivot && AcceptKeyword("include")) {
    ExpectKeyword("nulls");
    spec->include_nulls = true;
  }
  TableRef source;
  ParseTableRefPrimary(&source);
  if (spec->unpivot) {
    ExpectKeyword("on");
    do {
      spec->columns.push_back(ExpectIdentifier("column name"));
      spec->column_names.emplace_back();
    } while (AcceptOperator(","));
    if (AcceptKeyword("into")) {
      ExpectKeyword("name");
      spec->name_column = ExpectIdentifier("column name");
      ExpectKeyword("value");
      spec->value_column = ExpectIdentifier("column name");
    }
  } else {
    if (AcceptKeyword("on")) spec->on = ParsePivotOn(false);
    if (AcceptKeyword("using")) {
      do {
        auto e = ParseExpression();
        if (AcceptKeyword("as")) e->alias = ExpectIdentifier("alias");
        spec->aggregates.push_back(std::move(e));
      } while (AcceptOperator(","));
    }
    if (AcceptKeyword("group")) {
      ExpectKeyword("by");
      do {
        spec->group_by.push_back(ParseExpression());
      } while (AcceptOperator(","));
    }
    if (spec->on.empty() && spec->aggregates.empty() && spec->group_by.empty()) {
      ThrowSyntaxError(Peek());
    }
  }
  TableRef ref;
  ref.kind = TableRef::Kind::kPivot;
  ref.position = position;
  ref.subquery = WrapSource(std::move(source), position);
  ref.pivot = std::move(spec);
  return WrapSource(std::move(ref), position);
}

void Parser::ParsePivotClause(TableRef* ref) {
  const int position = Peek().position;
  auto spec = std::make_shared<PivotSpec>();
  spec->position = position;
  spec->unpivot = AcceptKeyword("unpivot");
  if (!spec->unpivot) ExpectKeyword("pivot");
  if (spec->unpivot) {
    if (AcceptKeyword("include")) {
      ExpectKeyword("nulls");
      spec->include_nulls = true;
    } else if (AcceptKeyword("exclude")) {
      ExpectKeyword("nulls");
    }
  }
  ExpectOperator("(");
  if (spec->unpivot) {
    spec->value_column = ExpectIdentifier("column name");
    ExpectKeyword("for");
    spec->name_column = ExpectIdentifier("column name");
    ExpectKeyword("in");
    ExpectOperator("(");
    do {
      spec->columns.push_back(ExpectIdentifier("column name"));
      std::string name;
      if (AcceptKeyword("as")) name = ExpectIdentifier("alias");
      spec->column_names.push_back(std::move(name));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  } else {
    do {
      auto e = ParseExpression();
      if (AcceptKeyword("as")) {
        e->alias = ExpectIdentifier("alias");
      } else if (IsIdentifierToken() && !IsKeyword("for")) {
        e->alias = Advance().text;
      }
      spec->aggregates.push_back(std::move(e));
    } while (AcceptOperator(","));
    ExpectKeyword("for");
    spec->on = ParsePivotOn(true);
    if (AcceptKeyword("group")) {
      ExpectKeyword("by");
      do {
        spec->group_by.push_back(ParseExpression());
      } while (AcceptOperator(","));
    }
  }
  ExpectOperator(")");
  TableRef pivot;
  pivot.kind = TableRef::Kind::kPivot;
  pivot.position = position;
  pivot.subquery = WrapSource(std::move(*ref), position);
  pivot.pivot = std::move(spec);
  *ref = std::move(pivot);
  if (AcceptKeyword("as")) {
    ref->alias = ExpectIdentifier("alias");
  } else if (IsIdentifierToken() && !IsKeyword("pivot") && !IsKeyword("unpivot") &&
             !IsKeyword("inner") && !IsKeyword("left") && !IsKeyword("right") &&
             !IsKeyword("full") && !IsKeyword("cross") && !IsKeyword("natural") &&
             !IsKeyword("positional") && !IsKeyword("asof") && !IsKeyword("using")) {
    ref->alias = Advance().text;
  }
  if (!ref->alias.empty() && AcceptOperator("(")) {
    do {
      ref->column_aliases.push_back(ExpectIdentifier("column alias"));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
}

}  // namespace tsl::query
