// Parquet footer and page headers in Thrift compact form. See
// parquet_metadata.h; field ids follow parquet.thrift (formats/parquet.md).
#include "formats/parquet_metadata.h"

#include "formats/thrift_compact.h"

namespace tsl::parquet {

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kPlain:
      return "PLAIN";
    case Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::kRle:
      return "RLE";
    case Encoding::kBitPacked:
      return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "UNKNOWN_ENCODING";
}

const char* CodecName(Codec c) {
  switch (c) {
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kGzip:
      return "GZIP";
    case Codec::kLzo:
      return "LZO";
    case Codec::kBrotli:
      return "BROTLI";
    case Codec::kLz4:
      return "LZ4";
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kLz4Raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN_CODEC";
}

const char* PhysicalTypeName(PhysicalType t) {
  switch (t) {
    case PhysicalType::kBoolean:
      return "BOOLEAN";
    case PhysicalType::kInt32:
      return "INT32";
    case PhysicalType::kInt64:
      return "INT64";
    case PhysicalType::kInt96:
      return "INT96";
    case PhysicalType::kFloat:
      return "FLOAT";
    case PhysicalType::kDouble:
      return "DOUBLE";
    case PhysicalType::kByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN_TYPE";
}

namespace {

// ---- Writing ----

void WriteLogicalType(ThriftCompactWriter* w, const LogicalType& t) {
  w->FieldStructBegin(10);  // SchemaElement.logicalType
  w->FieldStructBegin(static_cast<int16_t>(t.kind));
  switch (t.kind) {
    case LogicalType::kTimestamp:
    case LogicalType::kTime:
      w->FieldBool(1, t.timestamp_utc);
      w->FieldStructBegin(2);                             // TimeUnit union
      w->FieldStructBegin(static_cast<int16_t>(t.unit));  // MILLIS=1 MICROS=2 NANOS=3
      w->EndStruct();
      w->EndStruct();
      break;
    case LogicalType::kInteger:
      w->FieldByte(1, t.int_bit_width);
      w->FieldBool(2, t.int_signed);
      break;
    case LogicalType::kDecimal:
      w->FieldI32(1, t.decimal_scale);
      w->FieldI32(2, t.decimal_precision);
      break;
    default:
      break;
  }
  w->EndStruct();
  w->EndStruct();
}

void WriteStatistics(ThriftCompactWriter* w, int16_t id, const Statistics& s) {
  w->FieldStructBegin(id);
  if (s.null_count) w->FieldI64(3, *s.null_count);
  if (s.max_value) w->FieldBinary(5, *s.max_value);
  if (s.min_value) w->FieldBinary(6, *s.min_value);
  w->EndStruct();
}

void WriteColumnMetaData(ThriftCompactWriter* w, const ColumnMetaData& m) {
  w->FieldStructBegin(3);  // ColumnChunk.meta_data
  w->FieldI32(1, static_cast<int32_t>(m.type));
  w->FieldListBegin(2, ThriftType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w->I32(static_cast<int32_t>(e));
  w->FieldListBegin(3, ThriftType::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) w->Binary(p);
  w->FieldI32(4, static_cast<int32_t>(m.codec));
  w->FieldI64(5, m.num_values);
  w->FieldI64(6, m.total_uncompressed_size);
  w->FieldI64(7, m.total_compressed_size);
  w->FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w->FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) WriteStatistics(w, 12, *m.statistics);
  w->EndStruct();
}

}  // namespace

void SerializeFileMetaData(const FileMetaData& m, std::string* out) {
  ThriftCompactWriter w(out);
  w.FieldI32(1, m.version);
  w.FieldListBegin(2, ThriftType::kStruct, m.schema.size());
  for (const SchemaElement& e : m.schema) {
    w.BeginStruct();
    if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
    if (e.type_length) w.FieldI32(2, *e.type_length);
    if (e.repetition) w.FieldI32(3, static_cast<int32_t>(*e.repetition));
    w.FieldBinary(4, e.name);
    if (e.num_children) w.FieldI32(5, *e.num_children);
    if (e.converted_type) w.FieldI32(6, static_cast<int32_t>(*e.converted_type));
    if (e.scale) w.FieldI32(7, *e.scale);
    if (e.precision) w.FieldI32(8, *e.precision);
    if (e.logical_type.kind != LogicalType::kNone) WriteLogicalType(&w, e.logical_type);
    w.EndStruct();
  }
  w.FieldI64(3, m.num_rows);
  w.FieldListBegin(4, ThriftType::kStruct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) {
    w.BeginStruct();
    w.FieldListBegin(1, ThriftType::kStruct, g.columns.size());
    for (const ColumnChunk& c : g.columns) {
      w.BeginStruct();
      if (c.file_path) w.FieldBinary(1, *c.file_path);
      w.FieldI64(2, c.file_offset);
      if (c.meta_data) WriteColumnMetaData(&w, *c.meta_data);
      w.EndStruct();
    }
    w.FieldI64(2, g.total_byte_size);
    w.FieldI64(3, g.num_rows);
    if (g.file_offset) w.FieldI64(5, *g.file_offset);
    if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
    w.EndStruct();
  }
  if (!m.key_value_metadata.empty()) {
    w.FieldListBegin(5, ThriftType::kStruct, m.key_value_metadata.size());
    for (const KeyValue& kv : m.key_value_metadata) {
      w.BeginStruct();
      w.FieldBinary(1, kv.key);
      if (kv.value) w.FieldBinary(2, *kv.value);
      w.EndStruct();
    }
  }
  if (m.created_by) w.FieldBinary(6, *m.created_by);
  if (m.column_orders_type_defined) {
    const size_t leaves = m.schema.empty() ? 0 : m.schema.size() - 1;
    w.FieldListBegin(7, ThriftType::kStruct, leaves);
    for (size_t i = 0; i < leaves; ++i) {
      w.BeginStruct();
      w.FieldStructBegin(1);  // TYPE_ORDER
      w.EndStruct();
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void SerializePageHeader(const PageHeader& h, std::string* out) {
  ThriftCompactWriter w(out);
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.data_page) {
    w.FieldStructBegin(5);
    w.FieldI32(1, h.data_page->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.data_page->encoding));
    w.FieldI32(3, static_cast<int32_t>(h.data_page->definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(h.data_page->repetition_level_encoding));
    w.EndStruct();
  }
  if (h.dictionary_page) {
    w.FieldStructBegin(7);
    w.FieldI32(1, h.dictionary_page->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.dictionary_page->encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

// ---- Reading ----

namespace {

// Calls `on_field(type, id)` for every field of the struct the reader is
// at; the callback reads or skips the value.
template <typename F>
Status ReadStruct(ThriftCompactReader* r, F&& on_field) {
  r->BeginStruct();
  while (true) {
    ThriftType type;
    int16_t id = 0;
    RETURN_IF_ERROR(r->ReadFieldHeader(&type, &id));
    if (type == ThriftType::kStop) break;
    RETURN_IF_ERROR(on_field(type, id));
  }
  r->EndStruct();
  return Status::OK();
}

template <typename F>
Status ReadList(ThriftCompactReader* r, F&& on_element) {
  ThriftType element;
  uint32_t n;
  RETURN_IF_ERROR(r->ReadListHeader(&element, &n));
  for (uint32_t i = 0; i < n; ++i) RETURN_IF_ERROR(on_element(element));
  return Status::OK();
}

template <typename E>
Status ReadEnum(ThriftCompactReader* r, E* out) {
  int32_t v;
  RETURN_IF_ERROR(r->ReadI32(&v));
  *out = static_cast<E>(v);
  return Status::OK();
}

template <typename E>
Status ReadEnum(ThriftCompactReader* r, std::optional<E>* out) {
  E e;
  RETURN_IF_ERROR(ReadEnum(r, &e));
  *out = e;
  return Status::OK();
}

Status ReadOptI32(ThriftCompactReader* r, std::optional<int32_t>* out) {
  int32_t v;
  RETURN_IF_ERROR(r->ReadI32(&v));
  *out = v;
  return Status::OK();
}
Status ReadOptI64(ThriftCompactReader* r, std::optional<int64_t>* out) {
  int64_t v;
  RETURN_IF_ERROR(r->ReadI64(&v));
  *out = v;
  return Status::OK();
}
Status ReadOptBinary(ThriftCompactReader* r, std::optional<std::string>* out) {
  std::string v;
  RETURN_IF_ERROR(r->ReadBinary(&v));
  *out = std::move(v);
  return Status::OK();
}

Status ReadLogicalType(ThriftCompactReader* r, LogicalType* t) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    if (type != ThriftType::kStruct) return r->Skip(type);
    t->kind = static_cast<LogicalType::Kind>(id);
    if (id == LogicalType::kTimestamp || id == LogicalType::kTime) {
      return ReadStruct(r, [&](ThriftType ft, int16_t fid) -> Status {
        if (fid == 1) return r->ReadBool(ft, &t->timestamp_utc);
        if (fid == 2 && ft == ThriftType::kStruct) {
          return ReadStruct(r, [&](ThriftType ut, int16_t uid) -> Status {
            t->unit = static_cast<TimeUnit>(uid);
            return r->Skip(ut);
          });
        }
        return r->Skip(ft);
      });
    }
    if (id == LogicalType::kDecimal) {
      return ReadStruct(r, [&](ThriftType ft, int16_t fid) -> Status {
        if (fid == 1) return r->ReadI32(&t->decimal_scale);
        if (fid == 2) return r->ReadI32(&t->decimal_precision);
        return r->Skip(ft);
      });
    }
    if (id == LogicalType::kInteger) {
      return ReadStruct(r, [&](ThriftType ft, int16_t fid) -> Status {
        if (fid == 1 && ft == ThriftType::kByte) return r->ReadByte(&t->int_bit_width);
        if (fid == 2) return r->ReadBool(ft, &t->int_signed);
        return r->Skip(ft);
      });
    }
    return r->Skip(type);
  });
}

Status ReadSchemaElement(ThriftCompactReader* r, SchemaElement* e) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadEnum(r, &e->type);
      case 2:
        return ReadOptI32(r, &e->type_length);
      case 3:
        return ReadEnum(r, &e->repetition);
      case 4:
        return r->ReadBinary(&e->name);
      case 5:
        return ReadOptI32(r, &e->num_children);
      case 6:
        return ReadEnum(r, &e->converted_type);
      case 7:
        return ReadOptI32(r, &e->scale);
      case 8:
        return ReadOptI32(r, &e->precision);
      case 10:
        if (type == ThriftType::kStruct) return ReadLogicalType(r, &e->logical_type);
        break;
    }
    return r->Skip(type);
  });
}

Status ReadStatistics(ThriftCompactReader* r, Statistics* s) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadOptBinary(r, &s->legacy_max);
      case 2:
        return ReadOptBinary(r, &s->legacy_min);
      case 3:
        return ReadOptI64(r, &s->null_count);
      case 5:
        return ReadOptBinary(r, &s->max_value);
      case 6:
        return ReadOptBinary(r, &s->min_value);
    }
    return r->Skip(type);
  });
}

Status ReadColumnMetaData(ThriftCompactReader* r, ColumnMetaData* m) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadEnum(r, &m->type);
      case 2:
        return ReadList(r, [&](ThriftType) -> Status {
          Encoding e;
          RETURN_IF_ERROR(ReadEnum(r, &e));
          m->encodings.push_back(e);
          return Status::OK();
        });
      case 3:
        return ReadList(r, [&](ThriftType) -> Status {
          std::string p;
          RETURN_IF_ERROR(r->ReadBinary(&p));
          m->path_in_schema.push_back(std::move(p));
          return Status::OK();
        });
      case 4:
        return ReadEnum(r, &m->codec);
      case 5:
        return r->ReadI64(&m->num_values);
      case 6:
        return r->ReadI64(&m->total_uncompressed_size);
      case 7:
        return r->ReadI64(&m->total_compressed_size);
      case 9:
        return r->ReadI64(&m->data_page_offset);
      case 11:
        return ReadOptI64(r, &m->dictionary_page_offset);
      case 12:
        if (type != ThriftType::kStruct) break;
        m->statistics.emplace();
        return ReadStatistics(r, &*m->statistics);
    }
    return r->Skip(type);
  });
}

Status ReadColumnChunk(ThriftCompactReader* r, ColumnChunk* c) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadOptBinary(r, &c->file_path);
      case 2:
        return r->ReadI64(&c->file_offset);
      case 3:
        if (type != ThriftType::kStruct) break;
        c->meta_data.emplace();
        return ReadColumnMetaData(r, &*c->meta_data);
    }
    return r->Skip(type);
  });
}

Status ReadRowGroup(ThriftCompactReader* r, RowGroup* g) {
  return ReadStruct(r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadList(r, [&](ThriftType) -> Status {
          g->columns.emplace_back();
          return ReadColumnChunk(r, &g->columns.back());
        });
      case 2:
        return r->ReadI64(&g->total_byte_size);
      case 3:
        return r->ReadI64(&g->num_rows);
      case 5:
        return ReadOptI64(r, &g->file_offset);
      case 6:
        return ReadOptI64(r, &g->total_compressed_size);
    }
    return r->Skip(type);
  });
}

}  // namespace

Result<FileMetaData> ParseFileMetaData(std::string_view data, const std::string& name) {
  ThriftCompactReader r(data, name);
  FileMetaData m;
  RETURN_IF_ERROR(ReadStruct(&r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return r.ReadI32(&m.version);
      case 2:
        return ReadList(&r, [&](ThriftType) -> Status {
          m.schema.emplace_back();
          return ReadSchemaElement(&r, &m.schema.back());
        });
      case 3:
        return r.ReadI64(&m.num_rows);
      case 4:
        return ReadList(&r, [&](ThriftType) -> Status {
          m.row_groups.emplace_back();
          return ReadRowGroup(&r, &m.row_groups.back());
        });
      case 5:
        return ReadList(&r, [&](ThriftType) -> Status {
          KeyValue kv;
          RETURN_IF_ERROR(ReadStruct(&r, [&](ThriftType t, int16_t fid) -> Status {
            if (fid == 1) return r.ReadBinary(&kv.key);
            if (fid == 2) return ReadOptBinary(&r, &kv.value);
            return r.Skip(t);
          }));
          m.key_value_metadata.push_back(std::move(kv));
          return Status::OK();
        });
      case 6:
        return ReadOptBinary(&r, &m.created_by);
      case 7:
        m.column_orders_type_defined = true;
        return r.Skip(type);
    }
    return r.Skip(type);
  }));
  return m;
}

Result<PageHeader> ParsePageHeader(std::string_view data, const std::string& name,
                                   size_t* header_size) {
  ThriftCompactReader r(data, name);
  PageHeader h;
  RETURN_IF_ERROR(ReadStruct(&r, [&](ThriftType type, int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadEnum(&r, &h.type);
      case 2:
        return r.ReadI32(&h.uncompressed_page_size);
      case 3:
        return r.ReadI32(&h.compressed_page_size);
      case 5:
        if (type != ThriftType::kStruct) break;
        h.data_page.emplace();
        return ReadStruct(&r, [&](ThriftType t, int16_t fid) -> Status {
          switch (fid) {
            case 1:
              return r.ReadI32(&h.data_page->num_values);
            case 2:
              return ReadEnum(&r, &h.data_page->encoding);
            case 3:
              return ReadEnum(&r, &h.data_page->definition_level_encoding);
            case 4:
              return ReadEnum(&r, &h.data_page->repetition_level_encoding);
          }
          return r.Skip(t);
        });
      case 7:
        if (type != ThriftType::kStruct) break;
        h.dictionary_page.emplace();
        return ReadStruct(&r, [&](ThriftType t, int16_t fid) -> Status {
          switch (fid) {
            case 1:
              return r.ReadI32(&h.dictionary_page->num_values);
            case 2:
              return ReadEnum(&r, &h.dictionary_page->encoding);
          }
          return r.Skip(t);
        });
      case 8:
        if (type != ThriftType::kStruct) break;
        h.data_page_v2.emplace();
        return ReadStruct(&r, [&](ThriftType t, int16_t fid) -> Status {
          DataPageHeaderV2& v = *h.data_page_v2;
          switch (fid) {
            case 1:
              return r.ReadI32(&v.num_values);
            case 2:
              return r.ReadI32(&v.num_nulls);
            case 3:
              return r.ReadI32(&v.num_rows);
            case 4:
              return ReadEnum(&r, &v.encoding);
            case 5:
              return r.ReadI32(&v.definition_levels_byte_length);
            case 6:
              return r.ReadI32(&v.repetition_levels_byte_length);
            case 7:
              return r.ReadBool(t, &v.is_compressed);
          }
          return r.Skip(t);
        });
    }
    return r.Skip(type);
  }));
  *header_size = r.position();
  return h;
}

}  // namespace tsl::parquet
