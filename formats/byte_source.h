// ByteSource: positional reads from an immutable blob (a segment file). The
// segment reader uses it so it can fetch only the column blocks a query needs;
// storage/ adapts its RandomAccessFile to it. Implementations must be safe for
// concurrent Read calls.
#pragma once

#include <cstdint>
#include <string>

#include "formats/status.h"

namespace tsl {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t Size() const = 0;
  // Reads exactly n bytes at offset into *out, or kIOError/kCorruption
  // naming the file when fewer exist.
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  // A name for error messages (the file path).
  virtual const std::string& name() const = 0;
};

// A ByteSource over an in-memory string (tests, in-memory databases).
class StringByteSource : public ByteSource {
 public:
  StringByteSource(std::string data, std::string name)
      : data_(std::move(data)), name_(std::move(name)) {}
  uint64_t Size() const override { return data_.size(); }
  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    if (offset > data_.size() || n > data_.size() - offset)
      return Status::Corruption(name_ + ": read of " + std::to_string(n) + " bytes at offset " +
                                std::to_string(offset) + " past end of file (" +
                                std::to_string(data_.size()) + " bytes)");
    out->assign(data_, offset, n);
    return Status::OK();
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::string name_;
};

}  // namespace tsl
