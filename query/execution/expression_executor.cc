// Vectorized expression evaluation. See expression_executor.h.
#include "query/execution/expression_executor.h"

#include <cmath>
#include <limits>

#include "formats/double_order.h"
#include "formats/value_size.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/list_value.h"
#include "formats/timestamp.h"
#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/execution/interval_arithmetic.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

// DuckDB's names in overflow messages.
const char* OverflowTypeName(TypeId t) {
  switch (t) {
    case TypeId::kInteger:
      return "INT32";
    case TypeId::kSmallint:
      return "INT16";
    case TypeId::kTinyint:
      return "INT8";
    case TypeId::kInterval:
      return "INTERVAL";
    case TypeId::kTimestamp:
      return "TIMESTAMP";
    default:
      return "INT64";
  }
}

[[noreturn]] void ThrowOverflow(const char* what, const char* sym, TypeId type, int64_t a,
                                int64_t b, int position) {
  if (IsDecimal(type)) {  // DuckDB's wording, with the operands' raw values
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Overflow in ") + what + " of DECIMAL(" +
                         std::to_string(DecimalWidth(type)) + ") (" + std::to_string(a) + " " + sym +
                         " " + std::to_string(b) +
                         "). You might want to add an explicit cast to a bigger decimal.",
                     position);
  }
  throw QueryError(ErrorKind::kOutOfRange,
                   std::string("Overflow in ") + what + " of " + OverflowTypeName(type) + " (" +
                       std::to_string(a) + " " + sym + " " + std::to_string(b) + ")!",
                   position);
}

// A TIMESTAMP result outside the supported range (formats/timestamp.h) is
// an error, as DuckDB's "Overflow exception in date/time -> timestamp
// conversion", never a value the statistics could not hold.
[[noreturn]] void ThrowTimestampArithmetic(const char* sym, int64_t a, int64_t b, int position) {
  throw QueryError(ErrorKind::kOutOfRange,
                   std::string("Overflow exception in date/time -> timestamp conversion: ") +
                       std::to_string(a) + " " + sym + " " + std::to_string(b) +
                       " microseconds is out of range for TIMESTAMP (supported: " +
                       TimestampRangeText() + ")",
                   position);
}

// Every non-NULL TIMESTAMP a function returned must be in range; the
// kernels compute in int64 (or wider) and this one check covers them all.
void CheckTimestampResults(const BoundExpression& e, const ColumnVector& out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!out.valid[i] || IsValidTimestamp(out.ints[i])) continue;
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Timestamp out of range in ") + e.function->name + "(): " +
                         std::to_string(out.ints[i]) +
                         " microseconds since the epoch is outside the supported range " +
                         TimestampRangeText(),
                     e.position);
  }
}

// Every non-NULL DATE a function returned must be in range (formats/date.h).
void CheckDateResults(const BoundExpression& e, const ColumnVector& out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!out.valid[i] || IsValidDate(out.ints[i])) continue;
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Date out of range in ") + e.function->name + "(): " +
                         std::to_string(out.ints[i]) +
                         " days since 1970-01-01 is outside the supported range " + DateRangeText(),
                     e.position);
  }
}

// DATE +/- INTEGER leaving the range: DuckDB's "Date out of range".
[[noreturn]] void ThrowDateArithmetic(const char* sym, int64_t a, int64_t b, int position) {
  throw QueryError(ErrorKind::kOutOfRange,
                   std::string("Date out of range: ") + FormatDate(a) + " " + sym + " " +
                       std::to_string(b) + " days is outside " + DateRangeText(),
                   position);
}

void IntArithmetic(const BoundExpression& e, const VectorView& a, const VectorView& b, size_t n,
                   ColumnVector* out) {
  if ((e.type == TypeId::kInterval || b.vec->type == TypeId::kInterval || e.type == TypeId::kTime) &&
      IntervalArithmetic(e, a, b, n, out))
    return;
  const int64_t* pa = a.vec->ints.data();
  const int64_t* pb = b.vec->ints.data();
  const size_t sa = a.constant ? 0 : 1, sb = b.constant ? 0 : 1;
  // INTEGER, SMALLINT, TINYINT: the result must fit the type.
  const bool narrow = IsIntegral(e.type) && e.type != TypeId::kBigint;
  const int64_t narrow_min = narrow ? IntegralMin(e.type) : 0;
  const int64_t narrow_max = narrow ? IntegralMax(e.type) : 0;
  int64_t* r = out->ints.data();
  uint8_t* valid = out->valid.data();
  const bool timestamp = IsTimestampType(e.type);
  const bool date = e.type == TypeId::kDate;  // DATE +/- INTEGER (binder/date_arithmetic.h)
  // A DECIMAL result must fit its width (binder: the width is capped at 18).
  const int decimal_width = IsDecimal(e.type) ? DecimalWidth(e.type) : 0;
  auto check = [&](int64_t v, const char* what, const char* sym, int64_t x, int64_t y) {
    if (decimal_width && !DecimalFits(v, decimal_width)) ThrowOverflow(what, sym, e.type, x, y, e.position);
    if (timestamp && !IsValidTimestamp(v)) ThrowTimestampArithmetic(sym, x, y, e.position);
    if (date && !IsValidDate(v)) ThrowDateArithmetic(sym, x, y, e.position);
    if (narrow && (v < narrow_min || v > narrow_max)) {
      ThrowOverflow(what, sym, e.type, x, y, e.position);
    }
  };
  switch (e.op) {
    case OpCode::kAdd:
      for (size_t i = 0; i < n; ++i) {
        if (!valid[i]) continue;
        int64_t x = pa[i * sa], y = pb[i * sb];
        if (__builtin_add_overflow(x, y, &r[i])) {
          if (timestamp) ThrowTimestampArithmetic("+", x, y, e.position);
          ThrowOverflow("addition", "+", e.type, x, y, e.position);
        }
        check(r[i], "addition", "+", x, y);
      }
      break;
    case OpCode::kSub:
      for (size_t i = 0; i < n; ++i) {
        if (!valid[i]) continue;
        int64_t x = pa[i * sa], y = pb[i * sb];
        if (__builtin_sub_overflow(x, y, &r[i])) {
          if (timestamp) ThrowTimestampArithmetic("-", x, y, e.position);
          ThrowOverflow("subtraction", "-", e.type, x, y, e.position);
        }
        check(r[i], "subtraction", "-", x, y);
      }
      break;
    case OpCode::kMul:
      for (size_t i = 0; i < n; ++i) {
        if (!valid[i]) continue;
        int64_t x = pa[i * sa], y = pb[i * sb];
        if (__builtin_mul_overflow(x, y, &r[i]))
          ThrowOverflow("multiplication", "*", e.type, x, y, e.position);
        check(r[i], "multiplication", "*", x, y);
      }
      break;
    case OpCode::kIntDiv:
    case OpCode::kMod:
      for (size_t i = 0; i < n; ++i) {
        if (!valid[i]) continue;
        int64_t x = pa[i * sa], y = pb[i * sb];
        if (y == 0) {  // DuckDB: integer division or modulo by zero is NULL
          valid[i] = 0;
          continue;
        }
        if (y == -1) {
          if (e.op == OpCode::kMod) {
            // DuckDB computes x % -1 as a division: the type's minimum
            // overflows (it returned 0 here).
            if (x == std::numeric_limits<int64_t>::min())
              ThrowOverflow("division", "%", e.type, x, y, e.position);
            check(-x, "division", "%", x, y);
            r[i] = 0;
            continue;
          }
          if (x == std::numeric_limits<int64_t>::min())
            ThrowOverflow("division", "//", e.type, x, y, e.position);
          r[i] = -x;
          check(r[i], "division", "//", x, y);
          continue;
        }
        r[i] = e.op == OpCode::kIntDiv ? x / y : x % y;
      }
      break;
    default:
      throw QueryError(ErrorKind::kInternal, "bad integer operator");
  }
}

void DoubleArithmetic(OpCode op, const VectorView& a, const VectorView& b, size_t n,
                      ColumnVector* out) {
  const double* pa = a.vec->doubles.data();
  const double* pb = b.vec->doubles.data();
  const size_t sa = a.constant ? 0 : 1, sb = b.constant ? 0 : 1;
  double* r = out->doubles.data();
  switch (op) {
    case OpCode::kAdd:
      for (size_t i = 0; i < n; ++i) r[i] = pa[i * sa] + pb[i * sb];
      break;
    case OpCode::kSub:
      for (size_t i = 0; i < n; ++i) r[i] = pa[i * sa] - pb[i * sb];
      break;
    case OpCode::kMul:
      for (size_t i = 0; i < n; ++i) r[i] = pa[i * sa] * pb[i * sb];
      break;
    case OpCode::kDiv:
      for (size_t i = 0; i < n; ++i) r[i] = pa[i * sa] / pb[i * sb];
      break;
    case OpCode::kIntDiv:
      for (size_t i = 0; i < n; ++i) {
        if (pb[i * sb] == 0)
          out->valid[i] = 0;
        else
          r[i] = std::floor(pa[i * sa] / pb[i * sb]);
      }
      break;
    case OpCode::kMod:
      for (size_t i = 0; i < n; ++i) {
        if (pb[i * sb] == 0)
          out->valid[i] = 0;
        else
          r[i] = std::fmod(pa[i * sa], pb[i * sb]);
      }
      break;
    default:
      throw QueryError(ErrorKind::kInternal, "bad double operator");
  }
}

template <typename T, typename Cmp>
void CompareLoop(const T* pa, size_t sa, const T* pb, size_t sb, size_t n, int64_t* r, Cmp cmp) {
  for (size_t i = 0; i < n; ++i) r[i] = cmp(pa[i * sa], pb[i * sb]) ? 1 : 0;
}

// Doubles compare under DuckDB's total order (formats/double_order.h).
template <typename T>
void CompareTyped(OpCode op, const T* pa, size_t sa, const T* pb, size_t sb, size_t n, int64_t* r) {
  switch (op) {
    case OpCode::kEq:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return OrderEqual(x, y); });
      break;
    case OpCode::kNe:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return !OrderEqual(x, y); });
      break;
    case OpCode::kLt:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return OrderLess(x, y); });
      break;
    case OpCode::kLe:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return !OrderLess(y, x); });
      break;
    case OpCode::kGt:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return OrderLess(y, x); });
      break;
    case OpCode::kGe:
      CompareLoop(pa, sa, pb, sb, n, r, [](const T& x, const T& y) { return !OrderLess(x, y); });
      break;
    default:
      throw QueryError(ErrorKind::kInternal, "bad comparison");
  }
}

void Compare(OpCode op, const VectorView& a, const VectorView& b, size_t n, ColumnVector* out) {
  const size_t sa = a.constant ? 0 : 1, sb = b.constant ? 0 : 1;
  if (a.vec->type == TypeId::kInterval && b.vec->type == TypeId::kInterval) {
    CompareIntervals(op, a, b, n, out);
    return;
  }
  if (IsList(a.vec->type) && op != OpCode::kEq && op != OpCode::kNe) {
    // Lists order elementwise (formats/list_value.h), not by their bytes;
    // equality is byte equality (the encoding is canonical).
    for (size_t i = 0; i < n; ++i) {
      const int c = CompareLists(a.vec->type, a.vec->strings[i * sa], b.vec->strings[i * sb]);
      out->ints[i] = op == OpCode::kLt ? c < 0 : op == OpCode::kLe ? c <= 0 : op == OpCode::kGt ? c > 0 : c >= 0;
    }
    return;
  }
  switch (PhysicalClassOf(a.vec->type)) {
    case PhysicalClass::kInt64:
      CompareTyped(op, a.vec->ints.data(), sa, b.vec->ints.data(), sb, n, out->ints.data());
      break;
    case PhysicalClass::kDouble:
      CompareTyped(op, a.vec->doubles.data(), sa, b.vec->doubles.data(), sb, n, out->ints.data());
      break;
    case PhysicalClass::kString:
      CompareTyped(op, a.vec->strings.data(), sa, b.vec->strings.data(), sb, n, out->ints.data());
      break;
  }
}

bool ValuesEqual(const VectorView& a, size_t i, const VectorView& b, size_t j) {
  switch (PhysicalClassOf(a.vec->type)) {
    case PhysicalClass::kInt64:
      return a.Int(i) == b.Int(j);
    case PhysicalClass::kDouble:
      return DoubleEqual(a.Double(i), b.Double(j));
    case PhysicalClass::kString:
      return a.String(i) == b.String(j);
  }
  return false;
}

// Copies row `from` of `src` into row `to` of `out` (same physical class).
void CopyRow(const VectorView& src, size_t from, ColumnVector* out, size_t to) {
  if (src.IsNull(from)) {
    out->valid[to] = 0;
    return;
  }
  out->valid[to] = 1;
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64:
      out->ints[to] = src.Int(from);
      break;
    case PhysicalClass::kDouble:
      out->doubles[to] = src.Double(from);
      break;
    case PhysicalClass::kString:
      out->strings[to] = src.String(from);
      break;
  }
}

// Validity of a binary operator's result: both inputs non-NULL.
void MergeValidity(const VectorView& a, const VectorView& b, size_t n, ColumnVector* out) {
  for (size_t i = 0; i < n; ++i) out->valid[i] = !a.IsNull(i) && !b.IsNull(i);
}

void EvaluateNode(const BoundExpression& e, const std::vector<VectorView>& args, size_t n,
                  ColumnVector* out);

}  // namespace

bool LikeMatch(std::string_view s, std::string_view p) {
  // Iterative wildcard match with backtracking to the last '%'; '_' takes
  // one UTF-8 character (its lead byte and continuation bytes).
  auto char_len = [&](size_t at) {
    size_t len = 1;
    while (at + len < s.size() && (static_cast<unsigned char>(s[at + len]) & 0xC0) == 0x80) ++len;
    return len;
  };
  size_t si = 0, pi = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '_') {
      si += char_len(si);
      ++pi;
    } else if (pi < p.size() && p[pi] != '%' && p[pi] == s[si]) {
      ++si;
      ++pi;
    } else if (pi < p.size() && p[pi] == '%') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      mark += char_len(mark);
      si = mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

bool LikeMatchEscape(std::string_view s, std::string_view p, std::string_view escape) {
  if (escape.size() > 1) {
    throw QueryError(ErrorKind::kParser,
                     "Invalid escape string. Escape string must be empty or one character.");
  }
  // The pattern as items: a literal byte, '_' (any one character) or '%'.
  // A trailing escape is an error only when a character is matched
  // against it, as in DuckDB ('a' LIKE 'a*' ESCAPE '*' is false).
  enum : int { kAny = 256, kStar = 257, kDanglingEscape = 258 };
  std::vector<int> items;
  items.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    if (!escape.empty() && p[i] == escape[0]) {
      if (++i == p.size()) {
        items.push_back(kDanglingEscape);
        break;
      }
      items.push_back(static_cast<unsigned char>(p[i]));
    } else if (p[i] == '_') {
      items.push_back(kAny);
    } else if (p[i] == '%') {
      items.push_back(kStar);
    } else {
      items.push_back(static_cast<unsigned char>(p[i]));
    }
  }
  auto char_len = [&](size_t at) {
    size_t len = 1;
    while (at + len < s.size() && (static_cast<unsigned char>(s[at + len]) & 0xC0) == 0x80) ++len;
    return len;
  };
  // LikeMatch's backtracking over the items.
  size_t si = 0, pi = 0, star = std::string::npos, mark = 0;
  while (si < s.size()) {
    if (pi < items.size() && items[pi] == kDanglingEscape) {
      throw QueryError(ErrorKind::kParser, "Like pattern must not end with escape character!");
    }
    if (pi < items.size() && items[pi] == kAny) {
      si += char_len(si);
      ++pi;
    } else if (pi < items.size() && items[pi] < 256 &&
               items[pi] == static_cast<unsigned char>(s[si])) {
      ++si;
      ++pi;
    } else if (pi < items.size() && items[pi] == kStar) {
      star = pi++;
      mark = si;
    } else if (star != std::string::npos) {
      pi = star + 1;
      mark += char_len(mark);
      si = mark;
    } else {
      return false;
    }
  }
  while (pi < items.size() && items[pi] == kStar) ++pi;
  return pi == items.size();
}

namespace {

// The rows `sel` of `input` as a dense chunk.
void Gather(const DataChunk& input, const std::vector<uint32_t>& sel, DataChunk* out) {
  out->columns.clear();
  out->columns.reserve(input.columns.size());
  for (const ColumnVector& c : input.columns) {
    out->columns.emplace_back(c.type);
    out->columns.back().AppendSelection(c, sel);
  }
}

// CASE WHEN c1 THEN r1 ... ELSE e END, evaluated lazily: each condition
// only on the rows no earlier WHEN took, each result only on the rows that
// take its branch, so an error in a branch no row takes (a failing cast,
// an overflow) never surfaces, as in DuckDB. Children: [c1, r1, ..., e].
void EvaluateCase(const BoundExpression& e, const DataChunk& input, size_t count,
                  ColumnVector* out) {
  PrepareOutput(out, e.type, count);
  std::vector<uint32_t> remaining(count), taken, rest;
  for (size_t i = 0; i < count; ++i) remaining[i] = static_cast<uint32_t>(i);
  DataChunk sub;
  // Evaluates `expr` on the rows `rows` (global indexes) and writes row j
  // of the result to out[rows[j]]; with every row selected, on `input`.
  auto eval_into = [&](const BoundExpression& expr, const std::vector<uint32_t>& rows) {
    std::unique_ptr<ColumnVector> holder;
    const bool all = rows.size() == count;
    if (!all) Gather(input, rows, &sub);
    VectorView v = ExpressionExecutor::Evaluate(expr, all ? input : sub, rows.size(), &holder);
    for (size_t j = 0; j < rows.size(); ++j) CopyRow(v, j, out, rows[j]);
  };
  const size_t branches = (e.children.size() - 1) / 2;
  for (size_t b = 0; b < branches && !remaining.empty(); ++b) {
    taken.clear();
    const bool all = remaining.size() == count;
    if (!all) Gather(input, remaining, &sub);
    std::vector<uint32_t> local;
    ExpressionExecutor::Select(*e.children[2 * b], all ? input : sub, remaining.size(), &local);
    if (local.empty()) continue;
    rest.clear();
    size_t k = 0;
    for (size_t j = 0; j < remaining.size(); ++j) {
      if (k < local.size() && local[k] == j) {
        taken.push_back(remaining[j]);
        ++k;
      } else {
        rest.push_back(remaining[j]);
      }
    }
    eval_into(*e.children[2 * b + 1], taken);
    remaining.swap(rest);
  }
  if (!remaining.empty()) eval_into(*e.children.back(), remaining);
}

// The errors TRY turns into NULL: a value that does not convert, is out
// of range or is invalid input for a function. Cancellation, the memory
// limit, the depth limit and internal errors still fail the query.
bool IsRowError(const QueryError& err) {
  if (dynamic_cast<const DepthLimitError*>(&err) != nullptr) return false;
  return err.kind() == ErrorKind::kConversion || err.kind() == ErrorKind::kOutOfRange ||
         err.kind() == ErrorKind::kInvalidInput;
}

// TRY(x): x over the whole chunk; only if that fails, x again row by row,
// each failing row NULL (so the common case costs one evaluation).
void EvaluateTry(const BoundExpression& e, const DataChunk& input, size_t count,
                 ColumnVector* out) {
  PrepareOutput(out, e.type, count);
  try {
    std::unique_ptr<ColumnVector> holder;
    VectorView v = ExpressionExecutor::Evaluate(*e.children[0], input, count, &holder);
    for (size_t i = 0; i < count; ++i) CopyRow(v, i, out, i);
    return;
  } catch (const QueryError& err) {
    if (!IsRowError(err)) throw;
  }
  DataChunk row;
  std::vector<uint32_t> sel(1);
  for (size_t i = 0; i < count; ++i) {
    sel[0] = static_cast<uint32_t>(i);
    Gather(input, sel, &row);
    try {
      std::unique_ptr<ColumnVector> holder;
      VectorView v = ExpressionExecutor::Evaluate(*e.children[0], row, 1, &holder);
      CopyRow(v, 0, out, i);
    } catch (const QueryError& err) {
      if (!IsRowError(err)) throw;
      out->valid[i] = 0;
    }
  }
}

// a AND b AND ... / a OR b OR ... (Kleene logic: a deciding value, FALSE
// for AND and TRUE for OR, wins over NULL), one child at a time, so a
// conjunction of thousands of terms holds one child's vector at a time.
VectorView EvaluateConjunction(const BoundExpression& e, const DataChunk& input, size_t count,
                               std::unique_ptr<ColumnVector>* holder) {
  const bool is_and = e.kind == BoundKind::kAnd;
  std::vector<uint8_t> decided(count, 0), has_null(count, 0);
  bool all_constant = true;
  std::unique_ptr<ColumnVector> child_holder;
  for (const BoundExpressionPtr& c : e.children) {
    VectorView a = ExpressionExecutor::Evaluate(*c, input, count, &child_holder);
    all_constant = all_constant && a.constant;
    for (size_t i = 0; i < count; ++i) {
      if (a.IsNull(i)) {
        has_null[i] = 1;
      } else if ((a.Int(i) != 0) != is_and) {
        decided[i] = 1;
      }
    }
  }
  const size_t n = all_constant ? std::min<size_t>(count, 1) : count;
  ColumnVector* out = holder->get();
  PrepareOutput(out, TypeId::kBoolean, std::max<size_t>(n, 1));
  if (n == 0) {  // no rows: the (constant) value of no inputs
    out->valid[0] = 0;
    return VectorView{out, true};
  }
  for (size_t i = 0; i < n; ++i) {
    if (decided[i]) {
      out->ints[i] = is_and ? 0 : 1;
    } else if (has_null[i]) {
      out->valid[i] = 0;
    } else {
      out->ints[i] = is_and ? 1 : 0;
    }
  }
  return VectorView{out, all_constant};
}

// ((c0 op c1) op c2) ...: the binder's n-ary arithmetic / || chain, folded
// one child at a time with the binary kernels (every step has the node's
// type), so a chain of thousands of terms neither recurses per term nor
// holds a vector per term.
VectorView EvaluateChain(const BoundExpression& e, const DataChunk& input, size_t count,
                         std::unique_ptr<ColumnVector>* holder) {
  std::unique_ptr<ColumnVector> acc_holder, right_holder;
  VectorView acc = ExpressionExecutor::Evaluate(*e.children[0], input, count, &acc_holder);
  std::vector<VectorView> args(2);
  for (size_t i = 1; i < e.children.size(); ++i) {
    VectorView right = ExpressionExecutor::Evaluate(*e.children[i], input, count, &right_holder);
    const bool constant = acc.constant && right.constant;
    auto step = std::make_unique<ColumnVector>(e.type);
    args[0] = acc;
    args[1] = right;
    try {
      EvaluateNode(e, args, constant ? 1 : count, step.get());
    } catch (QueryError& err) {
      err.SetPositionIfUnknown(e.position);
      throw;
    }
    acc_holder = std::move(step);
    acc = VectorView{acc_holder.get(), constant};
  }
  *holder = std::move(acc_holder);
  return acc;
}

}  // namespace

VectorView ExpressionExecutor::Evaluate(const BoundExpression& e, const DataChunk& input,
                                        size_t count, std::unique_ptr<ColumnVector>* holder) {
  if (e.kind == BoundKind::kColumnRef) return VectorView{&input.columns[e.column], false};
  // The binder bounds the tree's depth; this keeps a thread with a small
  // stack from overflowing on what the limit allows.
  CheckStackDepth(ErrorKind::kInvalidInput, e.position);
  if (e.kind == BoundKind::kOperator && e.children.size() > 2) {
    return EvaluateChain(e, input, count, holder);
  }
  *holder = std::make_unique<ColumnVector>(e.type);
  if (e.kind == BoundKind::kAnd || e.kind == BoundKind::kOr) {
    return EvaluateConjunction(e, input, count, holder);
  }
  if (e.kind == BoundKind::kTry) {
    EvaluateTry(e, input, count, holder->get());
    return VectorView{holder->get(), false};
  }
  if (e.kind == BoundKind::kCase && !e.children.empty()) {
    try {
      EvaluateCase(e, input, count, holder->get());
    } catch (QueryError& err) {
      err.SetPositionIfUnknown(e.position);
      throw;
    }
    return VectorView{holder->get(), false};
  }
  if (e.kind == BoundKind::kConstant) {
    PrepareOutput(holder->get(), e.type, 1);
    if (e.value.is_null()) {
      (*holder)->valid[0] = 0;
    } else {
      switch (PhysicalClassOf(e.type)) {
        case PhysicalClass::kInt64:
          (*holder)->ints[0] = e.value.int_value();
          break;
        case PhysicalClass::kDouble:
          (*holder)->doubles[0] = e.value.double_value();
          break;
        case PhysicalClass::kString:
          (*holder)->strings[0] = e.value.string_value();
          break;
      }
    }
    return VectorView{holder->get(), true};
  }
  std::vector<std::unique_ptr<ColumnVector>> child_holders(e.children.size());
  std::vector<VectorView> args;
  args.reserve(e.children.size());
  bool all_constant = true;
  for (size_t i = 0; i < e.children.size(); ++i) {
    args.push_back(Evaluate(*e.children[i], input, count, &child_holders[i]));
    all_constant = all_constant && args.back().constant;
  }
  // random() and the like: a new value per row even without arguments.
  if (e.kind == BoundKind::kFunction && e.function && (e.function->flags & kScalarVolatile)) {
    all_constant = false;
  }
  const size_t n = all_constant ? 1 : count;
  try {
    EvaluateNode(e, args, n, holder->get());
  } catch (QueryError& err) {
    err.SetPositionIfUnknown(e.position);
    throw;
  }
  return VectorView{holder->get(), all_constant};
}

namespace {

// x [NOT] IN (hashed list): TRUE when found; NULL when x is NULL or the
// list holds a NULL and x is not found; FALSE otherwise.
void ProbeInSet(const InSet& set, const VectorView& x, size_t n, bool negated,
                ColumnVector* out) {
  for (size_t i = 0; i < n; ++i) {
    if (x.IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    bool found = false;
    switch (PhysicalClassOf(set.type())) {
      case PhysicalClass::kInt64:
        found = set.ContainsInt(x.Int(i));
        break;
      case PhysicalClass::kDouble:
        found = set.ContainsDouble(x.Double(i));
        break;
      case PhysicalClass::kString:
        found = set.ContainsString(x.String(i));
        break;
    }
    if (!found && set.has_null()) {
      out->valid[i] = 0;
    } else {
      out->ints[i] = found != negated;
    }
  }
}

// A string function's result over kMaxValueBytes (concat of large
// strings, replace, ...) fails the statement; repeat and lpad/rpad check
// before they build one.
void CheckStringSizes(const ColumnVector& out, size_t n) {
  for (size_t i = 0; i < n && i < out.strings.size(); ++i) {
    if (out.strings[i].size() > kMaxValueBytes) {
      throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(out.strings[i].size()));
    }
  }
}

void EvaluateNode(const BoundExpression& e, const std::vector<VectorView>& args, size_t n,
                  ColumnVector* out) {
  switch (e.kind) {
    case BoundKind::kConstant:
    case BoundKind::kColumnRef:
      throw QueryError(ErrorKind::kInternal, "leaf evaluated as node");
    case BoundKind::kTry:
      throw QueryError(ErrorKind::kInternal, "TRY evaluated as a plain node");
    case BoundKind::kCast:
      if (e.comparison_cast) {  // DATE -> TIMESTAMP under a comparison
        PrepareOutput(out, e.type, n);
        for (size_t i = 0; i < n; ++i) {
          out->valid[i] = !args[0].IsNull(i);
          if (out->valid[i]) out->ints[i] = DateToTimestampForComparison(args[0].Int(i));
        }
        return;
      }
      CastVector(args[0], n, e.type, out, e.zone.get());
      return;
    case BoundKind::kFunction:
      e.function->kernel(args, n, out);
      if (out->type == TypeId::kVarchar) CheckStringSizes(*out, n);
      if (IsTimestampType(e.type)) CheckTimestampResults(e, *out, n);
      if (e.type == TypeId::kDate) CheckDateResults(e, *out, n);
      return;
    case BoundKind::kOperator: {
      PrepareOutput(out, e.type, n);
      if (e.op == OpCode::kNeg) {
        for (size_t i = 0; i < n; ++i) {
          out->valid[i] = !args[0].IsNull(i);
          if (!out->valid[i]) continue;
          if (e.type == TypeId::kDouble) {
            out->doubles[i] = -args[0].Double(i);
          } else {
            int64_t v = args[0].Int(i);
            int64_t min = IsIntegral(e.type) ? IntegralMin(e.type)
                                             : std::numeric_limits<int64_t>::min();
            if (v == min) {
              throw QueryError(ErrorKind::kOutOfRange, std::string("Overflow in negation of ") +
                                                           OverflowTypeName(e.type) + " (" +
                                                           std::to_string(v) + ")!");
            }
            out->ints[i] = -v;
          }
        }
        return;
      }
      MergeValidity(args[0], args[1], n, out);
      if (e.op == OpCode::kConcat) {
        for (size_t i = 0; i < n; ++i) {
          if (!out->valid[i]) continue;
          const std::string& l = args[0].String(i);
          const std::string& r = args[1].String(i);
          if (l.size() + r.size() > kMaxValueBytes) {
            throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(l.size() + r.size()));
          }
          out->strings[i] = l + r;
        }
      } else if (e.op >= OpCode::kEq) {
        Compare(e.op, args[0], args[1], n, out);
      } else if (e.type == TypeId::kDouble) {
        DoubleArithmetic(e.op, args[0], args[1], n, out);
      } else {
        IntArithmetic(e, args[0], args[1], n, out);
      }
      return;
    }
    case BoundKind::kAnd:
    case BoundKind::kOr:
      throw QueryError(ErrorKind::kInternal, "conjunction evaluated as node");
    case BoundKind::kNot:
      PrepareOutput(out, TypeId::kBoolean, n);
      for (size_t i = 0; i < n; ++i) {
        out->valid[i] = !args[0].IsNull(i);
        if (out->valid[i]) out->ints[i] = args[0].Int(i) == 0;
      }
      return;
    case BoundKind::kIsNull:
      PrepareOutput(out, TypeId::kBoolean, n);
      for (size_t i = 0; i < n; ++i) out->ints[i] = args[0].IsNull(i) != e.negated;
      return;
    case BoundKind::kIn:
      PrepareOutput(out, TypeId::kBoolean, n);
      if (e.in_set) {
        ProbeInSet(*e.in_set, args[0], n, e.negated, out);
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        if (args[0].IsNull(i)) {
          out->valid[i] = 0;
          continue;
        }
        bool found = false, saw_null = false;
        for (size_t k = 1; k < args.size() && !found; ++k) {
          if (args[k].IsNull(i)) {
            saw_null = true;
          } else if (ValuesEqual(args[0], i, args[k], i)) {
            found = true;
          }
        }
        if (!found && saw_null) {
          out->valid[i] = 0;
        } else {
          out->ints[i] = found != e.negated;
        }
      }
      return;
    case BoundKind::kLike: {
      PrepareOutput(out, TypeId::kBoolean, n);
      MergeValidity(args[0], args[1], n, out);
      if (args.size() > 2) {
        // LIKE pattern ESCAPE c.
        for (size_t i = 0; i < n; ++i) {
          if (!out->valid[i] || args[2].IsNull(i)) {
            out->valid[i] = 0;
            continue;
          }
          const bool m = e.case_insensitive
                             ? LikeMatchEscape(ToLower(args[0].String(i)),
                                               ToLower(args[1].String(i)), args[2].String(i))
                             : LikeMatchEscape(args[0].String(i), args[1].String(i),
                                               args[2].String(i));
          out->ints[i] = m != e.negated;
        }
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        if (!out->valid[i]) continue;
        bool m = e.case_insensitive
                     ? LikeMatch(ToLower(args[0].String(i)), ToLower(args[1].String(i)))
                     : LikeMatch(args[0].String(i), args[1].String(i));
        out->ints[i] = m != e.negated;
      }
      return;
    }
    case BoundKind::kCase: {
      PrepareOutput(out, e.type, n);
      std::vector<uint8_t> done(n, 0);
      for (size_t k = 0; k + 1 < args.size(); k += 2) {
        for (size_t i = 0; i < n; ++i) {
          if (done[i] || args[k].IsNull(i) || args[k].Int(i) == 0) continue;
          CopyRow(args[k + 1], i, out, i);
          done[i] = 1;
        }
      }
      for (size_t i = 0; i < n; ++i) {
        if (!done[i]) CopyRow(args.back(), i, out, i);
      }
      return;
    }
    case BoundKind::kSubquery: {
      // Per row: the outer values (and the IN probe) go to the evaluator,
      // which caches the subquery's result per distinct key.
      PrepareOutput(out, e.type, n);
      const size_t first_key = e.subquery->HasProbe() ? 1 : 0;
      std::vector<Value> keys(args.size() - first_key);
      Value probe;
      for (size_t i = 0; i < n; ++i) {
        for (size_t k = first_key; k < args.size(); ++k) {
          keys[k - first_key] = args[k].vec->GetValue(args[k].Index(i));
        }
        if (first_key) probe = args[0].vec->GetValue(args[0].Index(i));
        Value v = e.subquery->Evaluate(keys, probe);
        if (v.is_null()) {
          out->valid[i] = 0;
          continue;
        }
        switch (PhysicalClassOf(e.type)) {
          case PhysicalClass::kInt64:
            out->ints[i] = v.int_value();
            break;
          case PhysicalClass::kDouble:
            out->doubles[i] = v.AsDouble();
            break;
          case PhysicalClass::kString:
            out->strings[i] = v.string_value();
            break;
        }
      }
      return;
    }
    case BoundKind::kCoalesce: {
      PrepareOutput(out, e.type, n);
      for (size_t i = 0; i < n; ++i) {
        out->valid[i] = 0;
        for (const VectorView& a : args) {
          if (!a.IsNull(i)) {
            CopyRow(a, i, out, i);
            break;
          }
        }
      }
      return;
    }
  }
}

}  // namespace

void ExpressionExecutor::Execute(const BoundExpression& expr, const DataChunk& input, size_t count,
                                 ColumnVector* out) {
  std::unique_ptr<ColumnVector> holder;
  VectorView v = Evaluate(expr, input, count, &holder);
  if (!v.constant && holder && v.vec == holder.get()) {
    *out = std::move(*holder);
    out->type = expr.type;
    return;
  }
  // A column reference (copy) or a constant (broadcast).
  PrepareOutput(out, expr.type, count);
  if (!v.constant) {
    *out = *v.vec;
    return;
  }
  for (size_t i = 0; i < count; ++i) CopyRow(v, 0, out, i);
}

void ExpressionExecutor::Select(const BoundExpression& expr, const DataChunk& input, size_t count,
                                std::vector<uint32_t>* sel) {
  std::unique_ptr<ColumnVector> holder;
  VectorView v = Evaluate(expr, input, count, &holder);
  if (v.constant) {
    if (!v.IsNull(0) && v.Int(0) != 0) {
      for (size_t i = 0; i < count; ++i) sel->push_back(static_cast<uint32_t>(i));
    }
    return;
  }
  const int64_t* values = v.vec->ints.data();
  const uint8_t* valid = v.vec->valid.data();
  for (size_t i = 0; i < count; ++i) {
    if (valid[i] && values[i]) sel->push_back(static_cast<uint32_t>(i));
  }
}

Value ExpressionExecutor::EvaluateScalar(const BoundExpression& expr) {
  // Callers check for constants with their own message; this keeps a
  // missed check an error instead of a read past an empty chunk.
  if (ReadsRow(expr)) {
    throw QueryError(ErrorKind::kBinder,
                     "expected a constant expression, got one over the rows: " + expr.ToString(),
                     expr.position);
  }
  DataChunk empty;
  ColumnVector out;
  Execute(expr, empty, 1, &out);
  return out.GetValue(0);
}

}  // namespace tsl::query
