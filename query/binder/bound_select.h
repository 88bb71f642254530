// BoundSelect: the logical plan of one SELECT after binding. The planner
// (planner/) turns it into physical operators. The pipeline it describes:
//
//   source -> [where] -> [aggregate: groups + aggregates] -> [having]
//          -> projection (visible columns, then hidden ORDER BY keys)
//          -> [distinct] -> [order] -> [limit/offset] -> drop hidden columns
//
// Expressions in `where`, `groups`, aggregate arguments and (without
// aggregation) `projection` refer to source columns by schema index;
// `having` and (with aggregation) `projection` refer to the aggregate's
// output [groups..., aggregates...]. Thread-safety: one owner.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_expression.h"
#include "query/binder/bound_window.h"
#include "query/functions/aggregate_function.h"
#include "query/parser/statement.h"
#include "storage/snapshot.h"
#include "storage/table.h"

namespace tsl::query {

struct BoundSelect;

// A LATERAL join's right side: the rows of its query for one value of
// the left columns it reads (binder/lateral_join_binder.cc binds, plans and
// runs it per distinct key and caches the rows). Thread-safe.
class LateralEvaluator {
 public:
  virtual ~LateralEvaluator() = default;
  virtual std::shared_ptr<const std::vector<DataChunk>> Rows(const std::vector<Value>& keys) = 0;
  virtual std::string ToString() const = 0;
};

struct BoundSource {
  // kLateral: `left` joined (join_type INNER or LEFT, `condition` over the
  // combined schema) with the rows `lateral` gives per left row; the keys
  // are `lateral_keys` over left's schema, and `right` (kSingleRow) only
  // carries the right side's schema.
  // kSetOp: subquery <setop> setop_rest[0] <setop> ..., left to right,
  // all cast to `schema`'s types (more than one in setop_rest only for a
  // run of UNION ALL or of UNION).
  // kSemiJoin: SEMI / ANTI JOIN (`semi`) of `left` and `right` on
  // `condition` (over left's columns then right's); schema = left's.
  enum class Kind { kSingleRow, kTable, kFunction, kSubquery, kJoin, kSetOp, kLateral, kSemiJoin };
  Kind kind = Kind::kSingleRow;
  std::string name;  // table or function name, for EXPLAIN
  std::shared_ptr<Table> table;
  std::shared_ptr<const Snapshot> snapshot;
  std::unique_ptr<ChunkSource> function_source;  // opened at bind time
  std::unique_ptr<BoundSelect> subquery;
  Schema schema;  // every column the source can produce
  // kJoin: schema = left's columns then right's; `condition` refers to
  // that combined schema (null for a cross join).
  JoinType join_type = JoinType::kInner;
  SemiJoin semi = SemiJoin::kNone;
  std::unique_ptr<BoundSource> left, right;
  BoundExpressionPtr condition;
  SetOpKind setop = SetOpKind::kUnion;
  std::vector<std::unique_ptr<BoundSelect>> setop_rest;
  std::shared_ptr<LateralEvaluator> lateral;
  std::vector<BoundExpressionPtr> lateral_keys;
};

// time_bucket_gapfill / SAMPLE BY ... FILL: after the aggregate and the
// projection, rows of missing buckets are added per group of the other
// keys; each projection column is filled as `fills` says.
struct BoundGapfill {
  enum class Fill { kNull, kKey, kBucket, kLocf, kInterpolate, kValue };
  int bucket_column = 0;        // projection index of the bucket
  int64_t interval_micros = 0;  // fixed-width buckets
  int32_t interval_months = 0;  // calendar buckets (months/years)
  // Bucket range [start, finish): from the arguments, the WHERE bounds on
  // the time column, or (SAMPLE BY) the data's first and last bucket.
  std::optional<int64_t> start, finish;
  bool finish_inclusive = false;  // data range: the last bucket itself
  std::vector<Fill> fills;        // per projection column
  std::vector<Value> values;      // kValue
};

struct BoundAggregate {
  AggregateKind kind = AggregateKind::kCountStar;
  BoundExpressionPtr argument;  // null for count(*)
  // The second argument read per row: arg_min/arg_max's value compared,
  // time_weighted_avg's time; else null.
  BoundExpressionPtr second;
  // A constant argument: quantile fraction, string_agg separator,
  // time_weighted_avg mode; NULL when absent.
  Value parameter;
  // agg(... ORDER BY k [DESC]): rows reach the aggregate in this order per
  // group. FILTER (WHERE f): only rows where f is TRUE.
  std::vector<BoundExpressionPtr> order;
  std::vector<bool> order_desc;
  BoundExpressionPtr filter;
  bool distinct = false;
  TypeId type = TypeId::kBigint;
  std::string display;  // "sum(#2)", also the dedup key
};

struct BoundOrder {
  int column = 0;  // index into projection
  bool descending = false;
  bool nulls_first = false;
};

struct BoundSelect {
  BoundSource source;
  BoundExpressionPtr where;
  bool aggregate = false;
  std::vector<BoundExpressionPtr> groups;
  // GROUPING SETS / ROLLUP / CUBE: per set, the indexes of the groups it
  // keeps (the others are NULL in its rows). The last two groups are then
  // hidden: the set's index (duplicate sets stay apart) and its mask of
  // absent groups (bit i: group i is absent), read by grouping(); the
  // planner computes them (execution/physical_grouping_set_expand.h).
  std::vector<std::vector<int>> grouping_sets;
  std::vector<BoundAggregate> aggregates;
  BoundExpressionPtr having;
  // Window functions, computed after WHERE (and before the projection) on
  // the source rows, or with aggregation after HAVING on the groups (their
  // expressions then read the aggregate's output, as the projection does);
  // the projection reads window k as column kWindowColumnBase + k.
  std::vector<BoundWindow> windows;
  std::vector<BoundExpressionPtr> projection;
  size_t visible = 0;
  bool distinct = false;
  // QUALIFY: a filter over the projection's input after the windows (it
  // refers to columns like the projection does).
  BoundExpressionPtr qualify;
  // DISTINCT ON (...): projection indexes of the keys; the first row of
  // each key in ORDER BY order is kept. LATEST ON ts PARTITION BY keys:
  // the same keys, and the row with the greatest `latest_column` is kept.
  std::vector<int> distinct_on;
  int latest_column = -1;
  std::optional<BoundGapfill> gapfill;
  std::vector<BoundOrder> order;
  std::optional<int64_t> limit;
  std::optional<double> limit_percent;  // LIMIT p%: instead of `limit`
  int64_t offset = 0;
  Schema output;  // names and types of the visible columns
};

}  // namespace tsl::query
