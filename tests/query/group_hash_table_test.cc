// GroupHashTable (query/execution/group_hash_table.h): dense ids in order of
// first appearance, NULL/NaN/-0.0 keys, growth over many groups, merging
// another table's groups (string ids translated), decoding the keys back,
// memory_limit bounding the table, and the lookup-only Find a hash join
// probes with (NULLs and unseen strings miss, nothing is added).
#include "query/execution/group_hash_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"

namespace tsl::query {
namespace {

ColumnVector Ints(const std::vector<std::optional<int64_t>>& v) {
  ColumnVector c(TypeId::kBigint);
  for (const auto& x : v) {
    if (x)
      c.AppendInt(*x);
    else
      c.AppendNull();
  }
  return c;
}

ColumnVector Strings(const std::vector<std::optional<std::string>>& v) {
  ColumnVector c(TypeId::kVarchar);
  for (const auto& x : v) {
    if (x)
      c.AppendString(*x);
    else
      c.AppendNull();
  }
  return c;
}

ColumnVector Doubles(const std::vector<double>& v) {
  ColumnVector c(TypeId::kDouble);
  for (double x : v) c.AppendDouble(x);
  return c;
}

std::vector<uint32_t> Lookup(GroupHashTable& t, const std::vector<const ColumnVector*>& cols) {
  std::vector<VectorView> keys;
  for (const ColumnVector* c : cols) keys.push_back(VectorView{c, false});
  std::vector<uint32_t> ids(cols[0]->size());
  t.FindOrCreate(keys, ids.size(), ids.data());
  return ids;
}

TEST(GroupHashTableTest, DenseIdsInOrderOfFirstAppearanceWithNullKeys) {
  GroupHashTable t({TypeId::kBigint, TypeId::kVarchar}, "TEST");
  ColumnVector a = Ints({1, 1, std::nullopt, 2, 1, std::nullopt, std::nullopt});
  ColumnVector b = Strings({"x", "y", "x", "x", "x", std::nullopt, "x"});
  EXPECT_EQ(Lookup(t, {&a, &b}), (std::vector<uint32_t>{0, 1, 2, 3, 0, 4, 2}));
  EXPECT_EQ(t.size(), 5u);
  ColumnVector out(TypeId::kVarchar);
  t.AppendKeys(1, 0, 5, &out);
  EXPECT_EQ(out.strings[1], "y");
  EXPECT_TRUE(out.IsNull(4));
}

TEST(GroupHashTableTest, NaNsGroupTogetherAndNegativeZeroWithZero) {
  GroupHashTable t({TypeId::kDouble}, "TEST");
  ColumnVector d = Doubles({0.0, -0.0, std::nan(""), -std::nan(""), 1.5, std::nan("7")});
  EXPECT_EQ(Lookup(t, {&d}), (std::vector<uint32_t>{0, 0, 1, 1, 2, 1}));
}

TEST(GroupHashTableTest, ManyGroupsKeepTheirIdsAcrossGrowth) {
  GroupHashTable t({TypeId::kBigint}, "TEST");
  std::vector<std::optional<int64_t>> v;
  for (int64_t i = 0; i < 300000; ++i) v.push_back(i * 7919);
  ColumnVector c = Ints(v);
  std::vector<uint32_t> first = Lookup(t, {&c});
  for (uint32_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i], i);
  EXPECT_EQ(Lookup(t, {&c}), first);
  EXPECT_EQ(t.size(), 300000u);
}

TEST(GroupHashTableTest, FindOrCreateFromTranslatesStringIds) {
  GroupHashTable a({TypeId::kVarchar, TypeId::kBigint}, "TEST");
  GroupHashTable b({TypeId::kVarchar, TypeId::kBigint}, "TEST");
  ColumnVector s1 = Strings({"p", "q", std::nullopt});
  ColumnVector i1 = Ints({1, 2, 3});
  Lookup(a, {&s1, &i1});
  // b interns its strings in another order: its ids differ from a's.
  ColumnVector s2 = Strings({"r", "q", "p", std::nullopt});
  ColumnVector i2 = Ints({9, 2, 1, 3});
  Lookup(b, {&s2, &i2});
  std::vector<uint32_t> map(b.size());
  a.FindOrCreateFrom(b, map.data());
  EXPECT_EQ(map, (std::vector<uint32_t>{3, 1, 0, 2}));
  EXPECT_EQ(a.size(), 4u);
  ColumnVector keys(TypeId::kVarchar);
  a.AppendKeys(0, 0, 4, &keys);
  EXPECT_EQ(keys.strings[3], "r");
  ColumnVector ints(TypeId::kBigint);
  a.AppendKeys(1, 0, 4, &ints);
  EXPECT_EQ(ints.ints[3], 9);
}

std::vector<uint32_t> Probe(GroupHashTable& t, const std::vector<const ColumnVector*>& cols) {
  std::vector<VectorView> keys;
  for (const ColumnVector* c : cols) keys.push_back(VectorView{c, false});
  std::vector<uint32_t> ids(cols[0]->size());
  GroupHashTable::ProbeScratch scratch;
  t.Find(keys, ids.size(), ids.data(), &scratch);
  return ids;
}

TEST(GroupHashTableTest, FindMissesNullsAndUnseenStringsWithoutAddingThem) {
  GroupHashTable t({TypeId::kVarchar, TypeId::kBigint}, "TEST");
  ColumnVector s = Strings({"a", "b", "a", std::nullopt});
  ColumnVector i = Ints({1, 1, 2, 1});
  Lookup(t, {&s, &i});
  ASSERT_EQ(t.size(), 4u);
  ASSERT_EQ(t.StringCount(0), 2u);
  ColumnVector ps = Strings({"a", "zz", std::nullopt, "b", "a", "b"});
  ColumnVector pi = Ints({2, 1, 1, std::nullopt, 1, 1});
  // A NULL key never matches, even the group created with a NULL key.
  EXPECT_EQ(Probe(t, {&ps, &pi}),
            (std::vector<uint32_t>{2, UINT32_MAX, UINT32_MAX, UINT32_MAX, 0, 1}));
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.StringCount(0), 2u);  // "zz" was not interned
  EXPECT_EQ(t.StringAt(0, 1), "b");
}

TEST(GroupHashTableTest, FindMatchesNaNAndNegativeZero) {
  GroupHashTable t({TypeId::kDouble}, "TEST");
  ColumnVector d = Doubles({0.0, std::nan(""), 2.5});
  Lookup(t, {&d});
  ColumnVector p = Doubles({-0.0, -std::nan(""), 2.5, 3.5});
  EXPECT_EQ(Probe(t, {&p}), (std::vector<uint32_t>{0, 1, 2, UINT32_MAX}));
}

TEST(GroupHashTableTest, FindOverManyCollidingProbes) {
  // Keys sharing their low bits and a table past several doublings: every
  // present key is found through the linear probes, every absent one missed.
  GroupHashTable t({TypeId::kBigint}, "TEST");
  std::vector<std::optional<int64_t>> present, absent;
  for (int64_t i = 0; i < 100000; ++i) {
    present.push_back(i << 20);
    absent.push_back((i << 20) + 1);
  }
  ColumnVector a = Ints(present), b = Ints(absent);
  Lookup(t, {&a});
  std::vector<uint32_t> found = Probe(t, {&a});
  for (uint32_t i = 0; i < found.size(); ++i) ASSERT_EQ(found[i], i);
  for (uint32_t id : Probe(t, {&b})) ASSERT_EQ(id, UINT32_MAX);
  EXPECT_EQ(t.size(), 100000u);
}

TEST(GroupHashTableTest, MemoryLimitBoundsTheTable) {
  SetMemoryLimit(1 << 20);
  try {
    GroupHashTable t({TypeId::kBigint}, "TEST_TABLE");
    std::vector<std::optional<int64_t>> v;
    for (int64_t i = 0; i < 200000; ++i) v.push_back(i);
    ColumnVector c = Ints(v);
    EXPECT_THROW(
        {
          try {
            Lookup(t, {&c});
          } catch (const QueryError& e) {
            EXPECT_NE(e.message().find("TEST_TABLE"), std::string::npos) << e.message();
            throw;
          }
        },
        QueryError);
  } catch (...) {
    SetMemoryLimit(-1);
    throw;
  }
  SetMemoryLimit(-1);
  EXPECT_EQ(MemoryReserved(), 0);
}

}  // namespace
}  // namespace tsl::query
