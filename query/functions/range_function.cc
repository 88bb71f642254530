// range() and generate_series(). See range_function.h.
#include "query/functions/range_function.h"

#include <limits>

#include "query/functions/read_parquet_function.h"

namespace tsl::query {
namespace {

class RangeSource : public ChunkSource {
 public:
  RangeSource(std::string name, TypeId type, int64_t start, int64_t stop, int64_t step,
              bool inclusive)
      : next_(start), stop_(stop), step_(step), inclusive_(inclusive) {
    schema_.fields.push_back({std::move(name), type});
  }
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    out->Initialize({schema_.fields[0].type});
    ColumnVector& col = out->columns[0];
    while (!done_ && col.size() < kVectorSize) {
      const bool in = step_ > 0 ? (inclusive_ ? next_ <= stop_ : next_ < stop_)
                                : (inclusive_ ? next_ >= stop_ : next_ > stop_);
      if (!in) {
        done_ = true;
        break;
      }
      col.AppendInt(next_);
      // Stop instead of overflowing past INT64's ends.
      if ((step_ > 0 && next_ > std::numeric_limits<int64_t>::max() - step_) ||
          (step_ < 0 && next_ < std::numeric_limits<int64_t>::min() - step_)) {
        done_ = true;
      } else {
        next_ += step_;
      }
    }
    return col.size() > 0;
  }

 private:
  Schema schema_;
  int64_t next_, stop_, step_;
  bool inclusive_;
  bool done_ = false;
};

Result<std::unique_ptr<ChunkSource>> MakeRange(const std::string& name, bool inclusive,
                                               const TableFunctionArgs& args) {
  const auto& a = args.positional;
  if (a.empty() || a.size() > 3 || !args.named.empty()) {
    return Status::InvalidArgument(name + "() takes (stop), (start, stop) or (start, stop, step)");
  }
  for (const Value& v : a) {
    if (v.is_null()) return Status::InvalidArgument(name + "() arguments cannot be NULL");
  }
  const bool ts = a[0].type() == TypeId::kTimestamp;
  if (ts) {
    if (a.size() != 3 || a[1].type() != TypeId::kTimestamp || a[2].type() != TypeId::kInterval) {
      return Status::InvalidArgument(name +
                                     "() over timestamps takes (start TIMESTAMP, stop TIMESTAMP, "
                                     "step INTERVAL)");
    }
  } else {
    for (const Value& v : a) {
      if (!IsIntegral(v.type())) {
        return Status::InvalidArgument(name + "() takes BIGINT arguments, got " +
                                       std::string(TypeName(v.type())));
      }
    }
  }
  int64_t start = 0, stop = 0, step = 1;
  if (a.size() == 1) {
    stop = a[0].int_value();
  } else {
    start = a[0].int_value();
    stop = a[1].int_value();
    if (a.size() == 3) step = a[2].int_value();
  }
  if (step == 0) return Status::InvalidArgument(name + "() step cannot be zero");
  return std::unique_ptr<ChunkSource>(std::make_unique<RangeSource>(
      name, ts ? TypeId::kTimestamp : TypeId::kBigint, start, stop, step, inclusive));
}

}  // namespace

const TableFunctionFactory* FindBuiltinTableFunction(const std::string& name) {
  static const TableFunctionFactory kRange = [](const TableFunctionArgs& args) {
    return MakeRange("range", false, args);
  };
  static const TableFunctionFactory kSeries = [](const TableFunctionArgs& args) {
    return MakeRange("generate_series", true, args);
  };
  static const TableFunctionFactory kReadParquet = MakeReadParquet;
  std::string lower = ToLower(name);
  if (lower == "read_parquet") return &kReadParquet;
  if (lower == "range") return &kRange;
  if (lower == "generate_series") return &kSeries;
  return nullptr;
}

std::vector<std::string> BuiltinTableFunctionNames() { return {"range", "generate_series", "read_parquet"}; }

}  // namespace tsl::query
