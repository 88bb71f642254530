// Framed window aggregates through AggregateState. See
// window_generic_aggregate.h.
#include "query/execution/window_generic_aggregate.h"

#include <memory>

#include "query/functions/aggregate_state.h"
#include "query/functions/vector_view.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

void CopyRow(const ColumnVector& from, size_t i, ColumnVector* to, size_t r) {
  if (!from.valid[i]) {
    to->valid[r] = 0;
    return;
  }
  to->valid[r] = 1;
  switch (PhysicalClassOf(from.type)) {
    case PhysicalClass::kDouble:
      to->doubles[r] = from.doubles[i];
      break;
    case PhysicalClass::kString:
      to->strings[r] = from.strings[i];
      break;
    case PhysicalClass::kInt64:
      to->ints[r] = from.ints[i];
      break;
  }
}

}  // namespace

bool HasGenericWindowAggregate(AggregateKind kind) {
  switch (kind) {
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrR2:
    case K::kRegrCount:
    case K::kRegrAvgX:
    case K::kRegrAvgY:
    case K::kRegrSxx:
    case K::kRegrSyy:
    case K::kRegrSxy:
    case K::kSkewness:
    case K::kKurtosis:
    case K::kKurtosisPop:
    case K::kProduct:
    case K::kBitAnd:
    case K::kBitOr:
    case K::kBitXor:
    case K::kMode:
    case K::kEntropy:
    case K::kReservoirQuantile:
    case K::kApproxQuantile:
    case K::kList:
      return true;
    default:
      return false;
  }
}

void ComputeGenericFramedAggregate(const BoundWindow& w,
                                   const std::vector<const ColumnVector*>& args,
                                   const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                                   const std::vector<uint32_t>& e, ColumnVector* out) {
  std::vector<TypeId> types;
  for (const ColumnVector* a : args) types.push_back(a->type);
  // The partition's argument rows in window order, so a frame is a range.
  std::vector<uint32_t> sel(rows, rows + m);
  std::vector<ColumnVector> ordered;
  for (const ColumnVector* a : args) {
    ordered.emplace_back(a->type);
    ordered.back().AppendSelection(*a, sel);
  }
  std::unique_ptr<AggregateState> state;
  std::vector<ColumnVector> slice(args.size());
  std::vector<VectorView> views(args.size());
  std::vector<uint32_t> gid;
  ColumnVector result(w.type);
  size_t cur_s = 0, cur_e = 0;
  auto add = [&](size_t begin, size_t end) {
    if (begin >= end) return;
    for (size_t k = 0; k < args.size(); ++k) {
      slice[k] = ColumnVector(types[k]);
      slice[k].AppendRange(ordered[k], begin, end);
      views[k] = VectorView{&slice[k], false};
    }
    gid.assign(end - begin, 0);
    state->Update(views, gid.data(), end - begin);
  };
  for (size_t r = 0; r < m; ++r) {
    if (!state || s[r] != cur_s || e[r] < cur_e) {
      state = MakeAggregateState(w.aggregate, types, w.parameter, w.type);
      state->Resize(1);
      cur_s = cur_e = s[r];
    }
    add(cur_e, e[r]);
    cur_e = std::max<size_t>(cur_e, e[r]);
    PrepareOutput(&result, w.type, 1);
    state->Finalize(0, 1, &result);
    CopyRow(result, 0, out, r);
  }
}

}  // namespace tsl::query
