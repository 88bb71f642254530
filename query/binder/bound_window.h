// BoundWindow: one window function call after binding: the function, its
// arguments, PARTITION BY and ORDER BY keys (expressions over the rows
// entering the window stage) and the frame. PhysicalWindow evaluates it.
// Thread-safety: one owner.
#pragma once

#include <string>
#include <vector>

#include "query/binder/bound_expression.h"
#include "query/functions/aggregate_function.h"

namespace tsl::query {

enum class WindowFunction {
  kRowNumber,
  kRank,
  kDenseRank,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kStddevSamp,
  kStddevPop,
  kVarSamp,
  kVarPop,
  kAggregate,  // any other aggregate of aggregate_function.h, framed
  kDelta,      // delta(v): v minus the previous row's v in the partition
  kRate,       // rate(v [, ts]): delta(v) per second of delta(ts)
  kNtile,        // ntile(n): bucket 1..n of the row in its partition
  kPercentRank,  // (rank - 1) / (partition rows - 1)
  kCumeDist,     // rows up to the row's last peer / partition rows
  kNthValue,     // nth_value(v, n): v of the frame's n-th row
};

struct BoundFrameBound {
  enum class Kind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
  Kind kind = Kind::kCurrentRow;
  // kPreceding/kFollowing: rows (ROWS), peer groups (GROUPS) or key
  // distance (RANGE: in the order key's unit, microseconds for TIMESTAMP
  // keys). Never negative.
  double offset = 0;
};

struct BoundWindow {
  WindowFunction function = WindowFunction::kRowNumber;
  TypeId type = TypeId::kBigint;
  std::vector<BoundExpressionPtr> arguments;  // lag/lead: value, [offset], [default]
  std::vector<BoundExpressionPtr> partitions;
  std::vector<BoundExpressionPtr> orders;
  std::vector<bool> descending;
  std::vector<bool> nulls_first;
  bool rows = false;    // ROWS frame (else RANGE or GROUPS)
  bool groups = false;  // GROUPS frame: offsets count peer groups
  BoundFrameBound start{BoundFrameBound::Kind::kUnboundedPreceding, 0};
  BoundFrameBound end{BoundFrameBound::Kind::kCurrentRow, 0};
  // EXCLUDE: the rows taken out of every frame (the current row, its peer
  // group, or its peers but not itself), window_partition.cc.
  enum class Exclude { kNoOthers, kCurrentRow, kGroup, kTies };
  Exclude exclude = Exclude::kNoOthers;
  // f(x ORDER BY k1 [DESC], ...) OVER (...): the last
  // argument_order_desc.size() arguments are the keys k (NULLs last) that
  // order each frame's rows.
  std::vector<bool> argument_order_desc;
  int64_t lag_offset = 1;  // lag/lead; negative looks the other way
  // lag/lead: the offset is arguments[1] (BIGINT), read per row.
  bool per_row_offset = false;
  // IGNORE NULLS (lag/lead/first_value/last_value/nth_value): rows whose
  // value is NULL are skipped when counting offsets and frame positions.
  bool ignore_nulls = false;
  // kAggregate: the aggregate, its constant parameter, DISTINCT (count only).
  AggregateKind aggregate = AggregateKind::kCount;
  Value parameter;
  bool distinct = false;
  std::string display;     // for EXPLAIN
};

// True for the functions that read a frame (aggregates, first/last/
// nth_value); false for the ranking and offset functions, which ignore it.
bool IsFramedWindowFunction(WindowFunction f);

// Window outputs are referenced from the projection as column
// kWindowColumnBase + k until the planner knows the window's input width.
inline constexpr int kWindowColumnBase = 1 << 24;

// The window-only function names (row_number, lag, ...; window_binder.cc),
// for completion.
std::vector<std::string> WindowFunctionNames();

}  // namespace tsl::query
