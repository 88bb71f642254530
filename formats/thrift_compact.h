// Thrift's compact protocol, just enough for Parquet's footer and page
// headers (formats/parquet.md, "Thrift compact protocol"): a writer that
// emits structs, fields, lists and scalars, and a bounds-checked reader that
// walks the same and skips fields it does not know. No generated code and no
// libthrift. Thread-safety: one owner at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl {

// Compact-protocol type codes (in field headers and list headers).
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class ThriftCompactWriter {
 public:
  explicit ThriftCompactWriter(std::string* out) : out_(out) { last_field_.push_back(0); }

  // Fields of the current struct. Field ids must increase within a struct
  // for the short (delta) header; any order is still valid.
  void FieldBool(int16_t id, bool v) {
    FieldHeader(id, v ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
  }
  void FieldByte(int16_t id, int8_t v) {
    FieldHeader(id, ThriftType::kByte);
    out_->push_back(static_cast<char>(v));
  }
  void FieldI32(int16_t id, int32_t v) {
    FieldHeader(id, ThriftType::kI32);
    I32(v);
  }
  void FieldI64(int16_t id, int64_t v) {
    FieldHeader(id, ThriftType::kI64);
    I64(v);
  }
  void FieldBinary(int16_t id, std::string_view v) {
    FieldHeader(id, ThriftType::kBinary);
    Binary(v);
  }
  // Starts a nested struct field; close it with EndStruct().
  void FieldStructBegin(int16_t id) {
    FieldHeader(id, ThriftType::kStruct);
    BeginStruct();
  }
  // A list field's header; then write `size` elements with the element
  // writers below (I32, I64, Binary, or BeginStruct/EndStruct).
  void FieldListBegin(int16_t id, ThriftType element, size_t size) {
    FieldHeader(id, ThriftType::kList);
    ListHeader(element, size);
  }

  // A struct value (a list element or the top-level struct).
  void BeginStruct() { last_field_.push_back(0); }
  void EndStruct() {
    out_->push_back(0);  // STOP
    last_field_.pop_back();
  }
  // Element writers (raw values without field headers).
  void I32(int32_t v) { Varint(ZigZag(v)); }
  void I64(int64_t v) { Varint(ZigZag(v)); }
  void Binary(std::string_view v) {
    Varint(v.size());
    out_->append(v);
  }

 private:
  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void FieldHeader(int16_t id, ThriftType type);
  void ListHeader(ThriftType element, size_t size);

  std::string* out_;
  std::vector<int16_t> last_field_;  // last field id per open struct
};

// Reads what ThriftCompactWriter writes (and what other Thrift writers
// produce). Every method returns kCorruption "<what> at byte N of <name>"
// on truncated or malformed input; nesting is limited to 64 levels.
class ThriftCompactReader {
 public:
  ThriftCompactReader(std::string_view data, std::string name)
      : data_(data), name_(std::move(name)) {}

  size_t position() const { return pos_; }

  void BeginStruct() { last_field_.push_back(0); }
  void EndStruct() { last_field_.pop_back(); }
  // The next field's header; *type = kStop at the end of the struct.
  Status ReadFieldHeader(ThriftType* type, int16_t* id);
  // Values. ReadBool takes the field's type (compact bools live in it) or
  // reads a byte inside lists.
  Status ReadBool(ThriftType field_type, bool* v);
  Status ReadByte(int8_t* v);
  Status ReadI32(int32_t* v);
  Status ReadI64(int64_t* v);
  Status ReadDouble(double* v);
  Status ReadBinary(std::string_view* v);
  Status ReadBinary(std::string* v);
  Status ReadListHeader(ThriftType* element, uint32_t* size);
  // Skips one value of `type` (with nested structs/lists/maps).
  Status Skip(ThriftType type);

  Status Corrupt(std::string_view what) const;

 private:
  Status ReadVarint(uint64_t* v);
  Status SkipDepth(ThriftType type, int depth);

  std::string_view data_;
  std::string name_;
  size_t pos_ = 0;
  std::vector<int16_t> last_field_;
};

}  // namespace tsl
