// Star expansion of the select list: `*` and `t.*`, with DuckDB's
// `EXCLUDE (cols)` and `REPLACE (expr AS col)`, and `COLUMNS('regex')` /
// `COLUMNS(*)` anywhere in an item (`max(COLUMNS('value|quality'))` is one
// item per matching column, named as DuckDB names it, "max(value)"). A
// USING key shows once. Thread-safety: one Binder per statement.
#include <re2/re2.h>

#include <algorithm>

#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

bool IsColumnsCall(const ParsedExpression& e) {
  return e.kind == ExpressionKind::kFunction && e.name == "columns" && !e.window;
}

// The first COLUMNS(...) in `e`, or null; throws if `e` holds two different
// ones (they would expand to different column lists).
const ParsedExpression* FindColumns(const ParsedExpression& e, const ParsedExpression* found) {
  if (IsColumnsCall(e)) {
    if (found && found->ToString() != e.ToString()) {
      throw QueryError(ErrorKind::kBinder,
                       "Multiple different STAR/COLUMNS in the same expression are not supported",
                       e.position);
    }
    return &e;
  }
  if (e.kind == ExpressionKind::kStar && found) {
    throw QueryError(ErrorKind::kBinder,
                     "Multiple different STAR/COLUMNS in the same expression are not supported",
                     e.position);
  }
  if (e.case_operand) found = FindColumns(*e.case_operand, found);
  for (const auto& c : e.children) found = FindColumns(*c, found);
  for (const auto& c : e.agg_order) found = FindColumns(*c, found);
  if (e.filter) found = FindColumns(*e.filter, found);
  return found;
}

// Replaces every COLUMNS(...) in `e` by a reference named `names`.
void SubstituteColumns(ParsedExpression* e, const std::vector<std::string>& names) {
  if (IsColumnsCall(*e)) {
    const int position = e->position;
    std::string alias = e->alias;
    *e = ParsedExpression();
    e->kind = ExpressionKind::kColumnRef;
    e->position = position;
    e->names = names;
    e->alias = std::move(alias);
    return;
  }
  if (e->case_operand) SubstituteColumns(e->case_operand.get(), names);
  for (auto& c : e->children) SubstituteColumns(c.get(), names);
  for (auto& c : e->agg_order) SubstituteColumns(c.get(), names);
  if (e->filter) SubstituteColumns(e->filter.get(), names);
}

}  // namespace

std::vector<ParsedExpressionPtr> Binder::ExpandSelectList(
    const std::vector<ParsedExpressionPtr>& list, const std::vector<ScopeColumn>& scope) {
  // How a star names column c: unqualified for a USING key (it may be the
  // COALESCE of both sides), qualified otherwise.
  auto reference_names = [](const ScopeColumn& c, bool qualified_star) {
    if (!qualified_star && c.using_key) return std::vector<std::string>{c.name};
    return std::vector<std::string>{c.table, c.name};
  };
  std::vector<ParsedExpressionPtr> items;
  for (const auto& e : list) {
    if (e->kind == ExpressionKind::kStar) {
      const bool qualified = !e->names.empty();
      std::vector<bool> excluded_used(e->star_exclude.size(), false);
      std::vector<bool> replaced_used(e->children.size(), false);
      bool any = false;
      for (const ScopeColumn& c : scope) {
        if (qualified && !EqualsIgnoreCase(e->names[0], c.table)) continue;
        // `*` shows a USING key once (unqualified: its COALESCE under FULL).
        if (!qualified && c.using_hidden) continue;
        any = true;
        bool skip = false;
        for (size_t k = 0; k < e->star_exclude.size(); ++k) {
          if (EqualsIgnoreCase(e->star_exclude[k], c.name)) excluded_used[k] = skip = true;
        }
        if (skip) continue;
        ParsedExpressionPtr item;
        for (size_t k = 0; k < e->children.size(); ++k) {
          if (!EqualsIgnoreCase(e->children[k]->alias, c.name)) continue;
          replaced_used[k] = true;
          item = e->children[k]->Copy();
          item->alias = c.name;
          break;
        }
        if (!item) {
          item = std::make_unique<ParsedExpression>();
          item->kind = ExpressionKind::kColumnRef;
          item->names = reference_names(c, qualified);
          item->alias = c.name;
          item->position = e->position;
        }
        items.push_back(std::move(item));
      }
      if (!any) {
        if (qualified) {
          throw QueryError(ErrorKind::kBinder,
                           "Referenced table \"" + e->names[0] + "\" not found!", e->position);
        }
        throw QueryError(ErrorKind::kBinder, "SELECT * expression without FROM clause!",
                         e->position);
      }
      for (size_t k = 0; k < excluded_used.size(); ++k) {
        if (excluded_used[k]) continue;
        throw QueryError(ErrorKind::kBinder,
                         "Column \"" + e->star_exclude[k] +
                             "\" in EXCLUDE list not found in FROM clause",
                         e->position);
      }
      for (size_t k = 0; k < replaced_used.size(); ++k) {
        if (replaced_used[k]) continue;
        throw QueryError(ErrorKind::kBinder,
                         "Column \"" + e->children[k]->alias +
                             "\" in REPLACE list not found in FROM clause",
                         e->children[k]->position);
      }
      continue;
    }
    const ParsedExpression* columns = FindColumns(*e, nullptr);
    if (!columns) {
      items.push_back(e->Copy());
      continue;
    }
    // COLUMNS(*) or COLUMNS('regex'): the columns `*` shows, or those whose
    // name the regex matches anywhere (RE2, case-sensitive, as DuckDB).
    std::vector<const ScopeColumn*> matched;
    if (columns->star) {
      for (const ScopeColumn& c : scope) {
        if (!c.using_hidden) matched.push_back(&c);
      }
    } else {
      if (columns->children.size() != 1 ||
          columns->children[0]->kind != ExpressionKind::kConstant ||
          columns->children[0]->value.type() != TypeId::kVarchar) {
        throw QueryError(ErrorKind::kBinder,
                         "COLUMNS expects a regular expression string or *", columns->position);
      }
      const std::string& pattern = columns->children[0]->value.string_value();
      re2::RE2 re(pattern, re2::RE2::Quiet);
      if (!re.ok()) {
        throw QueryError(ErrorKind::kBinder,
                         "Failed to compile regex \"" + pattern + "\": " + re.error(),
                         columns->position);
      }
      std::vector<std::string> names;
      for (const ScopeColumn& c : scope) {
        if (c.using_hidden) continue;
        names.push_back(c.name);
        if (re2::RE2::PartialMatch(c.name, re)) matched.push_back(&c);
      }
      if (matched.empty()) {
        std::string message = "No matching columns found that match regex \"" + pattern + "\"";
        if (auto hint = ClosestMatch(pattern, names)) message += " Did you mean: \"" + *hint + "\"";
        throw QueryError(ErrorKind::kBinder, message, columns->position);
      }
    }
    if (matched.empty()) {
      throw QueryError(ErrorKind::kBinder, "SELECT * expression without FROM clause!",
                       columns->position);
    }
    for (const ScopeColumn* c : matched) {
      auto item = e->Copy();
      SubstituteColumns(item.get(), reference_names(*c, false));
      if (item->alias.empty()) {
        // Named as written with the bare column name: max(value).
        auto shown = e->Copy();
        SubstituteColumns(shown.get(), {c->name});
        item->alias = shown->kind == ExpressionKind::kColumnRef ? c->name : shown->ToString();
      }
      items.push_back(std::move(item));
    }
  }
  if (items.empty()) {
    throw QueryError(ErrorKind::kBinder, "SELECT list is empty after resolving * expressions!",
                     list.empty() ? -1 : list.front()->position);
  }
  return items;
}

}  // namespace tsl::query
