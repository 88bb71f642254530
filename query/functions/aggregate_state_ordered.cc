// The ordered-aggregate wrapper (agg(... ORDER BY keys)): buffers each
// group's rows and replays them sorted into the inner state. Split from
// aggregate_state.cc. Thread-safety: one thread per state object.
#include <algorithm>

#include "query/common/query_error.h"
#include "query/functions/aggregate_state.h"
#include "query/functions/cell_compare.h"

namespace tsl::query {
namespace {

int CompareCells(const ColumnVector& c, size_t a, size_t b) {
  const bool na = c.IsNull(a), nb = c.IsNull(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);  // NULLs last
  return CompareNonNullCells(c, a, b);
}

class OrderedState final : public AggregateState {
 public:
  OrderedState(std::unique_ptr<AggregateState> inner, size_t arg_count, std::vector<bool> desc)
      : inner_(std::move(inner)), arg_count_(arg_count), desc_(std::move(desc)) {}
  void Resize(size_t g) override { groups_ = g; }
  // `other`'s rows come later: appended after this state's, so sort ties
  // stay in input order.
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<OrderedState&>(other);
    if (o.gids_.empty()) return;
    if (cols_.empty()) {
      for (const ColumnVector& c : o.cols_) cols_.emplace_back(c.type);
    }
    for (size_t c = 0; c < cols_.size(); ++c) cols_[c].AppendRange(o.cols_[c], 0, o.gids_.size());
    bytes_ += o.bytes_;
    for (uint32_t g : o.gids_) {
      if (g >= n) throw QueryError(ErrorKind::kInternal, "ordered aggregate: group out of range");
      gids_.push_back(map[g]);
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    if (cols_.empty()) {
      for (const VectorView& v : a) cols_.emplace_back(v.vec->type);
    }
    sel_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (gid[i] == kSkipRow) continue;
      sel_.push_back(static_cast<uint32_t>(i));
      gids_.push_back(gid[i]);
    }
    for (size_t c = 0; c < a.size(); ++c) {
      if (a[c].constant) {
        for (size_t k = 0; k < sel_.size(); ++k) cols_[c].AppendRange(*a[c].vec, 0, 1);
      } else {
        cols_[c].AppendSelection(*a[c].vec, sel_);
      }
      if (PhysicalClassOf(cols_[c].type) == PhysicalClass::kString) {
        for (uint32_t r : sel_) {
          if (a[c].IsNull(r)) continue;
          const size_t len = a[c].String(r).size();
          if (len > 15) bytes_ += static_cast<int64_t>(len);
        }
      }
    }
    // A group id and per column a value slot and a validity byte.
    bytes_ += static_cast<int64_t>(sel_.size() * (4 + 9 * a.size()));
  }
  // The buffered rows, plus half again for the vectors' spare capacity.
  int64_t MemoryBytes() const override {
    return bytes_ + bytes_ / 2 + (replayed_ ? inner_->MemoryBytes() : 0);
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    if (!replayed_) Replay();
    inner_->Finalize(b, e, out);
  }

 private:
  void Replay() {
    replayed_ = true;
    inner_->Resize(groups_);
    std::vector<uint32_t> order(gids_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      if (gids_[x] != gids_[y]) return gids_[x] < gids_[y];
      for (size_t k = 0; k < desc_.size(); ++k) {
        int r = CompareCells(cols_[arg_count_ + k], x, y);
        if (r) return desc_[k] && !cols_[arg_count_ + k].IsNull(x) &&
                              !cols_[arg_count_ + k].IsNull(y)
                          ? r > 0
                          : r < 0;
      }
      return false;
    });
    std::vector<uint32_t> batch, batch_gids;
    std::vector<ColumnVector> vecs(arg_count_);
    for (size_t start = 0; start < order.size(); start += kVectorSize) {
      const size_t end = std::min(order.size(), start + kVectorSize);
      batch.assign(order.begin() + start, order.begin() + end);
      batch_gids.clear();
      for (uint32_t r : batch) batch_gids.push_back(gids_[r]);
      std::vector<VectorView> views;
      for (size_t c = 0; c < arg_count_; ++c) {
        vecs[c] = ColumnVector(cols_[c].type);
        vecs[c].AppendSelection(cols_[c], batch);
        views.push_back(VectorView{&vecs[c], false});
      }
      inner_->Update(views, batch_gids.data(), batch.size());
    }
  }

  std::unique_ptr<AggregateState> inner_;
  size_t arg_count_;
  std::vector<bool> desc_;
  size_t groups_ = 0;
  bool replayed_ = false;
  std::vector<ColumnVector> cols_;  // arguments, then keys
  std::vector<uint32_t> gids_, sel_;
  int64_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<AggregateState> MakeOrderedAggregateState(std::unique_ptr<AggregateState> inner,
                                                          size_t arg_count,
                                                          std::vector<bool> desc) {
  return std::make_unique<OrderedState>(std::move(inner), arg_count, std::move(desc));
}

}  // namespace tsl::query
