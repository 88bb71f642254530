// Scalar functions callable from SQL (abs, round, lower, upper, length,
// time_bucket, date_trunc, ...). Each overload is a vectorized kernel: it
// receives whole argument vectors (possibly constant) and fills the result
// vector in one loop. Binding picks an overload by name and argument types
// and tells the binder which casts to insert. Thread-safety: the function
// table is immutable.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "formats/types.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

using ScalarKernel = void (*)(const std::vector<VectorView>& args, size_t count, ColumnVector* out);

// Flags of an overload.
enum ScalarFlags : uint8_t {
  kScalarPlain = 0,
  // The last argument type repeats: concat(a, b, c...), greatest(...).
  kScalarVariadic = 1,
  // Arguments of any type are cast to the VARCHAR parameters (concat).
  kScalarAnyToVarchar = 2,
  // Evaluated once when the statement is bound, e.g. now(): every row and
  // chunk of a statement sees the same value, as in DuckDB.
  kScalarFoldAtBind = 4,
  // Any number of arguments of any type after the declared ones, passed
  // uncast (format, printf read each view's type).
  kScalarVariadicAny = 8,
  // Reads the session's TimeZone (TIMESTAMPTZ calendar functions): the
  // binder appends the zone's name, read when the statement is bound, as
  // a constant VARCHAR argument after the declared ones.
  kScalarSessionZone = 16,
  // A new value per row even when every argument is constant: random().
  kScalarVolatile = 32,
};

struct ScalarFunction {
  ScalarFunction(const char* n, std::vector<TypeId> args, TypeId ret, ScalarKernel k,
                 uint8_t f = kScalarPlain)
      : name(n), arg_types(std::move(args)), return_type(ret), kernel(k), flags(f) {}

  const char* name;
  std::vector<TypeId> arg_types;  // argument types the kernel expects
  TypeId return_type;
  ScalarKernel kernel;
  uint8_t flags;

  // The type argument `i` is cast to (the last one repeats when variadic);
  // `own` (the argument's type) past the declared ones of a
  // kScalarVariadicAny overload, VARCHAR for a bare NULL there.
  TypeId ArgType(size_t i, TypeId own = TypeId::kNull) const {
    if (i < arg_types.size()) return arg_types[i];
    if (flags & kScalarVariadicAny) return own == TypeId::kNull ? TypeId::kVarchar : own;
    return arg_types.back();
  }
};

// The overload of `name` (lower-case) that accepts `arg_types` with the
// fewest implicit casts, or nullptr. `string_literals[i]` marks a quoted
// literal argument, which may be cast to any type (as DuckDB does).
// `*name_exists` tells whether any overload has this name (for "No function
// matches" vs "does not exist").
const ScalarFunction* FindScalarFunction(const std::string& name,
                                         const std::vector<TypeId>& arg_types,
                                         const std::vector<bool>& string_literals,
                                         bool* name_exists);

// A row value's fields as one VARCHAR key, NULL when any field is: equal
// rows (fields of one type each) give equal keys. The binder builds a
// (a, b) IN (SELECT x, y ...) set of them; the hidden function $row_key
// computes the probe's (subquery_binder.cc).
Value RowKey(const std::vector<Value>& fields);

// now()/current_timestamp read the statement clock: StartStatementClock()
// (called when a statement's binding starts) fixes it for the calling
// thread, so every call in one statement sees the same time.
void StartStatementClock();
int64_t StatementClock();

// True when a strptime format reads a zone (%z or %Z): DuckDB's strptime
// then returns TIMESTAMP WITH TIME ZONE (the binder calls strptime_tz).
bool FormatHasZone(const std::string& fmt);

// Every scalar function name, for "Did you mean" suggestions.
std::vector<std::string> ScalarFunctionNames();

// Every overload (name, argument and result types), for the grammar fuzzer
// (tests/fuzz/sql_smith.h), which calls each with arguments of its types.
const std::vector<ScalarFunction>& ScalarFunctionOverloads();

}  // namespace tsl::query
