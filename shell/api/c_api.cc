// The C ABI of include/tslake/tslake.h over the C++ API. Every entry point
// is a barrier: no C++ exception leaves it (bad_alloc becomes TSLAKE_NOMEM,
// anything else TSLAKE_INTERNAL), and a NULL required pointer is
// TSLAKE_MISUSE before anything is touched.
// Thread-safety: as tslake.h documents; the handles add no shared state.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <string>

#include "shell/api/api_internal.h"
#include "tslake/tslake.h"

struct tslake_database {
  std::unique_ptr<tslake::Database> db;
};

struct tslake_connection {
  std::unique_ptr<tslake::Connection> con;
};

struct tslake_result {
  tslake::Result result;
  // Texts handed out for non-VARCHAR values; a deque keeps their addresses.
  std::deque<std::string> texts;

  // VARCHAR values are returned in place; other types are formatted once.
  const char* Text(int column, int64_t row) {
    if (result.IsNull(column, row)) return nullptr;
    if (result.column_type(column) == tslake::Type::kVarchar) {
      size_t offset;
      return result.impl_->Column(column, row, &offset).strings[offset].c_str();
    }
    texts.push_back(result.GetString(column, row));
    return texts.back().c_str();
  }
};

struct tslake_prepared {
  tslake::PreparedStatement stmt;
  std::string error;
};

struct tslake_appender {
  std::unique_ptr<tslake::Appender> app;
  std::string error;
};

namespace {

// tslake_appender_flush's sequence: the next one. Not a valid explicit
// sequence (they start at 0), so flush_sequence refuses it as the C++ API does.
constexpr int64_t kNextSequence = INT64_MIN;

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

bool InRange(const tslake_result* r, int column, int64_t row) {
  return r && column >= 0 && column < r->result.column_count() && row >= 0 &&
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
#define TSLAKE_C_CATCH_VOID \
  }                         \
  catch (...) {             \
  }

extern "C" {

const char* tslake_library_version(void) { return tslake::Database::Version(); }

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
  if (errmsg) *errmsg = nullptr;
  if (!out_db) return TSLAKE_MISUSE;
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
  tslake::Status status;
  std::unique_ptr<tslake::Database> db = tslake::Database::Open(path ? path : "", o, &status);
  if (!db) {
    if (errmsg) *errmsg = CopyForCaller(status.message());
    return Code(status);
  }
  *out_db = new tslake_database{std::move(db)};
  return TSLAKE_OK;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

void tslake_close(tslake_database* db) {
  TSLAKE_C_TRY
  delete db;
  TSLAKE_C_CATCH_VOID
}

int tslake_connect(tslake_database* db, tslake_connection** out_con) {
  if (!db || !out_con) return TSLAKE_MISUSE;
  *out_con = nullptr;
  TSLAKE_C_TRY
  *out_con = new tslake_connection{std::make_unique<tslake::Connection>(*db->db)};
  return TSLAKE_OK;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

void tslake_disconnect(tslake_connection* con) {
  TSLAKE_C_TRY
  delete con;
  TSLAKE_C_CATCH_VOID
}

int tslake_query(tslake_connection* con, const char* sql, tslake_result** out_result) {
  if (!con || !sql || !out_result) return TSLAKE_MISUSE;
  *out_result = nullptr;
  TSLAKE_C_TRY
  auto* r = new tslake_result{con->con->Query(sql), {}};
  *out_result = r;
  return static_cast<int>(r->result.error_code());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

void tslake_interrupt(tslake_connection* con) {
  if (con) con->con->Interrupt();
}

void tslake_result_destroy(tslake_result* result) { delete result; }

int tslake_result_error_code(const tslake_result* result) {
  return result ? static_cast<int>(result->result.error_code()) : TSLAKE_MISUSE;
}

const char* tslake_result_error(const tslake_result* result) {
  return result ? result->result.error_message().c_str() : "tslake_result is NULL";
}

const char* tslake_statement_type(const tslake_result* result) {
  return result ? result->result.statement_type().c_str() : "";
}

int tslake_column_count(const tslake_result* result) {
  return result ? result->result.column_count() : 0;
}

int64_t tslake_row_count(const tslake_result* result) {
  return result ? result->result.row_count() : 0;
}

const char* tslake_column_name(const tslake_result* result, int column) {
  if (!result || column < 0 || column >= result->result.column_count()) return nullptr;
  return result->result.column_name(column).c_str();
}

tslake_type tslake_column_type(const tslake_result* result, int column) {
  if (!result || column < 0 || column >= result->result.column_count()) return TSLAKE_TYPE_NULL;
  return static_cast<tslake_type>(result->result.column_type(column));
}

int tslake_value_is_null(const tslake_result* result, int column, int64_t row) {
  return !InRange(result, column, row) || result->result.IsNull(column, row) ? 1 : 0;
}

int64_t tslake_value_int64(const tslake_result* result, int column, int64_t row) {
  return InRange(result, column, row) ? result->result.GetInt64(column, row) : 0;
}

double tslake_value_double(const tslake_result* result, int column, int64_t row) {
  return InRange(result, column, row) ? result->result.GetDouble(column, row) : 0.0;
}

const char* tslake_value_text(tslake_result* result, int column, int64_t row) {
  if (!InRange(result, column, row)) return nullptr;
  TSLAKE_C_TRY
  return result->Text(column, row);
  TSLAKE_C_CATCH(nullptr, nullptr)
}

int tslake_prepare(tslake_connection* con, const char* sql, tslake_prepared** out_stmt) {
  if (!con || !sql || !out_stmt) return TSLAKE_MISUSE;
  *out_stmt = nullptr;
  TSLAKE_C_TRY
  auto* p = new tslake_prepared{con->con->Prepare(sql), {}};
  *out_stmt = p;
  return Remember(&p->error, p->stmt.status());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

void tslake_prepared_destroy(tslake_prepared* stmt) { delete stmt; }

const char* tslake_prepared_error(const tslake_prepared* stmt) {
  return stmt ? stmt->error.c_str() : "tslake_prepared is NULL";
}

int tslake_parameter_count(const tslake_prepared* stmt) {
  return stmt ? stmt->stmt.parameter_count() : 0;
}

// Each bind: NULL check, then the C++ bind, remembering its message.
#define TSLAKE_C_BIND(call)                       \
  if (!stmt) return TSLAKE_MISUSE;                \
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

void tslake_clear_bindings(tslake_prepared* stmt) {
  if (stmt) stmt->stmt.ClearBindings();
}

int tslake_execute(tslake_prepared* stmt, tslake_result** out_result) {
  if (!stmt || !out_result) return TSLAKE_MISUSE;
  *out_result = nullptr;
  TSLAKE_C_TRY
  auto* r = new tslake_result{stmt->stmt.Execute(), {}};
  *out_result = r;
  stmt->error = r->result.error_message();
  return static_cast<int>(r->result.error_code());
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_appender_create(tslake_database* db, const char* table, const char* app_id,
                           tslake_appender** out_app, char** errmsg) {
  if (errmsg) *errmsg = nullptr;
  if (!db || !table || !out_app) return TSLAKE_MISUSE;
  *out_app = nullptr;
  TSLAKE_C_TRY
  tslake::AppenderOptions options;
  if (app_id) options.app_id = app_id;
  tslake::Status status;
  std::unique_ptr<tslake::Appender> app = tslake::Appender::Open(*db->db, table, options, &status);
  if (!app) {
    if (errmsg) *errmsg = CopyForCaller(status.message());
    return Code(status);
  }
  *out_app = new tslake_appender{std::move(app), {}};
  return TSLAKE_OK;
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

void tslake_appender_destroy(tslake_appender* app) {
  TSLAKE_C_TRY
  delete app;
  TSLAKE_C_CATCH_VOID
}

const char* tslake_appender_error(const tslake_appender* app) {
  return app ? app->error.c_str() : "tslake_appender is NULL";
}

int tslake_appender_column_count(const tslake_appender* app) {
  return app ? static_cast<int>(app->app->columns().size()) : 0;
}

tslake_type tslake_appender_column_type(const tslake_appender* app, int column) {
  if (!app || column < 0 || column >= static_cast<int>(app->app->columns().size()))
    return TSLAKE_TYPE_NULL;
  return static_cast<tslake_type>(app->app->columns()[static_cast<size_t>(column)].type);
}

// Each appender call: NULL check, then the C++ call, remembering its message.
#define TSLAKE_C_APPEND(call)                   \
  if (!app) return TSLAKE_MISUSE;               \
  TSLAKE_C_TRY                                  \
  return Remember(&app->error, app->app->call); \
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)

int tslake_append_null(tslake_appender* app) { TSLAKE_C_APPEND(AppendNull()) }
int tslake_append_bool(tslake_appender* app, int value) { TSLAKE_C_APPEND(AppendBool(value != 0)) }
int tslake_append_int64(tslake_appender* app, int64_t value) { TSLAKE_C_APPEND(AppendInt64(value)) }
int tslake_append_double(tslake_appender* app, double value) {
  TSLAKE_C_APPEND(AppendDouble(value))
}
int tslake_append_text(tslake_appender* app, const char* value) {
  if (!value) return TSLAKE_MISUSE;
  TSLAKE_C_APPEND(AppendString(value))
}
int tslake_append_timestamp(tslake_appender* app, int64_t micros) {
  TSLAKE_C_APPEND(AppendTimestamp(micros))
}
int tslake_appender_end_row(tslake_appender* app) { TSLAKE_C_APPEND(EndRow()) }
int tslake_appender_close(tslake_appender* app) { TSLAKE_C_APPEND(Close()) }

#undef TSLAKE_C_APPEND

int tslake_append_columns(tslake_appender* app, int64_t rows, const tslake_column* columns,
                          int column_count) {
  if (!app || (!columns && column_count > 0) || column_count < 0) return TSLAKE_MISUSE;
  TSLAKE_C_TRY
  std::vector<tslake::ColumnData> data(static_cast<size_t>(column_count));
  for (int c = 0; c < column_count; ++c) {
    data[static_cast<size_t>(c)] = tslake::ColumnData{static_cast<tslake::Type>(columns[c].type),
                                                      columns[c].values, columns[c].valid};
  }
  return Remember(&app->error, app->app->AppendBatch(rows, data));
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int tslake_appender_flush(tslake_appender* app, int64_t* out_version) {
  return tslake_appender_flush_sequence(app, kNextSequence, out_version, nullptr);
}

int tslake_appender_flush_sequence(tslake_appender* app, int64_t sequence, int64_t* out_version,
                                   int* out_already_committed) {
  if (!app) return TSLAKE_MISUSE;
  if (out_version) *out_version = -1;
  if (out_already_committed) *out_already_committed = 0;
  TSLAKE_C_TRY
  tslake::FlushInfo info;
  tslake::Status st =
      sequence == kNextSequence ? app->app->Flush(&info) : app->app->Flush(sequence, &info);
  if (out_version) *out_version = info.version;
  if (out_already_committed) *out_already_committed = info.already_committed ? 1 : 0;
  return Remember(&app->error, st);
  TSLAKE_C_CATCH(TSLAKE_NOMEM, TSLAKE_INTERNAL)
}

int64_t tslake_appender_last_sequence(const tslake_appender* app) {
  return app ? app->app->last_committed_sequence() : -1;
}

int64_t tslake_appender_pending_rows(const tslake_appender* app) {
  return app ? app->app->pending_rows() : 0;
}

}  // extern "C"
