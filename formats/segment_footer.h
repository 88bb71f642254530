// SegmentFooter: the self-describing tail of a segment file: schema, row
// count, where each column block is and how it was written, and each
// column's zone map. Serialized as specified in formats/segment.md
// ("Footer"); Parse checks every field so a reader can trust it.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/column_codec.h"
#include "formats/segment_stats.h"
#include "formats/segment_writer.h"
#include "formats/types.h"

namespace tsl {

// "TSLKSEG1": first and last 8 bytes of every segment file.
constexpr char kSegmentMagic[9] = "TSLKSEG1";
constexpr size_t kSegmentMagicSize = 8;
// format_version holds the major version in its low 16 bits and the minor
// version in its high 16 bits. Major 1 minor 0 (the u32 1) is the original
// layout; minor 1 adds the table id and segment id after the columns.
// Readers accept every minor version of major 1 (bytes after the fields
// they know are skipped only when the minor version is newer than theirs).
constexpr uint32_t kSegmentFormatMajor = 1;
constexpr uint32_t kSegmentFormatMinor = 1;
constexpr uint32_t kSegmentFormatVersion = kSegmentFormatMajor | (kSegmentFormatMinor << 16);
// Trailer: u32 footer length, u32 footer CRC32C, magic.
constexpr size_t kSegmentTrailerSize = 4 + 4 + kSegmentMagicSize;
// Block header: u8 compression, u32 decoded body length.
constexpr size_t kBlockHeaderSize = 5;
// A segment holds at most this many rows (bounds every decoder allocation).
constexpr int64_t kMaxSegmentRows = int64_t{1} << 26;
// Largest decoded block body the reader will allocate.
constexpr uint32_t kMaxBlockBodyBytes = uint32_t{1} << 31;

struct ColumnBlockInfo {
  uint64_t offset = 0;  // of the block's first byte in the file
  uint64_t length = 0;  // header + stored bytes
  ColumnEncoding encoding = ColumnEncoding::kIntPlain;
  Compression compression = Compression::kNone;
  uint32_t checksum = 0;  // CRC32C of the block's `length` bytes
};

struct SegmentFooter {
  Schema schema;
  int64_t row_count = 0;
  std::vector<ColumnBlockInfo> blocks;  // one per field
  std::vector<ZoneMap> zone_maps;       // one per field
  // Identity (minor version 1): the metaData id of the table the segment
  // was written for and the segment's own id (its file name without
  // `.tsl`). Both empty in a minor-0 footer, which Serialize then writes
  // byte for byte as before.
  std::string table_id;
  std::string segment_id;

  std::string Serialize() const;
  // Parses and validates a footer whose blocks must lie in
  // [kSegmentMagicSize, data_end). Messages name the field and byte.
  static Result<SegmentFooter> Parse(std::string_view bytes, uint64_t data_end);
};

// Records `table_id` and `segment_id` in the footer of the complete
// segment file `*file` (as SegmentWriter::Finish returns it), making it
// format 1.1 (formats/segment.md): the footer is parsed, re-serialized with
// the identity, and the trailer rewritten. kCorruption when `*file` is not
// a valid segment.
Status SetSegmentIdentity(std::string* file, const std::string& table_id,
                          const std::string& segment_id);

// True for the types a segment can store.
bool IsStoredType(TypeId t);

}  // namespace tsl
