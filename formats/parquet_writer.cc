// Parquet writer. See parquet_writer.h and formats/parquet.md.
#include "formats/parquet_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "formats/compression.h"
#include "formats/decimal.h"
#include "formats/parquet_encoding.h"

namespace tsl {

using parquet::Encoding;
using parquet::PhysicalType;

Result<ParquetCompression> ParseParquetCompression(std::string_view name) {
  const std::string lower = ToLower(name);
  if (lower == "uncompressed" || lower == "none") return ParquetCompression::kUncompressed;
  if (lower == "zstd") return ParquetCompression::kZstd;
  return Status::InvalidArgument("Parquet compression \"" + std::string(name) +
                                 "\" is not supported: use zstd or uncompressed");
}

namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr uint32_t kMaxDictionary = 1 << 16;

bool Supported(TypeId t) {
  return t == TypeId::kBoolean || t == TypeId::kInteger || t == TypeId::kBigint ||
         t == TypeId::kDouble || t == TypeId::kVarchar || t == TypeId::kTimestamp ||
         t == TypeId::kDate || t == TypeId::kTimestampTz || IsDecimal(t) ||
         t == TypeId::kSmallint || t == TypeId::kTinyint || t == TypeId::kTime ||
         t == TypeId::kBlob;
}

PhysicalType PhysicalOf(TypeId t) {
  switch (t) {
    case TypeId::kBoolean:
      return PhysicalType::kBoolean;
    case TypeId::kInteger:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
    case TypeId::kDate:  // days, Parquet's DATE logical type
      return PhysicalType::kInt32;
    case TypeId::kDouble:
      return PhysicalType::kDouble;
    case TypeId::kVarchar:
    case TypeId::kBlob:
      return PhysicalType::kByteArray;
    default:
      return PhysicalType::kInt64;
  }
}

void PutU32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// PLAIN encoding of one non-NULL value of `col` at `row` (not BOOLEAN).
void PutPlain(const ColumnVector& col, size_t row, std::string* out) {
  switch (col.type) {
    case TypeId::kInteger:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
    case TypeId::kDate:
      PutU32(static_cast<uint32_t>(static_cast<int32_t>(col.ints[row])), out);
      break;
    case TypeId::kDouble: {
      uint64_t bits;
      std::memcpy(&bits, &col.doubles[row], 8);
      PutU64(bits, out);
      break;
    }
    case TypeId::kVarchar:
    case TypeId::kBlob:
      PutU32(static_cast<uint32_t>(col.strings[row].size()), out);
      out->append(col.strings[row]);
      break;
    default:
      PutU64(static_cast<uint64_t>(col.ints[row]), out);
      break;
  }
}

// A statistic value PLAIN-encoded without a length prefix.
std::string StatBytes(const Value& v) {
  std::string out;
  switch (v.type()) {
    case TypeId::kBoolean:
      out.push_back(static_cast<char>(v.int_value() ? 1 : 0));
      break;
    case TypeId::kInteger:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
    case TypeId::kDate:
      PutU32(static_cast<uint32_t>(static_cast<int32_t>(v.int_value())), &out);
      break;
    case TypeId::kDouble: {
      uint64_t bits;
      const double d = v.double_value();
      std::memcpy(&bits, &d, 8);
      PutU64(bits, &out);
      break;
    }
    case TypeId::kVarchar:
    case TypeId::kBlob:
      out = v.string_value();
      break;
    default:
      PutU64(static_cast<uint64_t>(v.int_value()), &out);
      break;
  }
  return out;
}

bool Less(const ColumnVector& c, size_t a, size_t b) {
  switch (PhysicalClassOf(c.type)) {
    case PhysicalClass::kInt64:
      return c.ints[a] < c.ints[b];
    case PhysicalClass::kDouble:
      return c.doubles[a] < c.doubles[b];
    case PhysicalClass::kString:
      return c.strings[a] < c.strings[b];
  }
  return false;
}

// Dictionary key of a non-NULL value: its PLAIN bytes.
std::string DictKey(const ColumnVector& c, size_t row) {
  if (c.type == TypeId::kVarchar) return c.strings[row];
  std::string k;
  PutPlain(c, row, &k);
  return k;
}

}  // namespace

ParquetWriter::ParquetWriter(Schema schema, ParquetWriteOptions options, Sink sink)
    : schema_(std::move(schema)), options_(std::move(options)), sink_(std::move(sink)) {
  for (const Field& f : schema_.fields) {
    if (!Supported(f.type) && status_.ok())
      status_ = Status::InvalidArgument("Parquet export: column \"" + f.name + "\" has type " +
                                        std::string(TypeName(f.type)) +
                                        ", which tslake cannot write to Parquet");
    buffer_.emplace_back(f.type);
    file_stats_.push_back({Value::Null(f.type), Value::Null(f.type), 0});
  }
  metadata_.version = 1;
  metadata_.created_by = options_.created_by;
  metadata_.column_orders_type_defined = true;
  parquet::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_.size());
  metadata_.schema.push_back(root);
  for (const Field& f : schema_.fields) {
    parquet::SchemaElement e;
    e.name = f.name;
    e.repetition = parquet::Repetition::kOptional;
    e.type = PhysicalOf(f.type);
    if (f.type == TypeId::kVarchar) {
      e.converted_type = parquet::ConvertedType::kUtf8;
      e.logical_type.kind = parquet::LogicalType::kString;
    } else if (IsTimestampType(f.type)) {
      // DuckDB's mapping: isAdjustedToUTC is what tells TIMESTAMP WITH TIME
      // ZONE (an instant) from TIMESTAMP (a wall time) apart.
      e.converted_type = parquet::ConvertedType::kTimestampMicros;
      e.logical_type.kind = parquet::LogicalType::kTimestamp;
      e.logical_type.timestamp_utc = f.type == TypeId::kTimestampTz;
      e.logical_type.unit = parquet::TimeUnit::kMicros;
    } else if (f.type == TypeId::kDate) {
      e.converted_type = parquet::ConvertedType::kDate;
      e.logical_type.kind = parquet::LogicalType::kDate;
    } else if (f.type == TypeId::kSmallint || f.type == TypeId::kTinyint) {
      // INT32 annotated INT(16|8, signed), as DuckDB writes them.
      const bool small = f.type == TypeId::kSmallint;
      e.converted_type = small ? parquet::ConvertedType::kInt16 : parquet::ConvertedType::kInt8;
      e.logical_type.kind = parquet::LogicalType::kInteger;
      e.logical_type.int_bit_width = small ? 16 : 8;
      e.logical_type.int_signed = true;
    } else if (f.type == TypeId::kTime) {
      e.converted_type = parquet::ConvertedType::kTimeMicros;
      e.logical_type.kind = parquet::LogicalType::kTime;
      e.logical_type.unit = parquet::TimeUnit::kMicros;
    } else if (IsDecimal(f.type)) {
      // INT64 holding value * 10^scale, both the logical type and the
      // legacy converted type with its scale/precision (as DuckDB writes).
      e.converted_type = parquet::ConvertedType::kDecimal;
      e.logical_type.kind = parquet::LogicalType::kDecimal;
      e.logical_type.decimal_scale = e.scale.emplace(DecimalScale(f.type));
      e.logical_type.decimal_precision = e.precision.emplace(DecimalWidth(f.type));
    }
    metadata_.schema.push_back(e);
  }
}

Status ParquetWriter::Write(std::string_view bytes) {
  if (!status_.ok()) return status_;
  if (offset_ == 0) {
    status_ = sink_(kMagic);
    if (!status_.ok()) return status_;
    offset_ = kMagic.size();
  }
  status_ = sink_(bytes);
  if (status_.ok()) offset_ += bytes.size();
  return status_;
}

Status ParquetWriter::Append(const DataChunk& chunk) {
  RETURN_IF_ERROR(status_);
  if (finished_) return Status::InvalidArgument("ParquetWriter::Append after Finish");
  if (chunk.column_count() != schema_.size())
    return Status::InvalidArgument("Parquet export: chunk has " +
                                   std::to_string(chunk.column_count()) + " columns, the file " +
                                   std::to_string(schema_.size()));
  for (size_t c = 0; c < schema_.size(); ++c) {
    if (chunk.columns[c].type != schema_.fields[c].type)
      return Status::InvalidArgument("Parquet export: column \"" + schema_.fields[c].name +
                                     "\" is " + std::string(TypeName(chunk.columns[c].type)) +
                                     ", expected " + std::string(TypeName(schema_.fields[c].type)));
    buffer_[c].AppendRange(chunk.columns[c], 0, chunk.size());
  }
  total_rows_ += static_cast<int64_t>(chunk.size());
  if (!buffer_.empty() && static_cast<int64_t>(buffer_[0].size()) >= options_.row_group_rows)
    return FlushRowGroup();
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  if (buffer_.empty() || buffer_[0].size() == 0) return Status::OK();
  parquet::RowGroup group;
  group.num_rows = static_cast<int64_t>(buffer_[0].size());
  group.file_offset = static_cast<int64_t>(std::max<uint64_t>(offset_, kMagic.size()));
  int64_t compressed = 0;
  for (size_t c = 0; c < buffer_.size(); ++c) {
    parquet::ColumnChunk chunk;
    RETURN_IF_ERROR(WriteColumnChunk(c, &chunk));
    group.total_byte_size += chunk.meta_data->total_uncompressed_size;
    compressed += chunk.meta_data->total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  group.total_compressed_size = compressed;
  metadata_.row_groups.push_back(std::move(group));
  for (ColumnVector& col : buffer_) col.Clear();
  return Status::OK();
}

Status ParquetWriter::WriteColumnChunk(size_t column, parquet::ColumnChunk* out) {
  const ColumnVector& col = buffer_[column];
  const Field& field = schema_.fields[column];
  const size_t n = col.size();

  // Statistics over the non-NULL (and non-NaN) values.
  int64_t nulls = 0;
  size_t min_row = SIZE_MAX, max_row = SIZE_MAX;
  for (size_t i = 0; i < n; ++i) {
    if (col.IsNull(i)) {
      ++nulls;
      continue;
    }
    if (col.type == TypeId::kDouble && std::isnan(col.doubles[i])) continue;
    if (min_row == SIZE_MAX || Less(col, i, min_row)) min_row = i;
    if (max_row == SIZE_MAX || Less(col, max_row, i)) max_row = i;
  }
  parquet::Statistics stats;
  stats.null_count = nulls;
  ParquetColumnStats& fs = file_stats_[column];
  fs.null_count += nulls;
  if (min_row != SIZE_MAX) {
    Value lo = col.GetValue(min_row), hi = col.GetValue(max_row);
    if (lo.type() == TypeId::kDouble && lo.double_value() == 0) lo = Value::Double(-0.0);
    if (hi.type() == TypeId::kDouble && hi.double_value() == 0) hi = Value::Double(0.0);
    stats.min_value = StatBytes(lo);
    stats.max_value = StatBytes(hi);
    if (fs.min.is_null() || lo.Compare(fs.min) < 0) fs.min = lo;
    if (fs.max.is_null() || fs.max.Compare(hi) < 0) fs.max = hi;
  }

  // Dictionary when values repeat (each at least twice on average).
  std::vector<uint32_t> indexes;  // per non-NULL row, in order
  std::string dictionary_plain;
  uint32_t dictionary_size = 0;
  bool use_dictionary = false;
  const size_t non_null = n - static_cast<size_t>(nulls);
  if (options_.dictionary && col.type != TypeId::kBoolean && non_null >= 2) {
    std::unordered_map<std::string, uint32_t> ids;
    indexes.reserve(non_null);
    use_dictionary = true;
    for (size_t i = 0; i < n; ++i) {
      if (col.IsNull(i)) continue;
      auto [it, inserted] = ids.emplace(DictKey(col, i), dictionary_size);
      if (inserted) {
        PutPlain(col, i, &dictionary_plain);
        if (++dictionary_size > kMaxDictionary || dictionary_size * 2 > non_null) {
          use_dictionary = false;
          break;
        }
      }
      indexes.push_back(it->second);
    }
  }

  parquet::ColumnMetaData meta;
  meta.type = PhysicalOf(field.type);
  meta.path_in_schema = {field.name};
  meta.codec = options_.compression == ParquetCompression::kZstd ? parquet::Codec::kZstd
                                                                 : parquet::Codec::kUncompressed;
  meta.num_values = static_cast<int64_t>(n);
  meta.statistics = stats;
  meta.encodings = use_dictionary ? std::vector<Encoding>{Encoding::kPlain, Encoding::kRle,
                                                          Encoding::kRleDictionary}
                                  : std::vector<Encoding>{Encoding::kPlain, Encoding::kRle};

  // Writes one page (header + possibly compressed body).
  auto write_page = [&](parquet::PageHeader header, const std::string& body) -> Status {
    std::string stored;
    const std::string* payload = &body;
    if (options_.compression == ParquetCompression::kZstd) {
      if (!CompressBlock(Compression::kZstd, options_.zstd_level, body, &stored))
        return Status::Internal("Parquet export: zstd failed on a page of column \"" + field.name +
                                "\"");
      payload = &stored;
    }
    header.uncompressed_page_size = static_cast<int32_t>(body.size());
    header.compressed_page_size = static_cast<int32_t>(payload->size());
    std::string h;
    parquet::SerializePageHeader(header, &h);
    meta.total_uncompressed_size += static_cast<int64_t>(h.size() + body.size());
    meta.total_compressed_size += static_cast<int64_t>(h.size() + payload->size());
    RETURN_IF_ERROR(Write(h));
    return Write(*payload);
  };

  const int64_t chunk_start = static_cast<int64_t>(std::max<uint64_t>(offset_, kMagic.size()));
  if (use_dictionary) {
    meta.dictionary_page_offset = chunk_start;
    parquet::PageHeader header;
    header.type = parquet::PageType::kDictionaryPage;
    header.dictionary_page =
        parquet::DictionaryPageHeader{static_cast<int32_t>(dictionary_size), Encoding::kPlain};
    RETURN_IF_ERROR(write_page(header, dictionary_plain));
  }
  meta.data_page_offset = static_cast<int64_t>(std::max<uint64_t>(offset_, kMagic.size()));
  const int index_width = use_dictionary ? parquet::BitWidth(dictionary_size - 1) : 0;

  size_t row = 0, next_index = 0;
  std::vector<uint32_t> levels, page_indexes;
  do {
    const size_t begin = row;
    size_t bytes = 0;
    while (row < n && bytes < options_.page_bytes) {
      if (!col.IsNull(row))
        bytes += col.type == TypeId::kVarchar ? 4 + col.strings[row].size() : 8;
      else
        bytes += 1;
      ++row;
    }
    std::string body;
    levels.assign(col.valid.begin() + static_cast<ptrdiff_t>(begin),
                  col.valid.begin() + static_cast<ptrdiff_t>(row));
    std::string encoded_levels;
    parquet::EncodeRleBitPacked(levels, 1, &encoded_levels);
    PutU32(static_cast<uint32_t>(encoded_levels.size()), &body);
    body += encoded_levels;
    if (use_dictionary) {
      page_indexes.clear();
      for (size_t i = begin; i < row; ++i)
        if (!col.IsNull(i)) page_indexes.push_back(indexes[next_index++]);
      body.push_back(static_cast<char>(index_width));
      parquet::EncodeRleBitPacked(page_indexes, index_width, &body);
    } else if (col.type == TypeId::kBoolean) {
      uint8_t acc = 0;
      int bits = 0;
      for (size_t i = begin; i < row; ++i) {
        if (col.IsNull(i)) continue;
        if (col.ints[i]) acc |= static_cast<uint8_t>(1u << bits);
        if (++bits == 8) {
          body.push_back(static_cast<char>(acc));
          acc = 0;
          bits = 0;
        }
      }
      if (bits) body.push_back(static_cast<char>(acc));
    } else {
      for (size_t i = begin; i < row; ++i)
        if (!col.IsNull(i)) PutPlain(col, i, &body);
    }
    parquet::PageHeader header;
    header.type = parquet::PageType::kDataPage;
    header.data_page =
        parquet::DataPageHeader{static_cast<int32_t>(row - begin),
                                use_dictionary ? Encoding::kRleDictionary : Encoding::kPlain,
                                Encoding::kRle, Encoding::kRle};
    RETURN_IF_ERROR(write_page(header, body));
  } while (row < n);

  out->file_offset = meta.dictionary_page_offset.value_or(meta.data_page_offset);
  out->meta_data = std::move(meta);
  return Status::OK();
}

Status ParquetWriter::Finish() {
  RETURN_IF_ERROR(status_);
  if (finished_) return Status::InvalidArgument("ParquetWriter::Finish called twice");
  finished_ = true;
  RETURN_IF_ERROR(FlushRowGroup());
  metadata_.num_rows = total_rows_;
  std::string footer;
  parquet::SerializeFileMetaData(metadata_, &footer);
  PutU32(static_cast<uint32_t>(footer.size()), &footer);
  footer.append(kMagic);
  return Write(footer);
}

}  // namespace tsl
