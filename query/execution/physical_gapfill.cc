// Gap filling. See physical_gapfill.h.
#include "query/execution/physical_gapfill.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

constexpr int64_t kDefaultBucketOrigin = 946857600LL * 1000000;  // 2000-01-03, as time_bucket

// time_bucket's start, in 128 bits; a start outside the supported
// TIMESTAMP range is an error, as in time_bucket itself.
int64_t BucketOf(int64_t ts, int64_t width) {
  const __int128 diff = static_cast<__int128>(ts) - kDefaultBucketOrigin;
  __int128 q = diff / width;
  if (diff % width != 0 && diff < 0) --q;
  const __int128 start = kDefaultBucketOrigin + q * width;
  if (!IsValidTimestamp(start)) {
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Timestamp out of range in gap filling: a bucket starts outside "
                                 "the supported range ") +
                         TimestampRangeText());
  }
  return static_cast<int64_t>(start);
}

}  // namespace

PhysicalGapfill::PhysicalGapfill(std::unique_ptr<PhysicalOperator> child, BoundGapfill spec,
                                 ExecutionContext ctx)
    : PhysicalOperator(child->types()), spec_(std::move(spec)), ctx_(ctx) {
  AddChild(std::move(child));
}

void PhysicalGapfill::Account(size_t input_rows) {
  const size_t rows = input_rows + out_rows_.size();
  if (rows < accounted_rows_ + 4096) return;
  accounted_rows_ = rows;
  ctx_.CheckCancelled();
  // A row is a vector of Values: the vector header plus one Value a column.
  const int64_t row_bytes =
      static_cast<int64_t>(sizeof(std::vector<Value>) + types_.size() * sizeof(Value));
  memory_.Resize(static_cast<int64_t>(rows) * row_bytes);
}

std::string PhysicalGapfill::Explain() const {
  std::string out = "GAPFILL bucket #" + std::to_string(spec_.bucket_column) + " every " +
                    Value::Interval(spec_.interval_micros).ToString();
  if (spec_.start) out += " from " + Value::Timestamp(*spec_.start).ToString();
  if (spec_.finish) {
    out += (spec_.finish_inclusive ? " through " : " until ") +
           Value::Timestamp(*spec_.finish).ToString();
  }
  return out;
}

void PhysicalGapfill::Fill() {
  filled_ = true;
  using F = BoundGapfill::Fill;
  const int b = spec_.bucket_column;
  const int64_t width = spec_.interval_micros;
  std::vector<std::vector<Value>> rows;
  DataChunk chunk;
  while (child()->Next(&chunk)) {
    for (size_t i = 0; i < chunk.size(); ++i) {
      std::vector<Value> row;
      row.reserve(chunk.columns.size());
      for (const ColumnVector& c : chunk.columns) row.push_back(c.GetValue(i));
      rows.push_back(std::move(row));
    }
    Account(rows.size());
  }
  // Groups of the key columns, in order of first appearance.
  std::vector<int> keys;
  for (size_t c = 0; c < spec_.fills.size() && c < types_.size(); ++c) {
    if (spec_.fills[c] == F::kKey) keys.push_back(static_cast<int>(c));
  }
  std::map<std::string, size_t> group_index;
  std::vector<std::vector<size_t>> groups;
  std::optional<int64_t> min_bucket, max_bucket;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string key;
    for (int k : keys) key += (rows[r][k].is_null() ? std::string("\x01") : "\x02" + rows[r][k].ToString()) + '\x00';
    auto [it, inserted] = group_index.emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(r);
    if (!rows[r][b].is_null()) {
      int64_t v = rows[r][b].int_value();
      min_bucket = min_bucket ? std::min(*min_bucket, v) : v;
      max_bucket = max_bucket ? std::max(*max_bucket, v) : v;
    }
  }
  std::optional<int64_t> first, last;
  if (spec_.start) first = BucketOf(*spec_.start, width);
  else first = min_bucket;
  if (spec_.finish) {
    last = spec_.finish_inclusive ? BucketOf(*spec_.finish, width)
                                  : BucketOf(*spec_.finish - 1, width);
  } else {
    last = max_bucket;
  }
  // No rows and no keys: one empty group still gets every bucket.
  if (groups.empty() && keys.empty() && spec_.start && spec_.finish) groups.emplace_back();
  const int64_t kMaxRows = 10'000'000;
  if (first && last && *last >= *first && (static_cast<__int128>(*last) - *first) / width > kMaxRows) {
    throw QueryError(ErrorKind::kOutOfRange,
                     "gap filling would create more than " + std::to_string(kMaxRows) +
                         " buckets per group; narrow the time range or widen the interval");
  }
  const size_t ncols = types_.size();
  for (const std::vector<size_t>& members : groups) {
    std::vector<size_t> sorted = members;
    std::stable_sort(sorted.begin(), sorted.end(), [&](size_t x, size_t y) {
      const Value& a = rows[x][b];
      const Value& c = rows[y][b];
      if (a.is_null() || c.is_null()) return !a.is_null() && c.is_null();
      return a.int_value() < c.int_value();
    });
    std::vector<Value> key_values(ncols);
    if (!members.empty()) {
      for (int k : keys) key_values[k] = rows[members[0]][k];
    }
    // Existing rows by bucket; NULL buckets pass through at the end.
    std::vector<size_t> with_bucket, null_bucket;
    for (size_t r : sorted) (rows[r][b].is_null() ? null_bucket : with_bucket).push_back(r);
    std::vector<Value> last_seen(ncols);
    for (size_t c = 0; c < ncols; ++c) last_seen[c] = Value::Null(types_[c]);
    size_t next = 0;  // next existing row in with_bucket
    auto emit_existing = [&](size_t r) {
      for (size_t c = 0; c < ncols; ++c) last_seen[c] = rows[r][c];
      out_rows_.push_back(rows[r]);
      Account(rows.size());
    };
    auto synth = [&](int64_t bucket) {
      std::vector<Value> row(ncols);
      for (size_t c = 0; c < ncols; ++c) {
        const F f = c < spec_.fills.size() ? spec_.fills[c] : F::kNull;
        Value v = Value::Null(types_[c]);
        switch (f) {
          case F::kKey:
            v = key_values[c].type() == TypeId::kNull && types_[c] != TypeId::kNull
                    ? Value::Null(types_[c])
                    : key_values[c];
            break;
          case F::kBucket:
            v = Value::Timestamp(bucket);
            break;
          case F::kLocf:
            v = last_seen[c];
            break;
          case F::kInterpolate: {
            // Between the previous and the next existing rows of the group.
            if (next == 0 || next >= with_bucket.size()) break;
            const std::vector<Value>& prev = rows[with_bucket[next - 1]];
            const std::vector<Value>& succ = rows[with_bucket[next]];
            if (prev[c].is_null() || succ[c].is_null() || !IsNumeric(types_[c])) break;
            const double x0 = static_cast<double>(prev[b].int_value());
            const double x1 = static_cast<double>(succ[b].int_value());
            const double y0 = prev[c].AsDouble(), y1 = succ[c].AsDouble();
            const double y = y0 + (y1 - y0) * (static_cast<double>(bucket) - x0) / (x1 - x0);
            v = types_[c] == TypeId::kDouble ? Value::Double(y)
                                             : CastValue(Value::Double(std::round(y)), types_[c]);
            break;
          }
          case F::kValue:
            if (c < spec_.values.size() && !spec_.values[c].is_null()) {
              v = CastValue(spec_.values[c], types_[c]);
            }
            break;
          case F::kNull:
            break;
        }
        row[c] = std::move(v);
      }
      out_rows_.push_back(std::move(row));
      Account(rows.size());
    };
    if (first && last) {
      // Rows before the range pass through first.
      while (next < with_bucket.size() && rows[with_bucket[next]][b].int_value() < *first) {
        emit_existing(with_bucket[next++]);
      }
      for (int64_t bucket = *first; bucket <= *last; bucket += width) {
        bool found = false;
        while (next < with_bucket.size() && rows[with_bucket[next]][b].int_value() == bucket) {
          emit_existing(with_bucket[next++]);
          found = true;
        }
        if (!found) synth(bucket);
        if (static_cast<__int128>(*last) - bucket < width) break;  // no overflow past the end
      }
    }
    while (next < with_bucket.size()) emit_existing(with_bucket[next++]);
    for (size_t r : null_bucket) out_rows_.push_back(rows[r]);
  }
}

bool PhysicalGapfill::Next(DataChunk* out) {
  if (!filled_) Fill();
  if (emitted_ >= out_rows_.size()) return false;
  out->Initialize(types_);
  const size_t end = std::min(out_rows_.size(), emitted_ + kVectorSize);
  for (; emitted_ < end; ++emitted_) {
    for (size_t c = 0; c < types_.size(); ++c) {
      const Value& v = out_rows_[emitted_][c];
      if (v.is_null()) {
        out->columns[c].AppendNull();
      } else {
        out->columns[c].AppendValue(v.type() == types_[c] ? v : CastValue(v, types_[c]));
      }
    }
  }
  return true;
}

}  // namespace tsl::query
