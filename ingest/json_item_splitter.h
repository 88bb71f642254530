// JsonItemSplitter: streams the `Items` elements out of a PI Web API style
// JSON response of any size in constant memory. It reads the file in
// blocks and tracks only the structure (objects, arrays, strings) down to
// the `Items` arrays; each element of such an array (a point of a
// `streams/{webId}/recorded` response, or a whole stream of a
// `streamsets/recorded` response) is handed out as its raw bytes, padded
// for simdjson, to be parsed on its own.
//
// Shapes walked: a root object whose `Items` array holds the elements; its
// `Errors` array (each entry handed out as an error); `Links` and other
// keys skipped; any other object-valued key (a `batch` response's
// sub-request ids) and a `Content` key walked as a nested response. A root
// array is taken as the items themselves.
//
// Memory: one block plus the largest single element (bounded by
// max_element_bytes; a stream of a streamsets response is one element).
//
// Errors: kInvalidArgument naming the file, byte offset and JSON path for
// malformed JSON; kNotFound for a missing file; kIOError for a read error.
// Thread-safety: one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl {

struct JsonItem {
  enum class Kind { kItem, kError };
  Kind kind = Kind::kItem;
  std::string_view bytes;  // the element's JSON; readable SIMDJSON padding bytes beyond
  std::string path;        // "$.Items[3]", "$.2.Content.Items[0]", "$.Errors[0]"
};

class JsonItemSplitter {
 public:
  static Result<std::unique_ptr<JsonItemSplitter>> Open(const std::string& path,
                                                        size_t block_size = size_t{1} << 20,
                                                        size_t max_element_bytes = size_t{1} << 30);
  ~JsonItemSplitter();
  JsonItemSplitter(const JsonItemSplitter&) = delete;
  JsonItemSplitter& operator=(const JsonItemSplitter&) = delete;

  // The next element; false at the end of the document. The bytes stay
  // valid until the next call.
  Result<bool> Next(JsonItem* item);
  // Bytes consumed so far (for progress).
  int64_t bytes_read() const { return file_offset_; }
  int64_t file_size() const { return file_size_; }

 private:
  enum class FrameKind { kObject, kItems, kSkipArray };
  struct Frame {
    FrameKind kind;
    std::string path;
    int64_t index = 0;     // next element index (arrays)
    bool first = true;     // no member/element read yet
  };

  JsonItemSplitter(std::string path, int fd, size_t block_size, size_t max_element_bytes);
  // Makes at least `n` bytes available from pos_ (fewer only at EOF).
  Result<bool> Ensure(size_t n);
  // Skips whitespace; returns the next byte without consuming it, or 0 at EOF.
  Result<char> Peek();
  Result<std::string> ReadKey();
  // Scans one complete value starting at pos_ and returns its end offset
  // (relative to buf_); refills as needed, so offsets are relative to pos_
  // at return time.
  Result<size_t> ScanValue();
  Status Malformed(const std::string& what, const std::string& path) const;

  std::string file_;
  int fd_ = -1;
  size_t block_size_;
  size_t max_element_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  int64_t file_offset_ = 0;  // file offset of buf_[end_]
  int64_t file_size_ = 0;
  std::vector<Frame> stack_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace tsl
