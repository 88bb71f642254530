// The `tslake serve` command line. See serve_command.h.
#include "server/serve_command.h"

#include <signal.h>

#include <charconv>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "server/auth.h"
#include "server/client_stream.h"
#include "server/server.h"

namespace tslake::server {

namespace {

constexpr int kUsage = 2;

Server* g_server = nullptr;

void OnSignal(int) {
  if (g_server != nullptr) g_server->Stop();
}

const char* kHelp =
    "Usage: tslake serve DBDIR [options]\n"
    "Serves the database over the PostgreSQL wire protocol (psql, psycopg2, JDBC, ...).\n"
    "  --listen HOST:PORT        address to listen on (default 127.0.0.1:5432)\n"
    "  --readonly                open the database read-only\n"
    "  --max-connections N       concurrent sessions (default 64); more are refused (53300)\n"
    "  --max-writers N           statements that commit (INSERT, UPDATE, DELETE, MERGE,\n"
    "                            COPY, COMMIT) running at once (default 64); others wait\n"
    "  --auth trust|md5|scram    client authentication (default trust)\n"
    "  --users FILE              name:password lines, for md5 and scram\n"
    "  --tls-cert FILE --tls-key FILE   answer SSLRequest with TLS (PEM files)\n"
    "  --require-tls             refuse clients that do not use TLS\n"
    "  --max-message-size BYTES  largest protocol message accepted (default 67108864)\n"
    "  --message-timeout MS      a begun message must arrive within this (default 30000)\n"
    "  --memory-limit BYTES      the database's memory limit (0: default)\n"
    "SIGTERM or SIGINT stops the server: idle sessions end, running statements get\n"
    "10 seconds to finish and are then interrupted (and commit nothing).\n";

bool ParseInt(const std::string& s, int64_t min, int64_t max, int64_t* out) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

int RunServeCommand(int argc, const char* const* argv) {
  ServerOptions options;
  std::string db_path, users_file, tls_cert, tls_key;
  bool read_only = false;
  int64_t memory_limit = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::cerr << "Error: " << a << " needs a value\n";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    auto number = [&](int64_t min, int64_t max, int64_t* out) {
      std::string v;
      if (!value(&v)) return false;
      if (!ParseInt(v, min, max, out)) {
        std::cerr << "Error: " << a << " must be a number in " << min << ".." << max << "\n";
        return false;
      }
      return true;
    };
    int64_t n = 0;
    std::string v;
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (a == "--listen") {
      if (!value(&v)) return kUsage;
      size_t colon = v.rfind(':');
      if (colon == std::string::npos || !ParseInt(v.substr(colon + 1), 0, 65535, &n)) {
        std::cerr << "Error: --listen takes HOST:PORT\n";
        return kUsage;
      }
      options.host = v.substr(0, colon);
      if (options.host.size() >= 2 && options.host.front() == '[' && options.host.back() == ']')
        options.host = options.host.substr(1, options.host.size() - 2);
      options.port = static_cast<int>(n);
    } else if (a == "--readonly") {
      read_only = true;
    } else if (a == "--require-tls") {
      options.require_tls = true;
    } else if (a == "--max-connections") {
      if (!number(1, 100000, &n)) return kUsage;
      options.max_connections = static_cast<int>(n);
    } else if (a == "--max-writers") {
      if (!number(1, 100000, &n)) return kUsage;
      options.max_concurrent_writes = static_cast<int>(n);
    } else if (a == "--max-message-size") {
      if (!number(1024, int64_t{1} << 30, &n)) return kUsage;
      options.max_message_bytes = n;
    } else if (a == "--message-timeout") {
      if (!number(10, 3600000, &n)) return kUsage;
      options.message_timeout_ms = static_cast<int>(n);
    } else if (a == "--memory-limit") {
      if (!number(0, INT64_MAX, &memory_limit)) return kUsage;
    } else if (a == "--auth") {
      if (!value(&v)) return kUsage;
      if (v == "trust") options.auth = AuthMethod::kTrust;
      else if (v == "md5") options.auth = AuthMethod::kMd5;
      else if (v == "scram" || v == "scram-sha-256") options.auth = AuthMethod::kScram;
      else {
        std::cerr << "Error: --auth must be trust, md5 or scram\n";
        return kUsage;
      }
    } else if (a == "--users") {
      if (!value(&users_file)) return kUsage;
    } else if (a == "--tls-cert") {
      if (!value(&tls_cert)) return kUsage;
    } else if (a == "--tls-key") {
      if (!value(&tls_key)) return kUsage;
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "Error: unknown option " << a << "\nRun 'tslake serve --help' for usage.\n";
      return kUsage;
    } else if (db_path.empty()) {
      db_path = a;
    } else {
      std::cerr << "Error: more than one database directory given\n";
      return kUsage;
    }
  }
  if (db_path.empty()) {
    std::cerr << "Error: tslake serve needs a database directory (or :memory:)\n"
              << "Run 'tslake serve --help' for usage.\n";
    return kUsage;
  }
  if (options.auth != AuthMethod::kTrust && users_file.empty()) {
    std::cerr << "Error: --auth md5 and --auth scram need --users FILE\n";
    return kUsage;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "Error: --tls-cert and --tls-key go together\n";
    return kUsage;
  }
  if (options.require_tls && tls_cert.empty()) {
    std::cerr << "Error: --require-tls needs --tls-cert and --tls-key\n";
    return kUsage;
  }
  std::unique_ptr<UserStore> users;
  if (!users_file.empty()) {
    std::string error;
    users = UserStore::Load(users_file, &error);
    if (!users) {
      std::cerr << "Error: " << error << "\n";
      return 1;
    }
  }
  SSL_CTX* tls = nullptr;
  if (!tls_cert.empty()) {
    std::string error;
    tls = NewServerTlsContext(tls_cert, tls_key, &error);
    if (tls == nullptr) {
      std::cerr << "Error: " << error << "\n";
      return 1;
    }
  }
  Options db_options;
  db_options.read_only = read_only;
  db_options.memory_limit = memory_limit;
  // Clients run SQL they did not write on the server's machine: no file
  // outside the database directory is read or written by statements
  // (COPY FROM STDIN / TO STDOUT go over the wire instead).
  db_options.enable_external_access = false;
  Status status;
  std::unique_ptr<Database> db = Database::Open(db_path, db_options, &status);
  if (!db) {
    std::cerr << "Error: " << status.message() << "\n";
    FreeTlsContext(tls);
    return 1;
  }
  Server server(*db, options, users.get(), tls);
  if (Status st = server.Listen(); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    FreeTlsContext(tls);
    return 1;
  }
  g_server = &server;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::cerr << "tslake serve: listening on " << options.host << ":" << server.port() << " (database "
            << db_path << ", auth "
            << (options.auth == AuthMethod::kTrust ? "trust" : options.auth == AuthMethod::kMd5 ? "md5" : "scram")
            << (tls ? ", TLS" : "") << ")" << std::endl;
  server.Serve();
  g_server = nullptr;
  std::cerr << "tslake serve: stopped" << std::endl;
  FreeTlsContext(tls);
  return 0;
}

}  // namespace tslake::server
