// The body of every fuzz target, one function per parser of untrusted
// bytes. The libFuzzer drivers (*_fuzzer.cc, built by tests/fuzz/
// CMakeLists.txt with clang) call them, and so does
// tests/reliability/fuzz_regression_test.cc, which replays every seed and
// every past crash (tests/fuzz/corpus/<target>/, tests/fuzz/regressions/
// <target>/) in the normal and the sanitizer CI builds. Each returns
// normally for every input: an error Status is a correct answer, a crash or
// a sanitizer report is a bug.
// Thread-safety: one input at a time per process (FuzzInputFile).
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "formats/byte_source.h"
#include "formats/log_action.h"
#include "formats/parquet_reader.h"
#include "formats/segment_reader.h"
#include "ingest/csv_reader.h"
#include "ingest/ignition_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/line_protocol_reader.h"
#include "ingest/piwebapi_reader.h"
#include "query/common/query_error.h"
#include "query/parser/parser.h"
#include "server/copy_format.h"
#include "server/pg_protocol.h"
#include "server/sql_rewrite.h"
#include "server/statement_splitter.h"
#include "storage/snapshot.h"
#include "storage/transaction_log.h"
#include "tests/fuzz/sql_smith.h"
#include "tslake/tslake.hpp"

namespace tsl::fuzz {

// The ingest readers take a path: each input goes to one private file
// (`slot` tells apart the two files of a two-file reader).
inline std::string WriteInputFile(const uint8_t* data, size_t size, int slot = 0) {
  const std::string path = "/tmp/tslake-fuzz-" + std::to_string(::getpid()) + "-" +
                           std::to_string(slot) + ".in";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f != nullptr) {
    if (size > 0) std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  return path;
}

// SQL tokenizer and parser: parses, or raises QueryError; nothing else.
inline void FuzzSqlParser(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  try {
    query::Parser parser(sql);
    (void)parser.ParseScript();
  } catch (const query::QueryError&) {
  }
}

// The whole SQL path (bind, plan, execute) on an in-memory table m. File
// access (COPY, read_*) and statements that change the table are skipped:
// the target is hostile SQL, not the filesystem.
inline void FuzzSqlQuery(const uint8_t* data, size_t size) {
  if (size > 4096) return;
  static std::unique_ptr<tslake::Database> db = tslake::Database::Open(":memory:");
  static tslake::Connection con(*db);
  static const bool init = [] {
    con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)");
    con.Query("INSERT INTO m VALUES ('2024-01-01 00:00:00', 'a', 1.5, 192), "
              "('2024-01-01 00:00:01', 'b', NULL, 0), (NULL, NULL, -3, NULL)");
    return true;
  }();
  (void)init;
  std::string sql(reinterpret_cast<const char*>(data), size);
  std::string lower;
  for (char c : sql) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (const char* banned : {"copy", "read_", "drop", "insert", "create", "delete", "update",
                             "alter", "optimize", "vacuum", "restore", "generate", "checkpoint"})
    if (lower.find(banned) != std::string::npos) return;
  (void)con.Query(sql);
}

// The grammar fuzzer's generator driven by the input bytes (each byte a
// choice), so libFuzzer's mutations mutate statement structure: up to
// three queries (read-only, so the schema of sql_smith.h stays as set up)
// on an in-memory database. memory_limit is process-wide: set at first use,
// 256 MB so replaying inside reliability_tests leaves room for its others.
inline void FuzzSqlGrammar(const uint8_t* data, size_t size) {
  static std::unique_ptr<tslake::Database> db = tslake::Database::Open(":memory:");
  static tslake::Connection con(*db);
  static const bool init = [] {
    for (const std::string& s : smith::SetupScript(256)) (void)con.Query(s);
    return true;
  }();
  (void)init;
  smith::ByteRandom rnd(data, size);
  smith::Generator gen(&rnd);
  for (int i = 0; i < 3 && (i == 0 || !rnd.Exhausted()); ++i) {
    tslake::Result r = con.Query(gen.ReadOnlyStatement());
    for (int64_t row = 0; r.ok() && row < std::min<int64_t>(r.row_count(), 50); ++row)
      for (int c = 0; c < r.column_count(); ++c) (void)r.GetString(c, row);
  }
}

// Segment decoder: open any bytes as a segment and decode every column.
inline void FuzzSegmentReader(const uint8_t* data, size_t size) {
  StringByteSource source(std::string(reinterpret_cast<const char*>(data), size), "fuzz.tsl");
  Result<std::unique_ptr<SegmentReader>> reader = SegmentReader::Open(&source);
  if (!reader.ok()) return;
  ColumnVector column;
  for (size_t i = 0; i < (*reader)->schema().size(); ++i)
    (void)(*reader)->ReadColumn(static_cast<int>(i), &column);
}

// Parquet reader (read_parquet): footer, page headers, levels, encodings,
// decompression; every row group decoded.
inline void FuzzParquetReader(const uint8_t* data, size_t size) {
  auto source = std::make_unique<StringByteSource>(std::string(reinterpret_cast<const char*>(data), size),
                                                   "fuzz.parquet");
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(std::move(source));
  if (!reader.ok()) return;
  DataChunk chunk;
  while (true) {
    Result<bool> more = (*reader)->Next(&chunk);
    if (!more.ok() || !*more) return;
  }
}

// Log reader: checksum line, JSON actions, replay. The checksum is also
// bypassed so mutations reach the JSON parser and replay.
inline void FuzzLogReader(const uint8_t* data, size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  (void)TransactionLog::VerifyChecksumLine(content, "fuzz.json");
  Result<std::vector<LogAction>> actions = ParseLogFile(content, "fuzz.json");
  if (!actions.ok()) return;
  Result<std::shared_ptr<const Snapshot>> v0 = Snapshot::Apply(nullptr, 0, *actions, "fuzz.json");
  if (v0.ok()) (void)Snapshot::Apply(v0->get(), 1, *actions, "fuzz.json");
  (void)SerializeActions(*actions);
}

// Streaming CSV reader with a tiny block so records straddle refills.
inline void FuzzCsvReader(const uint8_t* data, size_t size) {
  const std::string path = WriteInputFile(data, size);
  CsvOptions options;
  options.block_size = 16 + (size % 64);
  options.header = size % 2 == 0;
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
  if (!reader.ok()) return;
  DataChunk chunk;
  for (int i = 0; i < 10000; ++i) {
    Result<bool> more = (*reader)->Next(&chunk);
    if (!more.ok() || !*more) break;
  }
}

// PI Web API JSON reader (item splitter, JSON, point mapping).
inline void FuzzPiWebApiReader(const uint8_t* data, size_t size) {
  const std::string path = WriteInputFile(data, size);
  PiWebApiOptions options;
  options.tag = "fuzz";
  Result<std::unique_ptr<PiWebApiReader>> reader = PiWebApiReader::Open(path, options);
  if (!reader.ok()) return;
  DataChunk chunk;
  for (int i = 0; i < 10000; ++i) {
    Result<bool> more = (*reader)->Next(&chunk);
    if (!more.ok() || !*more) break;
  }
  (void)(*reader)->TakeRejects();
}

// Reads every chunk of an opened reader (bounded), then its rejects.
template <typename Reader>
void DrainReader(Result<std::unique_ptr<Reader>>& reader) {
  if (!reader.ok()) return;
  DataChunk chunk;
  for (int i = 0; i < 10000; ++i) {
    Result<bool> more = (*reader)->Next(&chunk);
    if (!more.ok() || !*more) break;
  }
  (void)(*reader)->TakeRejects();
}

// JSON lines reader: inferred columns from the first lines, then rows.
inline void FuzzJsonlReader(const uint8_t* data, size_t size) {
  const std::string path = WriteInputFile(data, size);
  JsonlOptions options;
  options.sample_lines = 1 + size % 8;
  Result<std::unique_ptr<JsonlReader>> reader = JsonlReader::Open(path, options);
  DrainReader(reader);
}

// InfluxDB line protocol: escapes, tag sets, field types, precisions.
inline void FuzzLineProtocolReader(const uint8_t* data, size_t size) {
  const std::string path = WriteInputFile(data, size);
  LineProtocolOptions options;
  static const char* const kPrecisions[] = {"ns", "us", "ms", "s"};
  options.precision = kPrecisions[size % 4];
  Result<std::unique_ptr<LineProtocolReader>> reader = LineProtocolReader::Open(path, options);
  DrainReader(reader);
}

// Ignition: the input holds both files, the sqlth_te export first, then a
// line "--- sqlt_data ---", then the sqlt_data export (seeds use that form;
// without the separator everything is data and the tag file is empty).
inline void FuzzIgnitionReader(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSeparator = "--- sqlt_data ---\n";
  size_t cut = all.find(kSeparator);
  std::string_view tags = cut == std::string_view::npos ? std::string_view() : all.substr(0, cut);
  std::string_view rows =
      cut == std::string_view::npos ? all : all.substr(cut + kSeparator.size());
  IgnitionOptions options;
  options.tags_path = WriteInputFile(reinterpret_cast<const uint8_t*>(tags.data()), tags.size(), 1);
  const std::string path =
      WriteInputFile(reinterpret_cast<const uint8_t*>(rows.data()), rows.size(), 2);
  Result<std::unique_ptr<IgnitionReader>> reader = IgnitionReader::Open(path, options);
  DrainReader(reader);
}

// `tslake serve`'s message decoder: the input is what a client sends, a
// startup packet (4-byte length, body) then typed messages (type, 4-byte
// length, body), each decoded as the session would; Query texts also go
// through the statement splitter, the COPY parser and the session
// rewrites (SET/SHOW, catalog queries), and CopyData bodies through the
// COPY row parser (text or CSV by the input's size) and the binary COPY
// parser.
inline void FuzzPgProtocol(const uint8_t* data, size_t size) {
  using namespace tslake::server;
  static std::unique_ptr<tslake::Database> db = [] {
    auto d = tslake::Database::Open(":memory:");
    tslake::Connection con(*d);
    (void)con.Query("CREATE TABLE m (ts TIMESTAMP, v DOUBLE)");
    return d;
  }();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  if (in.size() >= 4) {
    MessageReader r(in.substr(0, 4));
    int32_t len = r.Int32();
    if (len >= 4 && len <= kMaxStartupPacket && static_cast<size_t>(len) <= in.size()) {
      StartupPacket packet;
      (void)DecodeStartup(in.substr(4, static_cast<size_t>(len) - 4), &packet);
      pos = static_cast<size_t>(len);
    } else {
      pos = 4;
    }
  }
  CopyStatement copy;
  copy.csv = size % 2 == 0;
  copy.header = size % 3 == 0;
  if (copy.csv) {
    copy.delimiter = ',';
    copy.null_string = "";
  }
  CopyRowParser rows(copy, 4096);
  BinaryCopyParser binary(4096);  // the same CopyData as FORMAT binary
  bool rows_ok = true, binary_ok = true;
  std::string error;
  auto on_row = [](CopyRow& row) { return row.size() < 1000; };
  while (pos + 5 <= in.size()) {
    char type = in[pos];
    MessageReader r(in.substr(pos + 1, 4));
    int32_t len = r.Int32();
    if (!CheckMessageLength(len, 1 << 20).ok()) break;
    size_t body_len = static_cast<size_t>(len) - 4;
    if (pos + 5 + body_len > in.size()) break;
    std::string_view body = in.substr(pos + 5, body_len);
    (void)DecodeAnyFrontendMessage(type, body);
    if (type == 'Q') {
      std::string sql;
      if (DecodeQuery(body, &sql).ok()) {
        for (const std::string& statement : SplitStatements(sql)) {
          (void)FirstKeyword(statement);
          CopyStatement c;
          (void)ParseCopyStatement(statement, &c, &error);
          std::map<std::string, std::string> parameters;
          (void)RewriteForSession(statement, &parameters, "db", 1, *db,
                                  tslake::Connection::TransactionStatus::kIdle);
        }
      }
    } else if (type == 'd') {
      if (rows_ok) rows_ok = rows.Feed(body, on_row, &error);
      if (binary_ok) binary_ok = binary.Feed(body, on_row, &error);
    }
    pos += 5 + body_len;
  }
  if (rows_ok) (void)rows.Finish(on_row, &error);
  if (binary_ok) (void)binary.Finish(&error);
}

}  // namespace tsl::fuzz
