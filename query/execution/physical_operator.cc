// Shared operator helpers. See physical_operator.h.
#include "query/execution/physical_operator.h"

#include "query/common/depth_guard.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

void ExplainInto(const PhysicalOperator& op, int depth, std::string* out) {
  CheckStackDepth(ErrorKind::kInvalidInput);
  out->append(static_cast<size_t>(depth) * 2, ' ');
  out->append(op.Explain());
  out->push_back('\n');
  const size_t shown = op.workers() > 1 ? 1 : op.children().size();
  for (size_t i = 0; i < shown; ++i) ExplainInto(*op.children()[i], depth + 1, out);
}

}  // namespace

void ExecutionContext::CheckCancelled() const {
  if (cancelled && cancelled->load(std::memory_order_relaxed)) {
    throw QueryError(ErrorKind::kInterrupt, "Interrupted!");
  }
}

std::string ExplainTree(const PhysicalOperator& root) {
  std::string out;
  ExplainInto(root, 0, &out);
  return out;
}

}  // namespace tsl::query
