// Thrift compact protocol. See thrift_compact.h and formats/parquet.md.
#include "formats/thrift_compact.h"

#include <cstring>

namespace tsl {

void ThriftCompactWriter::FieldHeader(int16_t id, ThriftType type) {
  const int delta = id - last_field_.back();
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    Varint(ZigZag(id));
  }
  last_field_.back() = id;
}

void ThriftCompactWriter::ListHeader(ThriftType element, size_t size) {
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<int>(element)));
  } else {
    out_->push_back(static_cast<char>(0xF0 | static_cast<int>(element)));
    Varint(size);
  }
}

Status ThriftCompactReader::Corrupt(std::string_view what) const {
  return Status::Corruption(name_ + ": " + std::string(what) + " at byte " + std::to_string(pos_) +
                            " of its Thrift metadata");
}

Status ThriftCompactReader::ReadVarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return Corrupt("truncated varint");
    const uint8_t b = static_cast<uint8_t>(data_[pos_++]);
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return Status::OK();
    }
  }
  return Corrupt("varint longer than 10 bytes");
}

static int64_t UnZigZag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)); }

Status ThriftCompactReader::ReadFieldHeader(ThriftType* type, int16_t* id) {
  if (pos_ >= data_.size()) return Corrupt("truncated struct");
  const uint8_t b = static_cast<uint8_t>(data_[pos_++]);
  *type = static_cast<ThriftType>(b & 0x0F);
  if (*type == ThriftType::kStop) return Status::OK();
  if (static_cast<int>(*type) > static_cast<int>(ThriftType::kStruct))
    return Corrupt("unknown field type");
  const int delta = b >> 4;
  if (last_field_.empty()) return Corrupt("field outside a struct");
  if (delta != 0) {
    *id = static_cast<int16_t>(last_field_.back() + delta);
  } else {
    uint64_t u;
    RETURN_IF_ERROR(ReadVarint(&u));
    *id = static_cast<int16_t>(UnZigZag(u));
  }
  last_field_.back() = *id;
  return Status::OK();
}

Status ThriftCompactReader::ReadBool(ThriftType field_type, bool* v) {
  if (field_type == ThriftType::kBoolTrue) {
    *v = true;
  } else if (field_type == ThriftType::kBoolFalse) {
    *v = false;
  } else {
    if (pos_ >= data_.size()) return Corrupt("truncated bool");
    *v = data_[pos_++] == 1;
  }
  return Status::OK();
}

Status ThriftCompactReader::ReadByte(int8_t* v) {
  if (pos_ >= data_.size()) return Corrupt("truncated byte");
  *v = static_cast<int8_t>(data_[pos_++]);
  return Status::OK();
}

Status ThriftCompactReader::ReadI32(int32_t* v) {
  uint64_t u;
  RETURN_IF_ERROR(ReadVarint(&u));
  const int64_t x = UnZigZag(u);
  if (x < INT32_MIN || x > INT32_MAX) return Corrupt("i32 out of range");
  *v = static_cast<int32_t>(x);
  return Status::OK();
}

Status ThriftCompactReader::ReadI64(int64_t* v) {
  uint64_t u;
  RETURN_IF_ERROR(ReadVarint(&u));
  *v = UnZigZag(u);
  return Status::OK();
}

Status ThriftCompactReader::ReadDouble(double* v) {
  if (data_.size() - pos_ < 8) return Corrupt("truncated double");
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i)
    bits |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  pos_ += 8;
  std::memcpy(v, &bits, 8);
  return Status::OK();
}

Status ThriftCompactReader::ReadBinary(std::string_view* v) {
  uint64_t n;
  RETURN_IF_ERROR(ReadVarint(&n));
  if (n > data_.size() - pos_) return Corrupt("binary field longer than the metadata");
  *v = data_.substr(pos_, n);
  pos_ += n;
  return Status::OK();
}

Status ThriftCompactReader::ReadBinary(std::string* v) {
  std::string_view s;
  RETURN_IF_ERROR(ReadBinary(&s));
  v->assign(s);
  return Status::OK();
}

Status ThriftCompactReader::ReadListHeader(ThriftType* element, uint32_t* size) {
  if (pos_ >= data_.size()) return Corrupt("truncated list");
  const uint8_t b = static_cast<uint8_t>(data_[pos_++]);
  *element = static_cast<ThriftType>(b & 0x0F);
  uint64_t n = b >> 4;
  if (n == 15) RETURN_IF_ERROR(ReadVarint(&n));
  // Every element takes at least one byte, except bools in a few writers.
  if (n > data_.size() - pos_ + 1 && *element != ThriftType::kBoolTrue)
    return Corrupt("list longer than the metadata");
  *size = static_cast<uint32_t>(n);
  return Status::OK();
}

Status ThriftCompactReader::Skip(ThriftType type) { return SkipDepth(type, 0); }

Status ThriftCompactReader::SkipDepth(ThriftType type, int depth) {
  if (depth > 64) return Corrupt("nesting deeper than 64");
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return Status::OK();
    case ThriftType::kByte: {
      int8_t b;
      return ReadByte(&b);
    }
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64: {
      uint64_t u;
      return ReadVarint(&u);
    }
    case ThriftType::kDouble: {
      double d;
      return ReadDouble(&d);
    }
    case ThriftType::kBinary: {
      std::string_view s;
      return ReadBinary(&s);
    }
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      uint32_t n;
      RETURN_IF_ERROR(ReadListHeader(&element, &n));
      for (uint32_t i = 0; i < n; ++i) {
        if (element == ThriftType::kBoolTrue || element == ThriftType::kBoolFalse) {
          int8_t b;
          RETURN_IF_ERROR(ReadByte(&b));
        } else {
          RETURN_IF_ERROR(SkipDepth(element, depth + 1));
        }
      }
      return Status::OK();
    }
    case ThriftType::kMap: {
      uint64_t n;
      RETURN_IF_ERROR(ReadVarint(&n));
      if (n == 0) return Status::OK();
      if (pos_ >= data_.size()) return Corrupt("truncated map");
      const uint8_t kv = static_cast<uint8_t>(data_[pos_++]);
      // Every entry takes at least two bytes (a bool key or value is a whole
      // byte inside a map), so a count past the remaining bytes is a lie; a
      // fuzzed count of 2^60 bool entries otherwise spun here for hours.
      if (n > (data_.size() - pos_) / 2) return Corrupt("map longer than the metadata");
      for (uint64_t i = 0; i < n; ++i) {
        for (const auto part : {static_cast<ThriftType>(kv >> 4), static_cast<ThriftType>(kv & 0x0F)}) {
          if (part == ThriftType::kBoolTrue || part == ThriftType::kBoolFalse) {
            int8_t b;
            RETURN_IF_ERROR(ReadByte(&b));
          } else {
            RETURN_IF_ERROR(SkipDepth(part, depth + 1));
          }
        }
      }
      return Status::OK();
    }
    case ThriftType::kStruct: {
      BeginStruct();
      while (true) {
        ThriftType t;
        int16_t id;
        RETURN_IF_ERROR(ReadFieldHeader(&t, &id));
        if (t == ThriftType::kStop) break;
        RETURN_IF_ERROR(SkipDepth(t, depth + 1));
      }
      EndStruct();
      return Status::OK();
    }
    case ThriftType::kStop:
      break;
  }
  return Corrupt("unknown type " + std::to_string(static_cast<int>(type)));
}

}  // namespace tsl
