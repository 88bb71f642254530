// MemoryTracker: DuckDB's `memory_limit`. Everything a query holds in
// proportion to its input reserves it here: the hash aggregate's groups and
// its growing aggregate states (string_agg, median/quantile buffers,
// DISTINCT sets, ordered-aggregate buffers), the hash join's build side and
// its pending output, ORDER BY, DISTINCT, set operations, windows, read_csv's
// batches and the result being built. Each holder keeps a MemoryReservation
// and resizes it to its estimated footprint as it grows; a resize that would
// take the tracker's total over its limit throws an "Out of Memory Error"
// naming the holder, the limit and `SET memory_limit = '...'`, and gives its
// bytes back as the query unwinds, so the session stays usable.
//
// Settings are per database, as DuckDB's DBConfig: each tslake::Database
// owns a DatabaseConfig (its MemoryTracker and its `threads`), its
// connections' QueryEngines install it (ConfigScope) while a statement
// runs, and a MemoryReservation charges the tracker current where it was
// created. Engines given no config share the process's default one. The
// default limit is 80% of physical RAM, as DuckDB's. A connection may
// override the settings DuckDB scopes per session (SET SESSION
// default_order / default_null_order: its SessionConfig); memory_limit and
// threads are the database's only. A process-wide cap over every
// database's reservations is an option (SetProcessMemoryLimit), off by
// default.
// Thread-safety: all functions may be called from any thread (atomics; the
// current config is thread-local); a MemoryReservation belongs to one
// holder.
#pragma once

#include <atomic>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "formats/column_vector.h"
#include "query/execution/time_zone_setting.h"

namespace tsl::query {

int64_t DefaultMemoryLimit();

// One database's limit and what its running queries hold.
class MemoryTracker {
 public:
  // The limit in bytes (the default when none was set).
  int64_t limit() const;
  // bytes < 0: back to the default.
  void set_limit(int64_t bytes) { limit_.store(bytes, std::memory_order_relaxed); }
  int64_t reserved() const { return reserved_.load(std::memory_order_relaxed); }

 private:
  friend class MemoryReservation;
  std::atomic<int64_t> limit_{-1};  // -1: the default
  std::atomic<int64_t> reserved_{0};
};

// A database's settings (DuckDB's DBConfig).
struct DatabaseConfig {
  MemoryTracker memory;
  std::atomic<int> threads{0};  // 0: the default (execution/parallel_pipeline.h)
  // default_null_order and default_order (execution/order_settings.h).
  std::atomic<int> null_order{0};
  std::atomic<int> default_order{0};  // 0 never set (ascending), 1 ASC, 2 DESC
  // TimeZone (execution/time_zone_setting.h).
  SessionTimeZone time_zone;
  // SET auto_maintenance (issue 21): background maintenance on or off.
  std::atomic<bool> auto_maintenance{false};
  // Told each SET/RESET auto_maintenance (the public API's maintenance
  // worker starts or pauses its thread); set before any statement runs,
  // never changed afterwards. Null: the setting is refused (no worker,
  // as in a read-only database). Returns "" or why it cannot be turned on.
  std::function<std::string(bool)> on_auto_maintenance;
};

// One connection's overrides of its database's settings (SET SESSION):
// -1 where the connection has none (the database's value applies).
struct SessionConfig {
  std::atomic<int> null_order{-1};
  std::atomic<int> default_order{-1};
};

// The config of the statement running on this thread: the one a
// ConfigScope installed, else the process's default.
DatabaseConfig& CurrentConfig();
DatabaseConfig& ProcessDefaultConfig();
// The running statement's connection overrides; nullptr when none was
// installed (worker threads, engines without a session).
SessionConfig* CurrentSession();

// Installs `config` (and `session`) as this thread's current ones until
// destroyed (the previous ones come back). nullptr keeps the current one.
class ConfigScope {
 public:
  explicit ConfigScope(DatabaseConfig* config, SessionConfig* session = nullptr);
  ~ConfigScope();
  ConfigScope(const ConfigScope&) = delete;
  ConfigScope& operator=(const ConfigScope&) = delete;

 private:
  DatabaseConfig* previous_;
  SessionConfig* previous_session_;
};

// The process-wide cap: every database's reservations together stay under
// it (in addition to each database's own limit). bytes <= 0: no cap (the
// default). Thread-safe.
void SetProcessMemoryLimit(int64_t bytes);
int64_t ProcessMemoryLimit();     // 0 when there is no cap
int64_t ProcessMemoryReserved();  // bytes reserved by every database

// The current config's limit, its setter, and its reserved bytes.
int64_t GetMemoryLimit();
void SetMemoryLimit(int64_t bytes);
int64_t MemoryReserved();

// DuckDB's memory sizes: "2GB" (1000^i: KB MB GB TB), "512MiB" (1024^i:
// KiB MiB GiB TiB), "100 bytes", case-insensitive, fractions allowed.
// Throws QueryError(kParser) with DuckDB's wording on a bad size.
int64_t ParseMemorySize(std::string_view text);
// DuckDB's display: "1.8 GiB", "512.0 MiB", "100 bytes".
std::string FormatMemorySize(int64_t bytes);

// SET/RESET/PRAGMA name [= value] (value nullopt: RESET) and
// current_setting(name). memory_limit (alias max_memory) and threads
// (alias worker_threads, execution/parallel_pipeline.h), default_null_order
// (alias null_order) and default_order (execution/order_settings.h) are known; another
// name is DuckDB's Catalog Error. `scope` is the statement's
// (Statement::setting_scope): 0 or 'g' sets the database's value, 's' the
// connection's override of default_order / default_null_order (the other
// settings are global only: DuckDB's Catalog Error "cannot be set
// locally"), 'l' is DuckDB's Not implemented Error.
void ApplySetting(const std::string& name, const std::optional<std::string>& value,
                  char scope = 0);
std::string CurrentSetting(const std::string& name);

// Charged to the current config's tracker at construction.
class MemoryReservation {
 public:
  explicit MemoryReservation(const char* op) : op_(op), tracker_(&CurrentConfig().memory) {}
  ~MemoryReservation();
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  // Sets this operator's footprint to `bytes`; throws when growing it
  // would cross the limit (the reservation keeps its old size then).
  void Resize(int64_t bytes);
  void Grow(int64_t bytes) { Resize(bytes_ + bytes); }
  int64_t bytes() const { return bytes_; }

 private:
  const char* op_;
  MemoryTracker* tracker_;
  int64_t bytes_ = 0;
};

// An estimate of the heap bytes a chunk holds (values, validity, string
// payloads beyond the small-string buffer).
int64_t ApproxChunkBytes(const DataChunk& chunk);

}  // namespace tsl::query
