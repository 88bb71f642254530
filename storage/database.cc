// Database: a directory of tables (`<db>/<lower-cased name>/` each holding
// `_log/` and segment files) plus the SQLite catalog `<db>/catalog.sqlite`.
// The directories and logs are the truth; the catalog is an index brought
// up to date on open (any table whose catalog version differs from its log,
// or that a failed update marked stale, is re-synced from its snapshot).
//
// DROP TABLE first renames the table directory to `.dropped-<uuid>` (one
// atomic step, so a crash never leaves a half-deleted table that looks
// live), then deletes it; leftovers are removed on the next writable open.
//
// Thread-safety: mu_ guards the table map; Table and Catalog are themselves
// thread-safe, so long operations (snapshots, commits) run unlocked.
#include "storage/database.h"

#include <algorithm>

#include "storage/catalog.h"
#include "storage/tag_index.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

constexpr const char* kMemoryRoot = "/memdb";
constexpr const char* kCatalogFile = "catalog.sqlite";
constexpr std::string_view kDroppedPrefix = ".dropped-";

Status ReadOnlyError() { return Status::InvalidArgument("database opened read-only"); }

Status ValidateTableName(const std::string& name) {
  auto bad = [&] {
    return Status::InvalidArgument("invalid table name \"" + name +
                                   "\": a table name starts with a letter or underscore and "
                                   "contains only letters, digits and underscores");
  };
  if (name.empty() || name.size() > 128) return bad();
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return bad();
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return bad();
  return Status::OK();
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                            std::tolower(static_cast<unsigned char>(b[j - 1]))
                        ? 0
                        : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

Status RemoveRecursively(Env* env, const std::string& path) {
  if (!env->IsDirectory(path)) return env->RemoveFile(path);
  ASSIGN_OR_RETURN(std::vector<std::string> children, env->GetChildren(path));
  for (const std::string& c : children) RETURN_IF_ERROR(RemoveRecursively(env, JoinPath(path, c)));
  return env->RemoveDir(path);
}

Status CreateDirs(Env* env, const std::string& dir) {
  if (dir.empty() || env->IsDirectory(dir)) return Status::OK();
  size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) RETURN_IF_ERROR(CreateDirs(env, dir.substr(0, slash)));
  RETURN_IF_ERROR(env->CreateDirIfMissing(dir));
  // The new name must be durable before anything inside it is acknowledged.
  return env->SyncDir(slash == std::string::npos ? "." : slash == 0 ? "/" : dir.substr(0, slash));
}

}  // namespace

struct Database::Impl {
  std::string path;  // as given, ":memory:" for in-memory
  std::string root;  // directory holding the tables
  bool in_memory = false;
  DatabaseOptions options;
  std::unique_ptr<Env> owned_env;
  Env* env = nullptr;
  std::unique_ptr<Catalog> catalog;
  // Which files statements may read and write (storage/file_access_policy.h).
  std::unique_ptr<FileAccessPolicy> file_access;

  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<Table>> tables;  // GUARDED_BY(mu), key: lower-case name
  std::map<std::string, Status> broken;                  // GUARDED_BY(mu), tables that fail to open

  // Opens the table in `root/dir_name`, naming it from the catalog or its
  // metadata, and re-syncs the catalog when `reconcile` and it lags.
  Status LoadTableLocked(const std::string& dir_name, bool reconcile) {
    std::string dir = JoinPath(root, dir_name);
    ASSIGN_OR_RETURN(std::optional<Catalog::TableEntry> entry, catalog->GetTable(dir_name));
    std::string name = entry ? entry->name : dir_name;
    ASSIGN_OR_RETURN(std::shared_ptr<Table> table, Table::Open(env, catalog.get(), dir, name));
    ASSIGN_OR_RETURN(int64_t latest, table->LatestVersion());
    bool lagging = !entry || entry->latest_version != latest || entry->stale;
    if (!entry || (lagging && reconcile)) {
      ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table->GetSnapshot());
      const std::string& meta_name = snap->metadata().name;
      if (!entry && !meta_name.empty() && ToLower(meta_name) == dir_name && meta_name != name) {
        name = meta_name;
        ASSIGN_OR_RETURN(table, Table::Open(env, catalog.get(), dir, name));
      }
      if (reconcile && !catalog->read_only())
        RETURN_IF_ERROR(SyncCatalogTable(catalog.get(), env, dir, name, *snap));
    }
    tables[dir_name] = std::move(table);
    broken.erase(dir_name);
    return Status::OK();
  }

  // Scans `root` for table directories; with `reconcile`, also deletes
  // leftovers of interrupted drops and catalog rows of vanished tables.
  Status LoadAllLocked(bool reconcile) {
    tables.clear();
    broken.clear();
    ASSIGN_OR_RETURN(std::vector<std::string> children, env->GetChildren(root));
    std::sort(children.begin(), children.end());
    for (const std::string& child : children) {
      std::string dir = JoinPath(root, child);
      if (!env->IsDirectory(dir)) continue;
      if (child.compare(0, kDroppedPrefix.size(), kDroppedPrefix) == 0) {
        if (reconcile && !options.read_only) (void)RemoveRecursively(env, dir);
        continue;
      }
      if (child.front() == '.' || !env->IsDirectory(JoinPath(dir, "_log"))) continue;
      Status st = LoadTableLocked(child, reconcile);
      // A `_log/` without versions is a CREATE TABLE that never committed:
      // not a table (the next CREATE of that name reuses the directory).
      if (!st.ok() && !st.IsNotFound()) broken[child] = st.WithContext("table \"" + child + "\"");
    }
    if (reconcile) {
      ASSIGN_OR_RETURN(std::vector<Catalog::TableEntry> entries, catalog->ListTables());
      for (const Catalog::TableEntry& e : entries) {
        std::string key = ToLower(e.name);
        if (!tables.count(key) && !broken.count(key)) RETURN_IF_ERROR(catalog->DropTable(e.name));
      }
    }
    return Status::OK();
  }

  Status NotFoundLocked(const std::string& name) const {
    std::string msg = "Table \"" + name + "\" does not exist.";
    const std::string* best = nullptr;
    size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
    for (const auto& [key, table] : tables) {
      size_t d = EditDistance(name, table->name());
      if (d < best_d) {
        best_d = d;
        best = &table->name();
      }
    }
    if (best != nullptr) msg += " Did you mean \"" + *best + "\"?";
    return Status::NotFound(msg);
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, DatabaseOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->in_memory = path.empty() || path == ":memory:";
  impl->path = impl->in_memory ? ":memory:" : path;
  impl->options = options;
  if (options.env != nullptr) {
    impl->env = options.env;
  } else if (impl->in_memory) {
    impl->owned_env = NewMemEnv();
    impl->env = impl->owned_env.get();
  } else {
    impl->env = Env::Default();
  }
  impl->root = impl->in_memory ? kMemoryRoot : path;
  Env* env = impl->env;
  const bool read_only = options.read_only;

  if (!env->IsDirectory(impl->root)) {
    if (env->FileExists(impl->root))
      return Status::InvalidArgument(impl->root + " is a file, not a database directory");
    if (read_only && !impl->in_memory)
      return Status::NotFound("database directory " + impl->root +
                              " does not exist (opened read-only, so it is not created)");
    RETURN_IF_ERROR(CreateDirs(env, impl->root));
  }

  // The catalog lives next to the tables on disk; databases whose files are
  // not on the real filesystem (in memory, or a test Env) get a private
  // in-memory catalog. A read-only database without a catalog file gets one
  // too, built from the logs, since it must not create the file.
  std::string catalog_path = JoinPath(impl->root, kCatalogFile);
  bool on_disk = !impl->in_memory && Env::Default()->IsDirectory(impl->root);
  impl->file_access = std::make_unique<FileAccessPolicy>(on_disk ? impl->root : "", read_only);
  // So does one whose catalog has a hot journal (a writer was killed inside
  // a catalog transaction): only a writable connection may roll it back.
  if (!on_disk || (read_only && (!Env::Default()->FileExists(catalog_path) ||
                                 Env::Default()->FileExists(catalog_path + "-journal"))))
    catalog_path = ":memory:";
  // A private in-memory catalog is filled from the logs first and only then
  // made read-only; a read-only catalog file is used as it is.
  bool private_catalog = catalog_path == ":memory:";
  Result<std::unique_ptr<Catalog>> catalog =
      Catalog::Open(catalog_path, read_only && !private_catalog);
  if (!catalog.ok() && read_only && !private_catalog &&
      catalog.status().code() == StatusCode::kNotSupported &&
      catalog.status().message().find("older schema") != std::string::npos) {
    // An older catalog file cannot be upgraded read-only: index privately.
    private_catalog = true;
    catalog = Catalog::Open(":memory:", false);
  }
  ASSIGN_OR_RETURN(impl->catalog, std::move(catalog));
  {
    std::lock_guard<std::mutex> l(impl->mu);
    RETURN_IF_ERROR(impl->LoadAllLocked(/*reconcile=*/!read_only || private_catalog));
  }
  if (read_only) impl->catalog->SetReadOnly();
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

const std::string& Database::path() const { return impl_->path; }
bool Database::read_only() const { return impl_->options.read_only; }
bool Database::in_memory() const { return impl_->in_memory; }
Env* Database::env() const { return impl_->env; }
Catalog* Database::catalog() const { return impl_->catalog.get(); }
FileAccessPolicy* Database::file_access() const { return impl_->file_access.get(); }
const DatabaseOptions& Database::options() const { return impl_->options; }

Result<std::shared_ptr<Table>> Database::CreateTable(const std::string& name, const Schema& schema,
                                                     std::map<std::string, std::string> properties,
                                                     bool if_not_exists, bool pending) {
  if (read_only()) return ReadOnlyError();
  RETURN_IF_ERROR(ValidateTableName(name));
  std::string key = ToLower(name);
  std::lock_guard<std::mutex> l(impl_->mu);
  auto it = impl_->tables.find(key);
  if (it == impl_->tables.end() && impl_->env->IsDirectory(JoinPath(impl_->root, key))) {
    // Created by another process since we opened: pick it up.
    Status st = impl_->LoadTableLocked(key, true);
    (void)st;
    it = impl_->tables.find(key);
  }
  if (it != impl_->tables.end()) {
    if (if_not_exists) return it->second;
    return Status::AlreadyExists("Table \"" + it->second->name() + "\" already exists");
  }
  if (impl_->broken.count(key)) return impl_->broken[key];
  Result<std::shared_ptr<Table>> table =
      (pending ? Table::CreatePending : Table::Create)(impl_->env, impl_->catalog.get(),
                                                       JoinPath(impl_->root, key), name, schema,
                                                       std::move(properties));
  if (!table.ok()) return table.status();
  impl_->tables[key] = *table;
  return table;
}

Status Database::DropTable(const std::string& name, bool if_exists) {
  if (read_only()) return ReadOnlyError();
  std::string key = ToLower(name);
  std::lock_guard<std::mutex> l(impl_->mu);
  auto it = impl_->tables.find(key);
  bool is_broken = impl_->broken.count(key) > 0;
  if (it == impl_->tables.end() && !is_broken) {
    if (if_exists) return Status::OK();
    return impl_->NotFoundLocked(name);
  }
  std::string table_name = it != impl_->tables.end() ? it->second->name() : name;
  RETURN_IF_ERROR(impl_->catalog->DropTable(table_name));
  Env* env = impl_->env;
  std::string dir = JoinPath(impl_->root, key);
  std::string trash = JoinPath(impl_->root, std::string(kDroppedPrefix) + NewUniqueId());
  RETURN_IF_ERROR(env->RenameFile(dir, trash));
  RETURN_IF_ERROR(env->SyncDir(impl_->root));
  if (it != impl_->tables.end()) impl_->tables.erase(it);
  impl_->broken.erase(key);
  // The drop is durable; a failure here only leaves garbage cleaned on open.
  (void)RemoveRecursively(env, trash);
  return Status::OK();
}

Result<std::shared_ptr<Table>> Database::GetTable(const std::string& name) {
  std::string key = ToLower(name);
  std::lock_guard<std::mutex> l(impl_->mu);
  auto it = impl_->tables.find(key);
  if (it != impl_->tables.end()) return it->second;
  auto b = impl_->broken.find(key);
  if (b != impl_->broken.end()) return b->second;
  // Another process may have created it since we opened.
  if (ValidateTableName(name).ok() && impl_->env->IsDirectory(JoinPath(JoinPath(impl_->root, key), "_log"))) {
    Status st = impl_->LoadTableLocked(key, !read_only());
    if (!st.ok()) return st;
    return impl_->tables[key];
  }
  return impl_->NotFoundLocked(name);
}

std::vector<std::string> Database::ListTables() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  std::vector<std::string> names;
  for (const auto& [key, table] : impl_->tables) names.push_back(table->name());
  for (const auto& [key, st] : impl_->broken) names.push_back(key);
  std::sort(names.begin(), names.end());
  return names;
}

Status Database::RebuildCatalog() {
  if (read_only()) return ReadOnlyError();
  std::lock_guard<std::mutex> l(impl_->mu);
  RETURN_IF_ERROR(impl_->catalog->Clear());
  RETURN_IF_ERROR(impl_->LoadAllLocked(true));
  if (!impl_->broken.empty()) return impl_->broken.begin()->second;
  return Status::OK();
}

}  // namespace tsl
