// GROUP BY's list (DuckDB's grammar): expressions, `(a, b)` lists, `()`,
// GROUPING SETS (...), ROLLUP (...) and CUBE (...), nested as DuckDB
// allows. Each distinct expression becomes one entry of
// SelectNode::group_by (compared by its text, as DuckDB compares parsed
// expressions); when anything but plain expressions appears, the list
// unfolds into SelectNode::grouping_sets: the cross product of each item's
// sets (`GROUP BY a, ROLLUP(b)` is {a, b}, {a}), duplicates kept as
// DuckDB keeps them. See parser.h; the binder maps the sets onto its
// bound groups (binder/grouping_sets_binder.cc).
#include <set>

#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

// DuckDB's limit (its parser's MAX_GROUPING_SETS).
constexpr size_t kMaxGroupingSets = 65535;

using GroupingSet = std::set<int>;

void CheckSetCount(size_t count, int position) {
  if (count > kMaxGroupingSets) {
    throw QueryError(ErrorKind::kParser,
                     "Maximum grouping set count of " + std::to_string(kMaxGroupingSets) +
                         " exceeded",
                     position);
  }
}

}  // namespace

// The index of `e` in node->group_by, adding it when new.
static int AddGroupExpression(SelectNode* node, ParsedExpressionPtr e) {
  const std::string text = e->ToString();
  for (size_t i = 0; i < node->group_by.size(); ++i) {
    if (node->group_by[i]->ToString() == text) return static_cast<int>(i);
  }
  node->group_by.push_back(std::move(e));
  return static_cast<int>(node->group_by.size()) - 1;
}

// One element inside ROLLUP/CUBE or a plain GROUP BY item: an expression,
// or a parenthesized list of two or more (a composite column).
std::vector<int> Parser::ParseGroupingColumns(SelectNode* node) {
  std::vector<int> indexes;
  if (IsOperator("(")) {
    // `(a, b)` is a list; `(a)` and `(a + 1) * 2` are expressions.
    const size_t saved = pos_;
    const int saved_next = next_parameter_, saved_max = max_parameter_;
    const bool saved_positional = saw_positional_, saved_numbered = saw_numbered_;
    Advance();
    if (!IsOperator(")")) {
      std::vector<ParsedExpressionPtr> list;
      list.push_back(ParseExpression());
      if (AcceptOperator(",")) {
        do {
          list.push_back(ParseExpression());
        } while (AcceptOperator(","));
        ExpectOperator(")");
        for (auto& e : list) indexes.push_back(AddGroupExpression(node, std::move(e)));
        return indexes;
      }
    }
    pos_ = saved;
    next_parameter_ = saved_next;
    max_parameter_ = saved_max;
    saw_positional_ = saved_positional;
    saw_numbered_ = saved_numbered;
  }
  indexes.push_back(AddGroupExpression(node, ParseExpression()));
  return indexes;
}

// The grouping sets of one GROUP BY item; `plain` is set when the item is
// an expression or expression list (no sets of its own).
std::vector<std::vector<int>> Parser::ParseGroupingItem(SelectNode* node, bool* plain) {
  RestoreDepth restore{&depth_, depth_};
  AddLevel(Peek().position);  // GROUPING SETS nest
  const int position = Peek().position;
  std::vector<GroupingSet> sets;
  *plain = false;
  if (IsOperator("(") && IsOperator(")", 1)) {
    Advance();
    Advance();
    sets.emplace_back();
  } else if (IsKeyword("grouping") && IsKeyword("sets", 1)) {
    Advance();
    Advance();
    ExpectOperator("(");
    do {
      bool child_plain = false;
      for (auto& s : ParseGroupingItem(node, &child_plain)) {
        sets.emplace_back(s.begin(), s.end());
        CheckSetCount(sets.size(), position);
      }
    } while (AcceptOperator(","));
    ExpectOperator(")");
  } else if ((IsKeyword("rollup") || IsKeyword("cube")) && IsOperator("(", 1)) {
    const bool cube = IsKeyword("cube");
    Advance();
    Advance();
    if (IsOperator(")")) ThrowSyntaxError(Peek());  // as DuckDB: ROLLUP() is no list
    std::vector<GroupingSet> parts;
    do {
      std::vector<int> columns = ParseGroupingColumns(node);
      parts.emplace_back(columns.begin(), columns.end());
    } while (AcceptOperator(","));
    ExpectOperator(")");
    if (cube) {
      // Every subset, in DuckDB's order: the empty set, then depth first.
      if (parts.size() >= 16) CheckSetCount(kMaxGroupingSets + 1, position);
      struct Unfold {
        const std::vector<GroupingSet>& parts;
        std::vector<GroupingSet>& out;
        void Add(const GroupingSet& current, size_t start) {
          out.push_back(current);
          for (size_t k = start; k < parts.size(); ++k) {
            GroupingSet next = current;
            next.insert(parts[k].begin(), parts[k].end());
            Add(next, k + 1);
          }
        }
      } unfold{parts, sets};
      unfold.Add({}, 0);
    } else {
      GroupingSet current;
      sets.push_back(current);
      for (const GroupingSet& p : parts) {
        current.insert(p.begin(), p.end());
        sets.push_back(current);
      }
    }
  } else {
    *plain = true;
    std::vector<int> columns = ParseGroupingColumns(node);
    sets.emplace_back(columns.begin(), columns.end());
  }
  std::vector<std::vector<int>> out;
  for (const GroupingSet& s : sets) out.emplace_back(s.begin(), s.end());
  return out;
}

void Parser::ParseGroupBy(SelectNode* node) {
  const int position = Peek().position;
  std::vector<std::vector<int>> sets;
  bool all_plain = true;
  bool first = true;
  do {
    bool plain = false;
    std::vector<std::vector<int>> next = ParseGroupingItem(node, &plain);
    all_plain = all_plain && plain;
    if (first) {
      sets = std::move(next);
      first = false;
      continue;
    }
    CheckSetCount(sets.size() * next.size(), position);
    std::vector<std::vector<int>> combined;
    for (const auto& a : sets) {
      for (const auto& b : next) {
        GroupingSet s(a.begin(), a.end());
        s.insert(b.begin(), b.end());
        combined.emplace_back(s.begin(), s.end());
      }
    }
    sets = std::move(combined);
  } while (AcceptOperator(","));
  // Plain expressions only: one set of every group, the ordinary GROUP BY.
  if (!all_plain) node->grouping_sets = std::move(sets);
}

}  // namespace tsl::query
