// JsonItemSplitter: block reads plus a structural walk down to `Items`
// arrays (see json_item_splitter.h). Only structure is tracked: strings are
// skipped honouring backslash escapes, scalars up to the next delimiter.
// Thread-safety: one thread.
#include "ingest/json_item_splitter.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <simdjson.h>

namespace tsl {

JsonItemSplitter::JsonItemSplitter(std::string path, int fd, size_t block_size,
                                   size_t max_element_bytes)
    : file_(std::move(path)), fd_(fd), block_size_(block_size),
      max_element_bytes_(max_element_bytes) {}

JsonItemSplitter::~JsonItemSplitter() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<JsonItemSplitter>> JsonItemSplitter::Open(const std::string& path,
                                                                 size_t block_size,
                                                                 size_t max_element_bytes) {
  if (block_size < 4096) block_size = 4096;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("No files found that match the pattern \"" + path + "\"");
    return Status::IOError(path + ": " + std::strerror(errno));
  }
  std::unique_ptr<JsonItemSplitter> s(
      new JsonItemSplitter(path, fd, block_size, max_element_bytes));
  struct stat st;
  if (::fstat(fd, &st) == 0) s->file_size_ = static_cast<int64_t>(st.st_size);
  s->buf_.resize(block_size + simdjson::SIMDJSON_PADDING);
  return s;
}

Status JsonItemSplitter::Malformed(const std::string& what, const std::string& path) const {
  const int64_t offset = file_offset_ - static_cast<int64_t>(end_ - pos_);
  return Status::InvalidArgument(file_ + " byte " + std::to_string(offset) + " (in " +
                                 (path.empty() ? std::string("$") : path) +
                                 "): malformed JSON: " + what);
}

Result<bool> JsonItemSplitter::Ensure(size_t n) {
  while (end_ - pos_ < n && !eof_) {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    const size_t want = std::max(n, end_ + block_size_);
    if (want + simdjson::SIMDJSON_PADDING > buf_.size()) {
      if (want > max_element_bytes_ + block_size_)
        return Status::InvalidArgument(file_ + ": a JSON element is larger than " +
                                       std::to_string(max_element_bytes_) + " bytes");
      buf_.resize(want + simdjson::SIMDJSON_PADDING);
    }
    const size_t room = buf_.size() - simdjson::SIMDJSON_PADDING - end_;
    ssize_t got = ::read(fd_, buf_.data() + end_, room);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(file_ + ": read failed: " + std::strerror(errno));
    }
    if (got == 0) eof_ = true;
    end_ += static_cast<size_t>(got);
    file_offset_ += got;
  }
  return end_ - pos_ >= n;
}

Result<char> JsonItemSplitter::Peek() {
  for (;;) {
    while (pos_ < end_) {
      char c = buf_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
      ++pos_;
    }
    ASSIGN_OR_RETURN(bool more, Ensure(1));
    if (!more) return '\0';
  }
}

Result<std::string> JsonItemSplitter::ReadKey() {
  ASSIGN_OR_RETURN(char c, Peek());
  if (c != '"') return Malformed("expected a member name", stack_.back().path);
  ASSIGN_OR_RETURN(size_t len, ScanValue());
  std::string key(buf_.data() + pos_ + 1, len - 2);
  pos_ += len;
  return key;
}

Result<size_t> JsonItemSplitter::ScanValue() {
  auto path = [this] { return stack_.empty() ? std::string("$") : stack_.back().path; };
  size_t k = 0;
  int depth = 0;
  bool in_string = false;
  const char first = buf_[pos_];
  const bool scalar = first != '{' && first != '[' && first != '"';
  size_t need = 0;  // bytes from pos_ needed before scanning on (an escape's two)
  for (;;) {
    const size_t want = std::max(k + 1, need);
    if (end_ - pos_ < want) {
      if (k > max_element_bytes_)
        return Status::InvalidArgument(file_ + ": a JSON element (" + path() + ") is larger than " +
                                       std::to_string(max_element_bytes_) + " bytes");
      ASSIGN_OR_RETURN(bool more, Ensure(want));
      if (!more) {
        if (scalar) return k;
        return Malformed("the file ends inside a value", path());
      }
    }
    need = 0;
    const char* p = buf_.data() + pos_;
    const size_t n = end_ - pos_;
    while (k < n) {
      if (in_string) {
        // Most bytes are inside strings: jump to the closing quote with
        // memchr, then make sure no backslash comes before it.
        const char* q = static_cast<const char*>(std::memchr(p + k, '"', n - k));
        const size_t stop = q ? static_cast<size_t>(q - p) : n;
        const char* bs = static_cast<const char*>(std::memchr(p + k, '\\', stop - k));
        if (bs != nullptr) {
          k = static_cast<size_t>(bs - p);
          if (k + 1 >= n) {  // the escaped byte is in the next block
            need = k + 2;
            break;
          }
          k += 2;
          continue;
        }
        k = stop;
        if (q == nullptr) break;  // the string goes on in the next block
        ++k;
        in_string = false;
        if (depth == 0) return k;
        continue;
      }
      const char c = p[k];
      if (scalar) {
        if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
          return k;
        ++k;
        continue;
      }
      ++k;
      switch (c) {
        case '"': in_string = true; break;
        case '{':
        case '[': ++depth; break;
        case '}':
        case ']':
          if (--depth == 0) return k;
          break;
        default: break;
      }
    }
  }
}

Result<bool> JsonItemSplitter::Next(JsonItem* item) {
  if (done_) return false;
  if (!started_) {
    started_ = true;
    ASSIGN_OR_RETURN(char c, Peek());
    if (c == '{') {
      stack_.push_back({FrameKind::kObject, "$"});
    } else if (c == '[') {
      stack_.push_back({FrameKind::kItems, "$"});
    } else if (c == '\0') {
      return Status::InvalidArgument(file_ + ": the file is empty, not a PI Web API JSON response");
    } else {
      return Malformed(std::string("a response starts with { or [, not '") + c + "'", "$");
    }
    ++pos_;
  }
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    ASSIGN_OR_RETURN(char c, Peek());
    if (c == '\0') return Malformed("the file ends inside " + f.path, f.path);
    if (f.kind == FrameKind::kObject) {
      if (c == '}') {
        ++pos_;
        stack_.pop_back();
        continue;
      }
      if (!f.first) {
        if (c != ',') return Malformed(std::string("expected , or } but found '") + c + "'", f.path);
        ++pos_;
      }
      f.first = false;
      ASSIGN_OR_RETURN(std::string key, ReadKey());
      ASSIGN_OR_RETURN(c, Peek());
      if (c != ':') return Malformed("expected : after \"" + key + "\"", f.path);
      ++pos_;
      ASSIGN_OR_RETURN(c, Peek());
      std::string child = f.path + "." + key;
      if (key == "Items" && c == '[') {
        ++pos_;
        stack_.push_back({FrameKind::kItems, std::move(child)});
      } else if (key == "Errors" && c == '[') {
        ++pos_;
        stack_.push_back({FrameKind::kSkipArray, std::move(child)});
      } else if (c == '{' && key != "Links" && key != "Headers") {
        ++pos_;  // a batch sub-response or its Content
        stack_.push_back({FrameKind::kObject, std::move(child)});
      } else {
        if (c == '\0') return Malformed("missing value of \"" + key + "\"", f.path);
        ASSIGN_OR_RETURN(size_t len, ScanValue());
        pos_ += len;
      }
      continue;
    }
    // kItems and kSkipArray (Errors): hand out each element.
    if (c == ']') {
      ++pos_;
      stack_.pop_back();
      continue;
    }
    if (!f.first) {
      if (c != ',') return Malformed(std::string("expected , or ] but found '") + c + "'", f.path);
      ++pos_;
      ASSIGN_OR_RETURN(c, Peek());
    }
    f.first = false;
    ASSIGN_OR_RETURN(size_t len, ScanValue());
    Frame& top = stack_.back();  // ScanValue does not touch the stack
    item->kind = top.kind == FrameKind::kItems ? JsonItem::Kind::kItem : JsonItem::Kind::kError;
    item->bytes = std::string_view(buf_.data() + pos_, len);
    item->path = top.path + "[" + std::to_string(top.index++) + "]";
    pos_ += len;
    return true;
  }
  done_ = true;
  return false;
}

}  // namespace tsl
