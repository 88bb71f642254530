// The table layout's payoffs: a one-day query over a 100-day table
// partitioned by day reads at most 2% of the table's bytes (ScanMetrics,
// with and without the catalog index), and historian data through the full
// table path (partitioned by day, sorted by (tag, ts)) stays within 2.0
// bytes a point. The size figure is logged for tracking.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage/database.h"
#include "storage/table.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

Schema HistorianSchema() {
  return Schema{{{"ts", TypeId::kTimestamp},
                 {"tag", TypeId::kVarchar},
                 {"value", TypeId::kDouble},
                 {"quality", TypeId::kBigint}}};
}

// Historian rows: `tags` tags x `points` points 1 s apart from `start`,
// 2-decimal random walks, quality 192 on 99% of points. Deterministic.
class HistorianGenerator {
 public:
  HistorianGenerator(int tags, int points, int64_t start)
      : tags_(tags), points_(points), start_(start), cents_(static_cast<size_t>(tags)) {
    for (int t = 0; t < tags; ++t) {
      char name[16];
      std::snprintf(name, sizeof name, "tag%05d", t);
      names_.emplace_back(name);
      cents_[static_cast<size_t>(t)] = 2000 + static_cast<int64_t>(Rand() % 8000);
    }
  }
  // Time-major order, as a historian delivers it. False when done.
  bool Next(DataChunk* c) {
    c->Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kBigint});
    while (c->size() < 8 * kVectorSize && point_ < points_) {
      int64_t& cents = cents_[static_cast<size_t>(tag_)];
      cents += static_cast<int64_t>(Rand() % 41) - 20;
      c->columns[0].AppendInt(start_ + int64_t{point_} * kMicrosPerSecond);
      c->columns[1].AppendString(names_[static_cast<size_t>(tag_)]);
      c->columns[2].AppendDouble(static_cast<double>(cents) / 100.0);
      c->columns[3].AppendInt(Rand() % 100 == 0 ? static_cast<int64_t>(Rand() % 4) * 64 : 192);
      if (++tag_ == tags_) {
        tag_ = 0;
        ++point_;
      }
    }
    return c->size() > 0;
  }

 private:
  uint32_t Rand() { return rng_ = rng_ * 1664525u + 1013904223u; }
  int tags_, points_;
  int64_t start_;
  std::vector<std::string> names_;
  std::vector<int64_t> cents_;
  int tag_ = 0, point_ = 0;
  uint32_t rng_ = 12345;
};

TEST(LayoutTest, OneDayQueryOverAHundredDayTableReadsAtMostTwoPercentOfItsBytes) {
  testing::TempDir dir;
  auto db = Database::Open(dir.path() + "/db");
  ASSERT_TRUE(db.ok());
  auto table = (*db)->CreateTable("h", HistorianSchema(), {{"partition_by", "day(ts)"}});
  ASSERT_TRUE(table.ok());
  const int64_t start = *ParseTimestamp("2024-01-01");
  // 100 days, 4 tags, one point a minute: ten appends of ten days each.
  for (int batch = 0; batch < 10; ++batch) {
    auto w = (*table)->NewWriter();
    HistorianGenerator gen(4, 10 * 1440, start + batch * 10 * kMicrosPerDay);
    DataChunk c;
    while (gen.Next(&c)) {
      // One point a minute: stretch the generator's seconds.
      for (auto& t : c.columns[0].ints)
        t = start + batch * 10 * kMicrosPerDay + (t - (start + batch * 10 * kMicrosPerDay)) * 60;
      ASSERT_TRUE(w->Append(c).ok());
    }
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  auto snap = *(*table)->GetSnapshot();
  ASSERT_EQ(snap->files().size(), 100u);
  const int64_t day = start + 41 * kMicrosPerDay;
  ScanRange one_day{0, Value::Timestamp(day), Value::Timestamp(day + kMicrosPerDay - 1)};
  for (bool with_catalog : {true, false}) {
    ScanMetrics m;
    std::shared_ptr<Table> t = *table;
    std::unique_ptr<Database> no_catalog_db;
    if (!with_catalog) {  // a table handle without the catalog: log stats only
      auto plain = Table::Open(Env::Default(), nullptr, dir.path() + "/db/h", "h");
      ASSERT_TRUE(plain.ok());
      t = *plain;
    }
    auto scan = t->NewScan(*t->GetSnapshot(), ScanOptions{{}, {one_day}}, &m);
    ASSERT_TRUE(scan.ok());
    DataChunk rows = testing::ReadAll(scan->get());
    EXPECT_EQ(rows.size(), 4u * 1440);
    EXPECT_EQ(m.used_catalog, with_catalog);
    EXPECT_EQ(m.segments_total, 100);
    EXPECT_EQ(m.segments_scanned, 1);
    EXPECT_EQ(m.segments_skipped, 99);
    EXPECT_GT(m.bytes_total, 0);
    double fraction = static_cast<double>(m.bytes_read) / static_cast<double>(m.bytes_total);
    EXPECT_LE(fraction, 0.02) << m.bytes_read << " of " << m.bytes_total;
    std::printf("[ figure ] one day of 100 (catalog %s): read %lld of %lld bytes (%.2f%%)\n",
                with_catalog ? "on" : "off", static_cast<long long>(m.bytes_read),
                static_cast<long long>(m.bytes_total), 100 * fraction);
  }
  // The catalog index answers with one query, and only that day's segment.
  Catalog::SegmentQuery q;
  q.ts_lo = day;
  q.ts_hi = day + kMicrosPerDay - 1;
  auto found = (*db)->catalog()->FindSegments("h", q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).partition, "ts_day=2024-02-11");
  q.tags = {"tag00002"};
  EXPECT_EQ((*db)->catalog()->FindSegments("h", q)->size(), 1u);
  q.tags = {"nope"};
  EXPECT_EQ((*db)->catalog()->FindSegments("h", q)->size(), 0u);
}

TEST(LayoutTest, HistorianDataThroughTheTablePathStaysUnderTwoBytesAPoint) {
  // 40 tags x 43,200 points (half a day, 1 s apart) = 1.7M points, in the
  // time-major order a historian delivers them; small enough for debug CI
  // builds. `log_open_bench --size` runs the full 1,000 x 86,400 day.
  constexpr int kTags = 40, kPoints = 43200;
  auto env = NewMemEnv();
  ASSERT_TRUE(env->CreateDirIfMissing("/db").ok());
  auto table = Table::Create(env.get(), nullptr, "/db/h", "h", HistorianSchema(),
                             {{"partition_by", "day(ts)"}});
  ASSERT_TRUE(table.ok());
  auto begin = std::chrono::steady_clock::now();
  auto w = (*table)->NewWriter();
  HistorianGenerator gen(kTags, kPoints, *ParseTimestamp("2024-03-01"));
  DataChunk c;
  while (gen.Next(&c)) ASSERT_TRUE(w->Append(c).ok());
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  auto snap = *(*table)->GetSnapshot();
  int64_t bytes = 0;
  for (const AddAction& f : snap->files()) bytes += f.size;
  const double points = double{kTags} * kPoints;
  EXPECT_EQ(snap->total_rows(), static_cast<int64_t>(points));
  double per_point = static_cast<double>(bytes) / points;
  std::printf("[ figure ] table path: %d tags x %d points, %zu segments, %lld bytes = %.3f "
              "bytes/point (written in %.1f s)\n",
              kTags, kPoints, snap->files().size(), static_cast<long long>(bytes), per_point,
              seconds);
  EXPECT_LE(per_point, 2.0);
}

}  // namespace
}  // namespace tsl
