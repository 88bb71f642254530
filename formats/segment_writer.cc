// SegmentWriter: accumulates appended chunks per column, then encodes each
// column into one block, compresses it when that makes it smaller, and
// writes the footer. File layout: formats/segment.md.
// Thread-safety: one thread per writer.
#include "formats/segment_writer.h"

#include "formats/byte_writer.h"
#include "formats/checksum.h"
#include "formats/column_codec.h"
#include "formats/compression.h"
#include "formats/segment_footer.h"

namespace tsl {

Result<Compression> ParseCompression(std::string_view name) {
  const std::string n = ToLower(name);
  if (n == "none" || n == "uncompressed") return Compression::kNone;
  if (n == "lz4") return Compression::kLz4;
  if (n == "zstd") return Compression::kZstd;
  return Status::InvalidArgument("unknown compression \"" + std::string(name) + "\" (expected none, lz4 or zstd)");
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kLz4: return "lz4";
    case Compression::kZstd: return "zstd";
  }
  return "unknown";
}

struct SegmentWriter::Impl {
  Schema schema;
  SegmentWriteOptions options;
  std::vector<ColumnVector> columns;
  bool finished = false;
};

SegmentWriter::SegmentWriter(Schema schema, SegmentWriteOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->schema = std::move(schema);
  impl_->options = options;
  for (const Field& f : impl_->schema.fields) impl_->columns.emplace_back(f.type);
}

SegmentWriter::~SegmentWriter() = default;

int64_t SegmentWriter::row_count() const {
  return impl_->columns.empty() ? 0 : static_cast<int64_t>(impl_->columns[0].size());
}

Status SegmentWriter::Append(DataChunk&& chunk) {
  if (row_count() != 0 || impl_->finished) return Append(static_cast<const DataChunk&>(chunk));
  RETURN_IF_ERROR(CheckChunk(chunk));
  for (size_t i = 0; i < impl_->columns.size(); ++i) impl_->columns[i] = std::move(chunk.columns[i]);
  return Status::OK();
}

Status SegmentWriter::Append(const DataChunk& chunk) {
  RETURN_IF_ERROR(CheckChunk(chunk));
  for (size_t i = 0; i < impl_->schema.size(); ++i) impl_->columns[i].AppendRange(chunk.columns[i], 0, chunk.size());
  return Status::OK();
}

Status SegmentWriter::CheckChunk(const DataChunk& chunk) const {
  if (impl_->finished) return Status::InvalidArgument("SegmentWriter::Append after Finish");
  const Schema& s = impl_->schema;
  if (chunk.column_count() != s.size())
    return Status::InvalidArgument("chunk has " + std::to_string(chunk.column_count()) + " columns, segment schema has " +
                                   std::to_string(s.size()));
  for (size_t i = 0; i < s.size(); ++i) {
    const ColumnVector& c = chunk.columns[i];
    if (c.type != s.fields[i].type)
      return Status::InvalidArgument("chunk column " + std::to_string(i) + " (\"" + s.fields[i].name + "\") is " +
                                     std::string(TypeName(c.type)) + ", schema says " +
                                     std::string(TypeName(s.fields[i].type)));
    if (c.size() != chunk.size()) return Status::InvalidArgument("chunk columns differ in length");
  }
  if (row_count() + static_cast<int64_t>(chunk.size()) > kMaxSegmentRows)
    return Status::InvalidArgument("segment would exceed " + std::to_string(kMaxSegmentRows) + " rows; start a new one");
  return Status::OK();
}

Result<std::string> SegmentWriter::Finish(SegmentStats* stats) {
  if (impl_->finished) return Status::InvalidArgument("SegmentWriter::Finish called twice");
  impl_->finished = true;
  for (const Field& f : impl_->schema.fields)
    if (!IsStoredType(f.type))
      return Status::InvalidArgument("column \"" + f.name + "\" has type " + std::string(TypeName(f.type)) +
                                     ", which a segment cannot store");
  SegmentFooter footer;
  footer.schema = impl_->schema;
  footer.row_count = row_count();
  std::string file(kSegmentMagic, kSegmentMagicSize);
  for (ColumnVector& col : impl_->columns) {
    ZoneMap z;
    z.Update(col);
    EncodedColumn enc = EncodeColumn(col);
    col = ColumnVector();  // free each column as soon as it is encoded
    if (enc.body.size() > kMaxBlockBodyBytes) return Status::InvalidArgument("column block exceeds 2 GiB; use smaller segments");
    Compression used = Compression::kNone;
    std::string compressed;
    if (CompressBlock(impl_->options.compression, impl_->options.zstd_level, enc.body, &compressed) &&
        compressed.size() < enc.body.size())
      used = impl_->options.compression;
    const std::string& stored = used == Compression::kNone ? enc.body : compressed;
    ColumnBlockInfo b;
    b.offset = file.size();
    ByteWriter w(&file);
    w.PutU8(static_cast<uint8_t>(used));
    w.PutU32(static_cast<uint32_t>(enc.body.size()));
    w.PutBytes(stored);
    b.length = file.size() - b.offset;
    b.encoding = enc.encoding;
    b.compression = used;
    b.checksum = Crc32c(file.data() + b.offset, b.length);
    footer.blocks.push_back(b);
    footer.zone_maps.push_back(std::move(z));
  }
  const std::string fbytes = footer.Serialize();
  file += fbytes;
  ByteWriter w(&file);
  w.PutU32(static_cast<uint32_t>(fbytes.size()));
  w.PutU32(Crc32c(fbytes));
  w.PutBytes(std::string_view(kSegmentMagic, kSegmentMagicSize));
  if (stats) {
    stats->row_count = footer.row_count;
    stats->columns = std::move(footer.zone_maps);
  }
  return file;
}

}  // namespace tsl
