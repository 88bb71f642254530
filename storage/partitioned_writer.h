// PartitionedWriter: turns rows into segment files laid out per the table's
// properties. Rows are split by partition (PartitionSpec), buffered per
// partition, and a partition's buffer is sorted by the sort key and written
// as one segment (`<partition dir>/<uuid>.tsl`, fsynced) when it reaches
// target_segment_rows or target_segment_bytes; when all buffers together
// exceed kMaxBufferedRows the largest is written early, so memory stays
// bounded however many partitions a batch touches. Finish writes the rest
// and fsyncs every directory that received a file (invariant (1) of
// transaction_log.cc). Rows with a NULL partition column go to the
// partition value kNullPartitionValue (Hive's convention).
//
// A segment of at least kBackgroundFlushRows rows is sorted, encoded and
// written on a thread of its own while the caller goes on appending (at
// most one segment in flight, so memory grows by at most one segment); its
// error, if any, is returned when the next segment is cut or by Finish.
// written() is complete after Finish (or RemoveWritten).
//
// VARCHAR columns may come in dictionary form (ColumnVector::dictionary_form,
// as COPY's CSV reader makes them): a partition buffer started from such a
// chunk stays in that form (codes into one growing dictionary), is sorted by
// ranking the dictionary, and reaches the SegmentWriter without a string per
// row; the segment bytes are the same as for strings.
// Thread-safety: one thread per writer (plus its own flush thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <thread>
#include <vector>

#include "formats/column_vector.h"
#include "formats/log_action.h"
#include "storage/env.h"
#include "storage/table_properties.h"

namespace tsl {

class PartitionedWriter {
 public:
  static constexpr const char* kNullPartitionValue = "__HIVE_DEFAULT_PARTITION__";
  static constexpr int64_t kMaxBufferedRows = 4 << 20;
  static constexpr int64_t kBackgroundFlushRows = 64 << 10;

  // `physical_schema` names the columns as segment footers and stats do.
  // Every add gets dataChange = `data_change`.
  PartitionedWriter(Env* env, std::string table_dir, Schema physical_schema,
                    TableProperties properties, bool data_change);
  ~PartitionedWriter();  // waits for its flush; does not remove written files: see RemoveWritten

  // REQUIRES: chunk types equal the schema's, in order (checked by callers).
  Status Append(const DataChunk& chunk);
  // As above, but may take the chunk's arrays instead of copying them (a
  // whole chunk into an empty partition buffer moves; strings move always).
  Status Append(DataChunk&& chunk);
  // Writes every buffered partition and fsyncs the directories written to.
  Status Finish();
  int64_t rows() const { return rows_; }
  // Files written (and fsynced) so far.
  const std::vector<AddAction>& written() const { return written_; }
  // Forgets the written files: they now belong to the table.
  void Release() { written_.clear(); }
  // Deletes the written files (an aborted or failed transaction).
  void RemoveWritten();

  // Sorts `chunk`'s rows by `sort_key` (schema indexes), NULLs first;
  // stable. Already sorted input (the usual historian batch: tag-major or
  // time-major) is detected in one pass and left untouched; otherwise a
  // VARCHAR first key is ordered by a counting sort over its distinct
  // values and only the runs of equal first keys that are out of order are
  // sorted further. Rows move; strings are not copied.
  static void SortInPlace(DataChunk* chunk, const std::vector<int>& sort_key);
  // The permutation SortInPlace applies (perm[i] = source row of row i);
  // empty when `chunk` is already sorted.
  static std::vector<uint32_t> SortPermutation(const DataChunk& chunk,
                                               const std::vector<int>& sort_key);

  // Value -> code of a dictionary-form buffer column (entries [0, indexed)
  // of its dictionary are in `codes`).
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct DictIndex {
    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> codes;
    size_t indexed = 0;
  };

 private:
  struct Buffer {
    DataChunk rows;
    int64_t bytes = 0;  // rough in-memory size, for target_segment_bytes
    std::vector<DictIndex> dict;  // per column; used by dictionary-form columns
  };
  // Ranks of a string first key (see SortPermutation): (*id)[row] is 0 for
  // NULL, else 1 + the value's place in byte order; returns the rank count.
  static size_t RankStrings(const ColumnVector& first, std::vector<uint32_t>* id);
  // `owned`: chunk may be moved from (its rows are not read again).
  Status AppendRows(const std::string& partition, DataChunk& chunk,
                    const std::vector<uint32_t>* sel, bool owned);
  Status AppendImpl(DataChunk& chunk, bool owned);
  // By value: callers pass map keys that Flush erases.
  Status Flush(std::string partition);
  // Sorts, encodes and writes one segment (on the flush thread or inline).
  Status WriteSegment(const std::string& partition, DataChunk rows);
  // Joins the flush thread; its status.
  Status WaitForFlush();

  Env* env_;
  std::string table_dir_;
  Schema schema_;
  TableProperties props_;
  bool data_change_;
  std::map<std::string, Buffer> buffers_;
  int64_t buffered_rows_ = 0;
  int64_t rows_ = 0;
  std::vector<AddAction> written_;
  std::set<std::string> dirs_to_sync_;
  // The segment being written in the background, and how it ended. Only the
  // flush thread touches written_ and dirs_to_sync_ while it runs.
  std::thread flush_thread_;
  Status flush_status_;
};

}  // namespace tsl
