// One client's byte stream: a TCP socket, optionally wrapped in TLS
// (OpenSSL) after an SSLRequest. Reads wait with poll() in short slices so
// a server shutdown is noticed, and a message that was begun must arrive
// within a deadline (a half-sent message frees its connection slot
// instead of holding it forever).
// Thread-safety: one thread at a time (the connection's).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include <sys/types.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace tslake::server {

class ClientStream {
 public:
  enum class ReadStatus { kOk, kClosed, kTimeout, kStopped, kError };

  // Takes ownership of `fd` (made non-blocking: every wait is a poll()
  // with a deadline). `stop` (may be null) ends waits when set.
  // `io_timeout_ms`: a write, or the TLS handshake, that makes no progress
  // for this long fails (a client that stops reading its results, or
  // sends half a TLS record, cannot hold its thread forever).
  ClientStream(int fd, const std::atomic<bool>* stop, int io_timeout_ms);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  // Reads exactly n bytes. `deadline_ms` < 0: wait as long as it takes
  // (until stop); otherwise give up after that long.
  ReadStatus ReadExact(char* buf, size_t n, int deadline_ms);
  // Whether bytes are ready to read now (buffered by TLS or in the socket).
  bool Readable();
  // Writes all of s; false when the peer is gone.
  bool WriteAll(const std::string& s);

  // Switches to TLS as the server side of a handshake. False with *error
  // set when the handshake fails.
  bool StartTls(SSL_CTX* ctx, std::string* error);
  bool tls() const { return ssl_ != nullptr; }
  int fd() const { return fd_; }

 private:
  // Waits for the socket to be readable; kOk when it is.
  ReadStatus WaitReadable(std::chrono::steady_clock::time_point deadline, bool has_deadline);
  // Waits up to io_timeout_ms_ for `events` (POLLIN/POLLOUT); false on
  // timeout, error or stop.
  bool WaitFor(short events);

  ssize_t RawRead(char* dst, size_t cap, ReadStatus* status);
  size_t Buffered() const { return in_.size() - in_pos_; }

  int fd_;
  const std::atomic<bool>* stop_;
  int io_timeout_ms_;
  std::string in_;      // bytes read ahead of the protocol
  size_t in_pos_ = 0;   // the next unread byte of in_
  SSL* ssl_ = nullptr;
};

// A TLS server context from PEM files; nullptr with *error set on failure.
SSL_CTX* NewServerTlsContext(const std::string& cert_file, const std::string& key_file,
                             std::string* error);
void FreeTlsContext(SSL_CTX* ctx);

}  // namespace tslake::server
