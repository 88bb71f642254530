// The ingest fast paths agree with the general code they bypass:
// ParseTimestampText's common-shape parser against formats' ParseTimestamp
// (values and rejections), and PrefetchSource hands out the wrapped
// source's chunks, rejects and error in the wrapped source's order.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "formats/timestamp.h"
#include "ingest/line_protocol_reader.h"
#include "ingest/prefetch_source.h"
#include "ingest/text_parsers.h"

namespace tsl {
namespace {

TEST(TextParsersTest, CommonTimestampShapeMatchesTheGeneralParser) {
  const std::vector<std::string> inputs = {
      "2024-01-01 00:00:00", "2024-02-29 23:59:59", "2023-02-29 00:00:00", "2024-13-01 00:00:00",
      "2024-04-31 12:00:00", "2024-01-01T10:11:12", "2024-01-01 24:00:00", "2024-01-01 10:60:00",
      "2024-01-01 10:00:60", "2024-01-01 10:00:00.5", "2024-01-01 10:00:00.123456",
      "2024-01-01 10:00:00.", "2024-01-01 10:00:00.1234567", "1999-12-31 23:59:59.999999",
      "0999-12-31 00:00:00", "2000-02-29 01:02:03", "1900-02-29 01:02:03", "2024-01-01 1:00:00",
      "2024-01-01 10:00:00Z", "2024-01-01 10:00:0x", " 2024-01-01 10:00:00", "2024-01-0a 10:00:00",
      "2024-01-01 00:00:00", "2024-01-02 00:00:00", "2024-01-01 00:00:00"};
  for (const std::string& s : inputs) {
    int64_t got = 0;
    const bool ok = ParseTimestampText(s, &got);
    Result<int64_t> want = ParseTimestamp(s);
    EXPECT_EQ(ok, want.ok()) << s;
    if (ok && want.ok()) {
      EXPECT_EQ(got, *want) << s;
    }
  }
}

// A source of `chunks` chunks of one BIGINT column (row values 0, 1, ...),
// rejecting one row per chunk, failing after `fail_after` chunks when >= 0.
class CountingSource : public ChunkSource, public RejectReporter {
 public:
  CountingSource(int chunks, int fail_after) : chunks_(chunks), fail_after_(fail_after) {
    schema_.fields.push_back(Field{"v", TypeId::kBigint});
  }
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    if (fail_after_ >= 0 && produced_ == fail_after_) return Status::InvalidArgument("bad chunk");
    out->Initialize({TypeId::kBigint});
    if (produced_ == chunks_) {
      if (produced_ == chunks_ && !tail_reject_done_) {
        tail_reject_done_ = true;
        pending_.push_back(RejectedRow{"src", 9999, "", "tail", "after the last row"});
      }
      return false;
    }
    for (int i = 0; i < 100; ++i) out->columns[0].AppendInt(next_++);
    pending_.push_back(RejectedRow{"src", produced_ + 1, "", "raw", "chunk " + std::to_string(produced_)});
    ++produced_;
    return true;
  }
  std::vector<RejectedRow> TakeRejects() override {
    std::vector<RejectedRow> r;
    r.swap(pending_);
    return r;
  }
  int64_t rejected_count() const override { return produced_; }

 private:
  Schema schema_;
  int chunks_, fail_after_;
  int produced_ = 0;
  int64_t next_ = 0;
  bool tail_reject_done_ = false;
  std::vector<RejectedRow> pending_;
};

TEST(PrefetchSourceTest, ChunksAndRejectsComeOutInOrder) {
  PrefetchSource p(std::make_unique<CountingSource>(50, -1), 2);
  int64_t expect = 0;
  int chunks = 0;
  std::vector<RejectedRow> rejects;
  for (;;) {
    DataChunk c;
    Result<bool> more = p.Next(&c);
    ASSERT_TRUE(more.ok());
    for (RejectedRow& r : p.TakeRejects()) rejects.push_back(std::move(r));
    if (!*more) break;
    ASSERT_EQ(c.size(), 100u);
    for (size_t i = 0; i < c.size(); ++i) ASSERT_EQ(c.columns[0].ints[i], expect++);
    // Exactly the rejects found while producing the rows returned so far.
    ASSERT_EQ(rejects.size(), static_cast<size_t>(chunks + 1));
    ++chunks;
  }
  EXPECT_EQ(chunks, 50);
  ASSERT_EQ(rejects.size(), 51u);
  EXPECT_EQ(rejects.back().raw, "tail");  // found after the last row, handed out at the end
  EXPECT_EQ(p.rejected_count(), 51);
}

TEST(PrefetchSourceTest, ErrorComesAfterTheRowsBeforeIt) {
  PrefetchSource p(std::make_unique<CountingSource>(50, 7), 3);
  int chunks = 0;
  for (;;) {
    DataChunk c;
    Result<bool> more = p.Next(&c);
    if (!more.ok()) {
      EXPECT_EQ(more.status().message(), "bad chunk");
      break;
    }
    ASSERT_TRUE(*more);
    ++chunks;
  }
  EXPECT_EQ(chunks, 7);
}

TEST(PrefetchSourceTest, DestroyingBeforeTheEndStopsTheReader) {
  for (int i = 0; i < 20; ++i) {
    PrefetchSource p(std::make_unique<CountingSource>(1000, -1), 1);
    DataChunk c;
    ASSERT_TRUE(*p.Next(&c));
  }  // each destructor joins a reader blocked on the full queue
}

// Lines parsed with the series-head cache give the same points (and the
// same reasons) as without it, across repeats, escapes, and bad lines
// that share a cached head.
TEST(LineProtocolCacheTest, CachedHeadsGiveTheSamePoints) {
  const std::vector<std::string> lines = {
      "temp,site=b,area=a value=1.5 1000", "temp,site=b,area=a value=2.5,q=3i 2000",
      "temp,site=b,area=a  value=3 3000", "temp,site=b,area=a value=x 4000",
      "temp,site=b,area=a value=4", "cpu,host=a\\ b usage=1 5000", "cpu,host=a\\ b usage=2 6000",
      "temp,site=b,area=a value=5 7000", "temp,site=b,area=a", "temp,site=b,area=a v=\"s\" 8000",
      "m value=1 9000", "m value=2 10000", "m,k= value=1 11000"};
  LineProtocolReader::SeriesCache cache;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& line : lines) {
      std::vector<LineProtocolReader::Point> plain, cached;
      const std::string r1 = LineProtocolReader::ParseLine(line, 1, 1000, &plain);
      const std::string r2 = LineProtocolReader::ParseLine(line, 1, 1000, &cached, &cache);
      EXPECT_EQ(r1, r2) << line;
      ASSERT_EQ(plain.size(), cached.size()) << line;
      for (size_t i = 0; i < plain.size(); ++i) {
        EXPECT_EQ(plain[i].tag, cached[i].tag) << line;
        EXPECT_EQ(plain[i].measurement, cached[i].measurement) << line;
        EXPECT_EQ(plain[i].field, cached[i].field) << line;
        EXPECT_EQ(plain[i].tags, cached[i].tags) << line;
        EXPECT_EQ(plain[i].ts, cached[i].ts) << line;
        EXPECT_EQ(plain[i].value, cached[i].value) << line;
        EXPECT_EQ(plain[i].text, cached[i].text) << line;
      }
    }
  }
  EXPECT_FALSE(cache.empty());
}

}  // namespace
}  // namespace tsl
