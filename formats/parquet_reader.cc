// Parquet reader. See parquet_reader.h and formats/parquet.md.
#include "formats/parquet_reader.h"

#include <algorithm>
#include <cstring>

#include "formats/compression.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/parquet_encoding.h"
#include "formats/timestamp.h"
#include "formats/utf8.h"

namespace tsl {

using parquet::ConvertedType;
using parquet::Encoding;
using parquet::LogicalType;
using parquet::PhysicalType;

namespace {

constexpr size_t kMaxFooter = 256u << 20;

uint32_t LoadU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
uint64_t LoadU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

}  // namespace

bool ParquetReader::ScaleInt(const Column& c, int64_t v, int64_t* out) {
  if (c.divide != 1) {
    *out = v / c.divide;
  } else if (__builtin_mul_overflow(v, c.multiply, out)) {
    *out = 0;
    return false;
  }
  if ((c.timestamp && !IsValidTimestamp(*out)) || (c.date && !IsValidDate(*out))) {
    *out = 0;
    return false;
  }
  return true;
}

Status ParquetReader::OutOfRange(size_t column, int64_t v) const {
  if (types_[column] == TypeId::kDate)
    return Status::InvalidArgument(Where(column) + ": value " + std::to_string(v) +
                                   " (days since 1970-01-01) is outside the supported DATE range (" +
                                   DateRangeText() + ")");
  return Status::InvalidArgument(Where(column) + ": value " + std::to_string(v) +
                                 " is outside the supported TIMESTAMP range (" +
                                 TimestampRangeText() + ")");
}

Status ParquetReader::NotUtf8(size_t column, std::string_view value) const {
  return Status::InvalidArgument(Where(column) + ": a value has " + DescribeInvalidUtf8(value) +
                                 " (tslake reads strings as VARCHAR, which must be UTF-8)");
}

std::string ParquetReader::Where(size_t column) const {
  return source_->name() + ": column \"" + metadata_.schema[columns_[column].schema_index].name +
         "\"";
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<ByteSource> source) {
  std::unique_ptr<ParquetReader> r(new ParquetReader(std::move(source)));
  const std::string& name = r->source_->name();
  const uint64_t size = r->source_->Size();
  if (size < 12)
    return Status::Corruption(name + ": " + std::to_string(size) +
                              " bytes is too short for a Parquet file");
  std::string head, tail;
  RETURN_IF_ERROR(r->source_->Read(0, 4, &head));
  RETURN_IF_ERROR(r->source_->Read(size - 8, 8, &tail));
  if (head != "PAR1" || tail.compare(4, 4, "PAR1") != 0) {
    if (tail.compare(4, 4, "PARE") == 0)
      return Status::NotSupported(name + ": encrypted Parquet files are not supported");
    return Status::Corruption(name + ": not a Parquet file (no PAR1 magic at its start and end)");
  }
  const uint32_t footer_len = LoadU32(tail.data());
  if (footer_len > size - 12 || footer_len > kMaxFooter)
    return Status::Corruption(name + ": footer length " + std::to_string(footer_len) +
                              " exceeds the file");
  std::string footer;
  RETURN_IF_ERROR(r->source_->Read(size - 8 - footer_len, footer_len, &footer));
  ASSIGN_OR_RETURN(r->metadata_, parquet::ParseFileMetaData(footer, name));
  RETURN_IF_ERROR(r->MapSchema());
  return r;
}

Status ParquetReader::MapSchema() {
  const std::string& name = source_->name();
  const auto& elems = metadata_.schema;
  if (elems.empty()) return Status::Corruption(name + ": the footer has no schema");
  const int32_t children = elems[0].num_children.value_or(0);
  if (static_cast<size_t>(children) != elems.size() - 1) {
    for (size_t i = 1; i < elems.size(); ++i)
      if (elems[i].num_children.value_or(0) > 0)
        return Status::NotSupported(
            name + ": column \"" + elems[i].name +
            "\" is a nested group (struct, list or map); tslake reads flat columns only");
    return Status::Corruption(name + ": the schema root declares " + std::to_string(children) +
                              " columns but lists " + std::to_string(elems.size() - 1));
  }
  for (size_t i = 1; i < elems.size(); ++i) {
    const parquet::SchemaElement& e = elems[i];
    Column c;
    c.schema_index = i;
    columns_.push_back(c);
    Column& col = columns_.back();
    auto unsupported = [&](const std::string& what) {
      return Status::NotSupported(
          name + ": column \"" + e.name + "\": " + what +
          " is not supported (tslake reads BOOLEAN, INT32, INT64, FLOAT, DOUBLE, strings and "
          "timestamps)");
    };
    if (e.num_children.value_or(0) > 0)
      return Status::NotSupported(
          name + ": column \"" + e.name +
          "\" is a nested group (struct, list or map); tslake reads flat columns only");
    if (!e.type)
      return Status::Corruption(name + ": column \"" + e.name + "\" has no physical type");
    if (e.repetition == parquet::Repetition::kRepeated) return unsupported("a REPEATED column");
    col.physical = *e.type;
    col.max_definition = e.repetition == parquet::Repetition::kRequired ? 0 : 1;
    const LogicalType& lt = e.logical_type;
    const bool decimal =
        lt.kind == LogicalType::kDecimal || e.converted_type == ConvertedType::kDecimal;
    TypeId type = TypeId::kNull;
    if (decimal) {
      // INT32/INT64 holding value * 10^scale (DuckDB's choice up to 18
      // digits); wider decimals (FIXED_LEN_BYTE_ARRAY) need 128 bits.
      const int32_t precision = lt.kind == LogicalType::kDecimal ? lt.decimal_precision : e.precision.value_or(0);
      const int32_t scale = lt.kind == LogicalType::kDecimal ? lt.decimal_scale : e.scale.value_or(0);
      if (*e.type != PhysicalType::kInt32 && *e.type != PhysicalType::kInt64)
        return unsupported("DECIMAL stored as " + std::string(*e.type == PhysicalType::kFixedLenByteArray
                                                                   ? "FIXED_LEN_BYTE_ARRAY"
                                                                   : "BYTE_ARRAY"));
      Result<TypeId> t = MakeDecimalType(precision, scale);
      if (!t.ok()) return unsupported("DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ")");
      schema_.fields.push_back({e.name, *t});
      types_.push_back(*t);
      continue;
    }
    switch (*e.type) {
      case PhysicalType::kBoolean:
        type = TypeId::kBoolean;
        break;
      case PhysicalType::kInt32:
        if (lt.kind == LogicalType::kDate || e.converted_type == ConvertedType::kDate) {
          type = TypeId::kDate;
          col.date = true;
        } else if (lt.kind == LogicalType::kTime ||
                   e.converted_type == ConvertedType::kTimeMillis) {
          return unsupported("TIME");
        } else if ((lt.kind == LogicalType::kInteger && lt.int_signed && lt.int_bit_width == 16) ||
                   e.converted_type == ConvertedType::kInt16) {
          type = TypeId::kSmallint;
        } else if ((lt.kind == LogicalType::kInteger && lt.int_signed && lt.int_bit_width == 8) ||
                   e.converted_type == ConvertedType::kInt8) {
          type = TypeId::kTinyint;
        } else if ((lt.kind == LogicalType::kInteger && !lt.int_signed && lt.int_bit_width == 32) ||
                   e.converted_type == ConvertedType::kUint32) {
          type = TypeId::kBigint;
          col.as_unsigned32 = true;
        } else {
          type = TypeId::kInteger;
        }
        break;
      case PhysicalType::kInt64:
        if (lt.kind == LogicalType::kTimestamp ||
            e.converted_type == ConvertedType::kTimestampMicros ||
            e.converted_type == ConvertedType::kTimestampMillis) {
          // isAdjustedToUTC: an instant, TIMESTAMP WITH TIME ZONE (as DuckDB
          // reads it); otherwise, and for the legacy converted types alone,
          // a TIMESTAMP.
          type = lt.kind == LogicalType::kTimestamp && lt.timestamp_utc ? TypeId::kTimestampTz
                                                                        : TypeId::kTimestamp;
          col.timestamp = true;
          const parquet::TimeUnit unit = lt.kind == LogicalType::kTimestamp ? lt.unit
                                         : e.converted_type == ConvertedType::kTimestampMillis
                                             ? parquet::TimeUnit::kMillis
                                             : parquet::TimeUnit::kMicros;
          if (unit == parquet::TimeUnit::kMillis) col.multiply = 1000;
          if (unit == parquet::TimeUnit::kNanos) col.divide = 1000;
        } else if ((lt.kind == LogicalType::kTime && lt.unit == parquet::TimeUnit::kMicros) ||
                   (lt.kind == LogicalType::kNone && e.converted_type == ConvertedType::kTimeMicros)) {
          type = TypeId::kTime;
        } else if (lt.kind == LogicalType::kTime) {
          return unsupported("TIME in nanoseconds");
        } else if ((lt.kind == LogicalType::kInteger && !lt.int_signed) ||
                   e.converted_type == ConvertedType::kUint64) {
          return unsupported("UINT64");
        } else {
          type = TypeId::kBigint;
        }
        break;
      case PhysicalType::kFloat:
      case PhysicalType::kDouble:
        type = TypeId::kDouble;
        break;
      case PhysicalType::kByteArray:
        // Without an annotation the bytes are a BLOB, as DuckDB reads them.
        type = lt.kind == LogicalType::kNone && !e.converted_type.has_value() ? TypeId::kBlob
                                                                               : TypeId::kVarchar;
        break;
      case PhysicalType::kInt96:
        return unsupported("INT96 (legacy timestamp)");
      case PhysicalType::kFixedLenByteArray:
        return unsupported("FIXED_LEN_BYTE_ARRAY");
    }
    schema_.fields.push_back({e.name, type});
    types_.push_back(type);
  }
  return Status::OK();
}

Status ParquetReader::Decompress(parquet::Codec codec, std::string_view stored, size_t raw_length,
                                 size_t column, std::string* out) const {
  Status s;
  switch (codec) {
    case parquet::Codec::kUncompressed:
      s = DecompressBlock(Compression::kNone, stored, raw_length, out);
      break;
    case parquet::Codec::kZstd:
      s = DecompressBlock(Compression::kZstd, stored, raw_length, out);
      break;
    case parquet::Codec::kLz4Raw:
      s = DecompressBlock(Compression::kLz4, stored, raw_length, out);
      break;
    case parquet::Codec::kSnappy:
      s = parquet::SnappyDecompress(stored, raw_length, out);
      break;
    default:
      return Status::NotSupported(
          Where(column) + ": compression " + parquet::CodecName(codec) +
          " is not supported (tslake reads UNCOMPRESSED, SNAPPY, ZSTD and LZ4_RAW)");
  }
  if (!s.ok()) return Status::Corruption(Where(column) + ": " + s.message());
  return Status::OK();
}

Status ParquetReader::DecodePlain(std::string_view data, size_t column, size_t count,
                                  ColumnVector* out) const {
  const Column& c = columns_[column];
  auto truncated = [&]() {
    return Status::Corruption(Where(column) + ": page holds fewer than " + std::to_string(count) +
                              " values");
  };
  Status range_error;
  auto put_int = [&](int64_t v) {
    int64_t scaled;
    if (!ScaleInt(c, v, &scaled) && range_error.ok()) range_error = OutOfRange(column, v);
    out->AppendInt(scaled);
  };
  switch (c.physical) {
    case PhysicalType::kBoolean:
      if (data.size() * 8 < count) return truncated();
      for (size_t i = 0; i < count; ++i)
        out->AppendInt((static_cast<uint8_t>(data[i / 8]) >> (i % 8)) & 1);
      return Status::OK();
    case PhysicalType::kInt32:
      if (data.size() / 4 < count) return truncated();
      for (size_t i = 0; i < count; ++i) {
        const uint32_t u = LoadU32(data.data() + 4 * i);
        put_int(c.as_unsigned32 ? static_cast<int64_t>(u)
                                : static_cast<int64_t>(static_cast<int32_t>(u)));
      }
      return range_error;
    case PhysicalType::kInt64:
      if (data.size() / 8 < count) return truncated();
      for (size_t i = 0; i < count; ++i)
        put_int(static_cast<int64_t>(LoadU64(data.data() + 8 * i)));
      return range_error;
    case PhysicalType::kFloat:
      if (data.size() / 4 < count) return truncated();
      for (size_t i = 0; i < count; ++i) {
        const uint32_t u = LoadU32(data.data() + 4 * i);
        float f;
        std::memcpy(&f, &u, 4);
        out->AppendDouble(f);
      }
      return Status::OK();
    case PhysicalType::kDouble:
      if (data.size() / 8 < count) return truncated();
      for (size_t i = 0; i < count; ++i) {
        const uint64_t u = LoadU64(data.data() + 8 * i);
        double d;
        std::memcpy(&d, &u, 8);
        out->AppendDouble(d);
      }
      return Status::OK();
    case PhysicalType::kByteArray: {
      size_t pos = 0;
      for (size_t i = 0; i < count; ++i) {
        if (data.size() - pos < 4) return truncated();
        const uint32_t len = LoadU32(data.data() + pos);
        pos += 4;
        if (data.size() - pos < len) return truncated();
        if (types_[column] != TypeId::kBlob && !IsValidUtf8(data.substr(pos, len)))
          return NotUtf8(column, data.substr(pos, len));
        out->AppendString(std::string(data.substr(pos, len)));
        pos += len;
      }
      return Status::OK();
    }
    default:
      break;
  }
  return Status::NotSupported(Where(column) + ": physical type not supported");
}

Status ParquetReader::ReadColumnChunk(const parquet::ColumnChunk& chunk, size_t column,
                                      int64_t rows, ColumnVector* out) {
  if (chunk.file_path)
    return Status::NotSupported(Where(column) + ": column data in another file (" +
                                *chunk.file_path + ") is not supported");
  if (!chunk.meta_data)
    return Status::Corruption(Where(column) + ": column chunk without metadata");
  const parquet::ColumnMetaData& meta = *chunk.meta_data;
  const Column& c = columns_[column];
  if (meta.type != c.physical)
    return Status::Corruption(Where(column) + ": chunk type differs from the schema's");
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start)
    start = *meta.dictionary_page_offset;
  const uint64_t size = source_->Size();
  if (start < 4 || meta.total_compressed_size < 0 || static_cast<uint64_t>(start) > size ||
      static_cast<uint64_t>(meta.total_compressed_size) > size - static_cast<uint64_t>(start))
    return Status::Corruption(Where(column) + ": column chunk at byte " + std::to_string(start) +
                              " (" + std::to_string(meta.total_compressed_size) +
                              " bytes) lies outside the file");
  std::string bytes;
  RETURN_IF_ERROR(source_->Read(static_cast<uint64_t>(start),
                                static_cast<size_t>(meta.total_compressed_size), &bytes));

  out->Clear();
  out->type = types_[column];
  out->Reserve(static_cast<size_t>(std::min<int64_t>(rows, 1 << 20)));
  ColumnVector dictionary(types_[column]);
  bool have_dictionary = false;
  std::string page, decoded_values;
  std::vector<uint32_t> levels, indexes;
  ColumnVector dense(types_[column]);
  size_t pos = 0;
  const std::string what = Where(column);
  while (static_cast<int64_t>(out->size()) < rows) {
    if (pos >= bytes.size())
      return Status::Corruption(what + ": pages end after " + std::to_string(out->size()) + " of " +
                                std::to_string(rows) + " values");
    size_t header_size = 0;
    ASSIGN_OR_RETURN(parquet::PageHeader header,
                     parquet::ParsePageHeader(std::string_view(bytes).substr(pos), source_->name(),
                                              &header_size));
    pos += header_size;
    if (header.compressed_page_size < 0 || header.uncompressed_page_size < 0 ||
        static_cast<size_t>(header.compressed_page_size) > bytes.size() - pos)
      return Status::Corruption(what + ": page of " + std::to_string(header.compressed_page_size) +
                                " bytes runs past its column chunk");
    std::string_view stored =
        std::string_view(bytes).substr(pos, static_cast<size_t>(header.compressed_page_size));
    pos += static_cast<size_t>(header.compressed_page_size);
    const size_t raw_size = static_cast<size_t>(header.uncompressed_page_size);

    if (header.type == parquet::PageType::kDictionaryPage) {
      if (!header.dictionary_page)
        return Status::Corruption(what + ": dictionary page without its header");
      const Encoding e = header.dictionary_page->encoding;
      if (e != Encoding::kPlain && e != Encoding::kPlainDictionary)
        return Status::NotSupported(what + ": dictionary encoding " + parquet::EncodingName(e) +
                                    " is not supported");
      RETURN_IF_ERROR(Decompress(meta.codec, stored, raw_size, column, &page));
      dictionary.Clear();
      dictionary.type = types_[column];
      if (header.dictionary_page->num_values < 0)
        return Status::Corruption(what + ": negative dictionary size");
      RETURN_IF_ERROR(DecodePlain(
          page, column, static_cast<size_t>(header.dictionary_page->num_values), &dictionary));
      have_dictionary = true;
      continue;
    }
    if (header.type != parquet::PageType::kDataPage &&
        header.type != parquet::PageType::kDataPageV2)
      continue;

    size_t num_values;
    Encoding encoding;
    std::string_view level_bytes, value_bytes;
    std::string_view levels_v1;
    bool levels_length_prefixed = false;
    if (header.type == parquet::PageType::kDataPage) {
      if (!header.data_page) return Status::Corruption(what + ": data page without its header");
      if (header.data_page->num_values < 0)
        return Status::Corruption(what + ": negative value count");
      num_values = static_cast<size_t>(header.data_page->num_values);
      encoding = header.data_page->encoding;
      RETURN_IF_ERROR(Decompress(meta.codec, stored, raw_size, column, &page));
      level_bytes = page;
      levels_length_prefixed = true;
    } else {
      if (!header.data_page_v2)
        return Status::Corruption(what + ": data page v2 without its header");
      const parquet::DataPageHeaderV2& v2 = *header.data_page_v2;
      if (v2.num_values < 0 || v2.repetition_levels_byte_length < 0 ||
          v2.definition_levels_byte_length < 0)
        return Status::Corruption(what + ": bad data page v2 header");
      if (v2.repetition_levels_byte_length != 0)
        return Status::NotSupported(what + ": repetition levels (nested data) are not supported");
      num_values = static_cast<size_t>(v2.num_values);
      encoding = v2.encoding;
      const size_t level_len = static_cast<size_t>(std::max(0, v2.definition_levels_byte_length));
      if (level_len > stored.size() || level_len > raw_size)
        return Status::Corruption(what + ": levels exceed the page");
      level_bytes = stored.substr(0, level_len);
      if (v2.is_compressed) {
        RETURN_IF_ERROR(Decompress(meta.codec, stored.substr(level_len), raw_size - level_len,
                                   column, &decoded_values));
      } else {
        decoded_values.assign(stored.substr(level_len));
      }
      page.assign(level_bytes);
      page += decoded_values;
      level_bytes = std::string_view(page).substr(0, level_len);
    }
    if (static_cast<int64_t>(out->size() + num_values) > rows)
      return Status::Corruption(what + ": pages hold more values than the row group's " +
                                std::to_string(rows));

    // Definition levels -> validity.
    size_t value_offset = 0;
    size_t non_null = num_values;
    levels.clear();
    if (c.max_definition > 0) {
      std::string_view encoded;
      if (levels_length_prefixed) {
        if (page.size() < 4) return Status::Corruption(what + ": truncated definition levels");
        const uint32_t len = LoadU32(page.data());
        if (len > page.size() - 4)
          return Status::Corruption(what + ": definition levels exceed the page");
        encoded = std::string_view(page).substr(4, len);
        value_offset = 4 + len;
      } else {
        encoded = level_bytes;
        value_offset = level_bytes.size();
      }
      RETURN_IF_ERROR(parquet::DecodeRleBitPacked(encoded, 1, num_values, 1,
                                                  what + " definition levels", &levels));
      non_null = 0;
      for (uint32_t l : levels) non_null += l;
    } else if (!levels_length_prefixed) {
      value_offset = level_bytes.size();
    }
    const std::string_view values = std::string_view(page).substr(value_offset);

    dense.Clear();
    dense.type = types_[column];
    if (encoding == Encoding::kPlain) {
      RETURN_IF_ERROR(DecodePlain(values, column, non_null, &dense));
    } else if (encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary) {
      if (!have_dictionary)
        return Status::Corruption(what + ": dictionary-encoded page without a dictionary page");
      if (non_null > 0) {
        if (values.empty()) return Status::Corruption(what + ": dictionary page body is empty");
        const int width = static_cast<uint8_t>(values[0]);
        const uint32_t max_index =
            dictionary.size() == 0 ? 0 : static_cast<uint32_t>(dictionary.size() - 1);
        RETURN_IF_ERROR(parquet::DecodeRleBitPacked(values.substr(1), width, non_null, max_index,
                                                    what + " dictionary indexes", &indexes));
        if (dictionary.size() == 0)
          return Status::Corruption(what + ": index into an empty dictionary");
        std::vector<uint32_t> sel(indexes.begin(), indexes.end());
        dense.AppendSelection(dictionary, sel);
      }
    } else if (encoding == Encoding::kDeltaBinaryPacked &&
               (c.physical == PhysicalType::kInt32 || c.physical == PhysicalType::kInt64)) {
      std::vector<int64_t> ints;
      size_t used = 0;
      RETURN_IF_ERROR(parquet::DecodeDeltaBinaryPacked(values, non_null, what, &ints, &used));
      for (size_t i = 0; i < non_null; ++i) {
        int64_t v = ints[i];
        if (c.physical == PhysicalType::kInt32)
          v = c.as_unsigned32 ? static_cast<int64_t>(static_cast<uint32_t>(v))
                              : static_cast<int32_t>(v);
        int64_t scaled;
        if (!ScaleInt(c, v, &scaled)) return OutOfRange(column, v);
        dense.AppendInt(scaled);
      }
    } else if (encoding == Encoding::kByteStreamSplit &&
               (c.physical == PhysicalType::kFloat || c.physical == PhysicalType::kDouble ||
                c.physical == PhysicalType::kInt32 || c.physical == PhysicalType::kInt64)) {
      const size_t width =
          c.physical == PhysicalType::kFloat || c.physical == PhysicalType::kInt32 ? 4 : 8;
      if (values.size() / width < non_null)
        return Status::Corruption(what + ": BYTE_STREAM_SPLIT page holds fewer than " +
                                  std::to_string(non_null) + " values");
      std::string plain(non_null * width, '\0');
      for (size_t i = 0; i < non_null; ++i)
        for (size_t b = 0; b < width; ++b) plain[i * width + b] = values[b * non_null + i];
      RETURN_IF_ERROR(DecodePlain(plain, column, non_null, &dense));
    } else if ((encoding == Encoding::kDeltaLengthByteArray ||
                encoding == Encoding::kDeltaByteArray) &&
               c.physical == PhysicalType::kByteArray) {
      std::vector<int64_t> prefixes, lengths;
      size_t used = 0, used2 = 0;
      std::string_view rest = values;
      if (encoding == Encoding::kDeltaByteArray) {
        RETURN_IF_ERROR(parquet::DecodeDeltaBinaryPacked(rest, non_null, what, &prefixes, &used));
        rest = rest.substr(used);
      }
      RETURN_IF_ERROR(parquet::DecodeDeltaBinaryPacked(rest, non_null, what, &lengths, &used2));
      rest = rest.substr(used2);
      std::string previous;
      for (size_t i = 0; i < non_null; ++i) {
        if (lengths[i] < 0 || static_cast<uint64_t>(lengths[i]) > rest.size())
          return Status::Corruption(what + ": string length past the page");
        std::string v;
        if (encoding == Encoding::kDeltaByteArray) {
          if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > previous.size())
            return Status::Corruption(what +
                                      ": DELTA_BYTE_ARRAY prefix longer than the previous value");
          v = previous.substr(0, static_cast<size_t>(prefixes[i]));
        }
        v.append(rest.substr(0, static_cast<size_t>(lengths[i])));
        rest = rest.substr(static_cast<size_t>(lengths[i]));
        previous = v;
        if (types_[column] != TypeId::kBlob && !IsValidUtf8(v)) return NotUtf8(column, v);
        dense.AppendString(std::move(v));
      }
    } else {
      return Status::NotSupported(
          what + ": encoding " + parquet::EncodingName(encoding) +
          " is not supported for this column (tslake reads PLAIN, RLE_DICTIONARY, "
          "DELTA_BINARY_PACKED, DELTA_(LENGTH_)BYTE_ARRAY and BYTE_STREAM_SPLIT)");
    }
    if (c.max_definition == 0) {
      out->AppendRange(dense, 0, dense.size());
    } else {
      size_t k = 0;
      const size_t base = out->size();
      out->Resize(base + num_values);  // new rows are NULL
      for (size_t i = 0; i < num_values; ++i) {
        if (!levels[i]) continue;
        out->valid[base + i] = 1;
        switch (PhysicalClassOf(dense.type)) {
          case PhysicalClass::kInt64:
            out->ints[base + i] = dense.ints[k];
            break;
          case PhysicalClass::kDouble:
            out->doubles[base + i] = dense.doubles[k];
            break;
          case PhysicalClass::kString:
            out->strings[base + i] = std::move(dense.strings[k]);
            break;
        }
        ++k;
      }
    }
  }
  return Status::OK();
}

Status ParquetReader::LoadRowGroup(size_t g) {
  const parquet::RowGroup& group = metadata_.row_groups[g];
  if (group.columns.size() != columns_.size())
    return Status::Corruption(source_->name() + ": row group " + std::to_string(g) + " has " +
                              std::to_string(group.columns.size()) + " columns, the schema " +
                              std::to_string(columns_.size()));
  if (group.num_rows < 0) return Status::Corruption(source_->name() + ": negative row count");
  // One row group is decoded in memory; a claim beyond this is a crafted
  // file or one no writer tslake knows produces.
  constexpr int64_t kMaxRowGroupRows = int64_t{1} << 28;
  if (group.num_rows > kMaxRowGroupRows)
    return Status::NotSupported(source_->name() + ": row group " + std::to_string(g) + " has " +
                                std::to_string(group.num_rows) + " rows, over tslake's limit of " +
                                std::to_string(kMaxRowGroupRows));
  group_.resize(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c)
    RETURN_IF_ERROR(ReadColumnChunk(group.columns[c], c, group.num_rows, &group_[c]));
  group_rows_ = static_cast<size_t>(group.num_rows);
  group_pos_ = 0;
  return Status::OK();
}

Result<bool> ParquetReader::Next(DataChunk* out) {
  out->Initialize(types_);
  while (group_pos_ >= group_rows_) {
    if (next_group_ >= metadata_.row_groups.size()) return false;
    RETURN_IF_ERROR(LoadRowGroup(next_group_++));
  }
  const size_t end = std::min(group_rows_, group_pos_ + kVectorSize);
  for (size_t c = 0; c < columns_.size(); ++c)
    out->columns[c].AppendRange(group_[c], group_pos_, end);
  group_pos_ = end;
  return true;
}

}  // namespace tsl
