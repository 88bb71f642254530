// Memory limit and operator reservations. See memory_tracker.h.
#include "query/execution/memory_tracker.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>

#include "query/common/query_error.h"
#include "query/execution/parallel_pipeline.h"
#include "query/execution/order_settings.h"
#include "query/execution/planner_hint_settings.h"
#include "query/execution/time_zone_setting.h"

namespace tsl::query {
namespace {

thread_local DatabaseConfig* t_config = nullptr;
thread_local SessionConfig* t_session = nullptr;

// The process-wide cap (0: none) and what every tracker holds under it.
std::atomic<int64_t> g_process_limit{0};
std::atomic<int64_t> g_process_reserved{0};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsMemoryLimitName(const std::string& name) {
  const std::string n = Lower(name);
  return n == "memory_limit" || n == "max_memory";
}

[[noreturn]] void ThrowUnknownSetting(const std::string& name) {
  throw QueryError(ErrorKind::kCatalog,
                   "unrecognized configuration parameter \"" + name +
                       "\" (tslake knows memory_limit, threads, default_null_order and default_order)");
}

}  // namespace

int64_t DefaultMemoryLimit() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return int64_t{1} << 32;  // 4 GiB when unknown
  return static_cast<int64_t>(static_cast<double>(pages) * static_cast<double>(page_size) * 0.8);
}

int64_t MemoryTracker::limit() const {
  const int64_t limit = limit_.load(std::memory_order_relaxed);
  return limit < 0 ? DefaultMemoryLimit() : limit;
}

DatabaseConfig& ProcessDefaultConfig() {
  static DatabaseConfig config;
  return config;
}

DatabaseConfig& CurrentConfig() { return t_config ? *t_config : ProcessDefaultConfig(); }

SessionConfig* CurrentSession() { return t_session; }

ConfigScope::ConfigScope(DatabaseConfig* config, SessionConfig* session)
    : previous_(t_config), previous_session_(t_session) {
  if (config) t_config = config;
  if (session) t_session = session;
}

ConfigScope::~ConfigScope() {
  t_config = previous_;
  t_session = previous_session_;
}

void SetProcessMemoryLimit(int64_t bytes) {
  g_process_limit.store(bytes > 0 ? bytes : 0, std::memory_order_relaxed);
}

int64_t ProcessMemoryLimit() { return g_process_limit.load(std::memory_order_relaxed); }

int64_t ProcessMemoryReserved() { return g_process_reserved.load(std::memory_order_relaxed); }

int64_t GetMemoryLimit() { return CurrentConfig().memory.limit(); }

void SetMemoryLimit(int64_t bytes) { CurrentConfig().memory.set_limit(bytes); }

int64_t MemoryReserved() { return CurrentConfig().memory.reserved(); }

int64_t ParseMemorySize(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  const size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == start) throw QueryError(ErrorKind::kParser, "Memory must have a number (e.g. 1GB)");
  double number = 0;
  try {
    number = std::stod(std::string(text.substr(start, i - start)));
  } catch (...) {
    throw QueryError(ErrorKind::kParser, "Memory must have a number (e.g. 1GB)");
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit = Lower(text.substr(i));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  double multiplier = 0;
  if (unit == "byte" || unit == "bytes" || unit == "b") multiplier = 1;
  else if (unit == "kb" || unit == "k") multiplier = 1e3;
  else if (unit == "mb" || unit == "m") multiplier = 1e6;
  else if (unit == "gb" || unit == "g") multiplier = 1e9;
  else if (unit == "tb" || unit == "t") multiplier = 1e12;
  else if (unit == "kib") multiplier = 1024.0;
  else if (unit == "mib") multiplier = 1024.0 * 1024;
  else if (unit == "gib") multiplier = 1024.0 * 1024 * 1024;
  else if (unit == "tib") multiplier = 1024.0 * 1024 * 1024 * 1024;
  if (multiplier == 0) {
    throw QueryError(ErrorKind::kParser,
                     "Unknown unit for memory: '" + unit +
                         "' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB "
                         "for 1024^i units)");
  }
  const double bytes = number * multiplier;
  if (!(bytes < 9.2e18)) throw QueryError(ErrorKind::kParser, "Memory size too large");
  return static_cast<int64_t>(bytes);
}

std::string FormatMemorySize(int64_t bytes) {
  static const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  uint64_t parts[6] = {static_cast<uint64_t>(bytes < 0 ? 0 : bytes), 0, 0, 0, 0, 0};
  for (int i = 1; i < 6; ++i) {
    parts[i] = parts[i - 1] / 1024;
    parts[i - 1] %= 1024;
  }
  for (int i = 5; i >= 1; --i) {
    if (parts[i]) {
      return std::to_string(parts[i]) + "." + std::to_string(parts[i - 1] * 10 / 1024) + " " +
             kUnits[i];
    }
  }
  return std::to_string(parts[0]) + (parts[0] == 1 ? " byte" : " bytes");
}

static bool IsThreadsName(const std::string& name) {
  const std::string n = Lower(name);
  return n == "threads" || n == "worker_threads";
}

void ApplySetting(const std::string& name, const std::optional<std::string>& value,
                  char scope) {
  const char* verb = value ? "SET" : "RESET";
  if (scope == 'l') {
    throw QueryError(ErrorKind::kNotImplemented, std::string(verb) + " LOCAL is not implemented.");
  }
  if (ApplyOrderSetting(name, value, scope == 's')) return;
  if (ApplyTimeZoneSetting(name, value)) return;
  if (ApplyPlannerHintSetting(name, value)) return;
  const bool threads = IsThreadsName(name);
  if (!threads && !IsMemoryLimitName(name)) ThrowUnknownSetting(name);
  if (scope == 's') {
    throw QueryError(ErrorKind::kCatalog, "option \"" + Lower(name) + "\" cannot be " +
                                              (value ? "set" : "reset") + " locally");
  }
  if (threads) return ApplyThreadsSetting(value);
  SetMemoryLimit(value ? ParseMemorySize(*value) : -1);
}

std::string CurrentSetting(const std::string& name) {
  if (IsThreadsName(name)) return std::to_string(GetThreads());
  if (Lower(name) == "auto_maintenance")
    return CurrentConfig().auto_maintenance.load() ? "true" : "false";
  if (std::optional<std::string> order = CurrentOrderSetting(name)) return *order;
  if (std::optional<std::string> zone = CurrentTimeZoneSetting(name)) return *zone;
  if (std::optional<std::string> hint = CurrentPlannerHintSetting(name)) return *hint;
  if (!IsMemoryLimitName(name)) ThrowUnknownSetting(name);
  return FormatMemorySize(GetMemoryLimit());
}

MemoryReservation::~MemoryReservation() {
  if (bytes_ != 0) {
    tracker_->reserved_.fetch_sub(bytes_, std::memory_order_relaxed);
    g_process_reserved.fetch_sub(bytes_, std::memory_order_relaxed);
  }
}

void MemoryReservation::Resize(int64_t bytes) {
  const int64_t delta = bytes - bytes_;
  if (delta == 0) return;
  const int64_t total = tracker_->reserved_.fetch_add(delta, std::memory_order_relaxed) + delta;
  // Every database's reservations also count against the process-wide cap
  // (counted always, so that setting the cap later sees what is held).
  const int64_t process_total =
      g_process_reserved.fetch_add(delta, std::memory_order_relaxed) + delta;
  if (delta > 0) {
    const int64_t process_limit = g_process_limit.load(std::memory_order_relaxed);
    if (process_limit > 0 && process_total > process_limit) {
      tracker_->reserved_.fetch_sub(delta, std::memory_order_relaxed);
      g_process_reserved.fetch_sub(delta, std::memory_order_relaxed);
      throw QueryError(ErrorKind::kOutOfMemory,
                       std::string(op_) + " needs " + FormatMemorySize(bytes) +
                           ", over the process-wide memory limit of " +
                           FormatMemorySize(process_limit) + " (" +
                           FormatMemorySize(process_total - delta - bytes_) +
                           " held by every database's queries); the host process sets it "
                           "(tslake::SetProcessMemoryLimit)");
    }
    const int64_t limit = tracker_->limit();
    if (total > limit) {
      tracker_->reserved_.fetch_sub(delta, std::memory_order_relaxed);
      g_process_reserved.fetch_sub(delta, std::memory_order_relaxed);
      throw QueryError(ErrorKind::kOutOfMemory,
                       std::string(op_) + " needs " + FormatMemorySize(bytes) +
                           ", over the memory limit of " + FormatMemorySize(limit) + " (" +
                           FormatMemorySize(total - delta - bytes_) +
                           " held by other operators); raise it with SET memory_limit = '" +
                           std::to_string(std::max<int64_t>(
                               1, (std::max(limit, total) * 2 + 999999999) / 1000000000)) +
                           "GB' or make the query smaller (fewer groups, a narrower time range)");
    }
  }
  bytes_ = bytes;
}

int64_t ApproxChunkBytes(const DataChunk& chunk) {
  // The structs and one allocator header per array count too: many small
  // chunks (one per recursive-CTE iteration, a 1-row source) hold far more
  // than their values, and were charged a few bytes each while holding
  // hundreds (a 64MB limit let RSS reach 900MB).
  constexpr int64_t kAllocOverhead = 16;
  auto array = [](size_t capacity, size_t width) -> int64_t {
    return capacity == 0 ? 0 : static_cast<int64_t>(capacity * width) + kAllocOverhead;
  };
  int64_t bytes = static_cast<int64_t>(sizeof(DataChunk)) +
                  array(chunk.columns.capacity(), sizeof(ColumnVector));
  for (const ColumnVector& c : chunk.columns) {
    bytes += array(c.ints.capacity(), sizeof(int64_t)) +
             array(c.doubles.capacity(), sizeof(double)) + array(c.valid.capacity(), 1) +
             array(c.strings.capacity(), sizeof(std::string)) +
             array(c.dictionary.capacity(), sizeof(std::string)) +
             array(c.codes.capacity(), sizeof(uint32_t));
    for (const std::string& s : c.strings) {
      if (s.capacity() > 15) bytes += static_cast<int64_t>(s.capacity() + 1);
    }
    for (const std::string& s : c.dictionary) {
      if (s.capacity() > 15) bytes += static_cast<int64_t>(s.capacity() + 1);
    }
  }
  return bytes;
}

}  // namespace tsl::query
