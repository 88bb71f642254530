// Footer serialization. Layout in formats/segment.md ("Footer"); keep the
// two in step. Thread-safety: value type.
#include "formats/segment_footer.h"

#include "formats/byte_reader.h"
#include "formats/byte_writer.h"
#include "formats/checksum.h"
#include "formats/date.h"
#include "formats/decimal.h"

namespace tsl {
namespace {

void PutValue(const Value& v, TypeId type, ByteWriter* w) {
  if (v.is_null()) {
    w->PutU8(0);
    return;
  }
  w->PutU8(1);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: w->PutI64(v.int_value()); break;
    case PhysicalClass::kDouble: w->PutDouble(v.double_value()); break;
    case PhysicalClass::kString: w->PutLengthPrefixed(v.string_value()); break;
  }
}

Status GetValue(ByteReader* r, TypeId type, Value* v) {
  uint8_t present;
  if (!r->GetU8(&present) || present > 1) return r->Corrupt("zone map value flag bad");
  if (!present) {
    *v = Value::Null(type);
    return Status::OK();
  }
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: {
      int64_t i;
      if (!r->GetI64(&i)) return r->Corrupt("zone map value truncated");
      if (type == TypeId::kDate && !IsValidDate(i))
        return r->Corrupt("zone map DATE value " + std::to_string(i) + " outside " + DateRangeText());
      if (IsDecimal(type) && !DecimalFits(i, DecimalWidth(type)))
        return r->Corrupt("zone map value " + std::to_string(i) + " out of range for " +
                          std::string(TypeName(type)));
      *v = Value::FromInt(type, i);
      return Status::OK();
    }
    case PhysicalClass::kDouble: {
      double d;
      if (!r->GetDouble(&d)) return r->Corrupt("zone map value truncated");
      *v = Value::Double(d);
      return Status::OK();
    }
    case PhysicalClass::kString: {
      std::string_view s;
      if (!r->GetLengthPrefixed(&s)) return r->Corrupt("zone map value truncated");
      // UUID bounds are UUIDs; BLOB columns keep no bounds (segment_stats.cc).
      *v = type == TypeId::kUuid ? Value::FromString(type, std::string(s))
                                 : Value::Varchar(std::string(s));
      return Status::OK();
    }
  }
  return r->Corrupt("zone map value of unknown class");
}

}  // namespace

Status SetSegmentIdentity(std::string* file, const std::string& table_id,
                          const std::string& segment_id) {
  const size_t n = file->size();
  if (n < 2 * kSegmentMagicSize + kSegmentTrailerSize)
    return Status::Corruption("segment too short to hold a footer");
  ByteReader trailer(std::string_view(*file).substr(n - kSegmentTrailerSize));
  uint32_t flen = 0, fcrc = 0;
  (void)trailer.GetU32(&flen);
  (void)trailer.GetU32(&fcrc);
  if (flen > n - kSegmentTrailerSize - kSegmentMagicSize)
    return Status::Corruption("segment footer length out of range");
  const size_t footer_at = n - kSegmentTrailerSize - flen;
  ASSIGN_OR_RETURN(SegmentFooter footer,
                   SegmentFooter::Parse(std::string_view(*file).substr(footer_at, flen), footer_at));
  footer.table_id = table_id;
  footer.segment_id = segment_id;
  const std::string fbytes = footer.Serialize();
  file->resize(footer_at);
  *file += fbytes;
  ByteWriter w(file);
  w.PutU32(static_cast<uint32_t>(fbytes.size()));
  w.PutU32(Crc32c(fbytes));
  w.PutBytes(std::string_view(kSegmentMagic, kSegmentMagicSize));
  return Status::OK();
}

bool IsStoredType(TypeId t) {
  switch (t) {
    case TypeId::kBoolean:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kDouble:
    case TypeId::kVarchar:
    case TypeId::kTimestamp:
    case TypeId::kInterval:
    case TypeId::kDate:         // type code 8 since 2026-12 (segment.md)
    case TypeId::kTimestampTz:  // type code 9 since 2026-12
    case TypeId::kSmallint:     // type codes 10..14 since 2026-12
    case TypeId::kTinyint:
    case TypeId::kTime:
    case TypeId::kBlob:
    case TypeId::kUuid:
      return true;
    case TypeId::kNull: return false;
    default: break;
  }
  // LIST(T): type codes 16..31 since 2026-12, string class holding the
  // canonical encoding of list_value.md.
  if (IsList(t)) return ListElementType(t) != TypeId::kNull && CanBeListElement(ListElementType(t));
  return IsDecimal(t);  // DECIMAL(w,s): type codes 64..252 since 2026-12
}

std::string SegmentFooter::Serialize() const {
  std::string out;
  ByteWriter w(&out);
  const bool identity = !table_id.empty() || !segment_id.empty();
  w.PutU32(identity ? kSegmentFormatVersion : kSegmentFormatMajor);
  w.PutU64(static_cast<uint64_t>(row_count));
  w.PutU32(static_cast<uint32_t>(schema.size()));
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& f = schema.fields[i];
    const ColumnBlockInfo& b = blocks[i];
    const ZoneMap& z = zone_maps[i];
    w.PutLengthPrefixed(f.name);
    w.PutU8(static_cast<uint8_t>(f.type));
    w.PutU64(b.offset);
    w.PutU64(b.length);
    w.PutU8(static_cast<uint8_t>(b.encoding));
    w.PutU8(static_cast<uint8_t>(b.compression));
    w.PutU32(b.checksum);
    w.PutU64(static_cast<uint64_t>(z.row_count));
    w.PutU64(static_cast<uint64_t>(z.null_count));
    PutValue(z.min, f.type, &w);
    PutValue(z.max, f.type, &w);
  }
  if (identity) {
    w.PutLengthPrefixed(table_id);
    w.PutLengthPrefixed(segment_id);
  }
  return out;
}

Result<SegmentFooter> SegmentFooter::Parse(std::string_view bytes, uint64_t data_end) {
  ByteReader r(bytes);
  SegmentFooter f;
  uint32_t version, ncols;
  uint64_t rows;
  if (!r.GetU32(&version)) return r.Corrupt("footer truncated");
  const uint32_t major = version & 0xFFFF, minor = version >> 16;
  if (major != kSegmentFormatMajor)
    return Status::NotSupported("segment format version " + std::to_string(major) + "." + std::to_string(minor) +
                                " (this build reads version " + std::to_string(kSegmentFormatMajor) + ".x)");
  if (!r.GetU64(&rows) || !r.GetU32(&ncols)) return r.Corrupt("footer truncated");
  if (rows > static_cast<uint64_t>(kMaxSegmentRows)) return r.Corrupt("footer row count " + std::to_string(rows) + " too large");
  // Each column needs at least 40 footer bytes, which bounds ncols.
  if (ncols > r.remaining() / 40) return r.Corrupt("footer column count " + std::to_string(ncols) + " too large");
  f.row_count = static_cast<int64_t>(rows);
  for (uint32_t i = 0; i < ncols; ++i) {
    const std::string col = "column " + std::to_string(i);
    std::string_view name;
    uint8_t type, enc, comp;
    ColumnBlockInfo b;
    ZoneMap z;
    uint64_t zrows, znulls;
    if (!r.GetLengthPrefixed(&name) || !r.GetU8(&type) || !r.GetU64(&b.offset) || !r.GetU64(&b.length) ||
        !r.GetU8(&enc) || !r.GetU8(&comp) || !r.GetU32(&b.checksum) || !r.GetU64(&zrows) || !r.GetU64(&znulls))
      return r.Corrupt("footer " + col + " truncated");
    const TypeId t = static_cast<TypeId>(type);
    if (!IsStoredType(t))
      return r.Corrupt("footer " + col + " has unknown type " + std::to_string(type));
    if (!IsValidEncodingFor(t, enc)) return r.Corrupt("footer " + col + " has unknown encoding " + std::to_string(enc));
    if (comp > static_cast<uint8_t>(Compression::kZstd))
      return r.Corrupt("footer " + col + " has unknown compression " + std::to_string(comp));
    if (b.offset < kSegmentMagicSize || b.offset > data_end || b.length < kBlockHeaderSize ||
        b.length > data_end - b.offset)
      return r.Corrupt("footer " + col + " block [" + std::to_string(b.offset) + ", +" + std::to_string(b.length) +
                       ") lies outside the data region");
    if (zrows != rows || znulls > rows) return r.Corrupt("footer " + col + " zone map counts inconsistent");
    b.encoding = static_cast<ColumnEncoding>(enc);
    b.compression = static_cast<Compression>(comp);
    z.row_count = static_cast<int64_t>(zrows);
    z.null_count = static_cast<int64_t>(znulls);
    RETURN_IF_ERROR(GetValue(&r, t, &z.min));
    RETURN_IF_ERROR(GetValue(&r, t, &z.max));
    f.schema.fields.push_back(Field{std::string(name), t});
    f.blocks.push_back(b);
    f.zone_maps.push_back(std::move(z));
  }
  if (minor >= 1) {
    std::string_view table_id, segment_id;
    if (!r.GetLengthPrefixed(&table_id) || !r.GetLengthPrefixed(&segment_id))
      return r.Corrupt("footer identity (table id, segment id) truncated");
    f.table_id = std::string(table_id);
    f.segment_id = std::string(segment_id);
  }
  // A newer minor version may append fields this build does not know.
  if (minor <= kSegmentFormatMinor && !r.AtEnd())
    return r.Corrupt("footer has " + std::to_string(r.remaining()) + " trailing bytes");
  return f;
}

}  // namespace tsl
