// The WINDOW clause: named windows (`WINDOW w AS (PARTITION BY tag ORDER
// BY ts)`) and their use, `OVER w` or a refinement `OVER (w ROWS ...)`,
// resolved at parse time into plain WindowSpecs, as DuckDB's transformer
// does. DuckDB's rules: a name is defined once per SELECT; a window may
// build on another of the clause; `OVER w` copies w whole; `OVER (w ...)`
// needs w to have no frame, and may add PARTITION BY or ORDER BY only where
// w has none. Names are scoped to their SELECT (a subquery has its own).
// Thread-safety: pure functions over one statement being parsed.
#pragma once

#include <string>

#include "query/parser/statement.h"

namespace tsl::query {

// Adds `spec` (itself possibly built on another window) to node's WINDOW
// clause as `name`; Parser Error on a duplicate name.
void AddNamedWindow(SelectNode* node, std::string name, const WindowSpec& spec, int position);

// Replaces every window reference in node's select list, WHERE, GROUP BY,
// HAVING, QUALIFY and DISTINCT ON (not inside subqueries) by the merged
// spec; Parser Error for an unknown name or a refinement DuckDB refuses.
void ResolveWindowNames(SelectNode* node);
// The same for one expression (ORDER BY items, parsed after the core).
void ResolveWindowNames(ParsedExpression* expr, const SelectNode& node);

}  // namespace tsl::query
