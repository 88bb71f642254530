// TableScan with drop_rows_outside_ranges narrows each segment to the row
// ranges its tag/time ranges can match before decoding the other columns.
// Every case compares that scan with an unfiltered scan of the same
// projection followed by the same ranges applied row by row: time-ordered
// and tag-ordered loads over many segments, NULL tags/times, a tag in no
// segment, a column added later, time travel.
#include <gtest/gtest.h>

#include <algorithm>

#include "formats/timestamp.h"
#include "storage/table.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

int64_t T0() { return *ParseTimestamp("2024-01-01"); }
constexpr int kTags = 12;

Schema PointSchema() {
  return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
                 {"q", TypeId::kInteger}}};
}

// Points p in [first, first + n) of every tag, in time order: tag k's point
// p at T0 + p seconds; a few NULL tags, times and values.
DataChunk TimeSlice(int first, int n) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kInteger});
  for (int p = first; p < first + n; ++p) {
    for (int k = 0; k < kTags; ++k) {
      const int i = p * kTags + k;
      if (i % 97 == 5) {
        c.columns[0].AppendNull();
      } else {
        c.columns[0].AppendInt(T0() + int64_t{p} * kMicrosPerSecond);
      }
      if (i % 89 == 3) {
        c.columns[1].AppendNull();
      } else {
        c.columns[1].AppendString("tag" + std::to_string(k < 10 ? k : k * 7));
      }
      if (i % 13 == 0) {
        c.columns[2].AppendNull();
      } else {
        c.columns[2].AppendDouble(p * 0.25 + k);
      }
      c.columns[3].AppendInt(i % 5 == 0 ? 1 : 0);
    }
  }
  return c;
}

class TableScanRangeTest : public ::testing::Test {
 protected:
  void Make(const std::string& sort_key) {
    env_ = NewMemEnv();
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
    std::map<std::string, std::string> props = {{"target_segment_rows", "1000"}};
    if (!sort_key.empty()) props["sort_key"] = sort_key;
    auto t = Table::Create(env_.get(), nullptr, "/db/p", "p", PointSchema(), props);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }

  void Append(const DataChunk& chunk) {
    auto w = table_->NewWriter();
    ASSERT_TRUE(w->Append(chunk).ok());
    auto r = w->Commit("WRITE");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  DataChunk Scan(std::shared_ptr<const Snapshot> snap, ScanOptions opts, ScanMetrics* m = nullptr) {
    auto scan = table_->NewScan(snap, std::move(opts), m);
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    return testing::ReadAll(scan->get());
  }

  // The rows of `all` (a scan of `cols`) inside every range on a projected,
  // non-DOUBLE column: what the narrowed scan must return.
  static DataChunk Expected(const DataChunk& all, const std::vector<int>& cols,
                            const std::vector<ScanRange>& ranges) {
    DataChunk out;
    out.columns.resize(all.columns.size());
    for (size_t i = 0; i < all.columns.size(); ++i) out.columns[i].type = all.columns[i].type;
    for (size_t row = 0; row < all.size(); ++row) {
      bool pass = true;
      for (const ScanRange& r : ranges) {
        auto at = std::find(cols.begin(), cols.end(), r.column);
        if (at == cols.end()) continue;
        const ColumnVector& col = all.columns[static_cast<size_t>(at - cols.begin())];
        if (col.type == TypeId::kDouble) continue;
        const Value v = col.GetValue(row);
        if (v.is_null() || (!r.lo.is_null() && v.Compare(r.lo) < 0) || (!r.hi.is_null() && v.Compare(r.hi) > 0))
          pass = false;
      }
      if (!pass) continue;
      for (size_t i = 0; i < all.columns.size(); ++i) out.columns[i].AppendRange(all.columns[i], row, row + 1);
    }
    return out;
  }

  // Scans `snap` with and without narrowing and compares; returns the
  // narrowed scan's metrics.
  ScanMetrics Check(std::shared_ptr<const Snapshot> snap, std::vector<int> cols, std::vector<ScanRange> ranges,
                    const std::string& what) {
    ScanOptions plain{cols, ranges};  // zone-map pruning alike, no rows dropped
    ScanOptions narrowed{cols, ranges};
    narrowed.drop_rows_outside_ranges = true;
    ScanMetrics m;
    const DataChunk got = Scan(snap, narrowed, &m);
    const DataChunk all = Scan(snap, plain);
    std::vector<int> named = cols;
    for (size_t i = 0; cols.empty() && i < all.columns.size(); ++i) named.push_back(static_cast<int>(i));
    const DataChunk want = Expected(all, named, ranges);
    EXPECT_EQ(got.size(), want.size()) << what;
    int mismatches = 0;
    for (size_t i = 0; i < want.columns.size() && got.size() == want.size(); ++i)
      for (size_t row = 0; row < want.size() && mismatches < 5; ++row)
        if (got.columns[i].GetValue(row).ToString() != want.columns[i].GetValue(row).ToString()) {
          ADD_FAILURE() << what << ": column " << i << " row " << row << ": " << got.columns[i].GetValue(row).ToString()
                        << " vs " << want.columns[i].GetValue(row).ToString();
          ++mismatches;
        }
    EXPECT_EQ(m.rows_produced, static_cast<int64_t>(want.size())) << what;
    return m;
  }

  void CheckAllShapes(std::shared_ptr<const Snapshot> snap, const std::string& load) {
    const Value from = Value::Timestamp(T0() + 150 * kMicrosPerSecond);
    const Value to = Value::Timestamp(T0() + 420 * kMicrosPerSecond);
    const ScanRange tag3{1, Value::Varchar("tag3"), Value::Varchar("tag3")};
    const ScanRange window{0, from, to};
    const std::vector<std::pair<std::string, std::vector<ScanRange>>> cases = {
        {"tag", {tag3}},
        {"tag and time", {tag3, window}},
        {"time and tag, split bounds", {ScanRange{0, from, Value()}, tag3, ScanRange{0, Value(), to}}},
        {"time only", {window}},
        {"tag range", {ScanRange{1, Value::Varchar("tag1"), Value::Varchar("tag4")}}},
        {"tag pruned by zone maps", {ScanRange{1, Value::Varchar("nope"), Value::Varchar("nope")}}},
        {"tag in no segment", {ScanRange{1, Value::Varchar("tag35"), Value::Varchar("tag35")}}},
        {"last tag", {ScanRange{1, Value::Varchar("tag77"), Value::Varchar("tag77")}}},
        {"integer", {ScanRange{3, Value::Integer(1), Value::Integer(1)}, tag3}},
        {"double range left to the filter", {ScanRange{2, Value::Double(5), Value::Double(9)}, tag3}},
        {"empty time window", {tag3, ScanRange{0, to, from}}},
    };
    const std::vector<std::vector<int>> projections = {{}, {0, 1, 2}, {2, 1}, {1}, {2, 0}, {3, 2, 1, 0}};
    for (const auto& [name, ranges] : cases)
      for (const auto& cols : projections) {
        std::string what = load + ", " + name + ", columns";
        for (int c : cols) what += " " + std::to_string(c);
        Check(snap, cols, ranges, what);
      }
  }

  std::unique_ptr<Env> env_;
  std::shared_ptr<Table> table_;
};

TEST_F(TableScanRangeTest, TimeOrderedLoadMatchesFilteredFullScan) {
  Make("");  // default (tag, ts): every segment holds every tag
  for (int first = 0; first < 600; first += 200) Append(TimeSlice(first, 200));
  auto snap = *table_->GetSnapshot();
  ASSERT_GT(snap->files().size(), 4u);
  CheckAllShapes(snap, "time-ordered");
  // The tag's runs are found first: the other columns skip most rows.
  ScanMetrics m = Check(snap, {0, 1, 2}, {ScanRange{1, Value::Varchar("tag3"), Value::Varchar("tag3")}}, "metrics");
  EXPECT_GT(m.rows_skipped_in_segment, 0);
  EXPECT_LE(m.rows_skipped_in_segment, m.rows_dropped);
  EXPECT_EQ(m.rows_dropped + m.rows_produced, 600 * kTags);
  // A tag in no segment (inside the zone maps' bounds) decodes nothing but
  // the tag column.
  m = Check(snap, {0, 1, 2}, {ScanRange{1, Value::Varchar("tag35"), Value::Varchar("tag35")}}, "no such tag");
  EXPECT_EQ(m.segments_skipped, 0);
  EXPECT_EQ(m.rows_skipped_in_segment, 600 * kTags);
}

TEST_F(TableScanRangeTest, TimeSortedLoadMatchesFilteredFullScan) {
  Make("ts");  // tags interleaved row by row: many one-row ranges
  for (int first = 0; first < 600; first += 300) Append(TimeSlice(first, 300));
  auto snap = *table_->GetSnapshot();
  ASSERT_GT(snap->files().size(), 4u);
  CheckAllShapes(snap, "ts-sorted");
}

TEST_F(TableScanRangeTest, TagOrderedLoadMatchesFilteredFullScan) {
  Make("");
  // One commit per pair of tags: most segments hold a few tags only.
  const DataChunk all = TimeSlice(0, 500);
  for (int k = 0; k < kTags; k += 2) {
    DataChunk part;
    part.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kInteger});
    for (size_t row = 0; row < all.size(); ++row)
      if (static_cast<int>(row % kTags) / 2 == k / 2)
        for (size_t i = 0; i < 4; ++i) part.columns[i].AppendRange(all.columns[i], row, row + 1);
    Append(part);
  }
  CheckAllShapes(*table_->GetSnapshot(), "tag-ordered");
}

TEST_F(TableScanRangeTest, OldVersionsAndAddedColumnsNarrowToo) {
  Make("");
  Append(TimeSlice(0, 200));
  auto v1 = *table_->GetSnapshot();
  Append(TimeSlice(200, 200));
  ASSERT_TRUE(table_->AddColumn(Field{"extra", TypeId::kBigint}).ok());
  DataChunk last = TimeSlice(400, 200);
  last.columns.emplace_back(TypeId::kBigint);
  for (size_t i = 0; i < last.columns[0].size(); ++i) last.columns[4].AppendInt(static_cast<int64_t>(i % 20));
  Append(last);
  CheckAllShapes(v1, "version 1");
  auto latest = *table_->GetSnapshot();
  CheckAllShapes(latest, "latest");
  // A range on a column the old segments lack matches none of their rows.
  const ScanRange extra{4, Value::Bigint(0), Value::Bigint(9)};
  Check(latest, {0, 4}, {extra}, "added column");
  ScanOptions opts{{0, 4}, {extra}};
  opts.drop_rows_outside_ranges = true;
  EXPECT_EQ(Scan(latest, opts).size(), 100u * kTags);
  EXPECT_EQ(Scan(v1, ScanOptions{{0, 1}, {}}).size(), 200u * kTags);
}

}  // namespace
}  // namespace tsl
