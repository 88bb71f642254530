// BoundExpression: an expression after name resolution and type inference.
// Column references are indexes into the input DataChunk of the operator
// that evaluates the expression; every node has its result type; implicit
// casts are explicit kCast nodes. The ExpressionExecutor evaluates a tree
// over a whole chunk, one node at a time (no per-row virtual calls).
// Thread-safety: immutable after binding.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/types.h"
#include "formats/value.h"
#include "query/functions/scalar_function.h"

namespace tsl::query {

enum class BoundKind {
  kConstant,   // value
  kColumnRef,  // column
  kCast,       // children[0] cast to type
  kOperator,   // op over children (arithmetic, comparison, ||)
  kFunction,   // function->impl over children
  kAnd,        // n-ary, three-valued
  kOr,         // n-ary, three-valued
  kNot,
  kIsNull,  // negated: IS NOT NULL
  kIn,      // children[0] IN children[1..]; negated
  kLike,    // children[0] LIKE children[1]; negated, case_insensitive
  kCase,    // [when, then]* else (else always present, NULL when omitted)
  kCoalesce,
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
  std::string name;  // display name (column name, function name)
  std::vector<BoundExpressionPtr> children;

  // For EXPLAIN: "(#2 > 10)", "lower(#1)".
  std::string ToString() const;
  BoundExpressionPtr Copy() const;
  bool IsConstant() const { return kind == BoundKind::kConstant; }
};

BoundExpressionPtr MakeBoundConstant(Value v, int position = -1);
BoundExpressionPtr MakeBoundColumn(int column, TypeId type, std::string name = {});
// Wraps `child` in a cast to `target` (no-op when already that type).
// Constants are folded now, so a bad literal fails at bind time with its
// position.
BoundExpressionPtr MakeBoundCast(BoundExpressionPtr child, TypeId target);

}  // namespace tsl::query
