// Named windows. See window_clause.h.
#include "query/parser/window_clause.h"

#include "query/common/query_error.h"

namespace tsl::query {
namespace {

std::shared_ptr<WindowSpec> CopySpec(const WindowSpec& in) {
  auto out = std::make_shared<WindowSpec>();
  out->position = in.position;
  out->base = in.base;
  out->bare = in.bare;
  for (const auto& p : in.partitions) out->partitions.push_back(p->Copy());
  for (const auto& o : in.orders) {
    out->orders.push_back({o.expr->Copy(), o.descending, o.nulls_first, o.direction_given});
  }
  out->has_frame = in.has_frame;
  out->rows = in.rows;
  out->groups = in.groups;
  out->start.kind = in.start.kind;
  if (in.start.offset) out->start.offset = in.start.offset->Copy();
  out->end.kind = in.end.kind;
  if (in.end.offset) out->end.offset = in.end.offset->Copy();
  out->exclude = in.exclude;
  return out;
}

// `ref` merged onto the named window it refers to. A named window may
// build on any other of the clause (DuckDB reads the whole clause first);
// `depth` stops a cycle.
std::shared_ptr<const WindowSpec> Merge(const WindowSpec& ref, const SelectNode& node,
                                        size_t depth = 0) {
  std::shared_ptr<const WindowSpec> found;
  for (const auto& [name, spec] : node.named_windows) {
    if (EqualsIgnoreCase(name, ref.base)) found = spec;
  }
  if (!found) {
    throw QueryError(ErrorKind::kParser, "window \"" + ref.base + "\" does not exist",
                     ref.position);
  }
  if (depth > node.named_windows.size()) {
    throw QueryError(ErrorKind::kParser,
                     "window \"" + ref.base + "\" is defined in terms of itself", ref.position);
  }
  if (!found->base.empty()) found = Merge(*found, node, depth + 1);
  const WindowSpec* named = found.get();
  if (ref.bare) {
    std::shared_ptr<WindowSpec> out = CopySpec(*named);
    out->base.clear();
    out->bare = false;
    return out;
  }
  if (named->has_frame) {
    throw QueryError(ErrorKind::kParser,
                     "cannot copy window \"" + ref.base + "\" because it has a frame clause",
                     ref.position);
  }
  std::shared_ptr<WindowSpec> out = CopySpec(*named);
  out->base.clear();
  out->bare = false;
  if (!ref.partitions.empty()) {
    if (!out->partitions.empty()) {
      throw QueryError(ErrorKind::kParser,
                       "Cannot override PARTITION BY clause of window \"" + ref.base + "\"",
                       ref.position);
    }
    for (const auto& p : ref.partitions) out->partitions.push_back(p->Copy());
  }
  if (!ref.orders.empty()) {
    if (!out->orders.empty()) {
      throw QueryError(ErrorKind::kParser,
                       "Cannot override ORDER BY clause of window \"" + ref.base + "\"",
                       ref.position);
    }
    for (const auto& o : ref.orders) {
      out->orders.push_back({o.expr->Copy(), o.descending, o.nulls_first, o.direction_given});
    }
  }
  out->has_frame = ref.has_frame;
  out->rows = ref.rows;
  out->groups = ref.groups;
  out->start.kind = ref.start.kind;
  out->start.offset = ref.start.offset ? ref.start.offset->Copy() : nullptr;
  out->end.kind = ref.end.kind;
  out->end.offset = ref.end.offset ? ref.end.offset->Copy() : nullptr;
  out->exclude = ref.exclude;
  return out;
}

// The parser's depth guard bounds the nesting this recursion follows.
void Resolve(ParsedExpression* e, const SelectNode& node) {
  if (!e) return;
  if (e->window && !e->window->base.empty()) e->window = Merge(*e->window, node);
  Resolve(e->case_operand.get(), node);
  Resolve(e->filter.get(), node);
  for (auto& c : e->children) Resolve(c.get(), node);
  for (auto& o : e->agg_order) Resolve(o.get(), node);
}

}  // namespace

void AddNamedWindow(SelectNode* node, std::string name, const WindowSpec& spec, int position) {
  for (const auto& [existing, unused] : node->named_windows) {
    if (EqualsIgnoreCase(existing, name)) {
      throw QueryError(ErrorKind::kParser, "window \"" + name + "\" is already defined",
                       position);
    }
  }
  // Kept as written: a reference to another name is merged at each use.
  node->named_windows.emplace_back(std::move(name), CopySpec(spec));
}

void ResolveWindowNames(SelectNode* node) {
  for (auto& e : node->select_list) Resolve(e.get(), *node);
  Resolve(node->where.get(), *node);
  for (auto& e : node->group_by) Resolve(e.get(), *node);
  Resolve(node->having.get(), *node);
  Resolve(node->qualify.get(), *node);
  for (auto& e : node->distinct_on) Resolve(e.get(), *node);
}

void ResolveWindowNames(ParsedExpression* expr, const SelectNode& node) { Resolve(expr, node); }

}  // namespace tsl::query
