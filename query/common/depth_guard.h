// Depth limits of the query layer's recursive walks (issue 15 item 2).
//
// The parser, binder, planner and expression executor are recursive over
// the expression and plan trees, so input nested without bound would
// overflow the thread's stack and kill the host process. Two limits keep
// every walk bounded:
//  - kMaxExpressionDepth (1000, SQLite's SQLITE_MAX_EXPR_DEPTH and DuckDB's
//    max_expression_depth default): the parser counts each nesting level
//    (a parenthesis, function call, CAST, CASE, NOT, unary minus, ::,
//    subquery, FROM item) and the binder each nested expression, query
//    and view, and refuse deeper input with "Max expression depth limit
//    of 1000 exceeded" (a Parser Error / Binder Error). Trees are never
//    built deeper than that, so walks after binding stay bounded too.
//  - the stack itself: every guarded level also checks that at least
//    kStackReserve bytes of the current thread's stack remain, and
//    refuses the statement when not, so a host thread with a small stack
//    (`ulimit -s 1024`, a 256 KB worker thread) gets an error, not a
//    SIGSEGV, even where the depth limit would allow more.
// Long flat chains (a AND b AND ..., a + b + ..., UNION ALL) are parsed
// into n-ary nodes and evaluated in loops, so they count as one level.
// Thread-safety: the guard's counter belongs to one parser/binder; the
// stack bounds are per thread.
#pragma once

#include <cstddef>

#include "query/common/query_error.h"

namespace tsl::query {

constexpr int kMaxExpressionDepth = 1000;
// Bytes of stack kept free for the non-recursive work below a guarded
// level (function kernels, sorting, RE2, libc).
constexpr size_t kStackReserve = 128 * 1024;

// The error both limits throw; a QueryError so it reaches the user with
// its kind, but its own type so that code which retries or rewraps errors
// (the parser's subquery backtracking, a view's "no longer binds") lets it
// through unchanged.
class DepthLimitError : public QueryError {
 public:
  using QueryError::QueryError;
};

// Throws DepthLimitError(kind) when less than kStackReserve bytes of this
// thread's stack are left. Costs a comparison after the first call on a
// thread.
void CheckStackDepth(ErrorKind kind, int position = -1);

// RAII: one nesting level of a recursive walk. Throws DepthLimitError
// when `*depth` would exceed kMaxExpressionDepth or the stack runs low.
class DepthGuard {
 public:
  DepthGuard(int* depth, ErrorKind kind, int position = -1);
  ~DepthGuard() { --*depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int* depth_;
};

}  // namespace tsl::query
