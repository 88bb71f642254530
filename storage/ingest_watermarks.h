// Ingest watermarks: per table, per tag and per source, the newest ts an
// import committed and how many points it brought. Kept in the side table
// `<table>_watermarks` (source VARCHAR, tag VARCHAR, max_ts TIMESTAMP,
// points BIGINT, version BIGINT: one row per tag per import, appended
// after the import's data commit), so they are versioned, time-travelable
// and rebuilt with the database like any table. A crash between the data
// commit and the watermark commit leaves the watermark behind the data
// (never ahead), so an incremental re-run re-reads rather than skips.
// Recorded only for tables with the property watermarks = 'true' (and by
// INCREMENTAL imports), so ordinary tables get no side table.
// `SELECT * FROM tslake_watermarks('t')` shows them aggregated per (tag,
// source); an incremental import (COPY ... (INCREMENTAL true),
// ImportOptions::incremental) skips points at or before their tag's
// watermark over all sources.
// Thread-safety: a WatermarkTracker belongs to one import; the functions
// are safe from any thread (they go through Table).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "formats/column_vector.h"
#include "storage/database.h"
#include "storage/snapshot.h"

namespace tsl {

Schema WatermarkTableSchema();
// The table property watermarks ('true', 'on', '1'; default off).
bool WatermarksEnabled(const Snapshot& snapshot);
// The key columns of `schema`: the VARCHAR column named "tag" (else the
// first VARCHAR) and the first TIMESTAMP column; false when either is missing.
bool FindTagTimeColumns(const Schema& schema, int* tag, int* ts);

class WatermarkTracker {
 public:
  // Inactive (Add and Commit do nothing) when `schema` has no tag/ts.
  explicit WatermarkTracker(const Schema& schema);
  bool active() const { return tag_ >= 0; }
  // Notes the rows of a chunk being committed.
  void Add(const DataChunk& chunk);
  // Appends one row per tag to `<table>_watermarks` (created on first use)
  // for the import committed as `version`.
  Status Commit(Database* db, const std::string& table, const std::string& source,
                int64_t version);

 private:
  int tag_ = -1;
  int ts_ = -1;
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> tags_;  // tag -> (max ts, points)
};

// tag -> newest watermark over all sources (empty when none yet).
Result<std::unordered_map<std::string, int64_t>> LoadTagWatermarks(Database* db,
                                                                  const std::string& table);

// Rows of tslake_watermarks('t'): tag, source, watermark, points, imports,
// ordered by tag, source. kNotFound when `table` does not exist.
Result<DataChunk> WatermarkReport(Database* db, const std::string& table);
Schema WatermarkReportSchema();

// Drops from `chunk` the rows at or before their tag's watermark; returns
// how many were dropped.
int64_t DropAtOrBeforeWatermark(const std::unordered_map<std::string, int64_t>& watermarks,
                                int tag, int ts, DataChunk* chunk);

}  // namespace tsl
