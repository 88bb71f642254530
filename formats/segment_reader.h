// SegmentReader: opens a segment file (formats/segment.md) through a
// ByteSource, validates its footer, and decodes whole columns on request.
// Every block's checksum is verified before decoding; a mismatch, a bad
// length or an unknown encoding is kCorruption naming the file, column and
// byte offset, and no data from that block is returned.
// Thread-safety: ReadColumn may be called from several threads at once.
#pragma once

#include <memory>

#include "formats/byte_source.h"
#include "formats/column_vector.h"
#include "formats/range_decode.h"
#include "formats/segment_stats.h"
#include "formats/types.h"

namespace tsl {

class SegmentReader {
 public:
  // Reads and checks the footer. `source` must outlive the reader.
  static Result<std::unique_ptr<SegmentReader>> Open(const ByteSource* source);
  ~SegmentReader();

  const Schema& schema() const;
  int64_t row_count() const;
  const SegmentStats& stats() const;
  // The footer's identity (format 1.1); both empty for a 1.0 segment.
  const std::string& table_id() const;
  const std::string& segment_id() const;

  // Decodes column `index` (schema order) into *out (replacing its content).
  // keep_dictionary: see DecodeColumn (formats/column_codec.h).
  Status ReadColumn(int index, ColumnVector* out, bool keep_dictionary = false) const;
  // Decodes only the rows of `ranges` (sorted, within row_count()) of column
  // `index`, concatenated, into *out: the same rows a ReadColumn followed by
  // slicing gives (formats/range_decode.h). The block is still read,
  // checksummed and decompressed whole.
  Status ReadColumnRanges(int index, const RowRanges& ranges, ColumnVector* out,
                          bool keep_dictionary = false) const;
  // MatchDictionaryRanges (formats/range_decode.h) on VARCHAR column `index`.
  Status MatchDictionaryRanges(int index, const std::function<bool(std::string_view)>& match, RowRanges* out,
                               bool* used) const;

 private:
  SegmentReader();
  // Reads, checks and decompresses column `index`'s block into *body;
  // *where names the block for error messages.
  Status ReadBody(int index, std::string* body, std::string* where) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl
