// tslake::Database: validates the public Options, opens the engine's
// tsl::Database with them, and owns the table-function registry every
// connection uses and kNormal's CommitFlusher.
// Thread-safety: safe to share; the registry is filled before Open returns
// and only read afterwards.
#include <algorithm>
#include <set>

#include "query/binder/bound_window.h"
#include "query/binder/view_catalog.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/range_function.h"
#include "query/functions/scalar_function.h"
#include "query/execution/parallel_pipeline.h"
#include "shell/api/api_internal.h"
#include "shell/api/historian_functions.h"
#include "shell/api/maintenance_worker.h"
#include "storage/snapshot.h"

namespace tslake {

namespace {

// "" when every option is in range, else the first bad one, named.
std::string ValidateOptions(const Options& o) {
  auto bad = [](const char* name, int64_t value, const char* range) {
    return std::string("Options::") + name + " is " + std::to_string(value) + "; it must be " + range;
  };
  if (o.compression_level < 1 || o.compression_level > 19)
    return bad("compression_level", o.compression_level, "1..19");
  if (o.sync_mode != SyncMode::kFull && o.sync_mode != SyncMode::kNormal)
    return bad("sync_mode", static_cast<int>(o.sync_mode), "kFull (0) or kNormal (1)");
  if (o.sync_interval_ms < 1 || o.sync_interval_ms > 3600000)
    return bad("sync_interval_ms", o.sync_interval_ms, "1..3600000");
  if (o.memory_limit != 0 && o.memory_limit < (int64_t{1} << 20))
    return bad("memory_limit", o.memory_limit, "0 (no limit) or at least 1048576 bytes");
  if (o.threads < 0 || o.threads > 64) return bad("threads", o.threads, "0..64");
  if (o.query_threads < 0 || o.query_threads > 1024)
    return bad("query_threads", o.query_threads, "0..1024");
  if (o.maintenance_interval_ms < 10 || o.maintenance_interval_ms > 86400000)
    return bad("maintenance_interval_ms", o.maintenance_interval_ms, "10..86400000");
  if (!(o.maintenance_cpu_share > 0 && o.maintenance_cpu_share <= 1))
    return "Options::maintenance_cpu_share is " + std::to_string(o.maintenance_cpu_share) +
           "; it must be in (0, 1]";
  if (o.maintenance_small_files < 2 || o.maintenance_small_files > 100000)
    return bad("maintenance_small_files", o.maintenance_small_files, "2..100000");
  return "";
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const std::string& path, const Options& options,
                                         std::string* error) {
  Status status;
  std::unique_ptr<Database> db = Open(path, options, &status);
  if (!db && error) *error = status.message();
  return db;
}

std::unique_ptr<Database> Database::Open(const std::string& path, const Options& options,
                                         Status* status) {
  auto fail = [&](Status st) -> std::unique_ptr<Database> {
    if (status) *status = std::move(st);
    return nullptr;
  };
  std::string invalid = ValidateOptions(options);
  if (!invalid.empty()) return fail(Status(ErrorCode::kInvalidArgument, invalid));
  if (options.tune_allocator) tsl::query::TuneAllocatorForScans();
  tsl::DatabaseOptions db_options;
  db_options.read_only = options.read_only;
  tsl::Result<tsl::Compression> compression = tsl::ParseCompression(options.compression);
  if (!compression.ok())
    return fail(Status(ErrorCode::kInvalidArgument, "Options::compression: " + compression.status().message()));
  db_options.segment_options.compression = *compression;
  db_options.segment_options.zstd_level = options.compression_level;

  std::string engine_path = path.empty() ? ":memory:" : path;
  tsl::Result<std::unique_ptr<tsl::Database>> db = tsl::Database::Open(engine_path, db_options);
  if (!db.ok()) return fail(ToPublic(db.status()));

  // Only ever turns access off, which cannot fail.
  if (!options.enable_external_access) (void)(*db)->file_access()->SetExternalAccess(false);
  auto impl = std::make_unique<Impl>();
  if (options.memory_limit > 0) impl->config.memory.set_limit(options.memory_limit);
  if (options.query_threads > 0) impl->config.threads.store(options.query_threads);
  impl->db = std::move(db).value();
  impl->options = options;
  impl->path = engine_path;
  RegisterIngestFunctions(&impl->functions);
  RegisterHistorianReaders(&impl->functions);
  RegisterWatermarksFunction(&impl->functions, impl->db.get());
  RegisterTagsFunctions(&impl->functions, impl->db.get());
  // last: wraps every read_* registered above
  GuardFileInputs(&impl->functions, impl->db->file_access());
  if (options.sync_mode == SyncMode::kNormal && !options.read_only) {
    impl->flusher = std::make_unique<CommitFlusher>(
        std::chrono::milliseconds(options.sync_interval_ms), options.threads > 0);
  }
  if (!options.read_only) {
    MaintenanceSettings settings;
    settings.interval = std::chrono::milliseconds(options.maintenance_interval_ms);
    settings.cpu_share = options.maintenance_cpu_share;
    settings.small_files = options.maintenance_small_files;
    // About two segments of rows are in memory while one is compacted:
    // keep them within an eighth of memory_limit (~100 bytes a buffered row).
    if (options.memory_limit > 0)
      settings.max_segment_rows = std::max<int64_t>(16384, options.memory_limit / 8 / 100);
    impl->maintenance = std::make_unique<MaintenanceWorker>(impl->db.get(), &impl->functions,
                                                            &impl->config, std::move(settings));
    MaintenanceWorker* worker = impl->maintenance.get();
    tsl::query::DatabaseConfig* config = &impl->config;
    config->on_auto_maintenance = [worker, config](bool on) {
      config->auto_maintenance.store(on);
      worker->SetEnabled(on);
      return std::string();
    };
    if (options.auto_maintenance) config->on_auto_maintenance(true);
  }
  RegisterMaintenanceFunction(&impl->functions, impl->db.get(), impl->maintenance.get());
  if (status) *status = Status();
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

void SetProcessMemoryLimit(int64_t bytes) { tsl::query::SetProcessMemoryLimit(bytes); }

int64_t ProcessMemoryLimit() { return tsl::query::ProcessMemoryLimit(); }

const std::string& Database::path() const { return impl_->path; }
bool Database::read_only() const { return impl_->db->read_only(); }

std::string Database::RebuildCatalog() {
  tsl::Status st = impl_->db->RebuildCatalog();
  return st.ok() ? std::string() : st.message();
}

std::vector<std::string> Database::ListTables() const { return impl_->db->ListTables(); }

std::vector<std::string> Database::ListFunctions() const {
  std::set<std::string> names;
  for (std::string& n : tsl::query::ScalarFunctionNames()) names.insert(std::move(n));
  for (std::string& n : tsl::query::AggregateFunctionNames()) names.insert(std::move(n));
  for (std::string& n : tsl::query::WindowFunctionNames()) names.insert(std::move(n));
  for (std::string& n : tsl::query::BuiltinTableFunctionNames()) names.insert(std::move(n));
  for (std::string& n : impl_->functions.Names()) names.insert(std::move(n));
  // Bound by the binder itself rather than the function table.
  for (const char* n : {"coalesce", "ifnull", "nullif", "typeof", "current_setting"}) names.insert(n);
  return {names.begin(), names.end()};
}

std::vector<std::string> Database::Notices() const { return impl_->db->Notices(); }

std::vector<ColumnInfo> Database::DescribeTable(const std::string& name, std::string* error) const {
  std::vector<ColumnInfo> columns;
  auto table = impl_->db->GetTable(name);
  if (!table.ok()) {
    if (error) *error = table.status().message();
    return columns;
  }
  auto snapshot = (*table)->GetSnapshot();
  if (!snapshot.ok()) {
    if (error) *error = snapshot.status().message();
    return columns;
  }
  for (const tsl::Field& f : (*snapshot)->schema().fields) {
    columns.push_back(ColumnInfo{f.name, PublicType(f.type), std::string(tsl::TypeName(f.type))});
  }
  return columns;
}

std::vector<std::pair<std::string, std::string>> Database::TableConfiguration(
    const std::string& name, std::string* error) const {
  auto table = impl_->db->GetTable(name);
  if (!table.ok()) {
    if (error) *error = table.status().message();
    return {};
  }
  auto snapshot = (*table)->GetSnapshot();
  if (!snapshot.ok()) {
    if (error) *error = snapshot.status().message();
    return {};
  }
  const auto& configuration = (*snapshot)->metadata().configuration;
  return {configuration.begin(), configuration.end()};
}

std::vector<std::pair<std::string, std::string>> Database::ListViews() const {
  try {
    return tsl::query::ViewCatalog(impl_->db.get()).List();
  } catch (const std::exception&) {
    return {};  // an unreadable view file: queries naming a view report it
  }
}

const Options& Database::options() const { return impl_->options; }

Status Database::CheckOutputFile(const std::string& path) const {
  return ToPublic(impl_->db->file_access()->Check("output", path, tsl::FileAccess::kShellOutput));
}

// The headers' version macros must name the version CMake builds
// (shell/CMakeLists.txt passes project()'s).
static_assert(TSLAKE_VERSION_NUMBER == TSLAKE_PROJECT_VERSION_MAJOR * 1000000 +
                                           TSLAKE_PROJECT_VERSION_MINOR * 1000 +
                                           TSLAKE_PROJECT_VERSION_PATCH,
              "TSLAKE_VERSION_NUMBER in include/tslake/ differs from project(VERSION) in CMakeLists.txt");

const char* Database::Version() { return TSLAKE_VERSION; }

}  // namespace tslake
