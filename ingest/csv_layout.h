// CSV layouts on top of CsvReader (which stays the fast path for plain
// long CSV): epoch timestamps and "wide" spreadsheet exports.
//
// Epoch timestamps (`read_csv('x.csv', epoch => 'ms')`, unit s, ms, us, ns
// or auto): the timestamp columns are read as text and each value is taken
// as ISO 8601 (with or without offset) or as a number of units since the
// Unix epoch (auto guesses the unit from the magnitude, see EpochUnit).
// Timestamp columns: the COPY target's TIMESTAMP columns; otherwise those
// named by `ts_column`, else the columns named ts, time, timestamp or
// t_stamp (case-insensitive), else the first column.
//
// Wide (`read_csv('w.csv', wide => true)`): a header `ts,tagA,tagB,...`
// and one row per time, as spreadsheet and historian "interpolated"
// exports are; unpivoted to tag VARCHAR (the column name), ts TIMESTAMP,
// value DOUBLE, one row per non-empty cell, in file order (row by row,
// columns left to right), as UNPIVOT does (empty cells are skipped). The
// timestamp column is `ts_column` or the first; its values are ISO 8601 or
// epoch (unit from `epoch`, default auto).
//
// Rejects (RejectReporter): a row whose timestamp does not parse, and in
// wide mode a cell that is not a number (location "column <name>"), become
// RejectedRows with the record's line (exact unless quoted fields span
// lines); the import goes on. Every other error is CsvReader's.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>

#include "formats/column_vector.h"
#include "ingest/csv_reader.h"
#include "ingest/text_parsers.h"

namespace tsl {

struct CsvLayoutOptions {
  bool epoch_set = false;  // `epoch` given
  EpochUnit epoch = EpochUnit::kAuto;
  bool wide = false;
  std::string ts_column;  // "" = default (see above)

  bool active() const { return epoch_set || wide; }
};

// A CsvReader when no layout option is set, else the adapter.
Result<std::unique_ptr<ChunkSource>> OpenCsvSource(const std::string& path, CsvOptions options,
                                                   const CsvLayoutOptions& layout);

}  // namespace tsl
