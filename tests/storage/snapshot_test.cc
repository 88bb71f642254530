// Snapshot::Apply: replay rules (formats/log.md, "Replay").
#include "storage/snapshot.h"

#include <gtest/gtest.h>

#include "storage_test_util.h"

namespace tsl {
namespace {

MetaDataAction Meta() {
  MetaDataAction m;
  m.id = "id";
  m.name = "m";
  m.schema = testing::MetricSchema();
  return m;
}

AddAction Add(const std::string& path, int64_t rows) {
  AddAction a;
  a.path = path;
  a.stats.num_records = rows;
  return a;
}

CommitInfoAction Info(int64_t ts) {
  CommitInfoAction c;
  c.timestamp = ts;
  c.operation = "WRITE";
  return c;
}

std::shared_ptr<const Snapshot> Base() {
  auto s = Snapshot::Apply(nullptr, 0, {ProtocolAction{}, Meta(), Info(10)}, "v0");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

TEST(SnapshotTest, AddsAndRemovesKeepAddOrder) {
  auto v0 = Base();
  EXPECT_EQ(v0->version(), 0);
  EXPECT_EQ(v0->timestamp_ms(), 10);
  auto v1 = *Snapshot::Apply(v0.get(), 1, {Add("a", 1), Add("b", 2), Add("c", 3), Info(11)}, "v1");
  auto v2 = *Snapshot::Apply(v1.get(), 2, {RemoveAction{"b", 0, true}, Add("d", 4), Info(12)}, "v2");
  ASSERT_EQ(v2->files().size(), 3u);
  EXPECT_EQ(v2->files()[0].path, "a");
  EXPECT_EQ(v2->files()[1].path, "c");
  EXPECT_EQ(v2->files()[2].path, "d");
  EXPECT_EQ(v2->total_rows(), 8);
  EXPECT_EQ(v2->timestamp_ms(), 12);
  // The base is untouched (snapshots are immutable).
  EXPECT_EQ(v1->files().size(), 3u);
  EXPECT_EQ(v1->total_rows(), 6);
}

TEST(SnapshotTest, VersionZeroNeedsProtocolAndMetadata) {
  auto r = Snapshot::Apply(nullptr, 0, {Meta(), Info(1)}, "m/_log/00000000000000000000.json");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("00000000000000000000.json"), std::string::npos);
  EXPECT_TRUE(Snapshot::Apply(nullptr, 0, {ProtocolAction{}, Info(1)}, "f").status().IsCorruption());
}

TEST(SnapshotTest, RemoveOfUnknownFileIsCorruption) {
  auto v0 = Base();
  auto r = Snapshot::Apply(v0.get(), 1, {RemoveAction{"ghost.tsl", 0, true}, Info(2)}, "v1.json");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("ghost.tsl"), std::string::npos);
}

TEST(SnapshotTest, AddOfLiveFileIsCorruption) {
  auto v0 = Base();
  auto v1 = *Snapshot::Apply(v0.get(), 1, {Add("a", 1), Info(2)}, "v1");
  EXPECT_TRUE(Snapshot::Apply(v1.get(), 2, {Add("a", 1), Info(3)}, "v2").status().IsCorruption());
  EXPECT_TRUE(
      Snapshot::Apply(v0.get(), 1, {Add("b", 1), Add("b", 1), Info(2)}, "v1").status().IsCorruption());
}

TEST(SnapshotTest, AddOfLiveFileIsCorruptionWhateverTheNumberOfAdds) {
  // One version with a few adds is checked by a scan, one with many by a
  // hash of the live paths (snapshot.cc kMaxScannedAdds): both refuse.
  auto v0 = Base();
  std::vector<LogAction> many;
  for (int i = 0; i < 20; ++i) many.push_back(Add("f" + std::to_string(i), 1));
  many.push_back(Info(2));
  auto v1 = *Snapshot::Apply(v0.get(), 1, many, "v1");
  std::vector<LogAction> again;
  for (int i = 20; i < 40; ++i) again.push_back(Add("f" + std::to_string(i), 1));
  again.push_back(Add("f7", 1));
  again.push_back(Info(3));
  auto r = Snapshot::Apply(v1.get(), 2, again, "v2");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("f7"), std::string::npos);
  EXPECT_TRUE(Snapshot::Apply(v1.get(), 2, {Add("f19", 1), Info(3)}, "v2").status().IsCorruption());
  // A file removed in the same version may be added back (it is not live).
  auto v2 = Snapshot::Apply(v1.get(), 2, {RemoveAction{"f3", 0, true}, Add("f3", 5), Info(3)}, "v2");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ((*v2)->files().size(), 20u);
  EXPECT_EQ((*v2)->files().back().stats.num_records, 5);
}

TEST(SnapshotTest, ApplyingAVersionSharesTheBaseFilesInsteadOfCopyingThem) {
  // Issue 23: a commit used to copy every live AddAction (and its
  // statistics), so flush latency grew with the number of live files.
  auto v0 = Base();
  auto v1 = *Snapshot::Apply(v0.get(), 1, {Add("a", 1), Add("b", 2), Info(2)}, "v1");
  auto v2 = *Snapshot::Apply(v1.get(), 2, {Add("c", 3), Info(3)}, "v2");
  auto v3 = *Snapshot::Apply(v2.get(), 3, {RemoveAction{"a", 0, true}, Info(4)}, "v3");
  ASSERT_EQ(v2->files().size(), 3u);
  EXPECT_EQ(&v1->files()[0], &v2->files()[0]);
  EXPECT_EQ(&v1->files()[1], &v2->files()[1]);
  ASSERT_EQ(v3->files().size(), 2u);
  EXPECT_EQ(&v2->files()[1], &v3->files()[0]);
  EXPECT_EQ(&v2->files()[2], &v3->files()[1]);
  // The older snapshots still see their own lists.
  EXPECT_EQ(v1->files().size(), 2u);
  EXPECT_EQ(v2->files()[0].path, "a");
  auto open = Snapshot::Uncommitted(*v3, {"b"}, {Add("d", 4)});
  ASSERT_EQ(open->files().size(), 2u);
  EXPECT_EQ(&open->files()[0], &v3->files()[1]);
  EXPECT_EQ(open->files()[1].path, "d");
}

TEST(SnapshotTest, ASnapshotKeepsNoWritersTagRanges) {
  // A writer's per-tag ranges ride on its adds for the catalog update of the
  // committing version only. Kept in the snapshot, which shares live files
  // from version to version, they grew a long-running Appender's memory by
  // ~136 KB per flush of 1,000 tags (flush_bench: 1.4 GB after 10,000).
  auto v0 = Base();
  AddAction a = Add("a", 3);
  a.tag_ranges = std::make_shared<const std::vector<SegmentTagRange>>(
      std::vector<SegmentTagRange>{{"t1", 1, 2, 2, std::nullopt, std::nullopt},
                                   {"t2", 1, 1, 1, std::nullopt, std::nullopt}});
  std::vector<LogAction> actions{a, Info(2)};
  auto v1 = Snapshot::Apply(v0.get(), 1, actions, "v1");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  ASSERT_EQ((*v1)->files().size(), 1u);
  EXPECT_EQ((*v1)->files()[0].tag_ranges, nullptr);
  EXPECT_EQ((*v1)->files()[0].stats.num_records, 3);
  // The commit's own actions keep them for the catalog.
  EXPECT_NE(std::get<AddAction>(actions[0]).tag_ranges, nullptr);
}

TEST(SnapshotTest, NewerReaderProtocolIsRefusedClearly) {
  auto r = Snapshot::Apply(nullptr, 0, {ProtocolAction{2, 5}, Meta(), Info(1)}, "v0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(r.status().message().find("reader version 2"), std::string::npos)
      << r.status().ToString();
}

TEST(SnapshotTest, PathsLeavingTheTableAreCorruption) {
  auto v0 = Base();
  for (const char* bad : {"/etc/passwd", "../other/x.tsl", "a/../../x.tsl", "a//b.tsl"}) {
    auto r = Snapshot::Apply(v0.get(), 1, {Add(bad, 1), Info(2)}, "v1");
    EXPECT_TRUE(r.status().IsCorruption()) << bad;
  }
  EXPECT_TRUE(Snapshot::Apply(v0.get(), 1, {Add("sub/ok.tsl", 1), Info(2)}, "v1").ok());
}

TEST(SnapshotTest, StatsAreRetypedWithTheSchema) {
  auto v0 = Base();
  // As parsed from JSON: the timestamp is ISO text.
  auto parsed = ParseLogFile(
      R"({"add":{"path":"a.tsl","size":1,"modificationTime":2,"dataChange":true,"stats":"{\"numRecords\":2,\"minValues\":{\"ts\":\"2024-01-01T00:00:00.000000Z\",\"v\":1},\"maxValues\":{\"ts\":\"2024-01-02T00:00:00.000000Z\",\"v\":2.5},\"nullCount\":{\"ts\":0}}"}})",
      "v1");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto v1 = Snapshot::Apply(v0.get(), 1, *parsed, "v1");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  const FileStats& s = (*v1)->files()[0].stats;
  EXPECT_EQ(s.min_values.at("ts").type(), TypeId::kTimestamp);
  EXPECT_EQ(s.min_values.at("v").type(), TypeId::kDouble);
  EXPECT_EQ(s.max_values.at("v").double_value(), 2.5);
}

TEST(SnapshotTest, TxnRecordsAppVersions) {
  auto v0 = Base();
  auto v1 = *Snapshot::Apply(v0.get(), 1, {TxnAction{"loader", 7, 0}, Info(2)}, "v1");
  EXPECT_EQ(v1->app_versions().at("loader"), 7);
}

}  // namespace
}  // namespace tsl
