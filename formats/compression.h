// Block compression with LZ4 or Zstd (the segment file's optional second
// stage after encoding). Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "formats/segment_writer.h"
#include "formats/status.h"

namespace tsl {

// Compresses `raw` with `c` into *out. False (and *out unspecified) when the
// library fails; callers then store the block uncompressed.
bool CompressBlock(Compression c, int zstd_level, std::string_view raw, std::string* out);

// Decompresses `stored` into *out, which must come to exactly raw_length
// bytes. kCorruption for malformed input or a length mismatch.
Status DecompressBlock(Compression c, std::string_view stored, size_t raw_length, std::string* out);

}  // namespace tsl
