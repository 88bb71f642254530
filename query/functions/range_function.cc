// range() and generate_series(). See range_function.h.
#include "query/functions/range_function.h"

#include <limits>

#include "formats/interval.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/execution/interval_arithmetic.h"
#include "query/execution/time_zone_setting.h"
#include "query/functions/cast_function.h"
#include "query/functions/read_parquet_function.h"
#include "query/functions/unnest_function.h"

namespace tsl::query {
namespace {

class RangeSource : public ChunkSource {
 public:
  RangeSource(std::string name, TypeId type, int64_t start, int64_t stop, int64_t step,
              bool inclusive, TimeZonePtr zone = nullptr)
      : next_(start), stop_(stop), step_(step), inclusive_(inclusive), zone_(std::move(zone)) {
    schema_.fields.push_back({std::move(name), type});
    if (zone_) start_wall_ = static_cast<int64_t>(zone_->UtcToLocal(start));
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
      if (calendar_) {
        // A step with months: each value is the previous one plus the step
        // (DuckDB: 01-31, 02-29, 03-29), on the zone's calendar for TIMESTAMPTZ.
        try {
          if (calendar_zone_) {
            next_ = AddIntervalInZone(*calendar_zone_, next_, step_, 1, -1);
          } else {
            Result<int64_t> r = AddIntervalToTimestamp(next_, step_, 1);
            if (!r.ok()) {
              done_ = true;
              continue;
            }
            next_ = *r;
          }
        } catch (const QueryError&) {
          done_ = true;  // past the TIMESTAMP range: the series ends
        }
        continue;
      }
      if (zone_) {
        // Whole days over TIMESTAMPTZ are local calendar days (DuckDB's
        // INTERVAL '1 day'): the start's wall time on each next day.
        ++steps_;
        const __int128 wall = static_cast<__int128>(start_wall_) + static_cast<__int128>(steps_) * step_;
        const __int128 utc = IsValidTimestamp(wall) ? zone_->LocalToUtc(static_cast<int64_t>(wall)) : wall;
        if (!IsValidTimestamp(utc)) {
          done_ = true;
        } else {
          next_ = static_cast<int64_t>(utc);
        }
        continue;
      }
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

  // A step with months (formats/interval.h); TIMESTAMPTZ adds it in the
  // session zone.
  void SetCalendarStep(TimeZonePtr zone) {
    calendar_ = true;
    calendar_zone_ = std::move(zone);
  }

 private:
  Schema schema_;
  int64_t next_, stop_, step_;
  bool inclusive_;
  bool done_ = false;
  TimeZonePtr zone_;  // set for TIMESTAMPTZ with a step of whole days
  int64_t start_wall_ = 0;
  int64_t steps_ = 0;
  bool calendar_ = false;
  TimeZonePtr calendar_zone_;
};

Result<std::unique_ptr<ChunkSource>> MakeRange(const std::string& name, bool inclusive,
                                               const TableFunctionArgs& args) {
  const auto& a = args.positional;
  if (a.empty() || a.size() > 3 || !args.named.empty()) {
    return Status::InvalidArgument(name + "() takes (stop), (start, stop) or (start, stop, step)");
  }
  // A NULL argument gives no rows, as in DuckDB (a LATERAL range(t.n) over
  // a row whose n is NULL joins nothing).
  for (const Value& v : a) {
    if (!v.is_null()) continue;
    TypeId type = TypeId::kBigint;
    for (const Value& w : a) {
      if (!w.is_null() && IsTimestampType(w.type())) type = w.type();
    }
    return std::unique_ptr<ChunkSource>(
        std::make_unique<RangeSource>(name, type, 0, 0, 1, false, TimeZonePtr()));
  }
  std::vector<Value> converted = a;
  const bool tz = a.size() == 3 && (a[0].type() == TypeId::kTimestampTz || a[1].type() == TypeId::kTimestampTz);
  if (tz) {  // a TIMESTAMP or DATE bound becomes a TIMESTAMPTZ in the session's zone
    for (size_t i = 0; i < 2; ++i) {
      const TypeId t = a[i].type();
      if (t == TypeId::kTimestamp || t == TypeId::kDate) converted[i] = CastValue(a[i], TypeId::kTimestampTz);
    }
  }
  const TypeId time_type = tz ? TypeId::kTimestampTz : TypeId::kTimestamp;
  // DATE bounds with an INTERVAL step run over their midnights (DuckDB).
  if (!tz && a.size() == 3 && a[2].type() == TypeId::kInterval) {
    for (size_t i = 0; i < 2; ++i) {
      if (a[i].type() == TypeId::kDate) converted[i] = CastValue(a[i], TypeId::kTimestamp);
    }
  }
  const bool ts = IsTimestampType(converted[0].type());
  if (ts) {
    if (a.size() != 3 || converted[0].type() != time_type || converted[1].type() != time_type ||
        a[2].type() != TypeId::kInterval) {
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
    start = converted[0].int_value();
    stop = converted[1].int_value();
    if (a.size() == 3) step = a[2].int_value();
  }
  if (step == 0) return Status::InvalidArgument(name + "() step cannot be zero");
  if (ts && IsCalendarInterval(step)) {
    auto source = std::make_unique<RangeSource>(name, time_type, start, stop, step, inclusive);
    source->SetCalendarStep(tz ? CurrentTimeZone() : nullptr);
    return std::unique_ptr<ChunkSource>(std::move(source));
  }
  TimeZonePtr zone;
  if (tz && step % kMicrosPerDay == 0) zone = CurrentTimeZone();
  return std::unique_ptr<ChunkSource>(std::make_unique<RangeSource>(
      name, ts ? time_type : TypeId::kBigint, start, stop, step, inclusive, std::move(zone)));
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
  if (lower == "unnest") {
    static const TableFunctionFactory kUnnest = MakeUnnest;
    return &kUnnest;
  }
  return nullptr;
}

std::vector<std::string> BuiltinTableFunctionNames() { return {"range", "generate_series", "read_parquet", "unnest"}; }

}  // namespace tsl::query
