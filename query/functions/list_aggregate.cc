// list(x) / array_agg(x): each group's values, NULLs included, in input
// order (the aggregate's ORDER BY reorders them through the ordered
// wrapper of aggregate_state.h) as one LIST value (formats/list_value.h).
// A group without rows is NULL, as in DuckDB. The lists' bytes count
// against memory_limit (MemoryBytes) and a list larger than a value may be
// fails the statement rather than exhausting memory.
#include "formats/list_value.h"
#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/functions/aggregate_families.h"

namespace tsl::query {

namespace {

class ListAggState final : public AggregateState {
 public:
  explicit ListAggState(TypeId result) : result_(result), element_(ListElementType(result)) {}

  void Resize(size_t groups) override {
    while (lists_.size() < groups) lists_.emplace_back(element_);
  }

  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    const PhysicalClass cls = PhysicalClassOf(element_);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow) continue;
      ListBuilder& b = lists_[g];
      const size_t before = b.ByteSize();
      if (v.IsNull(i) || element_ == TypeId::kNull) {
        b.AppendNull();
      } else if (cls == PhysicalClass::kInt64) {
        b.AppendInt(v.Int(i));
      } else if (cls == PhysicalClass::kDouble) {
        b.AppendDouble(v.Double(i));
      } else {
        b.AppendString(v.String(i));
      }
      Grew(b, before);
    }
  }

  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ListAggState&>(other);
    for (size_t g = 0; g < n && g < o.lists_.size(); ++g) {
      const ListBuilder& from = o.lists_[g];
      if (from.size() == 0) continue;
      ListBuilder& to = lists_[map[g]];
      const size_t before = to.ByteSize();
      Result<std::vector<Value>> values = DecodeList(result_, from.Finish());
      if (!values.ok()) throw QueryError(ErrorKind::kInternal, values.status().message());
      for (const Value& v : *values) to.AppendValue(v);
      Grew(to, before);
    }
    o.lists_.clear();
    o.bytes_ = 0;
  }

  int64_t MemoryBytes() const override { return bytes_; }

  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (g >= lists_.size() || lists_[g].size() == 0) {
        out->valid[g - b] = 0;
        continue;
      }
      out->strings[g - b] = lists_[g].Finish();
    }
  }

 private:
  void Grew(const ListBuilder& b, size_t before) {
    if (b.ByteSize() > kMaxValueBytes) {
      throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(b.ByteSize()));
    }
    bytes_ += static_cast<int64_t>(b.ByteSize()) - static_cast<int64_t>(before);
  }

  TypeId result_;
  TypeId element_;
  std::vector<ListBuilder> lists_;
  int64_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<AggregateState> MakeListAggregateState(TypeId result) {
  return std::make_unique<ListAggState>(result);
}

}  // namespace tsl::query
