// SegmentReader: finds the footer from the end of the file, verifies its
// checksum and fields, then decodes column blocks on request after
// verifying each block's checksum. File layout: formats/segment.md.
// Thread-safety: immutable after Open; ReadColumn is safe concurrently
// (ByteSource::Read is; the scratch buffers are per thread).
#include "formats/segment_reader.h"

#include "formats/byte_reader.h"
#include "formats/checksum.h"
#include "formats/compression.h"
#include "formats/segment_footer.h"

namespace tsl {
namespace {

// Per-thread buffers for a block's stored and decompressed bytes, reused
// from read to read: a fresh buffer of about a megabyte per column per
// segment cost a page fault every 4 KB, a third of a tag/time-narrowed
// scan's CPU time. A buffer grown past kKeepBytes is released after use.
constexpr size_t kKeepBytes = size_t{64} << 20;
struct Scratch {
  std::string block, body;
};
Scratch& ThreadScratch() {
  thread_local Scratch s;
  return s;
}
void Release(std::string* s) {
  if (s->capacity() > kKeepBytes) std::string().swap(*s);
}

}  // namespace

struct SegmentReader::Impl {
  const ByteSource* source = nullptr;
  SegmentFooter footer;
  SegmentStats stats;
};

SegmentReader::SegmentReader() : impl_(std::make_unique<Impl>()) {}
SegmentReader::~SegmentReader() = default;

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(const ByteSource* source) {
  const std::string& name = source->name();
  const uint64_t size = source->Size();
  const auto corrupt = [&](const std::string& what) { return Status::Corruption(name + ": " + what); };
  if (size < kSegmentMagicSize + kSegmentTrailerSize)
    return corrupt("file of " + std::to_string(size) + " bytes is too short to be a segment");
  std::string head, trailer;
  RETURN_IF_ERROR(source->Read(0, kSegmentMagicSize, &head));
  if (head != std::string_view(kSegmentMagic, kSegmentMagicSize)) return corrupt("bad magic at byte offset 0: not a segment file");
  const uint64_t trailer_at = size - kSegmentTrailerSize;
  RETURN_IF_ERROR(source->Read(trailer_at, kSegmentTrailerSize, &trailer));
  ByteReader tr(trailer);
  uint32_t flen = 0, fcrc = 0;
  (void)tr.GetU32(&flen);  // sizes fixed: kSegmentTrailerSize bytes were read
  (void)tr.GetU32(&fcrc);
  if (trailer.substr(8) != std::string_view(kSegmentMagic, kSegmentMagicSize))
    return corrupt("bad trailing magic at byte offset " + std::to_string(trailer_at + 8));
  if (flen > trailer_at - kSegmentMagicSize)
    return corrupt("footer length " + std::to_string(flen) + " at byte offset " + std::to_string(trailer_at) +
                   " exceeds the file");
  const uint64_t footer_at = trailer_at - flen;
  std::string fbytes;
  RETURN_IF_ERROR(source->Read(footer_at, flen, &fbytes));
  const uint32_t actual = Crc32c(fbytes);
  if (actual != fcrc)
    return corrupt("footer checksum mismatch at byte offset " + std::to_string(footer_at) + " (stored " +
                   std::to_string(fcrc) + ", computed " + std::to_string(actual) + ")");
  auto parsed = SegmentFooter::Parse(fbytes, footer_at);
  if (!parsed.ok()) {
    const Status st = parsed.status();
    return Status(st.code(), name + ": footer at byte offset " + std::to_string(footer_at) + ": " + st.message());
  }
  std::unique_ptr<SegmentReader> r(new SegmentReader());
  r->impl_->source = source;
  r->impl_->footer = std::move(parsed).value();
  r->impl_->stats.row_count = r->impl_->footer.row_count;
  r->impl_->stats.columns = r->impl_->footer.zone_maps;
  return r;
}

const Schema& SegmentReader::schema() const { return impl_->footer.schema; }
int64_t SegmentReader::row_count() const { return impl_->footer.row_count; }
const std::string& SegmentReader::table_id() const { return impl_->footer.table_id; }
const std::string& SegmentReader::segment_id() const { return impl_->footer.segment_id; }
const SegmentStats& SegmentReader::stats() const { return impl_->stats; }

Status SegmentReader::ReadBody(int index, std::string* body, std::string* where_out) const {
  const SegmentFooter& f = impl_->footer;
  if (index < 0 || static_cast<size_t>(index) >= f.schema.size())
    return Status::InvalidArgument(impl_->source->name() + ": column index " + std::to_string(index) +
                                   " out of range (segment has " + std::to_string(f.schema.size()) + " columns)");
  const ColumnBlockInfo& b = f.blocks[static_cast<size_t>(index)];
  const Field& field = f.schema.fields[static_cast<size_t>(index)];
  const std::string where = impl_->source->name() + ": column " + std::to_string(index) + " (\"" + field.name +
                            "\") block at byte offset " + std::to_string(b.offset);
  std::string& block = ThreadScratch().block;
  Status st = impl_->source->Read(b.offset, static_cast<size_t>(b.length), &block);
  if (!st.ok()) return st.WithContext(where);
  const uint32_t actual = Crc32c(block);
  if (actual != b.checksum)
    return Status::Corruption(where + ": checksum mismatch (stored " + std::to_string(b.checksum) + ", computed " +
                              std::to_string(actual) + ")");
  ByteReader hr(block);
  uint8_t comp = 0;
  uint32_t raw_len = 0;
  (void)hr.GetU8(&comp);  // b.length >= kBlockHeaderSize was checked when parsing the footer
  (void)hr.GetU32(&raw_len);
  if (comp != static_cast<uint8_t>(b.compression))
    return Status::Corruption(where + ": block header says compression " + std::to_string(comp) + ", footer says " +
                              std::string(CompressionName(b.compression)));
  if (raw_len > kMaxBlockBodyBytes) return Status::Corruption(where + ": decoded length " + std::to_string(raw_len) + " too large");
  st = DecompressBlock(b.compression, std::string_view(block).substr(kBlockHeaderSize), raw_len, body);
  Release(&block);
  if (!st.ok()) return Status::Corruption(where + ": " + st.message());
  *where_out = where;
  return Status::OK();
}

Status SegmentReader::ReadColumn(int index, ColumnVector* out, bool keep_dictionary) const {
  std::string& body = ThreadScratch().body;
  std::string where;
  RETURN_IF_ERROR(ReadBody(index, &body, &where));
  const SegmentFooter& f = impl_->footer;
  const ColumnBlockInfo& b = f.blocks[static_cast<size_t>(index)];
  const Status st = DecodeColumn(f.schema.fields[static_cast<size_t>(index)].type, b.encoding, body,
                                 static_cast<size_t>(f.row_count), out, keep_dictionary);
  Release(&body);
  if (!st.ok())
    return Status(st.code(), where + " (" + std::string(ColumnEncodingName(b.encoding)) + ", decoded body " + st.message() + ")");
  return Status::OK();
}

Status SegmentReader::ReadColumnRanges(int index, const RowRanges& ranges, ColumnVector* out,
                                       bool keep_dictionary) const {
  std::string& body = ThreadScratch().body;
  std::string where;
  RETURN_IF_ERROR(ReadBody(index, &body, &where));
  const SegmentFooter& f = impl_->footer;
  const ColumnBlockInfo& b = f.blocks[static_cast<size_t>(index)];
  const Status st = DecodeColumnRanges(f.schema.fields[static_cast<size_t>(index)].type, b.encoding, body,
                                       static_cast<size_t>(f.row_count), ranges, out, keep_dictionary);
  Release(&body);
  if (!st.ok())
    return Status(st.code(), where + " (" + std::string(ColumnEncodingName(b.encoding)) + ", decoded body " + st.message() + ")");
  return Status::OK();
}

Status SegmentReader::MatchDictionaryRanges(int index, const std::function<bool(std::string_view)>& match,
                                            RowRanges* out, bool* used) const {
  *used = false;
  out->clear();
  const SegmentFooter& f = impl_->footer;
  if (index < 0 || static_cast<size_t>(index) >= f.schema.size() ||
      f.blocks[static_cast<size_t>(index)].encoding != ColumnEncoding::kStringDictionary)
    return Status::OK();
  std::string& body = ThreadScratch().body;
  std::string where;
  RETURN_IF_ERROR(ReadBody(index, &body, &where));
  const Status st = tsl::MatchDictionaryRanges(ColumnEncoding::kStringDictionary, body,
                                               static_cast<size_t>(f.row_count), match, out, used);
  Release(&body);
  if (!st.ok()) return Status(st.code(), where + " (dictionary, decoded body " + st.message() + ")");
  return Status::OK();
}

}  // namespace tsl
