// TableScan: the ChunkSource behind Table::NewScan. Reads each live file of
// a snapshot through Env::NewRandomAccessFile + SegmentReader, decodes only
// the projected columns, skips files whose `add` stats exclude a ScanRange
// (zone-map pruning), and emits DataChunks of at most kVectorSize rows.
// An empty projection means every column of the table, in schema order.
// Columns a file lacks (added to the table after it was written) read as
// NULL. Segment columns and add stats are matched by physical name
// (Snapshot::physical_schema), so renamed columns still map.
// `candidates`, when set, is the catalog index's answer: files outside it
// are skipped without looking at their stats. With drop_rows_outside_ranges
// a read file is narrowed to row ranges first: the columns with a usable
// range (dictionary/VARCHAR ones first, then int64-class ones) are decoded
// over the ranges still possible, each shrinking them, and the other
// columns are then decoded over the final ranges only (formats/
// range_decode.h); a file no row of which matches decodes no other column.
// A data file reached through a
// symbolic link, or whose footer names another table or segment id
// (CheckIdentity), is refused as corruption; a missing one (removed by VACUUM
// from an old version) is kNotFound naming the file and version.
// Thread-safety: one thread per scan; the snapshot is shared.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formats/segment_reader.h"
#include "storage/table.h"

namespace tsl {

class TableScan final : public ChunkSource {
 public:
  // kInvalidArgument for a projected or ranged column index out of range.
  // kNotFound for an only_files path that is not a live file.
  static Result<std::unique_ptr<ChunkSource>> Make(
      Env* env, std::string dir, std::shared_ptr<const Snapshot> snapshot, ScanOptions options,
      ScanMetrics* metrics, std::optional<std::set<std::string>> candidates = std::nullopt);

  const Schema& schema() const override { return output_schema_; }
  Result<bool> Next(DataChunk* out) override;

  // True unless `file`'s stats prove no row satisfies every range.
  // `schema` is the physical schema (stats are keyed by physical name).
  static bool MayMatch(const AddAction& file, const Schema& schema,
                       const std::vector<ScanRange>& ranges);
  // kCorruption when the footer of the segment `file` names (read by
  // `reader`, at `path`) records another table id than `table_id` or
  // another segment id than the file's name: a file swapped with another
  // one or copied from another table. Footers of format 1.0 record no
  // identity and pass.
  static Status CheckIdentity(const SegmentReader& reader, const AddAction& file,
                              const std::string& table_id, const std::string& path);

 private:
  TableScan(Env* env, std::string dir, std::shared_ptr<const Snapshot> snapshot,
            ScanOptions options, ScanMetrics* metrics, std::vector<const AddAction*> files,
            std::vector<uint64_t> file_ordinals);
  // Opens the next file that survives pruning; false at the end.
  Result<bool> OpenNextFile();
  // kCorruption when `file`'s path goes through a symbolic link (the file
  // or a directory below the table's): the log names files inside the
  // table directory, and a link could lead anywhere.
  Status CheckNoSymlink(const AddAction& file);
  // The error for a data file that cannot be opened: a file VACUUM removed
  // (an old version) gets a message saying so.
  Status OpenError(const std::string& path, const Status& st) const;
  // Decodes the projected columns of `reader` (file `path`) into columns_;
  // with row filters, only the rows that pass them (rows_ becomes their
  // count, possibly 0).
  Status ReadColumns(const SegmentReader& reader, const std::string& path);

  // One range of options_.ranges that ReadColumns applies to the rows of a
  // file (drop_rows_outside_ranges), on the projected column `slot`: an
  // int64-class column compares ints; a string column compares text, or in
  // dictionary form looks the row's code up in a per-file table. DOUBLE
  // ranges and ranges of another type are left to the caller's filter.
  struct RowFilter {
    size_t slot = 0;
    bool strings = false;
    bool has_lo = false, has_hi = false;
    int64_t lo_int = 0, hi_int = 0;
    std::string lo_text, hi_text;
    const std::vector<std::string>* one_of = nullptr;  // ScanRange::one_of
  };
  std::vector<RowFilter> row_filters_;  // string slots first, then int64-class
  // The rows of `col` (the rows of `over`, concatenated) that pass every
  // row filter on `slot`, as sorted, merged segment row ranges.
  RowRanges PassingRanges(size_t slot, const ColumnVector& col, const RowRanges& over) const;
  // options_.top_key: the rows of `col` (the rows of `over`, concatenated)
  // that tie or beat its keep-th best value, as segment row ranges.
  RowRanges TopKeyRanges(const ColumnVector& col, const RowRanges& over) const;
  int top_slot_ = -1;  // options_.top_key's projected column; -1: no prefilter
  // True when `s` passes every (string) row filter on `slot`.
  bool TextPasses(size_t slot, std::string_view s) const;

  Env* env_;
  std::string dir_;
  std::shared_ptr<const Snapshot> snapshot_;
  ScanOptions options_;
  ScanMetrics* metrics_;  // nullable; otherwise local_metrics_
  ScanMetrics local_metrics_;
  Schema output_schema_;

  std::vector<const AddAction*> files_;  // point into snapshot_, which outlives them
  std::vector<uint64_t> file_ordinals_;  // files_[i]'s index in snapshot_->files()
  std::optional<std::set<std::string>> candidates_;  // the files to consider, in order
  size_t next_file_ = 0;
  std::set<std::string> checked_dirs_;  // directories CheckNoSymlink found plain
  std::vector<ColumnVector> columns_;  // decoded projected columns of the current file
  size_t rows_ = 0;                    // rows in the current file
  size_t pos_ = 0;                     // next row to emit
  uint64_t file_ordinal_ = 0;          // the current file's index in snapshot_->files()
  // emit_row_ids: the current file's kept rows, and the next one to emit
  // (offset id_offset_ in range id_range_).
  RowRanges kept_ranges_;
  size_t id_range_ = 0, id_offset_ = 0;
};

}  // namespace tsl
