// LineReader: block reads and line splitting (see line_reader.h).
// Thread-safety: one thread.
#include "ingest/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tsl {

LineReader::LineReader(std::string path, int fd, size_t block_size, size_t max_line_bytes,
                       int64_t size)
    : path_(std::move(path)),
      fd_(fd),
      block_size_(block_size),
      max_line_bytes_(max_line_bytes),
      file_size_(size) {
  buf_.resize(block_size_);
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t block_size,
                                                     size_t max_line_bytes) {
  if (block_size == 0) block_size = 1;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return Status::NotFound("No files found that match the pattern \"" + path + "\"");
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  int64_t size = ::fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
  if (size >= 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + " is a directory, not a file");
  }
  return std::unique_ptr<LineReader>(new LineReader(path, fd, block_size, max_line_bytes, size));
}

Status LineReader::Refill() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= max_line_bytes_)
      return Status::InvalidArgument(path_ + " line " + std::to_string(line_number_ + 1) +
                                     ": line longer than " + std::to_string(max_line_bytes_) +
                                     " bytes; is this a line-oriented file?");
    buf_.resize(std::min(max_line_bytes_, buf_.size() * 2));
  }
  for (;;) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError("cannot read " + path_ + ": " + std::strerror(errno));
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    bytes_read_.fetch_add(n, std::memory_order_relaxed);
    return Status::OK();
  }
}

Result<bool> LineReader::Next(std::string_view* line) {
  for (;;) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl == nullptr && !eof_) {
      RETURN_IF_ERROR(Refill());
      continue;
    }
    if (nl == nullptr && begin_ == end_) return false;  // eof, nothing left
    size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : end_ - begin_;
    begin_ += nl ? len + 1 : len;
    ++line_number_;
    std::string_view l(start, len);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (first_) {
      first_ = false;
      if (l.size() >= 3 && l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
    }
    *line = l;
    return true;
  }
}

}  // namespace tsl
