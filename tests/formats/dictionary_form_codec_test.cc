// A VARCHAR column in dictionary form (ColumnVector::dictionary_form, as
// COPY's CSV reader and PartitionedWriter hold it) encodes to exactly the
// bytes, and the same encoding choice and zone map, as the same values held
// as one string per row: with NULLs, unused and duplicate dictionary
// entries, few or many distinct values (plain winning), empty and all-NULL
// columns.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "formats/column_codec.h"
#include "formats/column_vector.h"
#include "formats/segment_stats.h"

namespace tsl {
namespace {

// A dictionary-form column of n rows over `distinct` values (plus an unused
// entry and a duplicate of entry 0), NULL with probability null_pct/100.
ColumnVector MakeDictionaryColumn(size_t n, size_t distinct, int null_pct, uint32_t seed) {
  std::mt19937 rng(seed);
  ColumnVector c(TypeId::kVarchar);
  c.dictionary_form = true;
  for (size_t k = 0; k < distinct; ++k)
    c.dictionary.push_back("Plant" + std::to_string(k % 7) + "/Unit/TT-" + std::to_string(k * 37 % 1000) + ".PV");
  c.dictionary.push_back("never used");
  if (!c.dictionary.empty()) c.dictionary.push_back(c.dictionary[0]);  // duplicate value, other code
  for (size_t i = 0; i < n; ++i) {
    if (static_cast<int>(rng() % 100) < null_pct || distinct == 0) {
      c.codes.push_back(0);
      c.valid.push_back(0);
      continue;
    }
    uint32_t code = static_cast<uint32_t>(rng() % distinct);
    if (code == 0 && rng() % 2) code = static_cast<uint32_t>(distinct + 1);  // the duplicate
    c.codes.push_back(code);
    c.valid.push_back(1);
  }
  return c;
}

void ExpectSameAsStrings(const ColumnVector& dict_form) {
  ColumnVector strings = dict_form;
  strings.MaterializeStrings();
  ASSERT_FALSE(strings.dictionary_form);
  ASSERT_EQ(strings.strings.size(), dict_form.size());
  const EncodedColumn a = EncodeColumn(dict_form);
  const EncodedColumn b = EncodeColumn(strings);
  EXPECT_EQ(a.encoding, b.encoding);
  EXPECT_EQ(a.body, b.body);
  ZoneMap za, zb;
  za.Update(dict_form);
  zb.Update(strings);
  EXPECT_EQ(za.row_count, zb.row_count);
  EXPECT_EQ(za.null_count, zb.null_count);
  EXPECT_EQ(za.min.ToString(), zb.min.ToString());
  EXPECT_EQ(za.max.ToString(), zb.max.ToString());
  EXPECT_EQ(za.min.is_null(), zb.min.is_null());
}

TEST(DictionaryFormCodecTest, SameBytesAsStrings) {
  uint32_t seed = 1;
  for (size_t n : {0u, 1u, 2u, 7u, 1000u, 20000u}) {
    for (size_t distinct : {0u, 1u, 3u, 50u, 5000u}) {
      for (int null_pct : {0, 10, 100}) {
        SCOPED_TRACE("n=" + std::to_string(n) + " distinct=" + std::to_string(distinct) +
                     " nulls=" + std::to_string(null_pct));
        ExpectSameAsStrings(MakeDictionaryColumn(n, distinct, null_pct, seed++));
      }
    }
  }
}

TEST(DictionaryFormCodecTest, SortedRunsPickDictionaryAndUniqueValuesPickPlain) {
  ColumnVector runs = MakeDictionaryColumn(0, 4, 0, 1);
  for (uint32_t code = 0; code < 4; ++code)
    for (int i = 0; i < 500; ++i) {
      runs.codes.push_back(code);
      runs.valid.push_back(1);
    }
  EXPECT_EQ(EncodeColumn(runs).encoding, ColumnEncoding::kStringDictionary);
  ExpectSameAsStrings(runs);

  ColumnVector unique(TypeId::kVarchar);
  unique.dictionary_form = true;
  for (uint32_t i = 0; i < 300; ++i) {
    unique.dictionary.push_back("value-" + std::to_string(i));
    unique.codes.push_back(i);
    unique.valid.push_back(1);
  }
  EXPECT_EQ(EncodeColumn(unique).encoding, ColumnEncoding::kStringPlain);
  ExpectSameAsStrings(unique);
}

TEST(DictionaryFormCodecTest, MaterializeStrings) {
  ColumnVector c(TypeId::kVarchar);
  c.dictionary_form = true;
  c.dictionary = {"b", "a"};
  c.codes = {1, 0, 0, 1};
  c.valid = {1, 1, 0, 1};
  c.MaterializeStrings();
  EXPECT_FALSE(c.dictionary_form);
  EXPECT_TRUE(c.codes.empty());
  EXPECT_TRUE(c.dictionary.empty());
  EXPECT_EQ(c.strings, (std::vector<std::string>{"a", "b", "", "a"}));
  c.MaterializeStrings();  // no-op
  EXPECT_EQ(c.strings.size(), 4u);
}

}  // namespace
}  // namespace tsl
