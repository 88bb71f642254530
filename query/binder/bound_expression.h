// BoundExpression: an expression after name resolution and type inference.
// Column references are indexes into the input DataChunk of the operator
// that evaluates the expression; every node has its result type; implicit
// casts are explicit kCast nodes. The ExpressionExecutor evaluates a tree
// over a whole chunk, one node at a time (no per-row virtual calls).
// Thread-safety: immutable after binding.
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "formats/time_zone.h"
#include "formats/types.h"
#include "formats/value.h"
#include "query/functions/scalar_function.h"

namespace tsl::query {

enum class BoundKind {
  kConstant,   // value
  kColumnRef,  // column
  kCast,       // children[0] cast to type
  kOperator,   // op over children (arithmetic, comparison, ||); an arithmetic or
               // || chain of one type may have more than two children, folded
               // left to right: ((c0 op c1) op c2) ...
  kFunction,   // function->impl over children
  kAnd,        // n-ary, three-valued
  kOr,         // n-ary, three-valued
  kNot,
  kIsNull,  // negated: IS NOT NULL
  kIn,      // children[0] IN children[1..]; negated
  kLike,    // children[0] LIKE children[1]; negated, case_insensitive
  kCase,    // [when, then]* else (else always present, NULL when omitted)
  kCoalesce,
  // A correlated subquery: children are [probe (IN only)] + the outer
  // values it depends on; `subquery` evaluates it per distinct key.
  kSubquery,
  // TRY(x) / TRY_CAST: children[0], and NULL for each row where it fails
  // with a conversion, range or input error (expression_executor.cc).
  kTry,
};

enum class OpCode {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kIntDiv,
  kMod,
  kNeg,
  kConcat,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe
};

// The values of an IN list or IN (SELECT ...) in a hash set: x IN (...)
// is one probe per row, not one comparison per value. Immutable once built.
class InSet {
 public:
  // `values` are of `type` (or NULL); duplicates are fine.
  InSet(TypeId type, const std::vector<Value>& values);
  TypeId type() const { return type_; }
  size_t size() const { return size_; }
  bool has_null() const { return has_null_; }
  bool ContainsInt(int64_t v) const { return ints_.count(v) != 0; }
  bool ContainsDouble(double v) const { return doubles_.count(v) != 0; }
  bool ContainsString(const std::string& v) const { return strings_.count(v) != 0; }
  // SQL: x IN set is TRUE when found, NULL when not found but the set
  // holds a NULL (or x is NULL), FALSE otherwise. -1 stands for NULL.
  int Probe(const Value& x) const;

 private:
  TypeId type_;
  size_t size_ = 0;
  bool has_null_ = false;
  std::unordered_set<int64_t> ints_;
  std::unordered_set<double> doubles_;
  std::unordered_set<std::string> strings_;
};

// Runs a correlated subquery for one row's outer values (implemented by
// the binder: query/binder/correlated_subquery.cc). Results are cached per
// distinct key. Thread-safety: Evaluate may be called from several threads.
class SubqueryEvaluator {
 public:
  virtual ~SubqueryEvaluator() = default;
  // Scalar: the value; EXISTS: BOOLEAN; IN: BOOLEAN or NULL for `probe`.
  virtual Value Evaluate(const std::vector<Value>& keys, const Value& probe) = 0;
  // IN: the expression's first child is the probed value, not a key.
  virtual bool HasProbe() const = 0;
  virtual std::string ToString() const = 0;
};

struct BoundExpression;
using BoundExpressionPtr = std::unique_ptr<BoundExpression>;

struct BoundExpression {
  BoundKind kind = BoundKind::kConstant;
  TypeId type = TypeId::kNull;
  int position = -1;  // offset in the SQL text, for runtime errors
  Value value;        // kConstant
  int column = -1;    // kColumnRef
  OpCode op = OpCode::kAdd;
  const ScalarFunction* function = nullptr;  // kFunction
  bool negated = false;
  bool case_insensitive = false;
  // kCast DATE -> TIMESTAMP under a comparison: out-of-range dates order
  // past every timestamp instead of failing (DateToTimestampForComparison).
  bool comparison_cast = false;
  // kCast to or from TIMESTAMP WITH TIME ZONE that needs a zone: the
  // session's zone when the cast was bound (execution/time_zone_setting.h).
  TimeZonePtr zone;
  std::string name;  // display name (column name, function name)
  std::vector<BoundExpressionPtr> children;
  // kIn over constants: the hashed list (children then hold only the probe).
  std::shared_ptr<const InSet> in_set;
  std::shared_ptr<SubqueryEvaluator> subquery;  // kSubquery

  BoundExpression() = default;
  BoundExpression(BoundExpression&&) = default;
  BoundExpression& operator=(BoundExpression&&) = default;
  // Iterative: a tree is freed without one stack frame per level.
  ~BoundExpression();

  // For EXPLAIN: "(#2 > 10)", "lower(#1)".
  std::string ToString() const;
  BoundExpressionPtr Copy() const;
  bool IsConstant() const { return kind == BoundKind::kConstant; }
};

// True when `e` reads the current row (a column or a correlated
// subquery somewhere in it): it has no value without one.
bool ReadsRow(const BoundExpression& e);

BoundExpressionPtr MakeBoundConstant(Value v, int position = -1);
BoundExpressionPtr MakeBoundColumn(int column, TypeId type, std::string name = {});
// Wraps `child` in a cast to `target` (no-op when already that type).
// Constants are folded now, so a bad literal fails at bind time with its
// position.
BoundExpressionPtr MakeBoundCast(BoundExpressionPtr child, TypeId target);
// The cast of a comparison's operand: MakeBoundCast, except that a
// non-constant DATE meeting a TIMESTAMP converts with
// DateToTimestampForComparison, as DuckDB compares a stored date outside the
// TIMESTAMP range without an error (a literal one fails in both).
BoundExpressionPtr MakeComparisonCast(BoundExpressionPtr child, TypeId target);

}  // namespace tsl::query
