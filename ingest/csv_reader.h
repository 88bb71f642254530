// CsvReader: a streaming RFC 4180 CSV reader producing typed DataChunks
// (read_csv in FROM, COPY ... FROM 'x.csv').
//
// The file is read through plain POSIX reads in blocks (1 MiB by default)
// and parsed in place from the block buffer, so memory stays constant in the
// file size: only the current block, one partial record carried over to the
// next block, and one output chunk are held. Numbers are parsed with
// std::from_chars straight from the buffer; only VARCHAR cells and quoted
// fields with doubled quotes allocate.
//
// Dialect: a delimiter (default ','), '"' quoting with "" as an escaped
// quote, LF or CRLF line ends, an optional header line, a UTF-8 BOM skipped,
// blank lines skipped. An empty field is NULL for every type, quoted ("") or
// not, as DuckDB's default allow_quoted_nulls=true reads it; with
// allow_quoted_nulls off a quoted empty field is the empty string for
// VARCHAR (still NULL for other types).
//
// Schema: with a target schema (COPY into a table) each field is converted to
// the target type; a header whose names all appear in the schema
// (case-insensitive) maps columns by name, otherwise columns map by position.
// Without one, types are inferred from a sample of the first rows (BOOLEAN,
// BIGINT, DOUBLE, TIMESTAMP, else VARCHAR) and names come from the header
// (or column0, column1, ...).
//
// Dictionary form (CsvOptions::dictionary_strings, COPY into a table): each
// VARCHAR column comes out as ColumnVector's dictionary form - the chunk's
// distinct values plus a code per row - so no string is allocated per row
// (the tag of a long-format file repeats a few thousand values millions of
// times). Values are interned per column for the whole file; the next
// value is first guessed as the one that followed the previous value last
// time (a time-major file cycles through its tags in one order), so most
// rows cost one comparison instead of a hash lookup. A column that exceeds
// kMaxDictionary distinct values goes back to strings from its next chunk.
//
// Errors are kInvalidArgument naming file, line, column and value:
//   sensors.csv line 1042, column 3 ("value"): "12,5" is not a DOUBLE
// kNotFound for a missing file, kIOError for a failed read. With
// CsvOptions::reject_bad_rows (COPY ... (ON_ERROR 'continue'),
// read_csv(..., ignore_errors => true)) a record with a value that does not
// convert or the wrong number of fields is not an error but a reject
// (RejectReporter): skipped, and handed over with that message as reason.
//
// Thread-safety: a CsvReader is used by one thread at a time.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/types.h"
#include "storage/read_progress.h"
#include "storage/reject_reporter.h"

namespace tsl {

struct CsvOptions {
  bool header = true;
  char delimiter = ',';
  char quote = '"';
  // "" reads as NULL (DuckDB's default); false keeps it an empty VARCHAR.
  bool allow_quoted_nulls = true;
  // When set, rows are converted to this schema (COPY into a table).
  std::optional<Schema> target_schema;
  // Rows sampled from the start of the file to infer column types.
  size_t sample_rows = 20480;
  // Bytes per read(2); the buffer grows past this only for a record longer
  // than a block, up to max_record_bytes.
  size_t block_size = size_t{1} << 20;
  size_t max_record_bytes = size_t{64} << 20;
  // VARCHAR columns in dictionary form (see above), up to
  // dictionary_chunk_rows rows per chunk. Only for a consumer that takes
  // that form (COPY's TableWriter); everything else reads `strings`.
  bool dictionary_strings = false;
  size_t dictionary_chunk_rows = 32768;
  // Fields a record may have; a wider file is refused (kInvalidArgument)
  // before anything per column is allocated. DuckDB has no such cap;
  // SQLite's default is 2,000 columns, PostgreSQL's 1,600.
  size_t max_columns = 100000;
  // Bad records become rejects instead of errors (see above).
  bool reject_bad_rows = false;
};

// Rows per chunk for a file of `columns` columns: `rows`, fewer for a wide
// file so a chunk holds at most kCsvChunkCells values (a 100,000-column file
// reads 10 rows a chunk instead of 2,048: 1M values instead of 205M).
inline constexpr size_t kCsvChunkCells = size_t{1} << 20;
inline size_t CsvChunkRows(size_t columns, size_t rows) {
  if (columns == 0) return rows;
  const size_t fit = kCsvChunkCells / columns;
  return fit == 0 ? 1 : (fit < rows ? fit : rows);
}

class CsvReader : public ChunkSource, public RejectReporter, public ReadProgress {
 public:
  static constexpr size_t kMaxDictionary = size_t{1} << 16;

  // Opens `path`, reads the header and (without a target schema) infers the
  // column types. kNotFound when the file does not exist; kInvalidArgument
  // for a bad option, an empty file without a target schema, or a header
  // that does not fit the target schema.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, CsvOptions options);
  // A reader of bytes that are not a file (COPY ... FROM STDIN over a
  // connection): `read` fills up to `capacity` bytes of `buffer` and
  // returns how many, 0 at the end of the data, or -1 when the data cannot
  // be had (kIOError "read of NAME failed"). `name` stands for the path in
  // messages. As Open otherwise; bytes_total() is -1.
  using ReadFunction = std::function<int64_t(char* buffer, size_t capacity)>;
  static Result<std::unique_ptr<CsvReader>> OpenStream(const std::string& name, CsvOptions options,
                                                       ReadFunction read);
  ~CsvReader() override;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const Schema& schema() const override { return schema_; }
  // Fills `out` with up to kVectorSize rows; false at end of file.
  Result<bool> Next(DataChunk* out) override;

  // Physical line number (1-based) of the last record returned.
  int64_t line() const { return line_ - 1; }

  // Records skipped under reject_bad_rows (none otherwise).
  std::vector<RejectedRow> TakeRejects() override { return std::exchange(rejects_, {}); }
  int64_t rejected_count() const override { return rejected_count_; }

  // Bytes read from the file so far and its size (-1 for a pipe); any
  // thread (the progress bar reads them while a prefetch thread parses).
  int64_t bytes_read() const override { return bytes_read_.load(std::memory_order_relaxed); }
  int64_t bytes_total() const override { return file_size_; }

 private:
  // One field of the record being parsed: a span of the block buffer.
  struct FieldSpan {
    size_t begin;
    size_t size;
    bool quoted;
    bool has_escapes;  // contains "" that must be unescaped
  };
  enum class ScanState { kRecord, kNeedMore, kEnd };
  // Where a record found by ScanRecord lies.
  struct RecordInfo {
    int64_t line = 0;      // line the record starts on
    size_t next = 0;       // buffer offset just past it
    int64_t lines = 0;     // lines it spans, including skipped blank lines
  };

  CsvReader(std::string path, CsvOptions options, int fd);
  static Status CheckOptions(CsvOptions* options);
  // Header, schema and dictionaries of a reader just constructed.
  static Result<std::unique_ptr<CsvReader>> Start(std::unique_ptr<CsvReader> reader);

  // Parses the record starting at buffer offset `from` (first line
  // `line`) into fields_. kNeedMore when the buffer ends inside it and the
  // file has more bytes.
  Result<ScanState> ScanRecord(size_t from, int64_t line, RecordInfo* info);
  // Like ScanRecord at begin_, refilling the buffer as needed; consumes the
  // record. kEnd at end of file.
  Result<ScanState> NextRecord(RecordInfo* info);
  // Moves unconsumed bytes to the buffer front and reads more. Returns how
  // far data moved (so callers can rebase offsets).
  Result<size_t> Refill();
  void AddField(const FieldSpan& f) {
    if (field_count_ == fields_.size()) fields_.resize(fields_.size() * 2 + 8);
    fields_[field_count_++] = f;
  }
  // The text of field `i` of the current record (unescaped when needed).
  std::string_view FieldText(size_t i);

  Status ReadHeader();
  Status InferSchema();
  Status BuildTargetMapping();
  Status AppendRecord(const RecordInfo& info, DataChunk* out);
  // A VARCHAR field that is not UTF-8 (formats/utf8.h), with its line.
  Status Utf8Error(const RecordInfo& info, size_t field, std::string_view text) const;
  Status ValueError(const RecordInfo& info, size_t field, std::string_view text,
                    TypeId type) const;
  std::string ColumnName(size_t field) const;

  std::string path_;
  CsvOptions options_;
  int fd_ = -1;
  ReadFunction read_;  // set: bytes come from it instead of fd_
  int64_t file_size_ = -1;                // set at construction, then constant
  std::atomic<int64_t> bytes_read_{0};    // ReadProgress
  std::vector<char> buf_;
  size_t begin_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // end of valid bytes
  bool eof_ = false;
  int64_t line_ = 1;  // line the next record starts on
  bool field_end_[256] = {};  // bytes ending an unquoted field: delimiter, LF, CR

  // Fields of the current record: the first field_count_ entries. The
  // vector only grows, so the per-field cost is a store, not a push_back.
  std::vector<FieldSpan> fields_;
  size_t field_count_ = 0;
  std::vector<std::string> unescaped_;  // scratch for fields with ""
  std::vector<std::string> header_;
  Schema schema_;
  size_t file_columns_ = 0;  // fields every record must have
  // For each output column, the field index it is read from (-1: NULL).
  std::vector<int> source_field_;
  bool inferred_ = false;  // types were inferred (for error hints)

  // Dictionary form, per output column (active: VARCHAR and the option).
  // An enumerator, not a static data member: it has no symbol of its own
  // to escape into libtslake.a's exported set (tests/embed/install_test.sh).
  enum : uint32_t { kNoId = UINT32_MAX };
  struct StringDict {
    bool active = false;
    std::deque<std::string> values;                      // file-wide id -> value (stable addresses)
    std::unordered_map<std::string_view, uint32_t> ids;  // value -> id; views into `values`
    std::vector<uint32_t> successor;                     // id -> the id that followed it last
    uint32_t last = kNoId;
    std::vector<uint32_t> local;    // id -> code in the chunk being filled, or kNoId
    std::vector<uint32_t> touched;  // ids with a code in that chunk
  };
  // The code of `text` in `col`'s chunk dictionary (added on first use).
  // kNoId when `text` is a new value that is not UTF-8.
  uint32_t DictCode(StringDict& d, std::string_view text, ColumnVector* col);
  // Starts an empty output chunk of up to `rows` rows.
  void StartChunk(DataChunk* out, size_t rows);
  std::vector<StringDict> dicts_;

  // Under reject_bad_rows: drops the partly appended record (columns back
  // to `rows` rows) and keeps it as a reject with `error`'s message.
  void RejectRecord(const RecordInfo& info, const Status& error, size_t rows, DataChunk* out);
  std::vector<RejectedRow> rejects_;
  int64_t rejected_count_ = 0;
};

}  // namespace tsl
