// tslake_config (include/tslake/tslake.h): the C API's settings handle,
// duckdb_config's design, so that options can be added without changing a
// struct callers size. A config is a tslake::Options filled by name;
// tslake_open_ext validates it as Database::Open does. Thread-safety: a
// config belongs to one thread at a time; the name table is immutable.
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>

#include "formats/bool_text.h"

#include "formats/mutex.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "shell/api/c_api_open.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

struct tslake_config {
  tslake::Options options;
  std::string error;  // the last failed tslake_config_set's message
};

namespace {

// In the order tslake.h documents them.
constexpr const char* kNames[] = {
    "read_only",   "compression",   "compression_level",     "sync_mode",
    "sync_interval_ms", "memory_limit", "threads",        "query_threads",
    "tune_allocator", "enable_external_access", "auto_maintenance", "maintenance_interval_ms",
    "maintenance_cpu_share", "maintenance_small_files",
};
constexpr int kNameCount = static_cast<int>(sizeof(kNames) / sizeof(kNames[0]));

// The live configs, so that a destroyed or never-valid pointer is
// TSLAKE_MISUSE without a dereference (as c_api.cc's handle registry).
tsl::Mutex g_live_mu;
std::unordered_set<const tslake_config*>& LiveConfigs() REQUIRES(g_live_mu) {
  static auto* live = new std::unordered_set<const tslake_config*>;  // never destroyed
  return *live;
}

bool Live(const tslake_config* c) {
  if (!c) return false;
  tsl::MutexLock l(g_live_mu);
  return LiveConfigs().count(c) != 0;
}

std::string Lower(const char* s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// A whole decimal integer in [lo, hi] (ranges beyond type limits are left
// to Open's validation, which names the option).
bool ParseInt(const std::string& v, int64_t* out) {
  const char* end = v.data() + v.size();
  auto [ptr, ec] = std::from_chars(v.data(), end, *out);
  return ec == std::errc() && ptr == end && !v.empty();
}

// Applies one option; "" on success, else why not.
std::string Set(tslake::Options* o, const std::string& name, const std::string& value) {
  const std::string v = Lower(value.c_str());
  auto boolean = [&](bool* field) -> std::string {
    std::optional<bool> b = tsl::ParseBoolText(v);
    if (!b) return name + " takes true or false, not '" + value + "'";
    *field = *b;
    return "";
  };
  auto integer = [&](int64_t lo, int64_t hi, auto* field) -> std::string {
    int64_t n = 0;
    if (!ParseInt(value, &n) || n < lo || n > hi) {
      return name + " takes a whole number, not '" + value + "'";
    }
    *field = static_cast<std::remove_pointer_t<decltype(field)>>(n);
    return "";
  };
  if (name == "read_only") return boolean(&o->read_only);
  if (name == "tune_allocator") return boolean(&o->tune_allocator);
  if (name == "enable_external_access") return boolean(&o->enable_external_access);
  if (name == "auto_maintenance") return boolean(&o->auto_maintenance);
  if (name == "maintenance_interval_ms")
    return integer(INT64_MIN, INT64_MAX, &o->maintenance_interval_ms);
  if (name == "maintenance_small_files")
    return integer(INT32_MIN, INT32_MAX, &o->maintenance_small_files);
  if (name == "maintenance_cpu_share") {
    char* end = nullptr;
    const double d = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size())
      return name + " takes a number in (0, 1], not '" + value + "'";
    o->maintenance_cpu_share = d;  // Open checks the range
    return "";
  }
  if (name == "compression") {
    o->compression = v;  // Open names a bad one
    return "";
  }
  if (name == "compression_level") return integer(INT32_MIN, INT32_MAX, &o->compression_level);
  if (name == "threads") return integer(INT32_MIN, INT32_MAX, &o->threads);
  if (name == "query_threads") return integer(INT32_MIN, INT32_MAX, &o->query_threads);
  if (name == "sync_interval_ms") return integer(INT64_MIN, INT64_MAX, &o->sync_interval_ms);
  if (name == "sync_mode") {
    if (v == "full") {
      o->sync_mode = tslake::SyncMode::kFull;
    } else if (v == "normal") {
      o->sync_mode = tslake::SyncMode::kNormal;
    } else {
      return "sync_mode takes full or normal, not '" + value + "'";
    }
    return "";
  }
  if (name == "memory_limit") {
    int64_t n = 0;
    if (ParseInt(value, &n)) {
      o->memory_limit = n;
      return "";
    }
    try {
      o->memory_limit = tsl::query::ParseMemorySize(value);
    } catch (const tsl::query::QueryError& e) {
      return "memory_limit: " + std::string(e.what());
    }
    return "";
  }
  std::string known;
  for (const char* n : kNames) known += (known.empty() ? "" : ", ") + std::string(n);
  return "unknown option '" + name + "' (tslake knows " + known + ")";
}

}  // namespace

extern "C" {

int tslake_config_create(tslake_config** out_config) {
  if (!out_config) return TSLAKE_MISUSE;
  *out_config = nullptr;
  try {
    auto config = std::make_unique<tslake_config>();
    tsl::MutexLock l(g_live_mu);
    LiveConfigs().insert(config.get());
    *out_config = config.release();
    return TSLAKE_OK;
  } catch (const std::bad_alloc&) {
    return TSLAKE_NOMEM;
  }
}

int tslake_config_set(tslake_config* config, const char* name, const char* value) {
  if (!Live(config) || !name || !value) return TSLAKE_MISUSE;
  try {
    tslake::Options changed = config->options;
    std::string error = Set(&changed, Lower(name), value);
    if (!error.empty()) {
      config->error = std::move(error);
      return TSLAKE_INVALID_ARGUMENT;
    }
    config->options = std::move(changed);
    config->error.clear();
    return TSLAKE_OK;
  } catch (const std::bad_alloc&) {
    return TSLAKE_NOMEM;
  } catch (...) {
    return TSLAKE_INTERNAL;
  }
}

const char* tslake_config_error(const tslake_config* config) {
  return Live(config) ? config->error.c_str() : nullptr;
}

int tslake_config_count(void) { return kNameCount; }

const char* tslake_config_name(int index) {
  return index >= 0 && index < kNameCount ? kNames[index] : nullptr;
}

int tslake_config_destroy(tslake_config* config) {
  if (!config) return TSLAKE_OK;
  {
    tsl::MutexLock l(g_live_mu);
    if (LiveConfigs().erase(config) == 0) return TSLAKE_MISUSE;
  }
  delete config;
  return TSLAKE_OK;
}

int tslake_open_ext(const char* path, const tslake_config* config, tslake_database** out_db,
                    char** errmsg) {
  if (!out_db) return TSLAKE_MISUSE;
  if (errmsg) *errmsg = nullptr;
  *out_db = nullptr;
  if (config && !Live(config)) return TSLAKE_MISUSE;
  try {
    return tslake::capi::OpenDatabase(path, config ? config->options : tslake::Options(), out_db,
                                      errmsg);
  } catch (const std::bad_alloc&) {
    return TSLAKE_NOMEM;
  } catch (...) {
    return TSLAKE_INTERNAL;
  }
}

}  // extern "C"
