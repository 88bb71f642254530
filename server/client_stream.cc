// Socket and TLS reads and writes. See client_stream.h.
#include "server/client_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdint>

namespace tslake::server {

namespace {

// How often a blocked read checks the stop flag.
constexpr int kPollSliceMs = 200;
// Bytes read ahead per system call.
constexpr size_t kReadBufferBytes = 64 * 1024;

std::string TlsErrorString() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "TLS error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

}  // namespace

ClientStream::ClientStream(int fd, const std::atomic<bool>* stop, int io_timeout_ms)
    : fd_(fd), stop_(stop), io_timeout_ms_(io_timeout_ms) {
  int flags = ::fcntl(fd_, F_GETFL, 0);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

bool ClientStream::WaitFor(short events) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(io_timeout_ms_);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd p{fd_, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kPollSliceMs)));
    if (rc > 0) return (p.revents & (POLLERR | POLLNVAL)) == 0 || (p.revents & events) != 0;
    if (rc < 0 && errno != EINTR) return false;
    // A write to a client that stopped reading ends at shutdown too.
    if (stop_ != nullptr && stop_->load() && events == POLLOUT) return false;
  }
}

ClientStream::~ClientStream() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  if (fd_ >= 0) ::close(fd_);
}

ClientStream::ReadStatus ClientStream::WaitReadable(std::chrono::steady_clock::time_point deadline,
                                                    bool has_deadline) {
  while (true) {
    if (Buffered() > 0 || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return ReadStatus::kOk;
    int slice = kPollSliceMs;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return ReadStatus::kTimeout;
      if (left < slice) slice = static_cast<int>(left);
    }
    if (stop_ != nullptr && stop_->load()) return ReadStatus::kStopped;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, slice);
    if (rc > 0) return ReadStatus::kOk;
    if (rc < 0 && errno != EINTR) return ReadStatus::kError;
  }
}

bool ClientStream::Readable() {
  if (Buffered() > 0 || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// One read from the socket or TLS into dst: > 0 bytes read; 0 nothing
// yet (wait and retry); -1 with *status set when the stream ended.
ssize_t ClientStream::RawRead(char* dst, size_t cap, ReadStatus* status) {
  if (ssl_ != nullptr) {
    int rc = SSL_read(ssl_, dst, static_cast<int>(std::min<size_t>(cap, 1 << 30)));
    if (rc > 0) return rc;
    int err = SSL_get_error(ssl_, rc);
    if (err == SSL_ERROR_WANT_READ) return 0;  // WaitReadable polls
    if (err == SSL_ERROR_WANT_WRITE) {
      if (WaitFor(POLLOUT)) return 0;
      *status = ReadStatus::kError;
      return -1;
    }
    *status = err == SSL_ERROR_ZERO_RETURN ? ReadStatus::kClosed : ReadStatus::kError;
    return -1;
  }
  ssize_t rc = ::recv(fd_, dst, cap, 0);
  if (rc > 0) return rc;
  if (rc == 0) {
    *status = ReadStatus::kClosed;
    return -1;
  }
  if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return 0;
  *status = ReadStatus::kError;
  return -1;
}

ClientStream::ReadStatus ClientStream::ReadExact(char* buf, size_t n, int deadline_ms) {
  const bool has_deadline = deadline_ms >= 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  size_t got = 0;
  while (got < n) {
    if (Buffered() > 0) {
      size_t k = std::min(Buffered(), n - got);
      std::memcpy(buf + got, in_.data() + in_pos_, k);
      in_pos_ += k;
      got += k;
      if (in_pos_ == in_.size()) {
        in_.clear();
        in_pos_ = 0;
      }
      continue;
    }
    ReadStatus w = WaitReadable(deadline, has_deadline);
    if (w != ReadStatus::kOk) return w;
    ReadStatus status = ReadStatus::kOk;
    // Small reads (headers, short messages) go through the buffer, one
    // system call for many messages; a large remainder is read in place.
    if (n - got >= kReadBufferBytes) {
      ssize_t rc = RawRead(buf + got, n - got, &status);
      if (rc < 0) return status;
      got += static_cast<size_t>(rc);
      continue;
    }
    in_.resize(kReadBufferBytes);
    in_pos_ = 0;
    ssize_t rc = RawRead(in_.data(), in_.size(), &status);
    in_.resize(rc > 0 ? static_cast<size_t>(rc) : 0);
    if (rc < 0) return status;
  }
  return ReadStatus::kOk;
}

bool ClientStream::WriteAll(const std::string& s) {
  size_t sent = 0;
  while (sent < s.size()) {
    if (ssl_ != nullptr) {
      int rc = SSL_write(ssl_, s.data() + sent, static_cast<int>(std::min<size_t>(s.size() - sent, 1 << 30)));
      if (rc <= 0) {
        int err = SSL_get_error(ssl_, rc);
        if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
            WaitFor(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT))
          continue;
        return false;
      }
      sent += static_cast<size_t>(rc);
      continue;
    }
    ssize_t rc = ::send(fd_, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
    if (rc < 0) {
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && WaitFor(POLLOUT)) continue;
      return false;
    }
    sent += static_cast<size_t>(rc);
  }
  return true;
}

bool ClientStream::StartTls(SSL_CTX* ctx, std::string* error) {
  if (Buffered() > 0) {
    // Bytes the client sent after SSLRequest without waiting for our 'S'
    // were read as plain text; accepting them would let a man in the
    // middle inject them in front of the encrypted session (as PostgreSQL,
    // refuse: CVE-2021-23214).
    *error = "received unencrypted data after SSL request";
    return false;
  }
  ssl_ = SSL_new(ctx);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    *error = TlsErrorString();
    return false;
  }
  while (true) {
    int rc = SSL_accept(ssl_);
    if (rc == 1) return true;
    int err = SSL_get_error(ssl_, rc);
    if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
        WaitFor(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT))
      continue;
    *error = "TLS handshake failed: " + TlsErrorString();
    SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }
}

SSL_CTX* NewServerTlsContext(const std::string& cert_file, const std::string& key_file,
                             std::string* error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = TlsErrorString();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    *error = "cannot load TLS certificate " + cert_file + ": " + TlsErrorString();
  } else if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = "cannot load TLS key " + key_file + ": " + TlsErrorString();
  } else if (SSL_CTX_check_private_key(ctx) != 1) {
    *error = "TLS key " + key_file + " does not match certificate " + cert_file;
  } else {
    return ctx;
  }
  SSL_CTX_free(ctx);
  return nullptr;
}

void FreeTlsContext(SSL_CTX* ctx) {
  if (ctx != nullptr) SSL_CTX_free(ctx);
}

}  // namespace tslake::server
