// Listening, accepting, the session registry and shutdown. See server.h.
#include "server/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "server/auth.h"
#include "server/pg_protocol.h"
#include "server/session.h"
#include "server/sqlstate.h"

namespace tslake::server {

Server::Server(Database& db, ServerOptions options, const UserStore* users, SSL_CTX* tls)
    : db_(db), options_(std::move(options)), users_(users), tls_(tls) {}

Server::~Server() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : wake_pipe_)
    if (fd >= 0) ::close(fd);
}

Status Server::Listen() {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
    return Status(ErrorCode::kIOError, std::string("pipe: ") + std::strerror(errno));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options_.port);
  int rc = ::getaddrinfo(options_.host.empty() ? nullptr : options_.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0)
    return Status(ErrorCode::kIOError, "cannot resolve " + options_.host + ": " + ::gai_strerror(rc));
  std::string error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0)
    return Status(ErrorCode::kIOError, "cannot listen on " + options_.host + ":" + port + ": " + error);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return Status();
}

void Server::BeginWrite() {
  std::unique_lock<std::mutex> lock(write_mu_);
  // Slots go in arrival order (a ticket each), so a writer waits for the
  // ones before it only: no starved session at the latency's tail.
  const int64_t ticket = write_tickets_++;
  const int64_t slots = std::max(1, options_.max_concurrent_writes);
  // Stop() runs in a signal handler and cannot notify: poll for it.
  while (ticket >= writes_done_ + slots && !stop_.load())
    write_cv_.wait_for(lock, std::chrono::milliseconds(100));
}

void Server::EndWrite() {
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    ++writes_done_;
  }
  write_cv_.notify_all();
}

void Server::Stop() {
  stop_.store(true);
  if (wake_pipe_[1] >= 0) {
    char b = 1;
    ssize_t ignored = ::write(wake_pipe_[1], &b, 1);  // async-signal-safe
    (void)ignored;
  }
}

int32_t Server::Register(Session* session, int32_t* secret) {
  std::lock_guard<std::mutex> l(mu_);
  if (next_pid_ == 0) next_pid_ = static_cast<int32_t>(::getpid() % 100000) * 100 + 1;
  int32_t pid = next_pid_++;
  if (next_pid_ <= 0) next_pid_ = 1;
  std::string r = RandomBytes(4);
  std::memcpy(secret, r.data(), 4);
  sessions_[pid] = {session, *secret};
  return pid;
}

void Server::Unregister(int32_t pid) {
  std::lock_guard<std::mutex> l(mu_);
  sessions_.erase(pid);
}

void Server::Cancel(int32_t pid, int32_t secret) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end() || it->second.secret != secret) return;
  it->second.session->Interrupt();
}

void Server::InterruptAll() {
  std::lock_guard<std::mutex> l(mu_);
  for (auto& [pid, registered] : sessions_) registered.session->Interrupt();
}

void Server::ReapFinished(bool all) {
  for (size_t i = 0; i < workers_.size();) {
    if (all || workers_[i].done->load()) {
      workers_[i].thread.join();
      workers_[i] = std::move(workers_.back());
      workers_.pop_back();
    } else {
      ++i;
    }
  }
}

void Server::Serve() {
  while (!stop_.load()) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int rc = ::poll(fds, 2, 1000);
    ReapFinished(false);
    if (rc <= 0 || stop_.load()) continue;
    if (!(fds[0].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: back off instead of spinning on accept.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (static_cast<int>(workers_.size()) >= options_.max_connections) {
      // PostgreSQL's answer, sent without reading the startup packet;
      // libpq reports it whether or not it asked for TLS first.
      MessageWriter w;
      w.Error('E', "FATAL", sqlstate::kTooManyConnections, "sorry, too many clients already");
      ::send(fd, w.buffer().data(), w.buffer().size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      continue;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers_.push_back({std::thread([this, fd, done] {
                          // No exception may end the process: one
                          // connection's failure (bad_alloc, a bug) closes
                          // that connection only.
                          try {
                            Session session(this, fd);
                            session.Run();
                          } catch (const std::exception& e) {
                            std::fprintf(stderr, "tslake serve: connection closed after an error: %s\n", e.what());
                          }
                          done->store(true);
                        }),
                        done});
  }
  // Shutdown: sessions waiting for a message end at once (their reads see
  // the stop flag); statements still running after the grace period are
  // interrupted, which rolls them back (a statement is one version, and an
  // interrupted one commits nothing).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.shutdown_grace_ms);
  while (true) {
    ReapFinished(false);
    if (workers_.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      InterruptAll();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ReapFinished(true);
}

}  // namespace tslake::server
