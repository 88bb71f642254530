// LZ4 / Zstd wrappers. Both libraries' decompressors are bounded by the
// output capacity we give them, so malformed input cannot write out of
// bounds. Thread-safety: pure functions.
#include "formats/compression.h"

#include <climits>

#include <lz4.h>
#include <zstd.h>

namespace tsl {

bool CompressBlock(Compression c, int zstd_level, std::string_view raw, std::string* out) {
  switch (c) {
    case Compression::kNone: return false;
    case Compression::kLz4: {
      if (raw.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return false;
      out->resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw.size()))));
      const int n = LZ4_compress_default(raw.data(), out->data(), static_cast<int>(raw.size()),
                                         static_cast<int>(out->size()));
      if (n <= 0) return false;
      out->resize(static_cast<size_t>(n));
      return true;
    }
    case Compression::kZstd: {
      out->resize(ZSTD_compressBound(raw.size()));
      const size_t n = ZSTD_compress(out->data(), out->size(), raw.data(), raw.size(), zstd_level);
      if (ZSTD_isError(n)) return false;
      out->resize(n);
      return true;
    }
  }
  return false;
}

Status DecompressBlock(Compression c, std::string_view stored, size_t raw_length, std::string* out) {
  // Allocation happens only after the claimed length is plausible for the
  // stored bytes, so a crafted header cannot demand gigabytes.
  switch (c) {
    case Compression::kNone:
      if (stored.size() != raw_length) return Status::Corruption("uncompressed block length mismatch");
      out->assign(stored);
      return Status::OK();
    case Compression::kLz4: {
      if (stored.size() > INT_MAX || raw_length > INT_MAX) return Status::Corruption("lz4 block too large");
      if (raw_length / 255 > stored.size())  // LZ4's maximum ratio is below 255:1
        return Status::Corruption("lz4 block of " + std::to_string(stored.size()) + " bytes cannot hold " +
                                  std::to_string(raw_length));
      out->resize(raw_length);
      const int n = LZ4_decompress_safe(stored.data(), out->data(), static_cast<int>(stored.size()),
                                        static_cast<int>(raw_length));
      if (n < 0 || static_cast<size_t>(n) != raw_length)
        return Status::Corruption("lz4 block does not decompress to " + std::to_string(raw_length) + " bytes");
      return Status::OK();
    }
    case Compression::kZstd: {
      const unsigned long long claimed = ZSTD_getFrameContentSize(stored.data(), stored.size());
      if (claimed != raw_length)
        return Status::Corruption("zstd frame content size does not match the block's " + std::to_string(raw_length) +
                                  " bytes");
      out->resize(raw_length);
      const size_t n = ZSTD_decompress(out->data(), raw_length, stored.data(), stored.size());
      if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
      if (n != raw_length)
        return Status::Corruption("zstd block does not decompress to " + std::to_string(raw_length) + " bytes");
      return Status::OK();
    }
  }
  return Status::Corruption("unknown compression " + std::to_string(static_cast<int>(c)));
}

}  // namespace tsl
