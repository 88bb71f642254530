// `tslake serve`: a PostgreSQL wire-protocol server over one shared
// tslake::Database. Server owns the listening socket and one thread per
// connection (a Session); it keeps the table of running sessions by
// process id and secret key for CancelRequest, refuses connections over
// --max-connections with SQLSTATE 53300, and on Stop() (SIGTERM) stops
// accepting, lets idle sessions end with 57P01, gives running statements
// a grace period to finish, interrupts the ones still running after it,
// and joins every thread before returning from Serve().
// Thread-safety: Serve() on one thread; Stop() from any thread or a
// signal handler; the registry is guarded by mu_.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/auth.h"
#include "tslake/tslake.hpp"

typedef struct ssl_ctx_st SSL_CTX;

namespace tslake::server {

class Session;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5432;  // 0: any free port (tests)
  int max_connections = 64;
  // A message longer than this is refused (SQLSTATE 54000) and the
  // connection closed, before anything is allocated for it.
  int64_t max_message_bytes = 64LL << 20;
  // A message (or the startup and authentication exchange) that was begun
  // must be complete within this long.
  int message_timeout_ms = 30000;
  // Wrong password or unknown user: the answer comes after this long.
  int auth_failure_delay_ms = 1000;
  // After Stop(), how long running statements may take before they are
  // interrupted.
  int shutdown_grace_ms = 10000;
  AuthMethod auth = AuthMethod::kTrust;
  // Refuse clients that do not ask for TLS (with TLS configured).
  bool require_tls = false;
  // Statements that commit (INSERT, UPDATE, DELETE, MERGE, COPY, COMMIT)
  // run at most this many at once; the others wait for a slot. Readers
  // never wait. Autocommit INSERTs into one table no longer race: the
  // library group-commits them (storage/append_group.h), so the more run
  // at once the bigger the groups (./run server-load, 64 connections: 101
  // statements/s and an INSERT p99 of 3.6 s with 8 slots, 292/s and 1.2 s
  // with 64; bench/results/SERVER.md). The gate still bounds the
  // optimistic races of UPDATE/DELETE/MERGE and of INSERTs the group
  // commit leaves alone (ON CONFLICT, inside BEGIN, constraints, > 64K
  // rows).
  int max_concurrent_writes = 64;
};

class Server {
 public:
  // `users` is required for md5/scram; `tls` may be null (then an
  // SSLRequest is answered 'N'). Neither is owned; both outlive Serve().
  Server(Database& db, ServerOptions options, const UserStore* users, SSL_CTX* tls);
  ~Server();

  // Binds and listens. kIOError naming the address when that fails.
  Status Listen();
  int port() const { return port_; }
  // Accepts until Stop(); returns after every session has ended.
  void Serve();
  // Async-signal-safe.
  void Stop();
  bool stopping() const { return stop_.load(); }

  // For sessions.
  Database& database() { return db_; }
  const ServerOptions& options() const { return options_; }
  const UserStore* users() const { return users_; }
  SSL_CTX* tls() const { return tls_; }
  const std::atomic<bool>* stop_flag() const { return &stop_; }
  // Registers a session for CancelRequest; returns its process id and
  // sets *secret.
  int32_t Register(Session* session, int32_t* secret);
  void Unregister(int32_t pid);
  // Interrupts the running statement of session `pid` when `secret`
  // matches; a wrong pair does nothing (as PostgreSQL: no reply either way).
  void Cancel(int32_t pid, int32_t secret);
  // A slot among options().max_concurrent_writes, held for one writing
  // statement (RAII: WriteSlot). Waiting ends early when the server stops.
  void BeginWrite();
  void EndWrite();

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  struct Registered {
    Session* session;
    int32_t secret;
  };

  void ReapFinished(bool all);
  void InterruptAll();

  Database& db_;
  ServerOptions options_;
  const UserStore* users_;
  SSL_CTX* tls_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<Worker> workers_;  // only Serve()'s thread touches it
  std::mutex mu_;
  std::map<int32_t, Registered> sessions_;  // GUARDED_BY(mu_)
  int32_t next_pid_ = 0;                    // GUARDED_BY(mu_)
  std::mutex write_mu_;
  std::condition_variable write_cv_;
  int64_t write_tickets_ = 0;  // GUARDED_BY(write_mu_): BeginWrite calls
  int64_t writes_done_ = 0;    // GUARDED_BY(write_mu_): EndWrite calls
};

// Holds a write slot of `server` for its lifetime when `writes`.
class WriteSlot {
 public:
  WriteSlot(Server* server, bool writes) : server_(writes ? server : nullptr) {
    if (server_) server_->BeginWrite();
  }
  ~WriteSlot() {
    if (server_) server_->EndWrite();
  }
  WriteSlot(const WriteSlot&) = delete;
  WriteSlot& operator=(const WriteSlot&) = delete;

 private:
  Server* server_;
};

}  // namespace tslake::server
