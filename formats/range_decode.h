// Range decoding: the rows [begin, end) of a column block body, for a list
// of row ranges, without materializing the rows between them. The result is
// byte-for-byte what a full decode (column_codec.h, DecodeColumn) followed
// by keeping only those rows gives. Each encoding skips what it can cheaply
// (formats/segment.md, "Encodings"): plain and frame-of-reference are random
// access; delta and delta-of-delta residual blocks of 128 are skipped in O(1)
// when their width is 0 and summed without output otherwise; run-length
// walks its runs; Gorilla is walked without output and stops after the last
// range; strings decode the dictionary (or the lengths) in full and the ids
// (or bytes) of the ranges only. The table scan uses this to decode only the
// rows a tag/time filter can match (storage/table_scan.cc).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "formats/byte_reader.h"
#include "formats/column_codec.h"
#include "formats/double_codec.h"
#include "formats/int_codec.h"
#include "formats/string_codec.h"

namespace tsl {

// Rows [begin, end) of a segment. A list of them is sorted by begin and
// non-overlapping; empty ranges are allowed and decode nothing.
struct RowRange {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const RowRange& o) const { return begin == o.begin && end == o.end; }
};
using RowRanges = std::vector<RowRange>;

// The number of rows the ranges cover.
size_t RowRangesSize(const RowRanges& ranges);
// kInvalidArgument unless `ranges` is sorted, non-overlapping and within
// [0, rows).
Status CheckRowRanges(const RowRanges& ranges, size_t rows);

// DecodeColumn (column_codec.h) restricted to `ranges` (checked with
// CheckRowRanges): *out holds the rows of the ranges, in order. The whole
// body is still validated where that is cheap (NULL bitmap, dictionary,
// string lengths, block headers); values outside the ranges may not be.
Status DecodeColumnRanges(TypeId type, ColumnEncoding encoding, std::string_view body, size_t rows,
                          const RowRanges& ranges, ColumnVector* out, bool keep_dictionary = false);

// For a VARCHAR column body: when it is dictionary-encoded (*used = true),
// the rows whose value is not NULL and whose dictionary entry passes
// `match` (called once per entry), as sorted, merged ranges. Run-length ids
// (a column sorted by it, such as the tag of a (tag, ts) sort key) are
// walked run by run, without a value per row; other id encodings are
// decoded. Any other encoding: *used = false and nothing is read.
Status MatchDictionaryRanges(ColumnEncoding encoding, std::string_view body, size_t rows,
                             const std::function<bool(std::string_view)>& match, RowRanges* out, bool* used);

// The building blocks, over dense (NULL-free) value streams of n values;
// each reads its whole stream from *in (the reader ends where a full decode
// would) and appends the values of the ranges to *out.
Status DecodeIntsRanges(IntEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                        std::vector<int64_t>* out);
// What EncodeIntsBest wrote (tag byte first).
Status DecodeIntsTaggedRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<int64_t>* out);
Status DecodeDoublesRanges(DoubleEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                           std::vector<double>* out);
Status DecodeStringsRanges(StringEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                           std::vector<std::string>* out);
// A kDictionary stream: the whole dictionary and the ids of the ranges.
Status DecodeStringDictionaryRanges(ByteReader* in, size_t n, const RowRanges& ranges,
                                    std::vector<std::string>* dict, std::vector<uint32_t>* codes);

}  // namespace tsl
