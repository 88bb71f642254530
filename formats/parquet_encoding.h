// Parquet's value encodings that tslake writes and reads
// (formats/parquet.md, "Encodings"): the RLE/bit-packed hybrid used for
// definition levels and dictionary indexes, DELTA_BINARY_PACKED (read
// only), and Snappy decompression for pages other writers compress with it. Thread-safety: one
// owner at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl::parquet {

// Smallest bit width that holds `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

// Appends `values` (each < 2^bit_width) as RLE/bit-packed hybrid runs: a
// run of 8 or more equal values becomes an RLE run, everything else
// bit-packed groups of 8 (the last group zero-padded). No length prefix.
void EncodeRleBitPacked(const std::vector<uint32_t>& values, int bit_width, std::string* out);

// Decodes exactly `count` values from `data`. kCorruption (with `what`,
// e.g. "file.parquet column \"v\" definition levels") when the runs end
// early or a value exceeds `max_value`.
Status DecodeRleBitPacked(std::string_view data, int bit_width, size_t count, uint32_t max_value,
                          const std::string& what, std::vector<uint32_t>* out);

// DELTA_BINARY_PACKED: decodes the values the header announces (at least
// `count`, else kCorruption) into *out as int64 (INT32 callers truncate),
// and sets *consumed to the bytes used (DELTA_LENGTH_BYTE_ARRAY's strings
// follow them).
Status DecodeDeltaBinaryPacked(std::string_view data, size_t count, const std::string& what,
                               std::vector<int64_t>* out, size_t* consumed);

// Decompresses a raw Snappy block (no framing) that must come to exactly
// `raw_length` bytes. kCorruption otherwise.
Status SnappyDecompress(std::string_view in, size_t raw_length, std::string* out);

}  // namespace tsl::parquet
