// Zone-map reasoning shared by DELETE and UPDATE (maintenance_executor.cc,
// update_executor.cc): what a file's add stats (min/max/null counts per
// column) prove about a bound predicate over the table's columns.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "formats/log_action.h"
#include "formats/types.h"
#include "query/binder/bound_expression.h"

namespace tsl::query {

// What a file's zone maps say about a predicate.
enum class Coverage { kNone, kAll, kSome };

// The top-level AND conjuncts of `e` (e itself when it is no AND).
void Conjuncts(const BoundExpression& e, std::vector<const BoundExpression*>* out);

// Whether `predicate` matches none, all or some of `file`'s rows, from its
// stats alone (conservative: kSome when unsure). Conjuncts other than
// `column <op> constant` make kAll impossible but may still prove kNone;
// column references past `physical`'s columns (an UPDATE ... FROM
// source's) decide nothing.
Coverage FileCoverage(const BoundExpression& predicate, const Schema& physical,
                      const AddAction& file);

}  // namespace tsl::query
