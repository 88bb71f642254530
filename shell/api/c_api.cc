// The C ABI of include/tslake/tslake.h over the C++ API. Every entry point
// is a barrier: no C++ exception leaves it (bad_alloc becomes TSLAKE_NOMEM,
// anything else TSLAKE_INTERNAL), and a NULL required pointer is
// TSLAKE_MISUSE before anything is touched.
//
// Handle safety (issue 23, after SQLite's sqlite3SafetyCheckOk): every
// handle starts with a magic number naming its kind, and every live handle
// is in a registry (a set of addresses under one mutex). An entry point
// that is not on a per-value hot path looks its handle up in the registry
// before touching it, so a closed, destroyed or never-valid handle is
// TSLAKE_MISUSE without a dereference; the per-value calls (append_*,
// end_row, the result getters) check the magic only. A released handle is
// unregistered, its magic set to kDeadMagic and its contents destroyed,
// and its small shell is kept in a quarantine of the last kQuarantine
// released handles before it is freed, so a stale pointer reads a dead
// magic rather than freed memory for that long.
//
// Lifetimes: a database counts its connections and appenders, a connection
// its prepared statements (`children`); releasing a handle with children is
// TSLAKE_BUSY and changes nothing, so a child never outlives its parent.
// A child reserves its place in its parent's count before it is built, so a
// concurrent close sees it.
//
// Thread-safety: each connection, prepared statement, appender and result
// has a mutex held for the whole of each call on it (a prepared statement's
// execution also holds its connection's), so sharing one between threads
// serializes the calls instead of corrupting state; a release waits for the
// call in flight. Lock order: registry, then prepared, then connection; the
// registry lock is never held while waiting for a handle's mutex.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "shell/api/api_internal.h"

#include "formats/mutex.h"
#include "shell/api/c_api_open.h"
#include "tslake/tslake.h"

// Named, not anonymous: the handle structs below derive from Handle.
namespace tslake::capi {

enum : uint32_t {
  kDatabaseMagic = 0x74736462,  // "tsdb"
  kConnectionMagic = 0x7473636e,
  kResultMagic = 0x74737273,
  kPreparedMagic = 0x74737073,
  kAppenderMagic = 0x74736170,
  kStreamMagic = 0x74737374,  // "tsst"
  kDeadMagic = 0x64656164,  // "dead": released
};

// Released shells kept before they are freed (about 100 KB).
constexpr size_t kQuarantine = 1024;

struct Handle {
  explicit Handle(uint32_t m) : magic(m) {}
  virtual ~Handle() = default;
  // Destroys the contents; the shell stays readable.
  virtual void Clear() REQUIRES(mu) = 0;
  std::atomic<uint32_t> magic;
  mutable tsl::Mutex mu;          // held across each call on the handle
  std::atomic<int> children{0};   // connections+appenders of a db, statements of a connection
};

class Registry {
 public:
  static Registry& Get() {
    static Registry* r = new Registry;  // never destroyed: handles may be released at exit
    return *r;
  }
  void Add(Handle* h) {
    tsl::MutexLock l(mu_);
    live_.emplace(static_cast<const void*>(h), h);
  }
  // True when `h` is a live handle of kind `magic`. REQUIRES: mu() held.
  bool LiveLocked(const Handle* h, uint32_t magic) const REQUIRES(mu_) {
    auto it = live_.find(static_cast<const void*>(h));
    return it != live_.end() && it->second->magic.load() == magic;
  }
  bool Live(const Handle* h, uint32_t magic) {
    tsl::MutexLock l(mu_);
    return LiveLocked(h, magic);
  }
  // Unregisters `h` unless it is not live (TSLAKE_MISUSE) or has children
  // (TSLAKE_BUSY), then destroys its contents once the call in flight on
  // it (if any) has returned, and quarantines the shell.
  int Release(Handle* h, uint32_t magic) {
    {
      tsl::MutexLock l(mu_);
      if (!LiveLocked(h, magic)) return TSLAKE_MISUSE;
      if (h->children.load() > 0) return TSLAKE_BUSY;
      live_.erase(static_cast<const void*>(h));
      h->magic.store(kDeadMagic);
    }
    {
      tsl::MutexLock l(h->mu);
      h->Clear();
    }
    Handle* evict = nullptr;
    {
      tsl::MutexLock l(mu_);
      quarantine_.push_back(h);
      if (quarantine_.size() > kQuarantine) {
        evict = quarantine_.front();
        quarantine_.pop_front();
      }
    }
    delete evict;
    return TSLAKE_OK;
  }
  tsl::Mutex& mu() RETURN_CAPABILITY(mu_) { return mu_; }

 private:
  tsl::Mutex mu_;
  std::unordered_map<const void*, Handle*> live_ GUARDED_BY(mu_);
  std::deque<Handle*> quarantine_ GUARDED_BY(mu_);
};

// Registers a new handle and hands it out.
template <typename T>
T* Publish(T* h) {
  Registry::Get().Add(h);
  return h;
}

// The handle's kind check without the registry: for per-value calls.
bool MagicOk(const Handle* h, uint32_t magic) {
  return h != nullptr && h->magic.load(std::memory_order_acquire) == magic;
}

// Holds a live handle's mutex for one call; ok() is false (and nothing is
// held) when the handle is not live of that kind: TSLAKE_MISUSE. `lookup`
// checks the registry first; without it only the magic is read.
// For the analysis it holds h->mu from construction to destruction; it
// really does only when ok(), and every caller returns at once otherwise,
// touching nothing GUARDED_BY(mu).
class SCOPED_CAPABILITY Use {
 public:
  Use(const Handle* h, uint32_t magic, bool lookup = true) ACQUIRE(h->mu) NO_THREAD_SAFETY_ANALYSIS {
    if (h == nullptr || (lookup ? !Registry::Get().Live(h, magic) : !MagicOk(h, magic))) return;
    h->mu.lock();
    if (h->magic.load() != magic) {
      h->mu.unlock();  // released while we waited
      return;
    }
    mu_ = &h->mu;
  }
  ~Use() RELEASE() NO_THREAD_SAFETY_ANALYSIS {
    if (mu_) mu_->unlock();
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  bool ok() const { return mu_ != nullptr; }

 private:
  tsl::Mutex* mu_ = nullptr;  // held when not null
};

// Reserves a child's place in `parent`'s count when the parent is live;
// false otherwise (TSLAKE_MISUSE). Release it with children.fetch_sub if
// the child is not made.
bool ReserveChild(Handle* parent, uint32_t magic) {
  Registry& r = Registry::Get();
  tsl::MutexLock l(r.mu());
  if (!r.LiveLocked(parent, magic)) return false;
  parent->children.fetch_add(1);
  return true;
}

}  // namespace tslake::capi

using namespace tslake::capi;  // NOLINT: this file is the C API over it

struct tslake_database : Handle {
  tslake_database() : Handle(kDatabaseMagic) {}
  void Clear() override REQUIRES(mu) { db.reset(); }
  std::unique_ptr<tslake::Database> db;
};

struct tslake_connection : Handle {
  explicit tslake_connection(tslake_database* parent) : Handle(kConnectionMagic), db(parent) {}
  void Clear() override REQUIRES(mu) { con.reset(); }
  tslake_database* db;  // its children count holds this connection
  std::unique_ptr<tslake::Connection> con;
};

struct tslake_result : Handle {
  explicit tslake_result(tslake::Result r) : Handle(kResultMagic), result(std::move(r)) {}
  void Clear() override REQUIRES(mu) {
    result = tslake::Result();
    std::unordered_map<int64_t, std::string>().swap(texts);
  }
  tslake::Result result;
  // Texts handed out for non-VARCHAR values, one per cell (key row *
  // column_count + column); a node map keeps their addresses.
  std::unordered_map<int64_t, std::string> texts GUARDED_BY(mu);

  // VARCHAR values are returned in place; other types are formatted once
  // per cell.
  const char* Text(int column, int64_t row) REQUIRES(mu) {
    if (result.IsNull(column, row)) return nullptr;
    if (result.column_type(column) == tslake::Type::kVarchar) {
      size_t offset;
      return result.impl_->Column(column, row, &offset).strings[offset].c_str();
    }
    const int64_t key = row * result.column_count() + column;
    auto it = texts.find(key);
    if (it == texts.end()) it = texts.emplace(key, result.GetString(column, row)).first;
    return it->second.c_str();
  }
};

struct tslake_prepared : Handle {
  explicit tslake_prepared(tslake_connection* parent) : Handle(kPreparedMagic), con(parent) {}
  void Clear() override REQUIRES(mu) {
    stmt = tslake::PreparedStatement();
    error.clear();
  }
  tslake_connection* con;  // its children count holds this statement
  tslake::PreparedStatement stmt;
  std::string error;
};

struct tslake_stream : Handle {
  explicit tslake_stream(tslake_connection* parent) : Handle(kStreamMagic), con(parent) {}
  void Clear() override REQUIRES(mu) { stream = tslake::StreamingResult(); }  // stops the query
  tslake_connection* con;  // its children count holds this stream
  tslake::StreamingResult stream;
};

struct tslake_appender : Handle {
  tslake_appender(tslake_database* parent, std::unique_ptr<tslake::Appender> a)
      : Handle(kAppenderMagic), db(parent), app(std::move(a)) {}
  void Clear() override REQUIRES(mu) { app.reset(); }  // commits what is pending (as Close)
  tslake_database* db;  // its children count holds this appender
  std::unique_ptr<tslake::Appender> app GUARDED_BY(mu);
  // Written under mu; tslake_appender_error reads it without (as
  // sqlite3_errmsg: the caller's own thread, after its failed call).
  std::string error;
  bool closed GUARDED_BY(mu) = false;  // tslake_appender_close was called
};

namespace {

int Code(const tslake::Status& s) { return static_cast<int>(s.code()); }

// Duplicates `text` with malloc so the caller can tslake_free it.
char* CopyForCaller(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

// Records an appender's or statement's status as its last error.
int Remember(std::string* error, const tslake::Status& s) {
  *error = s.message();
  return Code(s);
}

// A live result (magic only: getters are per-value calls) and a cell in it.
bool ResultOk(const tslake_result* r) { return MagicOk(r, kResultMagic); }
bool InRange(const tslake_result* r, int column, int64_t row) {
  return ResultOk(r) && column >= 0 && column < r->result.column_count() && row >= 0 &&
         row < r->result.row_count();
}

}  // namespace

// Catches what a C caller cannot: every body below runs inside one.
#define TSLAKE_C_TRY try {
#define TSLAKE_C_CATCH(on_nomem, on_other) \
  }                                        \
  catch (const std::bad_alloc&) {          \
    return on_nomem;                       \
  }                                        \
  catch (...) {                            \
    return on_other;                       \
  }

extern "C" {

const char* tslake_library_version(void) { return tslake::Database::Version(); }

int tslake_library_version_number(void) { return TSLAKE_VERSION_NUMBER; }

const char* tslake_code_name(int code) {
  switch (code) {
    case TSLAKE_OK:
      return "TSLAKE_OK";
    case TSLAKE_INVALID_ARGUMENT:
      return "TSLAKE_INVALID_ARGUMENT";
    case TSLAKE_NOT_FOUND:
      return "TSLAKE_NOT_FOUND";
    case TSLAKE_CORRUPTION:
      return "TSLAKE_CORRUPTION";
    case TSLAKE_IO_ERROR:
      return "TSLAKE_IO_ERROR";
    case TSLAKE_CONFLICT:
      return "TSLAKE_CONFLICT";
    case TSLAKE_ALREADY_EXISTS:
      return "TSLAKE_ALREADY_EXISTS";
    case TSLAKE_NOT_SUPPORTED:
      return "TSLAKE_NOT_SUPPORTED";
    case TSLAKE_CANCELLED:
      return "TSLAKE_CANCELLED";
    case TSLAKE_INTERNAL:
      return "TSLAKE_INTERNAL";
    case TSLAKE_OUT_OF_MEMORY:
      return "TSLAKE_OUT_OF_MEMORY";
    case TSLAKE_MISUSE:
      return "TSLAKE_MISUSE";
    case TSLAKE_NOMEM:
      return "TSLAKE_NOMEM";
    case TSLAKE_FULL:
      return "TSLAKE_FULL";
    case TSLAKE_BUSY:
      return "TSLAKE_BUSY";
    case TSLAKE_FULL_DISK:
      return "TSLAKE_FULL_DISK";
    case TSLAKE_FULL_QUOTA:
      return "TSLAKE_FULL_QUOTA";
    case TSLAKE_IO_ERROR_READONLY:
      return "TSLAKE_IO_ERROR_READONLY";
    case TSLAKE_IO_ERROR_ACCESS:
      return "TSLAKE_IO_ERROR_ACCESS";
    case TSLAKE_IO_ERROR_BUSY:
      return "TSLAKE_IO_ERROR_BUSY";
  }
  return "TSLAKE_UNKNOWN";
}

void tslake_free(void* ptr) { std::free(ptr); }

void tslake_options_init(tslake_options* options) {
  if (!options) return;
  const tslake::Options defaults;
  options->read_only = defaults.read_only ? 1 : 0;
  options->compression = "zstd";
  options->compression_level = defaults.compression_level;
  options->sync_mode = static_cast<tslake_sync_mode>(defaults.sync_mode);
  options->sync_interval_ms = defaults.sync_interval_ms;
  options->memory_limit = defaults.memory_limit;
  options->threads = defaults.threads;
}

int tslake_open(const char* path, const tslake_options* options, tslake_database** out_db,
                char** errmsg) {
  if (!out_db) return TSLAKE_MISUSE;  // no out-parameter written
  if (errmsg) *errmsg = nullptr;
  *out_db = nullptr;
  TSLAKE_C_TRY
  tslake::Options o;
  if (options) {
    o.read_only = options->read_only != 0;
    o.compression = options->compression ? options->compression : "zstd";
    o.compression_level = options->compression_level;
    o.sync_mode = static_cast<tslake::SyncMode>(options->sync_mode);
    o.sync_interval_ms = options->sync_interval_ms;
    o.memory_limit = options->memory_limit;
    o.threads = options->threads;
  }
  return tslake::capi::OpenDatabase(path, o, out_db, errmsg);
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

}  // extern "C"

// tslake_open and tslake_open_ext (c_api_config.cc) after their options are
// read. REQUIRES: out_db non-NULL, *out_db and *errmsg (when given) NULL.
int tslake::capi::OpenDatabase(const char* path, const tslake::Options& o,
                               tslake_database** out_db, char** errmsg) {
  TSLAKE_C_TRY
  tslake::Status status;
  std::unique_ptr<tslake::Database> db = tslake::Database::Open(path ? path : "", o, &status);
  if (!db) {
    if (errmsg) *errmsg = CopyForCaller(status.message());
    return Code(status);
  }
  auto* h = new tslake_database;
  h->db = std::move(db);
  *out_db = Publish(h);
  return TSLAKE_OK;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

extern "C" {

int tslake_close(tslake_database* db) {
  if (!db) return TSLAKE_OK;
  TSLAKE_C_TRY
  return Registry::Get().Release(db, kDatabaseMagic);
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_connect(tslake_database* db, tslake_connection** out_con) {
  if (!db || !out_con) return TSLAKE_MISUSE;
  *out_con = nullptr;
  if (!ReserveChild(db, kDatabaseMagic)) return TSLAKE_MISUSE;
  TSLAKE_C_TRY
  try {
    auto* h = new tslake_connection(db);
    h->con = std::make_unique<tslake::Connection>(*db->db);
    *out_con = Publish(h);
    return TSLAKE_OK;
  } catch (...) {
    db->children.fetch_sub(1);
    throw;
  }
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_disconnect(tslake_connection* con) {
  if (!con) return TSLAKE_OK;
  TSLAKE_C_TRY
  tslake_database* parent = Registry::Get().Live(con, kConnectionMagic) ? con->db : nullptr;
  int rc = Registry::Get().Release(con, kConnectionMagic);
  if (rc == TSLAKE_OK && parent) parent->children.fetch_sub(1);
  return rc;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_query(tslake_connection* con, const char* sql, tslake_result** out_result) {
  if (!con || !sql || !out_result) return TSLAKE_MISUSE;
  Use use(con, kConnectionMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  *out_result = nullptr;
  TSLAKE_C_TRY
  auto* r = new tslake_result(con->con->Query(sql));
  *out_result = Publish(r);
  return static_cast<int>(r->result.error_code());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_interrupt(tslake_connection* con) {
  if (!con) return TSLAKE_OK;
  // Not under the connection's mutex: the query it stops holds it. The
  // registry lock keeps a concurrent disconnect from destroying it meanwhile.
  Registry& reg = Registry::Get();
  tsl::MutexLock l(reg.mu());
  if (!reg.LiveLocked(con, kConnectionMagic)) return TSLAKE_MISUSE;
  con->con->Interrupt();
  return TSLAKE_OK;
}

tslake_query_progress_type tslake_query_progress(tslake_connection* con) {
  tslake_query_progress_type out{-1, 0, 0};
  if (!con) return out;
  // As tslake_interrupt: not under the connection's mutex (the running
  // query holds it); the registry lock keeps the connection alive.
  Registry& reg = Registry::Get();
  tsl::MutexLock l(reg.mu());
  if (!reg.LiveLocked(con, kConnectionMagic)) return out;
  tslake::QueryProgress p = con->con->Progress();
  out.percentage = p.percentage;
  out.rows_processed = p.rows_processed;
  out.total_rows_to_process = p.total_rows_to_process;
  return out;
}

int tslake_result_destroy(tslake_result* result) {
  if (!result) return TSLAKE_OK;
  TSLAKE_C_TRY
  return Registry::Get().Release(result, kResultMagic);
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_result_error_code(const tslake_result* result) {
  return ResultOk(result) ? static_cast<int>(result->result.error_code()) : TSLAKE_MISUSE;
}

const char* tslake_result_error(const tslake_result* result) {
  if (!result) return "tslake_result is NULL";
  if (!ResultOk(result)) return "not a live tslake_result (destroyed?)";
  return result->result.error_message().c_str();
}

const char* tslake_statement_type(const tslake_result* result) {
  return ResultOk(result) ? result->result.statement_type().c_str() : "";
}

int tslake_column_count(const tslake_result* result) {
  return ResultOk(result) ? result->result.column_count() : 0;
}

int64_t tslake_row_count(const tslake_result* result) {
  return ResultOk(result) ? result->result.row_count() : 0;
}

const char* tslake_column_name(const tslake_result* result, int column) {
  if (!ResultOk(result) || column < 0 || column >= result->result.column_count()) return nullptr;
  return result->result.column_name(column).c_str();
}

tslake_type tslake_column_type(const tslake_result* result, int column) {
  if (!ResultOk(result) || column < 0 || column >= result->result.column_count())
    return TSLAKE_TYPE_NULL;
  return static_cast<tslake_type>(result->result.column_type(column));
}

int tslake_value_is_null(const tslake_result* result, int column, int64_t row) {
  return !InRange(result, column, row) || result->result.IsNull(column, row) ? 1 : 0;
}

int64_t tslake_value_int64(const tslake_result* result, int column, int64_t row) {
  return InRange(result, column, row) ? result->result.GetInt64(column, row) : 0;
}

int32_t tslake_value_date(const tslake_result* result, int column, int64_t row) {
  return InRange(result, column, row) ? result->result.GetDate(column, row) : 0;
}

int64_t tslake_value_interval(const tslake_result* result, int column, int64_t row, int32_t* months) {
  tslake::Result::Interval v;
  if (InRange(result, column, row)) v = result->result.GetInterval(column, row);
  if (months) *months = v.months;
  return v.micros;
}

double tslake_value_double(const tslake_result* result, int column, int64_t row) {
  return InRange(result, column, row) ? result->result.GetDouble(column, row) : 0.0;
}

const char* tslake_value_text(tslake_result* result, int column, int64_t row) {
  if (!InRange(result, column, row)) return nullptr;
  TSLAKE_C_TRY
  tsl::MutexLock l(result->mu);  // the per-cell text cache
  return result->Text(column, row);
  TSLAKE_C_CATCH(nullptr, nullptr)
}

int tslake_query_stream(tslake_connection* con, const char* sql, tslake_stream** out_stream) {
  if (!con || !sql || !out_stream) return TSLAKE_MISUSE;
  if (!ReserveChild(con, kConnectionMagic)) return TSLAKE_MISUSE;
  TSLAKE_C_TRY
  try {
    Use use(con, kConnectionMagic);
    if (!use.ok()) {
      con->children.fetch_sub(1);
      return TSLAKE_MISUSE;
    }
    *out_stream = nullptr;
    auto* h = new tslake_stream(con);
    h->stream = con->con->Stream(sql);
    *out_stream = Publish(h);
    return static_cast<int>(h->stream.error_code());
  } catch (...) {
    con->children.fetch_sub(1);
    throw;
  }
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_stream_fetch(tslake_stream* stream, tslake_result** out_chunk) {
  if (!stream || !out_chunk) return TSLAKE_MISUSE;
  Use use(stream, kStreamMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  // The query runs on the connection's engine, which the stream's place in
  // its children count keeps alive; its mutex serializes the two.
  Use use_con(stream->con, kConnectionMagic, /*lookup=*/false);
  if (!use_con.ok()) return TSLAKE_MISUSE;
  *out_chunk = nullptr;
  TSLAKE_C_TRY
  tslake::Result chunk;
  if (!stream->stream.Fetch(&chunk)) return static_cast<int>(stream->stream.error_code());
  auto* r = new tslake_result(std::move(chunk));
  *out_chunk = Publish(r);
  return TSLAKE_OK;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_stream_error_code(const tslake_stream* stream) {
  return MagicOk(stream, kStreamMagic) ? static_cast<int>(stream->stream.error_code()) : TSLAKE_MISUSE;
}

const char* tslake_stream_error(const tslake_stream* stream) {
  if (!stream) return "tslake_stream is NULL";
  if (!MagicOk(stream, kStreamMagic)) return "not a live tslake_stream (destroyed?)";
  return stream->stream.error_message().c_str();
}

int tslake_stream_column_count(const tslake_stream* stream) {
  return MagicOk(stream, kStreamMagic) ? stream->stream.column_count() : 0;
}

const char* tslake_stream_column_name(const tslake_stream* stream, int column) {
  if (!MagicOk(stream, kStreamMagic) || column < 0 || column >= stream->stream.column_count())
    return nullptr;
  return stream->stream.column_name(column).c_str();
}

tslake_type tslake_stream_column_type(const tslake_stream* stream, int column) {
  if (!MagicOk(stream, kStreamMagic) || column < 0 || column >= stream->stream.column_count())
    return TSLAKE_TYPE_NULL;
  return static_cast<tslake_type>(stream->stream.column_type(column));
}

int64_t tslake_stream_rows_fetched(const tslake_stream* stream) {
  return MagicOk(stream, kStreamMagic) ? stream->stream.rows_fetched() : 0;
}

int tslake_stream_destroy(tslake_stream* stream) {
  if (!stream) return TSLAKE_OK;
  TSLAKE_C_TRY
  tslake_connection* parent = Registry::Get().Live(stream, kStreamMagic) ? stream->con : nullptr;
  int rc = Registry::Get().Release(stream, kStreamMagic);
  if (rc == TSLAKE_OK && parent) parent->children.fetch_sub(1);
  return rc;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_prepare(tslake_connection* con, const char* sql, tslake_prepared** out_stmt) {
  if (!con || !sql || !out_stmt) return TSLAKE_MISUSE;
  *out_stmt = nullptr;
  if (!ReserveChild(con, kConnectionMagic)) return TSLAKE_MISUSE;
  TSLAKE_C_TRY
  try {
    Use use(con, kConnectionMagic);
    if (!use.ok()) {
      con->children.fetch_sub(1);
      return TSLAKE_MISUSE;
    }
    auto* p = new tslake_prepared(con);
    p->stmt = con->con->Prepare(sql);
    *out_stmt = Publish(p);
    return Remember(&p->error, p->stmt.status());
  } catch (...) {
    con->children.fetch_sub(1);
    throw;
  }
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_prepared_destroy(tslake_prepared* stmt) {
  if (!stmt) return TSLAKE_OK;
  TSLAKE_C_TRY
  tslake_connection* parent = Registry::Get().Live(stmt, kPreparedMagic) ? stmt->con : nullptr;
  int rc = Registry::Get().Release(stmt, kPreparedMagic);
  if (rc == TSLAKE_OK && parent) parent->children.fetch_sub(1);
  return rc;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

const char* tslake_prepared_error(const tslake_prepared* stmt) {
  if (!stmt) return "tslake_prepared is NULL";
  if (!MagicOk(stmt, kPreparedMagic)) return "not a live tslake_prepared (destroyed?)";
  return stmt->error.c_str();
}

int tslake_parameter_count(const tslake_prepared* stmt) {
  return MagicOk(stmt, kPreparedMagic) ? stmt->stmt.parameter_count() : 0;
}

// Each bind: NULL and liveness checks, then the C++ bind under the
// statement's mutex, remembering its message.
#define TSLAKE_C_BIND(call)                       \
  if (!stmt) return TSLAKE_MISUSE;                \
  Use use(stmt, kPreparedMagic);                  \
  if (!use.ok()) return TSLAKE_MISUSE;            \
  TSLAKE_C_TRY                                    \
  return Remember(&stmt->error, stmt->stmt.call); \
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)

int tslake_bind_null(tslake_prepared* stmt, int index) { TSLAKE_C_BIND(BindNull(index)) }
int tslake_bind_bool(tslake_prepared* stmt, int index, int value) {
  TSLAKE_C_BIND(BindBool(index, value != 0))
}
int tslake_bind_int64(tslake_prepared* stmt, int index, int64_t value) {
  TSLAKE_C_BIND(BindInt64(index, value))
}
int tslake_bind_double(tslake_prepared* stmt, int index, double value) {
  TSLAKE_C_BIND(BindDouble(index, value))
}
int tslake_bind_text(tslake_prepared* stmt, int index, const char* value) {
  if (!value) return TSLAKE_MISUSE;
  TSLAKE_C_BIND(BindString(index, value))
}
int tslake_bind_timestamp(tslake_prepared* stmt, int index, int64_t micros) {
  TSLAKE_C_BIND(BindTimestamp(index, micros))
}

#undef TSLAKE_C_BIND

int tslake_clear_bindings(tslake_prepared* stmt) {
  if (!stmt) return TSLAKE_OK;
  Use use(stmt, kPreparedMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  stmt->stmt.ClearBindings();
  return TSLAKE_OK;
}

int tslake_execute(tslake_prepared* stmt, tslake_result** out_result) {
  if (!stmt || !out_result) return TSLAKE_MISUSE;
  Use use(stmt, kPreparedMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  // The statement runs on its connection, which its children count keeps
  // alive; its mutex serializes it with the connection's own queries.
  Use use_con(stmt->con, kConnectionMagic, /*lookup=*/false);
  if (!use_con.ok()) return TSLAKE_MISUSE;
  *out_result = nullptr;
  TSLAKE_C_TRY
  auto* r = new tslake_result(stmt->stmt.Execute());
  *out_result = Publish(r);
  stmt->error = r->result.error_message();
  return static_cast<int>(r->result.error_code());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_appender_create(tslake_database* db, const char* table, const char* app_id,
                           tslake_appender** out_app, char** errmsg) {
  if (!db || !table || !out_app) return TSLAKE_MISUSE;  // no out-parameter written
  if (errmsg) *errmsg = nullptr;
  *out_app = nullptr;
  if (!ReserveChild(db, kDatabaseMagic)) return TSLAKE_MISUSE;
  TSLAKE_C_TRY
  try {
    tslake::AppenderOptions options;
    if (app_id) options.app_id = app_id;
    tslake::Status status;
    std::unique_ptr<tslake::Appender> app =
        tslake::Appender::Open(*db->db, table, options, &status);
    if (!app) {
      db->children.fetch_sub(1);
      if (errmsg) *errmsg = CopyForCaller(status.message());
      return Code(status);
    }
    *out_app = Publish(new tslake_appender(db, std::move(app)));
    return TSLAKE_OK;
  } catch (...) {
    db->children.fetch_sub(1);
    throw;
  }
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_appender_destroy(tslake_appender* app) {
  if (!app) return TSLAKE_OK;
  TSLAKE_C_TRY
  tslake_database* parent = Registry::Get().Live(app, kAppenderMagic) ? app->db : nullptr;
  int rc = Registry::Get().Release(app, kAppenderMagic);
  if (rc == TSLAKE_OK && parent) parent->children.fetch_sub(1);
  return rc;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

const char* tslake_appender_error(const tslake_appender* app) {
  if (!app) return "tslake_appender is NULL";
  if (!MagicOk(app, kAppenderMagic)) return "not a live tslake_appender (destroyed?)";
  return app->error.c_str();
}

int tslake_appender_column_count(const tslake_appender* app) {
  Use use(app, kAppenderMagic);
  return use.ok() && app->app ? static_cast<int>(app->app->columns().size()) : 0;
}

tslake_type tslake_appender_column_type(const tslake_appender* app, int column) {
  Use use(app, kAppenderMagic);
  if (!use.ok() || !app->app || column < 0 ||
      column >= static_cast<int>(app->app->columns().size()))
    return TSLAKE_TYPE_NULL;
  return static_cast<tslake_type>(app->app->columns()[static_cast<size_t>(column)].type);
}

namespace {
constexpr const char* kClosedMessage = "the appender is closed: only tslake_appender_destroy may follow";
}

// Each appender call: NULL and liveness checks (per-value calls read the
// magic only), the appender's mutex for the call, MISUSE once closed, then
// the C++ call, remembering its message.
#define TSLAKE_C_APPEND(lookup, call)                \
  if (!app) return TSLAKE_MISUSE;                    \
  Use use(app, kAppenderMagic, lookup);              \
  if (!use.ok()) return TSLAKE_MISUSE;               \
  if (app->closed) {                                 \
    app->error = kClosedMessage;                     \
    return TSLAKE_MISUSE;                            \
  }                                                  \
  TSLAKE_C_TRY                                       \
  return Remember(&app->error, app->app->call);      \
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)

int tslake_append_null(tslake_appender* app) { TSLAKE_C_APPEND(false, AppendNull()) }
int tslake_append_bool(tslake_appender* app, int value) {
  TSLAKE_C_APPEND(false, AppendBool(value != 0))
}
int tslake_append_int64(tslake_appender* app, int64_t value) {
  TSLAKE_C_APPEND(false, AppendInt64(value))
}
int tslake_append_double(tslake_appender* app, double value) {
  TSLAKE_C_APPEND(false, AppendDouble(value))
}
int tslake_append_text(tslake_appender* app, const char* value) {
  if (!value) return TSLAKE_MISUSE;
  TSLAKE_C_APPEND(false, AppendString(value))
}
int tslake_append_timestamp(tslake_appender* app, int64_t micros) {
  TSLAKE_C_APPEND(false, AppendTimestamp(micros))
}
int tslake_appender_end_row(tslake_appender* app) { TSLAKE_C_APPEND(false, EndRow()) }

#undef TSLAKE_C_APPEND

int tslake_appender_close(tslake_appender* app) {
  if (!app) return TSLAKE_MISUSE;
  Use use(app, kAppenderMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  if (app->closed) {
    app->error = kClosedMessage;
    return TSLAKE_MISUSE;
  }
  app->closed = true;
  TSLAKE_C_TRY
  return Remember(&app->error, app->app->Close());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_append_columns(tslake_appender* app, int64_t rows, const tslake_column* columns,
                          int column_count) {
  if (!app || (!columns && column_count > 0) || column_count < 0) return TSLAKE_MISUSE;
  Use use(app, kAppenderMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  if (app->closed) {
    app->error = kClosedMessage;
    return TSLAKE_MISUSE;
  }
  TSLAKE_C_TRY
  std::vector<tslake::ColumnData> data(static_cast<size_t>(column_count));
  for (int c = 0; c < column_count; ++c) {
    data[static_cast<size_t>(c)] = tslake::ColumnData{static_cast<tslake::Type>(columns[c].type),
                                                      columns[c].values, columns[c].valid};
  }
  return Remember(&app->error, app->app->AppendBatch(rows, data));
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

namespace {
// Flush with `sequence`, or the next one when `next`.
int FlushAppender(tslake_appender* app, bool next, int64_t sequence, int64_t* out_version,
                  int* out_already_committed) {
  if (!app) return TSLAKE_MISUSE;
  Use use(app, kAppenderMagic);
  if (!use.ok()) return TSLAKE_MISUSE;
  if (app->closed) {
    app->error = kClosedMessage;
    return TSLAKE_MISUSE;
  }
  if (out_version) *out_version = -1;
  if (out_already_committed) *out_already_committed = 0;
  TSLAKE_C_TRY
  tslake::FlushInfo info;
  tslake::Status st = next ? app->app->Flush(&info) : app->app->Flush(sequence, &info);
  if (out_version) *out_version = info.version;
  if (out_already_committed) *out_already_committed = info.already_committed ? 1 : 0;
  return Remember(&app->error, st);
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}
}  // namespace

int tslake_appender_flush(tslake_appender* app, int64_t* out_version) {
  return FlushAppender(app, /*next=*/true, 0, out_version, nullptr);
}

int tslake_appender_flush_sequence(tslake_appender* app, int64_t sequence, int64_t* out_version,
                                   int* out_already_committed) {
  // Every negative sequence is refused alike (INVALID_ARGUMENT, by Flush).
  return FlushAppender(app, /*next=*/false, sequence, out_version, out_already_committed);
}

int64_t tslake_appender_last_sequence(const tslake_appender* app) {
  Use use(app, kAppenderMagic);
  if (!use.ok() || !app->app) return -1;
  return app->app->last_committed_sequence();
}

int64_t tslake_appender_pending_rows(const tslake_appender* app) {
  Use use(app, kAppenderMagic);
  if (!use.ok() || !app->app) return 0;
  return app->app->pending_rows();
}

}  // extern "C"
