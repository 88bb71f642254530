// LineReader: a file's lines, one at a time, in constant memory, for the
// line-oriented readers (read_jsonl, read_line_protocol). Reads blocks of
// `block_size` bytes with read(2) and hands out views into its buffer; a
// line longer than a block grows the buffer up to `max_line_bytes`
// (kInvalidArgument naming file and line past that). A trailing CR is
// stripped (CRLF files); a UTF-8 BOM at the start is skipped; the last line
// need not end in LF.
// Thread-safety: one thread, except bytes_read() and file_size(), which
// any thread may read (the query progress bar).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/status.h"

namespace tsl {

class LineReader {
 public:
  // kNotFound when `path` does not exist, kIOError when it cannot be read.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  size_t block_size = size_t{1} << 20,
                                                  size_t max_line_bytes = size_t{64} << 20);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its line end, valid until the next call; false
  // at end of file.
  Result<bool> Next(std::string_view* line);
  // 1-based number of the line last returned.
  int64_t line_number() const { return line_number_; }
  int64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  int64_t file_size() const { return file_size_; }
  const std::string& path() const { return path_; }

 private:
  LineReader(std::string path, int fd, size_t block_size, size_t max_line_bytes, int64_t size);
  Status Refill();

  std::string path_;
  int fd_ = -1;
  size_t block_size_;
  size_t max_line_bytes_;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool first_ = true;
  int64_t line_number_ = 0;
  std::atomic<int64_t> bytes_read_{0};
  int64_t file_size_ = -1;  // set at construction, then constant
};

}  // namespace tsl
