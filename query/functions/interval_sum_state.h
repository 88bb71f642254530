// sum(INTERVAL): months and microseconds summed apart (formats/interval.h),
// so a month interval adds months, not its packed word.
// Thread-safety: one owner at a time, as every AggregateState.
#pragma once

#include <memory>

#include "query/functions/aggregate_state.h"

namespace tsl::query {

std::unique_ptr<AggregateState> MakeIntervalSumState();

}  // namespace tsl::query
