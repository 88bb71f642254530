// Scalar functions callable from SQL (abs, round, lower, upper, length,
// time_bucket, date_trunc, ...). Each overload is a vectorized kernel: it
// receives whole argument vectors (possibly constant) and fills the result
// vector in one loop. Binding picks an overload by name and argument types
// and tells the binder which casts to insert. Thread-safety: the function
// table is immutable.
#pragma once

#include <string>
#include <vector>

#include "formats/types.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

using ScalarKernel = void (*)(const std::vector<VectorView>& args, size_t count, ColumnVector* out);

struct ScalarFunction {
  const char* name;
  std::vector<TypeId> arg_types;  // argument types the kernel expects
  TypeId return_type;
  ScalarKernel kernel;
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

// Every scalar function name, for "Did you mean" suggestions.
std::vector<std::string> ScalarFunctionNames();

}  // namespace tsl::query
